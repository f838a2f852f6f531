"""The shop application."""
from flask import Flask


def create_app():
    app = Flask(__name__)
    app.config.from_object("shop.settings")

    from shop.views.health import health
    from shop.views.orders import orders

    app.register_blueprint(health, url_prefix="/internal")
    app.register_blueprint(orders)
    return app
