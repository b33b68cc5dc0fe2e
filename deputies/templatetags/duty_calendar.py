"""The duty record's year of month grids (deputies.selectors.calendar_months), one table per month built here: the
same markup as a template's nested loops over about 430 day cells, which cost the page about 5 ms to render."""
from django import template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

register = template.Library()


@register.simple_tag
def month_table(month: dict):
    """One month of calendar_months: its caption (and how many records), a row per week, marked days class "on"."""
    rows = mark_safe("".join(
        format_html("<tr>{}</tr>", format_html_join("", "<td{}>{}</td>", (
            (mark_safe(' class="on"') if n else "", day.day if day else "") for day, n in week)))
        for week in month["weeks"]))
    count = format_html(" · {}", month["count"]) if month["count"] else ""
    return format_html('<table class="month"><caption>{}月{}</caption>\n{}</table>', month["month"], count, rows)
