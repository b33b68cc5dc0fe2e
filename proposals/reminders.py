"""Deadline reminders for handling units (docs/architecture.md: reminders are a periodic, idempotent scan).

For each open assignment (Assignment.objects.open(): not yet answered nor sent back) the scan finds the reminder that is
due today: the tightest offset of CONGRESS_RULES["REMINDER_DAYS_BEFORE"] (default 15, 7, 3 and 0 days before the
current reply deadline) that has been reached, or, once the deadline has passed, one per overdue week
(PROPOSALS["OVERDUE_REMINDER_EVERY_DAYS"]). Each one is claimed with congress.services.reminder_claim_many under the key
``assignment:<id>:<deadline>:<threshold>`` — the deadline is in the key so an extension or a second deadline after
不满意 starts its own series — so it is sent once, even when two scans run at the same time.

Recipients: the unit's active 承办单位 accounts (a unit with none keeps its reminder unclaimed until it has one); once
overdue also the users of the suggestion's supervising working body (督办工作机构).
A person with more than PROPOSALS["DIGEST_THRESHOLD"] reminders from one scan gets a single digest notification
listing them instead of one notification per item.
"""
import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.db import transaction

from congress import roles
from congress.lib.reminders import deadline_threshold
from congress.models import User
from congress.services import notification_send, reminder_claim_many
from proposals.conf import proposals_setting
from proposals.models import Assignment


@dataclass(frozen=True)
class Reminder:
    assignment: Assignment
    due: datetime.date
    threshold: str   # "15", "7", "3", "0" (days before) or "overdue-<week>"
    text: str

    @property
    def key(self) -> str:
        return f"assignment:{self.assignment.pk}:{self.due:%Y%m%d}:{self.threshold}"

    @property
    def overdue(self) -> bool:
        return self.threshold.startswith("overdue")


def reminder_due(assignment: Assignment, today: datetime.date) -> Reminder | None:
    """The reminder this assignment should get today (claimed or not), or None."""
    due = assignment.current_due_date
    found = deadline_threshold(due, today, overdue_every_days=proposals_setting("OVERDUE_REMINDER_EVERY_DAYS"))
    if found is None:
        return None
    suggestion = assignment.suggestion
    label = f"{suggestion.number or ''}《{suggestion.title}》"
    what = "会办意见" if assignment.role == Assignment.Role.ASSISTING else (
        "再次答复" if assignment.status == Assignment.Status.REHANDLING else "答复")
    urge = "，请尽快办理" if found.overdue else ""
    return Reminder(assignment, due, found.key, f"建议{label}{what}{found.text}（期限 {due:%Y-%m-%d}）{urge}")


def _open_assignments(today: datetime.date):
    """Open assignments whose deadline is near enough for a reminder (or passed): a scan reads what may be due."""
    from django.conf import settings

    horizon = today + datetime.timedelta(days=max(settings.CONGRESS_RULES["REMINDER_DAYS_BEFORE"], default=0))
    return (Assignment.objects.open().with_current_due().filter(current_due__lte=horizon)
            .select_related("suggestion", "unit").order_by("id"))


def _users_by_org(org_ids, role: str | None = None) -> dict[int, list[User]]:
    qs = User.objects.filter(organization_id__in=list(org_ids), is_active=True)
    if role:
        qs = qs.filter(groups__name=role)
    found: dict[int, list[User]] = defaultdict(list)
    for user in qs.distinct().order_by("id"):
        found[user.organization_id].append(user)
    return found


@transaction.atomic
def deadline_reminders_scan(*, today: datetime.date) -> list[Reminder]:
    """Send today's reminders not sent before; returns those this call sent. Claims and notifications commit together,
    so a scan that fails sends nothing and a later scan retries."""
    due_today = [r for r in (reminder_due(a, today) for a in _open_assignments(today)) if r is not None]
    units = _users_by_org({r.assignment.unit_id for r in due_today}, roles.HANDLING_UNIT)
    # a unit with no active account could not read the reminder: leave it unclaimed, so it goes out once an account
    # exists; meanwhile staff see the unit under 单位无账号 on the admin index (congress.selectors.units_without_account)
    waiting = [r for r in due_today if units.get(r.assignment.unit_id)]
    claimed = reminder_claim_many(r.key for r in waiting)  # one read, one insert: no error for those sent before
    sent = [r for r in waiting if r.key in claimed]
    if not sent:
        return []
    bodies = _users_by_org({r.assignment.suggestion.supervising_body_id for r in sent if r.overdue
                            and r.assignment.suggestion.supervising_body_id})
    per_user: dict[int, list[Reminder]] = defaultdict(list)
    users: dict[int, User] = {}
    for r in sent:
        recipients = list(units.get(r.assignment.unit_id, []))
        if r.overdue and r.assignment.suggestion.supervising_body_id:
            recipients += bodies.get(r.assignment.suggestion.supervising_body_id, [])
        for user in recipients:
            users[user.pk] = user
            if r not in per_user[user.pk]:
                per_user[user.pk].append(r)
    threshold = proposals_setting("DIGEST_THRESHOLD")
    singles: dict[Reminder, list[User]] = defaultdict(list)
    for user_id, items in per_user.items():
        user = users[user_id]
        if len(items) > threshold:
            overdue = sum(1 for r in items if r.overdue)
            notification_send(recipients=[user], kind="assignment_reminder_digest",
                              title=f"今日办理提醒：{len(items)}件建议临近或超过期限（其中逾期{overdue}件）",
                              body="\n".join(r.text for r in items), link=("unit:inbox",) if user_id in _unit_ids(units) else ())
        else:
            for r in items:
                singles[r].append(user)
    for r, recipients in singles.items():
        unit_users = set(u.pk for u in units.get(r.assignment.unit_id, []))
        notification_send(recipients=[u for u in recipients if u.pk in unit_users], kind="assignment_reminder",
                          title=r.text, link=("unit:detail", r.assignment.pk))
        others = [u for u in recipients if u.pk not in unit_users]
        if others:
            notification_send(recipients=others, kind="assignment_overdue_copy", title=f"【抄送】{r.text}",
                              body=f"承办单位：{r.assignment.unit.name}")
    return sent


def _unit_ids(units: dict[int, list[User]]) -> set[int]:
    return {u.pk for users in units.values() for u in users}
