import requests

from app.celery_app import celery


@celery.task(bind=True, max_retries=3)
def fetch_thumbnail(self, url):
    try:
        r = requests.get(url, timeout=10)
        r.raise_for_status()
    except requests.RequestException as exc:
        raise self.retry(exc=exc, countdown=30)
    return len(r.content)


@celery.task
def purge_expired():
    return 0
