"""The deputies' background work: computing a quarter's published ranking (deputies.services.score_snapshot_build)."""
import logging

from celery import shared_task

logger = logging.getLogger(__name__)


@shared_task
def score_snapshot_build(snapshot_id: int) -> int:
    """Compute one requested ranking (its progress is stored on the row). Not retried: a failed ranking shows its
    error in the admin and staff ask for it again."""
    from deputies import services

    try:
        return services.score_snapshot_build(snapshot_id=snapshot_id).pk
    except Exception:
        logger.exception("ranking %s failed", snapshot_id)
        return snapshot_id
