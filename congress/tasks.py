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


class MonthlyReportFailed(Exception):
    """Building a monthly report raised: retried with backoff (the row shows the error meanwhile)."""


@shared_task(autoretry_for=(MonthlyReportFailed,), retry_backoff=60, retry_backoff_max=3600, max_retries=5)
def monthly_report_build(year: int | None = None, month: int | None = None) -> int:
    """On the 1st of each month (CELERY_BEAT_SCHEDULE): build and publish the previous month's report. Idempotent: a
    published month is left as it is, so beat firing twice or a redelivered task changes nothing."""
    from django.utils import timezone

    from congress.reports import services

    if year is None or month is None:
        year, month = services.previous_month(timezone.localdate())
    try:
        return services.monthly_report_build(year=year, month=month).pk
    except services.CongressError:
        raise
    except Exception as exc:
        raise MonthlyReportFailed(f"{year}-{month:02d}: {exc}") from exc


@shared_task
def annual_report_generate(version_id: int) -> int:
    """Generate one requested version of the annual work report (its progress is stored on the row). Not retried: a
    failed version shows its error and staff ask for a new one."""
    from congress.reports import services

    try:
        return services.annual_report_generate(version_id=version_id).pk
    except Exception:
        logger.exception("annual report version %s failed", version_id)
        return version_id
@shared_task(acks_late=True)
def run_import_job(job_id: int) -> str:
    """A large spreadsheet import (congress.lib.importjobs): the check, or the confirmed import."""
    from congress.lib.importjobs import run

    return run(job_id).state
