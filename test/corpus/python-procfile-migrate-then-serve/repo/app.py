"""Notes: a small Flask service whose schema is migrated before it serves."""
from flask import Flask, jsonify

app = Flask(__name__)


@app.get("/healthz")
def healthz():
    return jsonify(status="ok")


@app.get("/notes")
def notes():
    return jsonify([])
