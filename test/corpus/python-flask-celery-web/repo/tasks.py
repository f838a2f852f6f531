import os

from celery import Celery

celery = Celery("reports", broker=os.environ.get("BROKER_URL", "redis://localhost:6379/0"))


@celery.task
def render_report(report_id):
    return {"id": report_id, "status": "rendered"}
