SECRET_KEY = "fixture-only-key"
DEBUG = False
ALLOWED_HOSTS = ["*"]
ROOT_URLCONF = "depot.urls"
INSTALLED_APPS = ["django.contrib.contenttypes", "api", "ops"]
DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}}
USE_TZ = True
