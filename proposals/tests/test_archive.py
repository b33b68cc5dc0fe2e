"""A congress session's suggestion archive: one PDF with a bookmark per suggestion, its units, replies and ratings;
asked for by staff, built by the worker once however often the task is delivered, a failure kept with its error."""
import pytest
from django.test import Client
from django.urls import reverse

from conftest import login_verified
from congress.services import CongressError
from proposals import services
from proposals.models import SessionArchive
from tests.pdfs import read_pdf

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.CELERY_TASK_ALWAYS_EAGER = True


def _client(user):
    client = Client()
    login_verified(client, user)
    return client


def test_staff_ask_and_the_worker_builds_the_archive_with_bookmarks(
        flow, staff, session, unit_org, unit_user, deputy_user, django_capture_on_commit_callbacks):
    s1, assignment, reply = flow.replied(unit_org, unit_user, title="关于加快老旧小区加装电梯的建议")
    services.evaluation_submit(actor=deputy_user, reply=reply, rating="satisfied", comment="办理认真")
    s2, _ = flow.assigned(unit_org, title="关于增设社区养老服务站的建议")
    flow.draft(title="还在草稿里的建议")
    with django_capture_on_commit_callbacks(execute=True):
        archive = services.session_archive_request(actor=staff, session=session)
    archive.refresh_from_db()
    assert archive.status == SessionArchive.Status.DONE and archive.suggestion_count == 2 and archive.finished_at
    with archive.file.open("rb") as handle:
        document = read_pdf(handle.read())
    assert document.bookmarks[0] == f"{session}代表建议办理档案"
    assert f"{s1.number} 关于加快老旧小区加装电梯的建议" in document.bookmarks
    assert f"{s2.number} 关于增设社区养老服务站的建议" in document.bookmarks
    for part in ("区住房和城乡建设局", "A类", "评价：周代表满意", "办理认真", "尚未答复"):
        assert part in document.text, part
    assert "还在草稿里的建议" not in document.text


def test_a_second_delivery_builds_nothing_and_a_failure_is_kept(staff, session, monkeypatch):
    archive = SessionArchive.objects.create(session=session, requested_by=staff)
    assert services.session_archive_build(archive.pk).status == SessionArchive.Status.DONE
    assert services.session_archive_build(archive.pk) is None
    broken = SessionArchive.objects.create(session=session, requested_by=staff)

    def fail(*args, **kwargs):
        raise OSError("磁盘已满")

    monkeypatch.setattr("proposals.services.archive.render_pdf", fail)
    with pytest.raises(OSError):
        services.session_archive_build(broken.pk)
    broken.refresh_from_db()
    assert broken.status == SessionArchive.Status.FAILED and "磁盘已满" in broken.error


def test_only_staff_ask(leader, unit_user, session):
    for actor in (leader, unit_user):
        with pytest.raises(CongressError, match="只有常委会机关工作人员"):
            services.session_archive_request(actor=actor, session=session)
    assert not SessionArchive.objects.exists()


def test_the_admin_asks_and_the_file_is_for_staff_and_leaders(staff, leader, unit_user, deputy_user, session,
                                                              django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = _client(staff).post(reverse("admin:proposals_sessionarchive_add"), {"session": session.pk})
    assert response.status_code == 302
    archive = SessionArchive.objects.get()
    assert archive.status == SessionArchive.Status.DONE and archive.requested_by == staff
    url = reverse("proposals:session_archive_file", args=[archive.pk])
    assert url in _client(staff).get(reverse("admin:proposals_sessionarchive_changelist")).content.decode()
    for user in (staff, leader):
        assert _client(user).get(url).status_code == 200
    for user in (unit_user, deputy_user):
        assert _client(user).get(url).status_code == 403
    assert _client(leader).post(reverse("admin:proposals_sessionarchive_add"), {"session": session.pk}).status_code == 403
