"""The 待定 note beside a deadline that falls in a year whose holiday schedule is not entered (congress.lib.workdays)."""
from django import template

from congress.lib.workdays import pending_note as _pending_note

register = template.Library()


@register.filter
def pending_note(day, holiday_years) -> str:
    """{{ a.current_due_date|pending_note:holiday_years }} (holiday_years from the context processor)."""
    return _pending_note(day, holiday_years)
