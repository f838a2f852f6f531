"""Create an application instance."""
from conduit.app import create_app

app = create_app()
