import sys

from aiohttp import web

from aiohttpdemo_polls.routes import setup_routes
from aiohttpdemo_polls.settings import get_config


def init_app(argv=None):
    app = web.Application()
    app["config"] = get_config(argv)
    setup_routes(app)
    return app


def main(argv):
    app = init_app(argv)
    config = get_config(argv)
    web.run_app(app, host=config["host"], port=config["port"])


if __name__ == "__main__":
    main(sys.argv[1:])
