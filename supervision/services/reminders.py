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
from congress.services import notification_send_many, reminder_claim_many
from supervision.models import LivelihoodReport, LivelihoodRound, Rectification


@dataclass(frozen=True)
class OrganReminder:
    """Today's reminder to the organ that owes `item` by `due` (a rectification item, a quarterly progress report, a
    written reply …), claimed once under ``<prefix>:<id>:<due date>:<threshold>``."""

    item: object
    organization_id: int | None
    prefix: str
    due: datetime.date
    threshold: str
    text: str

    @property
    def key(self) -> str:
        return f"{self.prefix}:{self.item.pk}:{self.due:%Y%m%d}:{self.threshold}"


def reminder_horizon(today: datetime.date) -> datetime.date:
    """The latest due date that may get a reminder today (the largest of REMINDER_DAYS_BEFORE ahead)."""
    return today + datetime.timedelta(days=max(settings.CONGRESS_RULES["REMINDER_DAYS_BEFORE"], default=0))


def organ_reminder_due(item, *, organization_id, prefix: str, due: datetime.date, today: datetime.date,
                       overdue_every_days: int, text) -> OrganReminder | None:
    """The reminder `item` should get today (claimed or not), or None. `text(found)` words it from the threshold found
    (congress.lib.reminders.deadline_threshold: its text, and whether it is overdue)."""
    found = deadline_threshold(due, today, overdue_every_days=overdue_every_days)
    if found is None:
        return None
    return OrganReminder(item, organization_id, prefix, due, found.key, text(found))


def organ_reminders_send(due_today: list[OrganReminder], *, kind: str, link) -> list[OrganReminder]:
    """Claim and send the reminders not sent before to each organ's 承办单位 accounts (`link(item)`: the notice's page);
    returns those this call sent. An organ without an active account keeps its reminder unclaimed until it has one.
    A fixed number of queries, whatever the number of reminders."""
    from congress.selectors import unit_accounts

    units = unit_accounts({r.organization_id for r in due_today})
    waiting = [r for r in due_today if units.get(r.organization_id)]
    claimed = reminder_claim_many(r.key for r in waiting)
    sent = [r for r in waiting if r.key in claimed]
    notification_send_many({"recipients": units[r.organization_id], "kind": kind, "title": r.text, "link": link(r.item)}
                           for r in sent)
    return sent


def rectification_reminder_due(item: Rectification, today: datetime.date) -> OrganReminder | None:
    def text(found):
        urge = "，请抓紧整改" if found.overdue else ""
        return f"整改事项《{item.title}》{found.text}（整改期限 {item.due_date:%Y-%m-%d}）{urge}"

    return organ_reminder_due(item, organization_id=item.organization_id, prefix="rectification", due=item.due_date,
                              today=today, text=text,
                              overdue_every_days=settings.CONGRESS_RULES["RECTIFICATION_OVERDUE_REMINDER_EVERY_DAYS"])


@transaction.atomic
def rectification_reminders_scan(*, today: datetime.date) -> list[OrganReminder]:
    """Send today's reminders not sent before; returns those this call sent. Claims and notifications commit together,
    so a scan that fails sends nothing and a later scan retries."""
    items = Rectification.objects.filter(status=Rectification.Status.OPEN, due_date__lte=reminder_horizon(today)).order_by("id")
    due_today = [r for r in (rectification_reminder_due(item, today) for item in items) if r is not None]
    return organ_reminders_send(due_today, kind="rectification_reminder",
                                link=lambda item: ("supervision_unit:rectification", item.pk))


# -- 民生实事项目: the owner organ's quarterly progress reports --------------------------------------------------------

def livelihood_report_reminder_due(report: LivelihoodReport, today: datetime.date) -> OrganReminder | None:
    """The reminder this report's owner organ should get today (claimed or not), or None: REMINDER_DAYS_BEFORE the due
    date (0: on the day), then every LIVELIHOOD_REPORT_OVERDUE_REMINDER_EVERY_DAYS once overdue."""
    def text(found):
        urge = "，请尽快报送" if found.overdue else ""
        return (f"民生实事项目《{report.project.title}》{report.year}年第{report.quarter}季度进展报告{found.text}"
                f"（报送期限 {report.due_date:%Y-%m-%d}）{urge}")

    return organ_reminder_due(report, organization_id=report.project.organization_id, prefix="livelihood_report",
                              due=report.due_date, today=today, text=text,
                              overdue_every_days=settings.CONGRESS_RULES["LIVELIHOOD_REPORT_OVERDUE_REMINDER_EVERY_DAYS"])


@transaction.atomic
def livelihood_report_reminders_scan(*, today: datetime.date) -> list[OrganReminder]:
    """Send today's reminders of quarterly progress reports owed by projects under way (the same reports the leaders'
    overdue list counts once late), each once under ``livelihood_report:<id>:<due date>:<threshold>``; a fixed number
    of queries whatever the number of projects. An organ without an active account keeps its reminder unclaimed."""
    owed = (LivelihoodReport.objects.filter(submitted_at__isnull=True, due_date__lte=reminder_horizon(today),
                                            project__round__status=LivelihoodRound.Status.IMPLEMENTING,
                                            project__organization__isnull=False)
            .select_related("project").order_by("id"))
    due_today = [r for r in (livelihood_report_reminder_due(report, today) for report in owed) if r is not None]
    return organ_reminders_send(due_today, kind="livelihood_report_reminder",
                                link=lambda report: ("supervision_livelihood_unit:project", report.project_id))
