"""Routes."""
from flask import Blueprint, jsonify

blueprint = Blueprint("api", __name__)

TAGS = ["python", "flask"]


@blueprint.route("/api/ping", methods=["GET"])
def ping():
    return jsonify(status="ok")


@blueprint.route("/api/tags", methods=["GET"])
def tags():
    return jsonify(tags=TAGS)
