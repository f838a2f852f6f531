from guestbook import create_app


def test_add_and_list():
    client = create_app({"TESTING": True}).test_client()
    assert client.post("/entries", json={"name": "ada"}).status_code == 201
    assert client.get("/entries").get_json() == [{"name": "ada"}]
