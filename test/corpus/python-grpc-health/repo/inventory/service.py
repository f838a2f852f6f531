"""The inventory.v1.Inventory service, with JSON messages (no generated code)."""

import json

import grpc

SERVICE = "inventory.v1.Inventory"

_STOCK = {"sku-1": 12, "sku-2": 0}


def _decode(data):
    return json.loads(data.decode("utf-8")) if data else {}


def _encode(obj):
    return json.dumps(obj).encode("utf-8")


def get_stock(request, context):
    sku = request.get("sku", "")
    if sku not in _STOCK:
        context.abort(grpc.StatusCode.NOT_FOUND, f"unknown sku {sku}")
    return {"sku": sku, "quantity": _STOCK[sku]}


def handler():
    return grpc.method_handlers_generic_handler(
        SERVICE,
        {
            "GetStock": grpc.unary_unary_rpc_method_handler(
                get_stock, request_deserializer=_decode, response_serializer=_encode
            ),
        },
    )
