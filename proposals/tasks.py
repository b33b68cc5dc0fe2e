"""Periodic work of the proposals app; each task is thin and calls one service."""
from celery import shared_task


@shared_task(autoretry_for=(ConnectionError, TimeoutError), retry_backoff=True, max_retries=3)
def scan_deadline_reminders() -> int:
    """Hourly (CELERY_BEAT_SCHEDULE): remind units of reply deadlines; each reminder is sent once."""
    from django.utils import timezone

    from proposals.reminders import deadline_reminders_scan

    return len(deadline_reminders_scan(today=timezone.localdate()))


@shared_task(autoretry_for=(ConnectionError, TimeoutError), retry_backoff=True, max_retries=3)
def refresh_similar(suggestion_id: int) -> int:
    """A submitted suggestion's most similar ones of its term, stored for the admin page and the merge form."""
    from proposals.services.similar import similar_refresh

    return similar_refresh(suggestion_id=suggestion_id)


@shared_task(autoretry_for=(ConnectionError, TimeoutError), retry_backoff=True, max_retries=3)
def refresh_similar_current_term() -> int:
    """Nightly (CELERY_BEAT_SCHEDULE): every current-term suggestion's matches again, with today's weights."""
    from congress.models import Term
    from proposals.services.similar import similar_refresh_term

    return sum(similar_refresh_term(term_id=pk) for pk in Term.objects.filter(is_current=True).values_list("pk", flat=True))
@shared_task
def build_session_archive(archive_id: int) -> int | None:
    """Render one congress session's suggestion archive (queued by services.session_archive_request)."""
    from proposals.services import session_archive_build

    archive = session_archive_build(archive_id)
    return archive.pk if archive else None
