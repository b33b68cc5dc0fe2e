"""Deadlines counted the way Chinese law counts periods (民法典 Art. 201–203, docs/rules.md "How a period is counted").

- counting starts the day after the event;
- a period of months ends on the corresponding day of the last month, or on that month's last day when it has none
  (assigned 30 November → 28 February, the 29th in a leap year);
- a period of working days counts weekdays that are not holidays, plus adjusted working weekends (调休上班);
- a period whose last day is a rest day ends on the next working day.

The holiday calendar is data (congress.models.CalendarDay, edited by staff). Each computation reads the calendar
rows it may need in one query, and returns a `Deadline` whose `explanation` shows each step, e.g.
"交办日 2026-09-03，3个月，届满 2026-12-03（周四）".

A deadline that falls in a year whose official schedule is not entered yet (congress.models.HolidaySchedule) is
provisional: nobody knows yet whether that day is a holiday. Its `pending_year` names the year and its explanation
ends "（待定：尚未录入2027年节假日安排）"; `pending_note(day, known_years)` is the same words for any page that shows
a stored deadline, and entering the schedule recomputes the stored ones (congress.services.holiday_schedule_enter).
"""
import calendar
import datetime
from dataclasses import dataclass

WEEKDAYS = "一二三四五六日"


@dataclass(frozen=True)
class Deadline:
    date: datetime.date
    explanation: str
    pending_year: int | None = None

    def __str__(self):
        return f"{self.date:%Y-%m-%d}"


# Apps that store deadlines register here (from AppConfig.ready()) a callable (actor, year) -> number of items changed:
# entering a year's schedule calls each, in the same transaction, to recompute the deadlines that fell in that year.
schedule_hooks: list = []


def known_schedule_years() -> set[int]:
    from congress.models import HolidaySchedule

    return set(HolidaySchedule.objects.values_list("year", flat=True))


def pending_note(day: datetime.date | None, known_years) -> str:
    """"待定：尚未录入2027年节假日安排" for a deadline in a year whose schedule is not entered, else ""."""
    if day is None or day.year in known_years:
        return ""
    return f"待定：尚未录入{day.year}年节假日安排"


def _pending(day: datetime.date) -> int | None:
    """The year of `day` when its schedule is not entered (the days up to a deadline are all in its year or before)."""
    return None if day.year in known_schedule_years() else day.year


def _with_pending(deadline_date: datetime.date, text: str) -> "Deadline":
    year = _pending(deadline_date)
    if year is not None:
        text += f"（待定：尚未录入{year}年节假日安排）"
    return Deadline(deadline_date, text, year)


def _fmt(day: datetime.date) -> str:
    return f"{day:%Y-%m-%d}（周{WEEKDAYS[day.weekday()]}）"


class _Calendar:
    """The CalendarDay rows between two dates, loaded in one query."""

    def __init__(self, start: datetime.date, end: datetime.date):
        from congress.models import CalendarDay

        self.days = {d.date: d for d in CalendarDay.objects.filter(date__gte=start, date__lte=end).only(
            "date", "kind", "name")}

    def is_working_day(self, day: datetime.date) -> bool:
        row = self.days.get(day)
        if row is not None:
            return row.kind == "workday"
        return day.weekday() < 5

    def rest_reason(self, day: datetime.date) -> str:
        row = self.days.get(day)
        if row is not None and row.kind == "holiday":
            return f"{row.name}假期"
        return "周末"


def _month_end_clamped(start: datetime.date, months: int) -> datetime.date:
    index = start.month - 1 + months
    year, month = start.year + index // 12, index % 12 + 1
    day = min(start.day, calendar.monthrange(year, month)[1])
    return datetime.date(year, month, day)


def _roll_forward(cal: _Calendar, day: datetime.date) -> tuple[datetime.date, list[str]]:
    """The next working day on or after `day`, and the rest days passed over (as reasons)."""
    skipped = []
    while not cal.is_working_day(day):
        reason = cal.rest_reason(day)
        if reason not in skipped:
            skipped.append(reason)
        day += datetime.timedelta(days=1)
    return day, skipped


def add_months(start: datetime.date, months: int, *, event: str = "交办日") -> Deadline:
    """The last day of a period of `months` calendar months starting the day after `start`."""
    if months < 0:
        raise ValueError("months must not be negative")
    nominal = _month_end_clamped(start, months)
    cal = _Calendar(nominal, nominal + datetime.timedelta(days=40))
    due, skipped = _roll_forward(cal, nominal)
    text = f"{event} {start:%Y-%m-%d}，{months}个月，届满 {_fmt(nominal)}"
    if nominal.day != start.day:
        text += f"（{nominal.year}年{nominal.month}月无{start.day}日，以月末日为期间最后一日）"
    if due != nominal:
        text += f"，遇{'、'.join(skipped)}顺延至 {_fmt(due)}"
    return _with_pending(due, text)


def add_working_days(start: datetime.date, days: int, *, event: str = "收到日") -> Deadline:
    """The `days`-th working day after `start` (the day of the event itself is not counted)."""
    if days < 1:
        raise ValueError("days must be at least 1")
    # generous: the longest run of rest days in China (春节 with its weekends) is under ten days
    cal = _Calendar(start, start + datetime.timedelta(days=days * 2 + 30))
    day, counted, holidays, workdays = start, 0, [], []
    while counted < days:
        day += datetime.timedelta(days=1)
        row = cal.days.get(day)
        if cal.is_working_day(day):
            counted += 1
            if row is not None and row.kind == "workday":
                workdays.append(day)
        elif row is not None and row.kind == "holiday" and row.name not in holidays:
            holidays.append(row.name)
    text = f"{event} {start:%Y-%m-%d}，{days}个工作日（自次日起算"
    if holidays:
        text += f"，不计{'、'.join(holidays)}假期"
    if workdays:
        text += f"，计入调休上班日 {'、'.join(f'{d:%Y-%m-%d}' for d in workdays)}"
    text += f"），届满 {_fmt(day)}"
    return _with_pending(day, text)


def is_working_day(day: datetime.date) -> bool:
    return _Calendar(day, day).is_working_day(day)
