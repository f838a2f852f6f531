"""Brings the database schema up to date before the server starts (a stand-in for `flask db upgrade`)."""
import os
import sqlite3
import tempfile

path = os.environ.get("DATABASE_PATH", os.path.join(tempfile.gettempdir(), "notes.db"))
with sqlite3.connect(path) as db:
    db.execute("CREATE TABLE IF NOT EXISTS notes (id INTEGER PRIMARY KEY, body TEXT NOT NULL)")
print(f"migrated {path}")
