"""Periodic work of the supervision app; each task is thin and calls one service."""
from celery import shared_task


@shared_task(autoretry_for=(ConnectionError, TimeoutError), retry_backoff=True, max_retries=3)
def scan_rectification_reminders() -> int:
    """Hourly (CELERY_BEAT_SCHEDULE): remind organs of their rectification items' due dates; each reminder once."""
    from django.utils import timezone

    from supervision.services import rectification_reminders_scan

    return len(rectification_reminders_scan(today=timezone.localdate()))


@shared_task(autoretry_for=(ConnectionError, TimeoutError), retry_backoff=True, max_retries=3)
def send_work_report_reminders() -> int:
    """Hourly (CELERY_BEAT_SCHEDULE): the dates before a work report's meeting and the review opinions' reports owed;
    each reminder once."""
    from django.utils import timezone

    from supervision.services import work_report_reminders_send

    return len(work_report_reminders_send(today=timezone.localdate()))


@shared_task(autoretry_for=(ConnectionError, TimeoutError), retry_backoff=True, max_retries=3)
def scan_meeting_reply_reminders() -> int:
    """Hourly (CELERY_BEAT_SCHEDULE): remind organs of the written replies they owe after a deputies' meeting (代表约见)
    before the due date, on the day and while overdue; each reminder once."""
    from django.utils import timezone

    from supervision.services import meeting_reply_reminders_scan

    return len(meeting_reply_reminders_scan(today=timezone.localdate()))


@shared_task(autoretry_for=(ConnectionError, TimeoutError), retry_backoff=True, max_retries=3)
def send_rating_report_reminders() -> int:
    """Hourly (CELERY_BEAT_SCHEDULE): the appointed officials' duty reports due or overdue; each reminder once."""
    from django.utils import timezone

    from supervision.services import rating_reminders_send

    return len(rating_reminders_send(today=timezone.localdate()))


@shared_task(autoretry_for=(ConnectionError, TimeoutError), retry_backoff=True, max_retries=3)
def scan_livelihood_report_reminders() -> int:
    """Hourly (CELERY_BEAT_SCHEDULE): remind owner organs of the livelihood projects' quarterly progress reports before
    the due date, on the day and while overdue; each reminder once."""
    from django.utils import timezone

    from supervision.services import livelihood_report_reminders_scan

    return len(livelihood_report_reminders_scan(today=timezone.localdate()))
