"""Special work reports through the pages people use: staff plan, schedule, record and send the opinion in the admin;
the organ sends its draft, revised report and handling report in the unit workspace; staff poll and close; files
only for who may see them; each list's query count stays the same as it grows."""
import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from conftest import client_for
from congress.models import Meeting
from supervision import services
from supervision.models import ReportSubmission, ReviewOpinion, SatisfactionPoll, WorkReport
from supervision.tests.test_reports import pdf

pytestmark = pytest.mark.django_db
WS, OS = WorkReport.Status, ReviewOpinion.Status
TODAY = datetime.date.today()


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def page(name, obj):
    return reverse(f"admin:supervision_workreport_{name}", args=[obj.pk])


def opinion_page(name, obj):
    return reverse(f"admin:supervision_reviewopinion_{name}", args=[obj.pk])


class TestTheWholeCourseThroughThePages:
    def test_plan_schedule_reports_opinion_handling_report_poll(self, staff, unit_user, unit_org, working_body, term,
                                                                members):
        admin = client_for(staff)
        response = admin.post(reverse("admin:supervision_workreport_add"), {
            "year": TODAY.year, "topic": "城市更新工作情况", "organization": unit_org.pk, "working_body": working_body.pk})
        assert response.status_code == 302
        report = WorkReport.objects.get()
        meeting = Meeting.objects.create(term=term, kind=Meeting.Kind.STANDING, number=42, date=TODAY)
        change = admin.get(reverse("admin:supervision_workreport_change", args=[report.pk])).content.decode()
        assert f'href="{page("schedule", report)}" data-transition="schedule"' in change and "会议待定" in change
        assert admin.post(page("schedule", report), {"meeting": meeting.pk}).status_code == 302
        change = admin.get(reverse("admin:supervision_workreport_change", args=[report.pk])).content.decode()
        assert f"初稿送工作机构 {meeting.date - datetime.timedelta(days=20):%Y-%m-%d} 前" in change

        unit = client_for(unit_user)
        inbox = unit.get(reverse("unit:inbox")).content.decode()
        assert reverse("supervision_unit_reports:work_reports") in inbox
        listing = unit.get(reverse("supervision_unit_reports:work_reports")).content.decode()
        assert "城市更新工作情况" in listing
        detail_url = reverse("supervision_unit_reports:work_report", args=[report.pk])
        detail = unit.get(detail_url).content.decode()
        revised_by = meeting.date - datetime.timedelta(days=10)
        assert 'data-transition="submit_draft"' in detail and f"{revised_by:%Y年%-m月%-d日}前" in detail
        assert unit.post(detail_url, {"file": pdf(), "note": "初稿"}).status_code == 302
        assert 'data-transition="submit_revised"' in unit.get(detail_url).content.decode()
        refused = unit.post(detail_url, {"file": pdf("报告.docx")})
        assert refused.status_code == 200 and "只能是 PDF" in refused.content.decode()
        assert unit.post(detail_url, {"file": pdf()}).status_code == 302
        report.refresh_from_db()
        assert report.status == WS.REVISED and report.submissions.count() == 2
        # staff read the organ's file; another organ may not
        row = report.submissions.first()
        assert admin.get(reverse("supervision:report_submission_file", args=[row.pk])).status_code == 200

        assert admin.post(page("distribute", report), {}).status_code == 302
        assert admin.post(page("deliberate", report), {"deliberation": "组成人员认为旧改进度偏慢"}).status_code == 302
        assert admin.post(page("opinion", report), {"text": "一、加快老旧小区改造进度。", "letter": pdf("审议意见.pdf")}
                          ).status_code == 302
        opinion = ReviewOpinion.objects.get()
        assert opinion.status == OS.SENT and opinion.letter
        assert unit.get(reverse("supervision:review_opinion_letter", args=[opinion.pk])).status_code == 200

        opinion_url = reverse("supervision_unit_reports:review_opinion", args=[opinion.pk])
        shown = unit.get(opinion_url).content.decode()
        assert 'data-transition="report"' in shown and "加快老旧小区改造进度" in shown
        assert unit.post(opinion_url, {"file": pdf(), "note": "已制定方案"}).status_code == 302
        opinion.refresh_from_db()
        assert opinion.status == OS.REPORTED

        change = admin.get(reverse("admin:supervision_reviewopinion_change", args=[opinion.pk])).content.decode()
        assert 'data-transition="poll"' in change and 'data-transition="close"' in change
        assert admin.post(opinion_page("poll", opinion), {"term": term.pk, "basis": "all"}).status_code == 302
        poll = SatisfactionPoll.objects.get()
        assert poll.source_workflow == "review_opinion" and poll.source_id == opinion.pk
        change = admin.get(reverse("admin:supervision_reviewopinion_change", args=[opinion.pk])).content.decode()
        assert reverse("admin:supervision_satisfactionpoll_change", args=[poll.pk]) in change

    def test_a_wrong_state_page_shows_why_and_changes_nothing(self, staff, unit_org, working_body):
        report = services.work_report_create(actor=staff, year=TODAY.year, topic="议题", organization=unit_org,
                                             working_body=working_body)
        response = client_for(staff).post(page("deliberate", report), {"deliberation": "意见"})
        assert response.status_code in (200, 302)
        report.refresh_from_db()
        assert report.status == WS.PLANNED and report.deliberation == ""

    def test_another_organ_neither_sees_nor_submits_nor_reads_files(self, staff, unit_user, unit_org, working_body,
                                                                     term, other_unit_user):
        meeting = Meeting.objects.create(term=term, kind=Meeting.Kind.STANDING, number=43,
                                         date=TODAY + datetime.timedelta(days=30))
        report = services.work_report_create(actor=staff, year=TODAY.year, topic="议题", organization=unit_org,
                                             working_body=working_body, meeting=meeting)
        row = services.work_report_submit(actor=unit_user, report=report, file=pdf())
        other = client_for(other_unit_user)
        url = reverse("supervision_unit_reports:work_report", args=[report.pk])
        assert other.get(url).status_code == 404
        assert other.post(url, {"file": pdf()}).status_code == 404
        assert "议题" not in other.get(reverse("supervision_unit_reports:work_reports")).content.decode()
        assert other.get(reverse("supervision:report_submission_file", args=[row.pk])).status_code == 404
        assert ReportSubmission.objects.count() == 1


def _count(client, url) -> int:
    client.get(url)
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_the_lists_do_not_grow_with_their_rows(staff, unit_user, unit_org, working_body, term):
    made = []

    def add(n):
        for _ in range(n):
            made.append(1)
            number = 100 + len(made)
            held = Meeting.objects.create(term=term, kind=Meeting.Kind.STANDING, number=number, date=TODAY)
            report = services.work_report_create(actor=staff, year=TODAY.year, topic=f"议题{number}",
                                                 organization=unit_org, working_body=working_body, meeting=held)
            services.work_report_submit(actor=unit_user, report=report, file=pdf())
            services.work_report_submit(actor=unit_user, report=report, file=pdf())
            services.work_report_deliberate(actor=staff, report=report, deliberation="意见")
            services.review_opinion_send(actor=staff, report=report, text="意见")
            services.work_report_create(actor=staff, year=TODAY.year, topic=f"未安排{number}", organization=unit_org,
                                        working_body=working_body)

    pages = [(client_for(unit_user), reverse("supervision_unit_reports:work_reports")),
             (client_for(unit_user), reverse("supervision_unit_reports:work_reports") + "?all=1"),
             (client_for(staff), reverse("admin:supervision_workreport_changelist")),
             (client_for(staff), reverse("admin:supervision_reviewopinion_changelist"))]
    add(1)
    small = [_count(c, u) for c, u in pages]
    add(3)
    assert [_count(c, u) for c, u in pages] == small
    assert client_for(unit_user).get(pages[0][1]).content.decode().count("审议意见</a>") == 4


class TestTheMembersPortal:
    def test_members_see_the_meetings_reports_and_read_the_copies_once_sent(self, staff, unit_user, unit_org,
                                                                             working_body, term, members, deputy_user):
        meeting = Meeting.objects.create(term=term, kind=Meeting.Kind.STANDING, number=44,
                                         date=TODAY + datetime.timedelta(days=5))
        report = services.work_report_create(actor=staff, year=TODAY.year, topic="城市更新工作情况", organization=unit_org,
                                             working_body=working_body, meeting=meeting)
        services.work_report_submit(actor=unit_user, report=report, file=pdf())
        revised = services.work_report_submit(actor=unit_user, report=report, file=pdf())
        member = client_for(members[0].user)
        page_ = member.get(reverse("supervision:polls")).content.decode()
        assert "城市更新工作情况" in page_ and "报告尚未印发" in page_
        file_url = reverse("supervision:report_submission_file", args=[revised.pk])
        assert member.get(file_url).status_code == 404
        services.work_report_distribute(actor=staff, report=report)
        assert file_url in member.get(reverse("supervision:polls")).content.decode()
        assert member.get(file_url).status_code == 200
        # the draft stays the working body's; a deputy who is not a member reads nothing
        draft = report.submissions.get(kind="draft")
        assert member.get(reverse("supervision:report_submission_file", args=[draft.pk])).status_code == 404
        assert client_for(deputy_user).get(file_url).status_code == 404
        assert "城市更新工作情况" not in client_for(deputy_user).get(reverse("supervision:polls")).content.decode()


def test_the_members_list_does_not_grow_with_its_rows(staff, unit_user, unit_org, working_body, term, members):
    def add(n):
        for _ in range(n):
            number = 200 + ReviewOpinion.objects.count() + WorkReport.objects.count()
            meeting = Meeting.objects.create(term=term, kind=Meeting.Kind.STANDING, number=number,
                                             date=TODAY + datetime.timedelta(days=9))
            report = services.work_report_create(actor=staff, year=TODAY.year, topic=f"议题{number}",
                                                 organization=unit_org, working_body=working_body, meeting=meeting)
            services.work_report_submit(actor=unit_user, report=report, file=pdf())
            services.work_report_submit(actor=unit_user, report=report, file=pdf())
            services.work_report_distribute(actor=staff, report=report)

    client, url = client_for(members[0].user), reverse("supervision:polls")
    add(1)
    small = _count(client, url)
    add(3)
    assert _count(client, url) == small
    assert client.get(url).content.decode().count("阅读报告") == 4
