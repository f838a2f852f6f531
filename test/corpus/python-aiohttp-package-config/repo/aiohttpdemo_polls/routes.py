from aiohttpdemo_polls.views import healthz, index


def setup_routes(app):
    app.router.add_get("/", index)
    app.router.add_get("/healthz", healthz)
