from aiohttp import web


async def index(request):
    return web.json_response({"polls": []})


async def healthz(request):
    return web.json_response({"status": "ok"})
