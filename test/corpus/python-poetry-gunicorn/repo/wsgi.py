from flask import Flask

app = Flask(__name__)


@app.route("/_healthz")
def healthz():
    return "ok"


@app.route("/signup", methods=["POST"])
def signup():
    return {"ok": True}, 201
