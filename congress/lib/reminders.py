"""The deadline reminder rule, once for every periodic scan that reminds somebody of a due date (proposals/reminders.py
for the units' replies, supervision/services/reminders.py for the organs' rectification items).

Before the due date: the tightest offset of CONGRESS_RULES["REMINDER_DAYS_BEFORE"] (default 15, 7, 3 and 0 days) that
has been reached, so a scan that missed a few days sends only the one that applies now; once the date has passed, one
reminder per overdue period (`overdue_every_days`, each scan's own setting). The scans claim each threshold once with
congress.services.reminder_claim under a key that holds the item, the due date and `Threshold.key`: a new due date
starts its own series."""
import datetime
from dataclasses import dataclass

from django.conf import settings


@dataclass(frozen=True)
class Threshold:
    key: str    # "15", "7", "3", "0" (days before the due date) or "overdue-<n>" (the n-th overdue period)
    text: str   # how the reminder says it: 还有7天到期, 今天到期, 已逾期3天
    days_left: int

    @property
    def overdue(self) -> bool:
        return self.days_left < 0


def deadline_threshold(due: datetime.date, today: datetime.date, *, overdue_every_days: int) -> Threshold | None:
    """The reminder a deadline calls for on `today` (sent before or not), or None when none is due yet."""
    left = (due - today).days
    if left < 0:
        period = (-left - 1) // max(overdue_every_days, 1) + 1
        return Threshold(f"overdue-{period}", f"已逾期{-left}天", left)
    reached = [d for d in settings.CONGRESS_RULES["REMINDER_DAYS_BEFORE"] if left <= d]
    if not reached:
        return None
    return Threshold(str(min(reached)), "今天到期" if left == 0 else f"还有{left}天到期", left)
