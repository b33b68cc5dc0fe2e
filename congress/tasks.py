import logging

from celery import shared_task

from congress.lib.delivery import DeliveryIncomplete

logger = logging.getLogger(__name__)


@shared_task
def heartbeat() -> str:
    """A periodic no-op that shows beat and the worker are alive (its result is visible in the worker log)."""
    from congress.selectors import system_counts

    counts = system_counts()
    logger.info("heartbeat %s", counts)
    return f"deputies={counts.get('deputies', 0)} stations={counts.get('stations', 0)}"


@shared_task(autoretry_for=(DeliveryIncomplete, ConnectionError, TimeoutError), retry_backoff=True, max_retries=5)
def deliver_notifications(ids: list[int]) -> int:
    """Send the e-mail and SMS copies of in-app notifications (only to users who have an address or phone). Safe to
    run twice: each copy is claimed before it is sent (congress.lib.delivery). When a send fails the task retries
    with backoff; what is still unsent after that is left to deliver_pending_notifications."""
    from congress.lib.delivery import deliver

    result = deliver(ids)
    if result.failed:
        raise DeliveryIncomplete(f"{result.failed} copies of notifications {ids} not sent")
    return result.sent


@shared_task
def deliver_pending_notifications() -> int:
    """Every few minutes (CELERY_BEAT_SCHEDULE): send the copies whose own task was lost or gave up."""
    from congress.lib.delivery import deliver, pending_ids

    ids = pending_ids()
    return deliver(ids).sent if ids else 0


@shared_task
def audit_purge_expired() -> int:
    """Nightly: drop audit rows older than AUDIT_RETENTION_DAYS (never, when it is 0)."""
    from congress.services import audit_purge_expired as purge

    return purge()


@shared_task(acks_late=True)
def run_import_job(job_id: int) -> str:
    """A large spreadsheet import (congress.lib.importjobs): the check, or the confirmed import."""
    from congress.lib.importjobs import run

    return run(job_id).state
