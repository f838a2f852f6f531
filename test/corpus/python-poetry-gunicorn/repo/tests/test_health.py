from wsgi import app


def test_health():
    assert app.test_client().get("/_healthz").status_code == 200
