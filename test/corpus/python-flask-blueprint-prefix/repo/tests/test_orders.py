from shop import create_app


def test_orders_are_listed():
    client = create_app().test_client()
    assert client.get("/api/orders/").json == [{"id": 1, "item": "lamp"}]


def test_health_is_under_the_registered_prefix():
    client = create_app().test_client()
    assert client.get("/internal/healthz").status_code == 200
