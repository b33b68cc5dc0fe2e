import logging

from celery import shared_task

logger = logging.getLogger(__name__)


@shared_task
def heartbeat() -> str:
    """A periodic no-op that shows beat and the worker are alive (its result is visible in the worker log)."""
    from congress.selectors import system_counts

    counts = system_counts()
    logger.info("heartbeat %s", counts)
    return f"deputies={counts.get('deputies', 0)} stations={counts.get('stations', 0)}"


@shared_task(autoretry_for=(ConnectionError, TimeoutError), retry_backoff=True, max_retries=5)
def deliver_notifications(ids: list[int]) -> int:
    """Send the e-mail and SMS copies of in-app notifications (only to users who have an address or phone)."""
    from congress.lib.delivery import deliver

    return deliver(ids)


@shared_task
def audit_purge_expired() -> int:
    """Nightly: drop audit rows older than AUDIT_RETENTION_DAYS (never, when it is 0)."""
    from congress.services import audit_purge_expired as purge

    return purge()
