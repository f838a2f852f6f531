from starlette.testclient import TestClient

from catalog.web import api


def test_items():
    client = TestClient(api)
    assert [i["sku"] for i in client.get("/items").json()] == ["A-1", "B-7"]


def test_healthz():
    assert TestClient(api).get("/healthz").text == "ok"
