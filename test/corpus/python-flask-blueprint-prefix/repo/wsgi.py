"""The WSGI entry point."""
from shop import create_app

app = create_app()
