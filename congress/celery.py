"""The Celery app. With REDIS_URL it uses Redis; without it (the demo) kombu's filesystem transport under
var/, so `celery -A congress worker -B` runs a real worker and beat with no server to install."""
import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "congress.settings")

app = Celery("congress")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
