"""Reminders of rectification items' due dates and of livelihood projects' quarterly progress reports to their
organs: periodic, idempotent scans like the suggestions'
(proposals/reminders.py), on the same rule (congress.lib.reminders.deadline_threshold: the offsets of
CONGRESS_RULES["REMINDER_DAYS_BEFORE"] before the due date, then every RECTIFICATION_OVERDUE_REMINDER_EVERY_DAYS once
overdue) and the same claim-once rule: each reminder is claimed with congress.services.reminder_claim_many under the key
``rectification:<id>:<due date>:<threshold>``, so two scans at the same time send it once, and a scan with nothing new
sends nothing in a fixed number of queries (a changed due date starts its own series).

Only items the organ is still working on (整改中) are reminded: one reported done waits for staff's acceptance. An organ
with no active 承办单位 account keeps its reminder unclaimed until it has one; meanwhile the admin index counts it under
单位无账号 (supervision.selectors.units_with_open_rectifications)."""
import datetime
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction

from congress.lib.reminders import deadline_threshold
from congress.models import User
from congress.services import notification_send_many, reminder_claim_many
from supervision.models import LivelihoodReport, LivelihoodRound, Rectification


@dataclass(frozen=True)
class RectificationReminder:
    rectification: Rectification
    threshold: str
    text: str

    @property
    def key(self) -> str:
        return f"rectification:{self.rectification.pk}:{self.rectification.due_date:%Y%m%d}:{self.threshold}"


def rectification_reminder_due(item: Rectification, today: datetime.date) -> RectificationReminder | None:
    """The reminder this item should get today (claimed or not), or None."""
    found = deadline_threshold(item.due_date, today, overdue_every_days=settings.CONGRESS_RULES[
        "RECTIFICATION_OVERDUE_REMINDER_EVERY_DAYS"])
    if found is None:
        return None
    urge = "，请抓紧整改" if found.overdue else ""
    text = f"整改事项《{item.title}》{found.text}（整改期限 {item.due_date:%Y-%m-%d}）{urge}"
    return RectificationReminder(item, found.key, text)


def _unit_users(org_ids) -> dict[int, list[User]]:
    from congress.selectors import unit_accounts

    return unit_accounts(org_ids)


@transaction.atomic
def rectification_reminders_scan(*, today: datetime.date) -> list[RectificationReminder]:
    """Send today's reminders not sent before; returns those this call sent. Claims and notifications commit together,
    so a scan that fails sends nothing and a later scan retries."""
    horizon = today + datetime.timedelta(days=max(settings.CONGRESS_RULES["REMINDER_DAYS_BEFORE"], default=0))
    items = Rectification.objects.filter(status=Rectification.Status.OPEN, due_date__lte=horizon).order_by("id")
    due_today = [r for r in (rectification_reminder_due(item, today) for item in items) if r is not None]
    units = _unit_users({r.rectification.organization_id for r in due_today})
    waiting = [r for r in due_today if units.get(r.rectification.organization_id)]
    claimed = reminder_claim_many(r.key for r in waiting)
    sent = [r for r in waiting if r.key in claimed]
    notification_send_many({"recipients": units[r.rectification.organization_id], "kind": "rectification_reminder",
                            "title": r.text, "link": ("supervision_unit:rectification", r.rectification.pk)} for r in sent)
    return sent


# -- 民生实事项目: the owner organ's quarterly progress reports --------------------------------------------------------

@dataclass(frozen=True)
class LivelihoodReportReminder:
    report: LivelihoodReport
    threshold: str
    text: str

    @property
    def key(self) -> str:
        return f"livelihood_report:{self.report.pk}:{self.report.due_date:%Y%m%d}:{self.threshold}"


def livelihood_report_reminder_due(report: LivelihoodReport, today: datetime.date) -> LivelihoodReportReminder | None:
    """The reminder this report's owner organ should get today (claimed or not), or None: REMINDER_DAYS_BEFORE the due
    date (0: on the day), then every LIVELIHOOD_REPORT_OVERDUE_REMINDER_EVERY_DAYS once overdue."""
    found = deadline_threshold(report.due_date, today, overdue_every_days=settings.CONGRESS_RULES[
        "LIVELIHOOD_REPORT_OVERDUE_REMINDER_EVERY_DAYS"])
    if found is None:
        return None
    urge = "，请尽快报送" if found.overdue else ""
    text = (f"民生实事项目《{report.project.title}》{report.year}年第{report.quarter}季度进展报告{found.text}"
            f"（报送期限 {report.due_date:%Y-%m-%d}）{urge}")
    return LivelihoodReportReminder(report, found.key, text)


@transaction.atomic
def livelihood_report_reminders_scan(*, today: datetime.date) -> list[LivelihoodReportReminder]:
    """Send today's reminders of quarterly progress reports owed by projects under way (the same reports the leaders'
    overdue list counts once late), each once under ``livelihood_report:<id>:<due date>:<threshold>``; a fixed number
    of queries whatever the number of projects. An organ without an active account keeps its reminder unclaimed."""
    horizon = today + datetime.timedelta(days=max(settings.CONGRESS_RULES["REMINDER_DAYS_BEFORE"], default=0))
    owed = (LivelihoodReport.objects.filter(submitted_at__isnull=True, due_date__lte=horizon,
                                            project__round__status=LivelihoodRound.Status.IMPLEMENTING,
                                            project__organization__isnull=False)
            .select_related("project").order_by("id"))
    due_today = [r for r in (livelihood_report_reminder_due(report, today) for report in owed) if r is not None]
    units = _unit_users({r.report.project.organization_id for r in due_today})
    waiting = [r for r in due_today if units.get(r.report.project.organization_id)]
    claimed = reminder_claim_many(r.key for r in waiting)
    sent = [r for r in waiting if r.key in claimed]
    notification_send_many({"recipients": units[r.report.project.organization_id], "kind": "livelihood_report_reminder",
                            "title": r.text, "link": ("supervision_livelihood_unit:project", r.report.project_id)}
                           for r in sent)
    return sent
