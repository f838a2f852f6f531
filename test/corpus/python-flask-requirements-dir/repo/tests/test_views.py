from conduit.app import create_app


def test_ping():
    client = create_app().test_client()
    assert client.get("/api/ping").get_json() == {"status": "ok"}


def test_tags():
    client = create_app().test_client()
    assert "flask" in client.get("/api/tags").get_json()["tags"]
