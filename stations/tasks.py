"""Periodic work of the stations app; each task is thin and calls one service."""
from celery import shared_task


@shared_task(autoretry_for=(ConnectionError, TimeoutError), retry_backoff=True, max_retries=3)
def send_reception_reminders() -> int:
    """Hourly (CELERY_BEAT_SCHEDULE): remind deputies of tomorrow's reception duty; each reception once."""
    from django.utils import timezone

    from stations.services import reception_reminders_send

    return len(reception_reminders_send(today=timezone.localdate()))
