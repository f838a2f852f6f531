"""HTTP interface of the catalog."""
from starlette.applications import Starlette
from starlette.responses import JSONResponse, PlainTextResponse
from starlette.routing import Route

ITEMS = [{"sku": "A-1", "name": "desk lamp"}, {"sku": "B-7", "name": "bookshelf"}]


async def healthz(request):
    return PlainTextResponse("ok")


async def items(request):
    return JSONResponse(ITEMS)


api = Starlette(routes=[Route("/healthz", healthz), Route("/items", items)])
