"""A small guestbook."""
from flask import Flask, jsonify, request

ENTRIES: list[dict] = []


def create_app(config: dict | None = None) -> Flask:
    app = Flask(__name__)
    app.config.update(config or {})

    @app.get("/healthz")
    def healthz():
        return "ok"

    @app.get("/entries")
    def entries():
        return jsonify(ENTRIES)

    @app.post("/entries")
    def add_entry():
        ENTRIES.append({"name": request.json["name"]})
        return jsonify(ENTRIES[-1]), 201

    return app
