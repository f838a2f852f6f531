import os

from celery import Celery

celery = Celery(
    "thumbnails",
    broker=os.environ.get("REDIS_URL", "redis://localhost:6379/0"),
    include=["app.tasks"],
)
celery.conf.beat_schedule = {
    "purge-expired": {"task": "app.tasks.purge_expired", "schedule": 3600.0},
}
