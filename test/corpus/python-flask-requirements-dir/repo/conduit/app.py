"""The app factory."""
from flask import Flask

from conduit.views import blueprint


def create_app():
    app = Flask(__name__.split(".")[0])
    app.register_blueprint(blueprint)
    return app
