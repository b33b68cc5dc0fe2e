"""专项工作报告和审议意见: each service's right path, wrong state and wrong person; the dates before the meeting from
its settings; the opinion's report due months after it is sent; a 不满意 poll asks for a re-report, a second one
escalates; the reminders, each once."""
import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from congress.models import Meeting, Notification, StateChange
from congress.services import CongressError
from supervision import services
from supervision.models import ReportSubmission, ReviewOpinion, SatisfactionPoll, WorkReport

pytestmark = pytest.mark.django_db
WS, OS, C = WorkReport.Status, ReviewOpinion.Status, SatisfactionPoll.Choice
TODAY = datetime.date.today()


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def pdf(name="报告.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n",
                              content_type="application/pdf")


def future_meeting(term, days=30, number=41) -> Meeting:
    return Meeting.objects.create(term=term, kind=Meeting.Kind.STANDING, number=number,
                                  date=TODAY + datetime.timedelta(days=days))


def planned(staff, unit_org, working_body, meeting=None) -> WorkReport:
    return services.work_report_create(actor=staff, year=TODAY.year, topic="城市更新工作情况", organization=unit_org,
                                       working_body=working_body, meeting=meeting)


def deliberated(staff, unit_user, unit_org, working_body, term) -> WorkReport:
    """A report heard at a meeting held today."""
    meeting = Meeting.objects.create(term=term, kind=Meeting.Kind.STANDING, number=39, date=TODAY)
    report = planned(staff, unit_org, working_body, meeting)
    services.work_report_submit(actor=unit_user, report=report, file=pdf())
    services.work_report_submit(actor=unit_user, report=report, file=pdf())
    return services.work_report_deliberate(actor=staff, report=report, deliberation="组成人员认为旧改进度偏慢")


def sent_opinion(staff, unit_user, unit_org, working_body, term) -> ReviewOpinion:
    report = deliberated(staff, unit_user, unit_org, working_body, term)
    return services.review_opinion_send(actor=staff, report=report, text="一、加快老旧小区改造进度。")


def actions(obj, workflow):
    return list(StateChange.objects.filter(workflow=workflow, object_id=obj.pk).order_by("at", "id")
                .values_list("action", flat=True))


class TestThePlanAndTheMeeting:
    def test_the_dates_before_the_meeting_come_from_the_settings(self, staff, unit_org, working_body, term, settings):
        meeting = future_meeting(term, days=40)
        report = planned(staff, unit_org, working_body, meeting)
        day = meeting.date
        assert report.timeline_dates() == {"draft": day - datetime.timedelta(days=20),
                                           "revised": day - datetime.timedelta(days=10),
                                           "copies": day - datetime.timedelta(days=7)}
        settings.CONGRESS_RULES = {**settings.CONGRESS_RULES, "WORK_REPORT_DRAFT_DAYS": 30}
        assert report.timeline_dates()["draft"] == day - datetime.timedelta(days=30)

    def test_only_staff_plan_and_the_organ_is_told(self, staff, unit_user, unit_org, working_body):
        with pytest.raises(CongressError, match="只有常委会机关工作人员"):
            planned(unit_user, unit_org, working_body)
        report = planned(staff, unit_org, working_body)
        assert report.status == WS.PLANNED and report.timeline_dates() is None
        assert Notification.objects.filter(recipient=unit_user, kind="work_report_planned").exists()
        assert actions(report, "work_report") == ["create"]

    def test_a_meeting_already_held_or_of_the_council_is_refused(self, staff, unit_org, working_body, term):
        report = planned(staff, unit_org, working_body)
        held = Meeting.objects.create(term=term, kind=Meeting.Kind.STANDING, number=3,
                                      date=TODAY - datetime.timedelta(days=1))
        council = Meeting.objects.create(term=term, kind=Meeting.Kind.COUNCIL, number=3, date=TODAY)
        for meeting, message in ((held, "已于"), (council, "常委会会议")):
            with pytest.raises(CongressError, match=message):
                services.work_report_schedule(actor=staff, report=report, meeting=meeting)
        report.refresh_from_db()
        assert report.meeting_id is None

    def test_staff_schedule_the_organ_may_not(self, staff, unit_user, unit_org, working_body, term):
        report = planned(staff, unit_org, working_body)
        meeting = future_meeting(term)
        with pytest.raises(CongressError):
            services.work_report_schedule(actor=unit_user, report=report, meeting=meeting)
        report = services.work_report_schedule(actor=staff, report=report, meeting=meeting)
        assert report.meeting == meeting and actions(report, "work_report") == ["create", "schedule"]


class TestTheOrgansReports:
    def test_draft_then_revised_each_a_pdf_row(self, staff, unit_user, unit_org, working_body, term):
        report = planned(staff, unit_org, working_body, future_meeting(term))
        services.work_report_submit(actor=unit_user, report=report, file=pdf(), note="初稿")
        services.work_report_submit(actor=unit_user, report=report, file=pdf())
        report.refresh_from_db()
        assert report.status == WS.REVISED
        assert list(report.submissions.values_list("kind", flat=True)) == ["draft", "revised"]
        assert Notification.objects.filter(recipient=staff, kind="work_report_submitted").count() == 2
        with pytest.raises(CongressError, match="已报送修改稿"):
            services.work_report_submit(actor=unit_user, report=report, file=pdf())

    def test_another_organ_or_staff_may_not_submit(self, staff, unit_org, working_body, term, other_unit_user):
        report = planned(staff, unit_org, working_body, future_meeting(term))
        for actor in (other_unit_user, staff):
            with pytest.raises(CongressError, match="只有报告机关"):
                services.work_report_submit(actor=actor, report=report, file=pdf())
        assert not ReportSubmission.objects.exists()

    def test_a_file_that_is_not_a_pdf_is_refused(self, staff, unit_user, unit_org, working_body, term):
        report = planned(staff, unit_org, working_body, future_meeting(term))
        with pytest.raises(CongressError):
            services.work_report_submit(actor=unit_user, report=report,
                                        file=SimpleUploadedFile("报告.pdf", b"GIF89a not a pdf"))
        report.refresh_from_db()
        assert report.status == WS.PLANNED and not ReportSubmission.objects.exists()


class TestTheMeeting:
    def test_deliberation_waits_for_the_meeting(self, staff, unit_user, unit_org, working_body, term):
        report = planned(staff, unit_org, working_body, future_meeting(term, days=5))
        services.work_report_submit(actor=unit_user, report=report, file=pdf())
        services.work_report_submit(actor=unit_user, report=report, file=pdf())
        with pytest.raises(CongressError, match="会后才能记录"):
            services.work_report_deliberate(actor=staff, report=report, deliberation="意见")
        services.work_report_distribute(actor=staff, report=report)
        with pytest.raises(CongressError, match="已印发"):
            services.work_report_distribute(actor=staff, report=report)
        report.refresh_from_db()
        assert report.status == WS.REVISED and report.copies_sent_at is not None

    def test_cancel_before_the_meeting_not_after(self, staff, unit_user, unit_org, working_body, term):
        report = planned(staff, unit_org, working_body)
        with pytest.raises(CongressError, match="理由"):
            services.work_report_cancel(actor=staff, report=report, reason=" ")
        with pytest.raises(CongressError):
            services.work_report_cancel(actor=unit_user, report=report, reason="调整")
        assert services.work_report_cancel(actor=staff, report=report, reason="并入下年度计划").status == WS.CANCELLED
        heard = deliberated(staff, unit_user, unit_org, working_body, term)
        with pytest.raises(CongressError, match="不能调整出计划"):
            services.work_report_cancel(actor=staff, report=heard, reason="调整")


class TestTheReviewOpinion:
    def test_sent_to_the_organ_due_in_three_months(self, staff, unit_user, unit_org, working_body, term):
        opinion = sent_opinion(staff, unit_user, unit_org, working_body, term)
        opinion.refresh_from_db()
        assert opinion.status == OS.SENT and opinion.work_report.status == WS.OPINION_SENT
        nominal = TODAY.replace(day=1)
        month = nominal.month + 3
        nominal = nominal.replace(year=nominal.year + (month - 1) // 12, month=(month - 1) % 12 + 1)
        assert nominal <= opinion.due_date <= nominal + datetime.timedelta(days=45)
        assert "3个月" in opinion.due_explanation
        assert Notification.objects.filter(recipient=unit_user, kind="review_opinion_sent").exists()

    def test_the_months_are_a_setting(self, staff, unit_user, unit_org, working_body, term, settings):
        settings.CONGRESS_RULES = {**settings.CONGRESS_RULES, "REVIEW_OPINION_REPORT_MONTHS": 1}
        opinion = sent_opinion(staff, unit_user, unit_org, working_body, term)
        assert "1个月" in opinion.due_explanation

    def test_only_after_deliberation_and_only_staff(self, staff, unit_user, unit_org, working_body, term):
        report = planned(staff, unit_org, working_body, future_meeting(term))
        with pytest.raises(CongressError, match="须为"):
            services.review_opinion_send(actor=staff, report=report, text="意见")
        heard = deliberated(staff, unit_user, unit_org, working_body, term)
        with pytest.raises(CongressError):
            services.review_opinion_send(actor=unit_user, report=heard, text="意见")
        assert not ReviewOpinion.objects.exists()

    def test_the_organ_reports_staff_may_not_another_organ_may_not(self, staff, unit_user, unit_org, working_body,
                                                                     term, other_unit_user):
        opinion = sent_opinion(staff, unit_user, unit_org, working_body, term)
        for actor in (staff, other_unit_user):
            with pytest.raises(CongressError, match="只有报告机关"):
                services.review_opinion_report(actor=actor, opinion=opinion, file=pdf())
        services.review_opinion_report(actor=unit_user, opinion=opinion, file=pdf(), note="已制定整改方案")
        opinion.refresh_from_db()
        assert opinion.status == OS.REPORTED
        with pytest.raises(CongressError, match="已报告研究处理情况"):
            services.review_opinion_report(actor=unit_user, opinion=opinion, file=pdf())
        assert ReportSubmission.objects.filter(kind="handling").count() == 1

    def test_closed_without_a_poll(self, staff, unit_user, unit_org, working_body, term):
        opinion = sent_opinion(staff, unit_user, unit_org, working_body, term)
        with pytest.raises(CongressError, match="须为"):
            services.review_opinion_close(actor=staff, opinion=opinion)
        services.review_opinion_report(actor=unit_user, opinion=opinion, file=pdf())
        with pytest.raises(CongressError):
            services.review_opinion_close(actor=unit_user, opinion=opinion)
        opinion = services.review_opinion_close(actor=staff, opinion=opinion, note="办理到位")
        assert opinion.status == OS.CLOSED and opinion.closed_at is not None

    def test_a_rectification_item_from_the_opinion(self, staff, unit_user, unit_org, working_body, term):
        opinion = sent_opinion(staff, unit_user, unit_org, working_body, term)
        item = services.review_opinion_rectify(actor=staff, opinion=opinion, title="加装电梯进度滞后",
                                               due_date=TODAY + datetime.timedelta(days=90))
        assert (item.source_workflow, item.source_id, item.organization) == ("review_opinion", opinion.pk, unit_org)
        with pytest.raises(CongressError):
            services.review_opinion_rectify(actor=unit_user, opinion=opinion, title="x",
                                            due_date=TODAY + datetime.timedelta(days=90))


def poll_and_close(staff, opinion, term, members, marks):
    poll = services.review_opinion_poll(actor=staff, opinion=opinion, term=term)
    poll = services.poll_open(actor=staff, poll=poll)
    for deputy, mark in zip(members, marks, strict=False):
        services.poll_vote(actor=deputy.user, poll=poll, choice=mark)
    return services.poll_close(actor=staff, poll=poll)


class TestThePoll:
    def test_unsatisfied_asks_for_a_rereport_then_satisfied_closes(self, staff, unit_user, unit_org, working_body,
                                                                    term, members):
        opinion = sent_opinion(staff, unit_user, unit_org, working_body, term)
        services.review_opinion_report(actor=unit_user, opinion=opinion, file=pdf())
        with pytest.raises(CongressError):
            services.review_opinion_poll(actor=unit_user, opinion=opinion, term=term)
        poll = services.review_opinion_poll(actor=staff, opinion=opinion, term=term)
        assert (poll.source_workflow, poll.source_id, poll.organization) == ("review_opinion", opinion.pk, unit_org)
        opinion.refresh_from_db()
        assert opinion.status == OS.POLLING
        with pytest.raises(CongressError, match="尚未结束"):
            services.review_opinion_close(actor=staff, opinion=opinion)
        poll = services.poll_open(actor=staff, poll=poll)
        for deputy in members[:6]:
            services.poll_vote(actor=deputy.user, poll=poll, choice=C.UNSATISFIED)
        services.poll_close(actor=staff, poll=poll)
        opinion.refresh_from_db()
        assert opinion.status == OS.REREPORT_DUE and opinion.rereport_requested_on == TODAY
        assert opinion.current_due_date == opinion.rereport_due_date and "2个月" in opinion.rereport_explanation
        assert Notification.objects.filter(recipient=unit_user, kind="review_opinion_rereport").exists()
        services.review_opinion_report(actor=unit_user, opinion=opinion, file=pdf())
        opinion.refresh_from_db()
        assert opinion.status == OS.REREPORTED
        assert list(ReportSubmission.objects.values_list("kind", flat=True).order_by("id"))[-2:] == ["handling",
                                                                                                     "rereport"]
        poll_and_close(staff, opinion, term, members, [C.SATISFIED] * 8)
        opinion.refresh_from_db()
        assert opinion.status == OS.POLLING
        opinion = services.review_opinion_close(actor=staff, opinion=opinion)
        assert opinion.status == OS.CLOSED
        assert actions(opinion, "review_opinion") == ["create", "report", "poll", "require_rereport", "rereport",
                                                      "poll", "close"]

    def test_unsatisfied_twice_escalates(self, staff, unit_user, unit_org, working_body, term, members):
        opinion = sent_opinion(staff, unit_user, unit_org, working_body, term)
        services.review_opinion_report(actor=unit_user, opinion=opinion, file=pdf())
        poll_and_close(staff, opinion, term, members, [C.UNSATISFIED] * 8)
        opinion.refresh_from_db()
        services.review_opinion_report(actor=unit_user, opinion=opinion, file=pdf())
        poll_and_close(staff, opinion, term, members, [C.UNSATISFIED] * 8)
        opinion.refresh_from_db()
        assert opinion.status == OS.ESCALATED
        assert Notification.objects.filter(recipient=staff, kind="review_opinion_escalated").exists()
        with pytest.raises(CongressError):
            services.review_opinion_close(actor=staff, opinion=opinion)

    def test_a_poll_of_another_source_leaves_the_opinion_alone(self, staff, unit_user, unit_org, working_body, term,
                                                               members):
        opinion = sent_opinion(staff, unit_user, unit_org, working_body, term)
        services.review_opinion_report(actor=unit_user, opinion=opinion, file=pdf())
        poll = services.poll_create(actor=staff, term=term, title="其他测评")
        poll = services.poll_open(actor=staff, poll=poll)
        for deputy in members[:8]:
            services.poll_vote(actor=deputy.user, poll=poll, choice=C.UNSATISFIED)
        services.poll_close(actor=staff, poll=poll)
        opinion.refresh_from_db()
        assert opinion.status == OS.REPORTED


class TestReminders:
    def test_each_date_reminded_once_at_its_thresholds_and_when_overdue(self, staff, unit_user, unit_org,
                                                                         working_body, term):
        meeting = future_meeting(term, days=40)
        report = planned(staff, unit_org, working_body, meeting)
        draft_day = meeting.date - datetime.timedelta(days=20)
        assert services.work_report_reminders_send(today=draft_day - datetime.timedelta(days=16)) == []
        first = services.work_report_reminders_send(today=draft_day - datetime.timedelta(days=15))
        assert first == [f"work_report:{report.pk}:draft:{draft_day:%Y%m%d}:15"]
        assert services.work_report_reminders_send(today=draft_day - datetime.timedelta(days=15)) == []
        assert Notification.objects.filter(recipient=unit_user, kind="work_report_reminder").count() == 1
        # a missed scan still sends the threshold reached; the revised report's date is reminded on its own
        keys = services.work_report_reminders_send(today=draft_day - datetime.timedelta(days=5))
        assert f"work_report:{report.pk}:draft:{draft_day:%Y%m%d}:7" in keys
        overdue = services.work_report_reminders_send(today=draft_day + datetime.timedelta(days=1))
        assert f"work_report:{report.pk}:draft:{draft_day:%Y%m%d}:overdue" in overdue
        assert services.work_report_reminders_send(today=draft_day + datetime.timedelta(days=2)) == []

    def test_copies_remind_the_working_body_and_opinions_the_organ(self, staff, unit_user, unit_org, working_body,
                                                                    term):
        meeting = future_meeting(term, days=9)
        report = planned(staff, unit_org, working_body, meeting)
        services.work_report_submit(actor=unit_user, report=report, file=pdf())
        services.work_report_submit(actor=unit_user, report=report, file=pdf())
        keys = services.work_report_reminders_send(today=TODAY)
        assert keys == [f"work_report:{report.pk}:copies:{meeting.date - datetime.timedelta(days=7):%Y%m%d}:3"]
        assert Notification.objects.filter(recipient=staff, kind="work_report_reminder").exists()
        opinion = sent_opinion(staff, unit_user, unit_org, working_body, term)
        keys = services.work_report_reminders_send(today=opinion.due_date)
        assert f"review_opinion:{opinion.pk}:sent:{opinion.due_date:%Y%m%d}:0" in keys


class TestHolidaySchedule:
    def test_entering_a_years_holidays_recounts_the_report_owed(self, staff, unit_user, unit_org, working_body, term):
        from congress.lib import workdays
        from congress.models import CalendarDay

        assert services.review_opinion_deadlines_recompute in workdays.schedule_hooks
        opinion = sent_opinion(staff, unit_user, unit_org, working_body, term)
        old = opinion.due_date
        CalendarDay.objects.create(date=old, kind=CalendarDay.Kind.HOLIDAY, name="测试假日")
        assert services.review_opinion_deadlines_recompute(staff, old.year) == 1
        opinion.refresh_from_db()
        assert opinion.due_date > old and "测试假日" in opinion.due_explanation
        assert actions(opinion, "review_opinion")[-1] == "recompute_deadline"
        assert services.review_opinion_deadlines_recompute(staff, old.year - 1) == 0
