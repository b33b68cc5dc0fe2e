"""Quarterly progress reports of livelihood projects: their owner organs are reminded on the suggestions' rule (the
offsets before the due date, then every N days once overdue), each reminder claimed once, nothing for a report
submitted or a round no longer under way, and a scan's queries constant in its rows."""
import datetime

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from freezegun import freeze_time

from congress.models import Notification, ReminderClaim
from supervision import services
from supervision.models import LivelihoodReport
from supervision.services.reminders import livelihood_report_reminders_scan
from supervision.tests.livelihood_helpers import S, make_round, make_session

pytestmark = pytest.mark.django_db


@pytest.fixture
def under_way(staff, term, unit_org, members):
    """A round carried out by the committee: three chosen projects of unit_org, each owing its quarterly reports."""
    r = make_round(staff, term, unit_org, status=S.VOTING, session=make_session(term, 2))
    services.livelihood_enter_paper(actor=staff, round_=r, voters=members[:3], ballots=[[1, 2, 3]] * 3)
    return services.livelihood_implement(actor=staff, round_=services.livelihood_count(actor=staff, round_=r))


def first_report(round_) -> LivelihoodReport:
    return LivelihoodReport.objects.filter(project__round=round_).order_by("due_date", "project__number").first()


def only_this_one_owed(report):
    LivelihoodReport.objects.exclude(pk=report.pk).update(submitted_at=datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC))


def on(report, offset: int) -> datetime.date:
    return report.due_date + datetime.timedelta(days=offset)


def reminders(user) -> list[str]:
    return list(Notification.objects.filter(recipient=user, kind="livelihood_report_reminder").order_by("id")
                .values_list("title", flat=True))


def test_each_offset_before_the_due_date_once_then_every_week_overdue(under_way, unit_user):
    report = first_report(under_way)
    only_this_one_owed(report)
    sent_on = {}
    for offset in range(-20, 16):
        sent = livelihood_report_reminders_scan(today=on(report, offset))
        assert livelihood_report_reminders_scan(today=on(report, offset)) == []  # the same day again: nothing
        if sent:
            sent_on[offset] = [r.threshold for r in sent]
    assert sent_on == {-15: ["15"], -7: ["7"], -3: ["3"], 0: ["0"], 1: ["overdue-1"], 8: ["overdue-2"],
                       15: ["overdue-3"]}
    titles = reminders(unit_user)
    assert len(titles) == 7 and report.project.title in titles[0]
    assert f"{report.year}年第{report.quarter}季度进展报告" in titles[0] and "还有15天到期" in titles[0]
    assert "今天到期" in titles[3] and "已逾期1天" in titles[4] and "请尽快报送" in titles[4]
    link = Notification.objects.filter(recipient=unit_user, kind="livelihood_report_reminder").first().url
    assert link == f"/unit/livelihood/{report.project_id}/"
    assert ReminderClaim.objects.filter(key__startswith=f"livelihood_report:{report.pk}:").count() == 7


def test_the_overdue_period_is_a_setting(under_way, unit_user, settings):
    settings.CONGRESS_RULES = {**settings.CONGRESS_RULES, "LIVELIHOOD_REPORT_OVERDUE_REMINDER_EVERY_DAYS": 3}
    report = first_report(under_way)
    only_this_one_owed(report)
    sent = [r.threshold for d in range(1, 8) for r in livelihood_report_reminders_scan(today=on(report, d))]
    assert sent == ["overdue-1", "overdue-2", "overdue-3"]


def test_nothing_for_a_submitted_report_or_a_round_no_longer_under_way(under_way, staff, unit_user):
    report = first_report(under_way)
    only_this_one_owed(report)
    services.livelihood_report(actor=unit_user, report=report, progress=30, text="已完成选址和设计工作，正在招标。")
    assert livelihood_report_reminders_scan(today=on(report, 0)) == []
    LivelihoodReport.objects.filter(pk=report.pk).update(submitted_at=None)
    type(under_way).objects.filter(pk=under_way.pk).update(status=S.EVALUATED)
    assert livelihood_report_reminders_scan(today=on(report, 0)) == []
    assert reminders(unit_user) == []


def test_an_organ_without_an_account_keeps_its_reminder_until_it_has_one(under_way, unit_user):
    report = first_report(under_way)
    only_this_one_owed(report)
    type(unit_user).objects.filter(pk=unit_user.pk).update(is_active=False)
    assert livelihood_report_reminders_scan(today=on(report, 0)) == []
    type(unit_user).objects.filter(pk=unit_user.pk).update(is_active=True)
    assert [r.threshold for r in livelihood_report_reminders_scan(today=on(report, 0))] == ["0"]


def test_a_scan_costs_the_same_queries_for_few_reports_as_for_many(staff, term, unit_org, unit_user, members):
    def scan(day) -> tuple[int, int]:
        with CaptureQueriesContext(connection) as seen:
            sent = livelihood_report_reminders_scan(today=day)
        return len(seen), len(sent)

    rounds = []
    for number in (2, 3):
        r = make_round(staff, term, unit_org, status=S.VOTING, session=make_session(term, number))
        services.livelihood_enter_paper(actor=staff, round_=r, voters=members[:3], ballots=[[1, 2, 3]] * 3)
        rounds.append(services.livelihood_implement(actor=staff, round_=services.livelihood_count(actor=staff, round_=r)))
    reports = LivelihoodReport.objects.filter(project__round__in=rounds)
    day = datetime.date(2027, 6, 30)
    reports.update(submitted_at=datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC), due_date=day)
    reports.filter(pk=first_report(rounds[0]).pk).update(submitted_at=None)
    few = scan(day)
    later = day + datetime.timedelta(days=100)
    reports.update(submitted_at=None, due_date=later)  # every report of both rounds due that day
    many = scan(later)
    assert few[1] == 1 and many[1] == reports.count() > 3 and few[0] == many[0], (few, many)


def test_the_hourly_task_is_scheduled_and_sends_once(under_way, unit_user):
    from supervision.tasks import scan_livelihood_report_reminders

    assert any(e["task"] == "supervision.tasks.scan_livelihood_report_reminders"
               for e in settings.CELERY_BEAT_SCHEDULE.values())
    report = first_report(under_way)
    only_this_one_owed(report)
    with freeze_time(datetime.datetime.combine(report.due_date, datetime.time(10)) - datetime.timedelta(hours=8)):
        assert scan_livelihood_report_reminders() == 1
        assert scan_livelihood_report_reminders() == 0
