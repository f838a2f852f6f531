"""The WSGI entry point."""
from guestbook import create_app

app = create_app()
