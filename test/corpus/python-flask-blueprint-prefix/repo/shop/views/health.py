"""Liveness for the platform's probes."""
from flask import Blueprint, jsonify

health = Blueprint("health", __name__, url_prefix="/ops")


@health.get("/healthz")
def healthz():
    return jsonify(status="ok")
