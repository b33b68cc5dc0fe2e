"""Reading a year's holiday schedule as staff paste it: the State Council's notice (国务院办公厅关于某年部分节假日安排的通知)
or lines of "日期,类型,名称" such as congress/data/cn-holidays-2025-2026.csv holds.

The notice says each holiday in one sentence, e.g.

    二、春节：2月15日（农历腊月二十八、周日）至23日（农历正月初七、周一）放假调休，共9天。2月14日（周六）、2月28日（周六）上班。

The name is what stands before "：", the days off are the range before "放假", and the working weekends are the dates of
the clause that ends in "上班". A 元旦 item may name 31 December of the year before as a working day. Nothing here
touches the database: `parse_schedule` returns the days, or raises `ScheduleError` with one Chinese line per problem.
"""
import datetime
import re
from dataclasses import dataclass

HOLIDAY, WORKDAY = "holiday", "workday"
KINDS = {"holiday": HOLIDAY, "放假": HOLIDAY, "休息": HOLIDAY, "节假日": HOLIDAY,
         "workday": WORKDAY, "上班": WORKDAY, "调休上班": WORKDAY}

_DATE = r"(?:(\d{1,2})月)?(\d{1,2})日(?:（[^）]*）|\([^)]*\))?"
_OFF = re.compile(_DATE + r"(?:至|—|-|～|~)?" + r"(?:" + _DATE + r")?" + r"[^。；;]*?放假")
_DAY = re.compile(_DATE)
_ITEM = re.compile(r"^\s*(?:[一二三四五六七八九十]+[、.．]\s*)?([^：:，,。\d]{2,8})[：:](.*)$")
_ISO = re.compile(r"^\s*(\d{4})-(\d{1,2})-(\d{1,2})\s*[,，\t ]\s*([^,，\t ]+)\s*[,，\t ]\s*(.+?)\s*$")


class ScheduleError(ValueError):
    def __init__(self, problems: list[str]):
        super().__init__("；".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class Day:
    date: datetime.date
    kind: str
    name: str


def _date(year: int, month: int | None, day: int, fallback_month: int | None, line_no: int, problems: list) -> datetime.date | None:
    month = month or fallback_month
    try:
        return datetime.date(year, month, day)
    except (TypeError, ValueError):
        problems.append(f"第{line_no}行：{month or '?'}月{day}日不是有效的日期")
        return None


def _notice_line(year: int, line_no: int, text: str, problems: list) -> list[Day]:
    found = _ITEM.match(text)
    if not found:
        return []
    name, rest = found.group(1).strip(), found.group(2)
    days: list[Day] = []
    off = _OFF.search(rest)
    if off is None:
        problems.append(f"第{line_no}行（{name}）：找不到“某月某日至某日放假”")
        return []
    m1, d1, m2, d2 = off.group(1), off.group(2), off.group(3), off.group(4)
    start = _date(year, int(m1) if m1 else None, int(d1), None, line_no, problems)
    if start is None:
        return []
    end = start if d2 is None else _date(year, int(m2) if m2 else None, int(d2), start.month, line_no, problems)
    if end is None:
        return []
    if end < start:
        problems.append(f"第{line_no}行（{name}）：放假结束日早于开始日")
        return []
    day = start
    while day <= end:
        days.append(Day(day, HOLIDAY, name))
        day += datetime.timedelta(days=1)
    for clause in re.split(r"[。；;]", rest[off.end():]):
        if "上班" not in clause:
            continue
        for m, d in _DAY.findall(clause):
            month = int(m) if m else None
            # 元旦's working day may be 31 December of the year before
            at = _date(year - 1 if (month == 12 and name == "元旦") else year, month, int(d), None, line_no, problems)
            if at is not None:
                days.append(Day(at, WORKDAY, f"{name}调休上班"))
    return days


def _iso_line(year: int, line_no: int, found, problems: list) -> list[Day]:
    y, m, d, kind, name = found.groups()
    try:
        at = datetime.date(int(y), int(m), int(d))
    except ValueError:
        problems.append(f"第{line_no}行：{y}-{m}-{d} 不是有效的日期")
        return []
    if kind.strip() not in KINDS:
        problems.append(f"第{line_no}行：类型“{kind}”应为“放假”或“上班”")
        return []
    if abs(at.year - year) > 1 or (at.year != year and not (at.year == year - 1 and at.month == 12)):
        problems.append(f"第{line_no}行：{at:%Y-%m-%d} 不在{year}年")
        return []
    return [Day(at, KINDS[kind.strip()], name.strip())]


def parse_schedule(year: int, text: str) -> list[Day]:
    """The days of `year`'s schedule in `text` (notice sentences or ISO lines, mixed), sorted by date. Refuses an empty
    text, unreadable lines, a day listed twice, a working day that falls on a holiday of the same text, and a
    schedule without a single day off."""
    problems: list[str] = []
    days: list[Day] = []
    for line_no, line in enumerate((text or "").splitlines(), start=1):
        line = line.strip().replace("\u3000", " ")
        if not line or line.lower().startswith("date,") or line.startswith("日期"):
            continue
        iso = _ISO.match(line)
        if iso:
            days += _iso_line(year, line_no, iso, problems)
        else:
            days += _notice_line(year, line_no, line, problems)
    seen: dict[datetime.date, Day] = {}
    for day in days:
        if day.date in seen:
            problems.append(f"{day.date:%Y-%m-%d} 出现了两次（{seen[day.date].name}、{day.name}）")
        seen[day.date] = day
    if not problems and not any(d.kind == HOLIDAY for d in days):
        problems.append(f"没有读出{year}年的任何放假日期：请粘贴国务院办公厅通知的正文，或“日期,类型,名称”格式的行")
    if problems:
        raise ScheduleError(problems)
    return sorted(days, key=lambda d: d.date)
