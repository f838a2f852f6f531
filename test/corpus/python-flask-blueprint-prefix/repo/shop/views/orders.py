"""Orders."""
from flask import Blueprint, jsonify

orders = Blueprint("orders", __name__, url_prefix="/api/orders")

ORDERS = [{"id": 1, "item": "lamp"}]


@orders.get("/")
def list_orders():
    return jsonify(ORDERS)
