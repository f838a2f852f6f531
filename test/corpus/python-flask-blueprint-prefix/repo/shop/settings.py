"""Settings read from the environment."""
import os

DB_HOST = os.environ.get("DB_HOST", "localhost")
DB_PORT = int(os.environ.get("DB_PORT", "5432"))
REDIS_URL = os.environ.get("REDIS_URL", "redis://localhost:6379/0")
