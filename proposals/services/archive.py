"""The archive of one congress session (every suggestion with its units, replies and ratings) as one PDF whose
bookmarks are the suggestions (h1/h2, WeasyPrint's bookmark-level). Staff ask for it; a Celery worker builds it
(proposals.tasks.build_session_archive) and the row records the result or the error. A build is claimed by a
conditional update, so a task delivered twice builds once."""
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Prefetch
from django.utils import timezone

from congress.lib.pdf import render_pdf
from congress.models import CongressSession, User
from congress.predicates import is_committee_staff
from congress.services import CongressError
from proposals.models import Assignment, Cosignature, Evaluation, Reply, SessionArchive, Suggestion

# what the archive lists: registered and later (drafts and returned items were never the session's suggestions)
ARCHIVED = (Suggestion.Status.REGISTERED, *Suggestion.IN_HANDLING)


@transaction.atomic
def session_archive_request(*, actor: User, session: CongressSession) -> SessionArchive:
    if not is_committee_staff(actor):
        raise CongressError("只有常委会机关工作人员可以生成会议建议档案")
    if session is None:
        raise CongressError("请选择人代会会议")
    archive = SessionArchive.objects.create(session=session, requested_by=actor)

    def enqueue():
        from proposals.tasks import build_session_archive

        build_session_archive.delay(archive.pk)

    transaction.on_commit(enqueue)
    return archive


def archive_suggestions(session: CongressSession):
    replies = Prefetch("replies", queryset=Reply.objects.order_by("replied_on", "id").prefetch_related(
        Prefetch("evaluations", queryset=Evaluation.objects.select_related("deputy").order_by("id"))))
    assignments = Prefetch("assignments", queryset=Assignment.objects.exclude(status=Assignment.Status.SENT_BACK)
                           .select_related("unit").prefetch_related(replies).order_by("role", "id"))
    cosigners = Prefetch("cosignatures", queryset=Cosignature.objects.filter(status=Cosignature.Status.CONFIRMED)
                         .select_related("deputy").order_by("id"))
    return (Suggestion.objects.filter(session=session, status__in=ARCHIVED)
            .select_related("lead_deputy", "category").prefetch_related(assignments, cosigners)
            .order_by("serial", "id"))


def session_archive_pdf(session: CongressSession) -> tuple[bytes, int]:
    suggestions = list(archive_suggestions(session))
    data = render_pdf("pdf/proposals/session_archive.html", {
        "session": session, "suggestions": suggestions, "today": timezone.localdate(),
        "title": f"{session}代表建议办理档案"})
    return data, len(suggestions)


def session_archive_build(archive_id: int) -> SessionArchive | None:
    """Build a pending archive; None when another worker has it already (or it is built)."""
    claimed = SessionArchive.objects.filter(pk=archive_id, status=SessionArchive.Status.PENDING).update(
        status=SessionArchive.Status.RUNNING)
    if not claimed:
        return None
    archive = SessionArchive.objects.select_related("session__term").get(pk=archive_id)
    try:
        data, count = session_archive_pdf(archive.session)
        archive.file.save("archive.pdf", ContentFile(data), save=False)
    except Exception as exc:  # noqa: BLE001 - recorded on the row for the admin, then raised for the worker's log
        SessionArchive.objects.filter(pk=archive_id).update(status=SessionArchive.Status.FAILED, finished_at=timezone.now(),
                                                           error=f"{type(exc).__name__}: {exc}"[:300])
        raise
    archive.status, archive.suggestion_count, archive.finished_at = SessionArchive.Status.DONE, count, timezone.now()
    archive.save(update_fields=["file", "status", "suggestion_count", "finished_at"])
    return archive
