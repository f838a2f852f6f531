SECRET_KEY = "not-secret-fixture"
DEBUG = False
ALLOWED_HOSTS = ["*"]
ROOT_URLCONF = "notes.urls"
INSTALLED_APPS = ["django.contrib.contenttypes", "board"]
DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}}
USE_TZ = True
