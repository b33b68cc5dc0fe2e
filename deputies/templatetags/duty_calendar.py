"""The duty record's year of month grids (deputies.selectors.calendar_months), one table per month built here: the
same markup as a template's nested loops over about 430 day cells, which cost the page about 5 ms to render."""
from django import template
from django.utils.safestring import mark_safe

register = template.Library()


MARKED = ' class="on"'


def _cell(day, n) -> str:
    return f"<td{MARKED if n else ''}>{int(day.day) if day else ''}</td>"


@register.simple_tag
def month_table(month: dict):
    """One month of calendar_months: its caption (and how many records), a row per week, marked days class "on". Only
    integers (the month, the count, day numbers) go into the markup, so nothing needs escaping."""
    rows = "".join(f"<tr>{''.join(_cell(day, n) for day, n in week)}</tr>" for week in month["weeks"])
    count = f" · {int(month['count'])}" if month["count"] else ""
    return mark_safe(f'<table class="month"><caption>{int(month["month"])}月{count}</caption>\n{rows}</table>')
