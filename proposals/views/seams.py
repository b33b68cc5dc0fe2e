"""What proposals plugs into the deputy portal (deputies.seams): two home panels and the duty record source."""
import datetime

from django.urls import reverse
from django.utils import timezone

from deputies.models import DutyActivityType
from deputies.seams import DutyItem
from proposals import selectors
from proposals.conf import proposals_setting

# a counted suggestion (proposals.selectors.COUNTED) is the year's "一件好建议" and earns the suggestion type's points
COUNTED = selectors.COUNTED


def suggestions_panel(request, deputy):
    """The way into the suggestion pages from the portal home (the portal's tabs belong to the deputies app)."""
    return {"template": "proposals/portal/snippets/panel_suggestions.html",
            "context": {"count": selectors.suggestion_count_for(user=request.user)}}


def replies_to_rate_panel(request, deputy):
    replies = selectors.home_replies_to_rate(deputy, limit=proposals_setting("HOME_PANEL_LIMIT"))
    if not replies:
        return None
    return {"template": "proposals/portal/snippets/panel_to_rate.html", "context": {"replies": replies}}


def invitations_panel(request, deputy):
    invitations = selectors.home_invitations(deputy, limit=proposals_setting("HOME_PANEL_LIMIT"))
    if not invitations:
        return None
    return {"template": "proposals/portal/snippets/panel_invitations.html", "context": {"invitations": invitations}}


def _suggestion_points(year: int, rules: dict | None = None):
    """The point rule of the activity type mapped to "一件好建议" (the deputies' configurable table), by date: read, or
    taken from `rules` (deputies.selectors.point_rules(), already read by the caller)."""
    suggestion = DutyActivityType.ChecklistItem.SUGGESTION
    if rules is not None:
        found = sorted((r for of_type in rules.values() for r in of_type
                        if r.checklist_item == suggestion and r.effective_from.year <= year),
                       key=lambda r: (r.effective_from, r.pk), reverse=True)
        return [(r.effective_from, r.points_present) for r in found]
    from deputies.models import PointRule

    return list(PointRule.objects.filter(activity_type__checklist_item=suggestion,
                                         effective_from__year__lte=year).order_by("-effective_from", "-id")
                .values_list("effective_from", "points_present"))


def _led_points(led, rules, until) -> dict:
    totals: dict = {}
    for deputy_id, submitted_at in led:
        day = timezone.localdate(submitted_at)  # the day here, as the year's __year lookup (not the UTC date)
        if day <= until:
            totals[deputy_id] = totals.get(deputy_id, 0) + next((p for start, p in rules if start <= day), 0)
    return totals


def suggestion_points(deputy_ids, year: int, until) -> dict:
    """Points of the counted suggestions each deputy led, submitted in `year` up to `until`: two queries for all the
    deputies (the same rule and dates as the duty record's items below)."""
    led = list(selectors.counted_led_suggestions(deputy_ids, year))
    if not led:
        return {}
    return _led_points(led, _suggestion_points(year), until)


def suggestion_year(deputy, year: int, rules: dict) -> tuple[set, object]:
    """deputies.seams.YearSource.one: what good_suggestion_checklist and suggestion_points (to the year's end) say of
    one deputy (the portal home), from the page's one read of their suggestions (remembered_counted_led, which the
    home's suggestion panels read too) and the rules the caller read."""
    led = selectors.remembered_counted_led(deputy, year)
    if not led:
        return set(), 0
    points = _led_points(led, _suggestion_points(year, rules), datetime.date(year, 12, 31)).get(deputy.pk, 0)
    return {DutyActivityType.ChecklistItem.SUGGESTION}, points


def suggestions_for_duty_record(deputy, year: int) -> list[DutyItem]:
    """The deputy's suggestions submitted in `year`, as lead or confirmed co-signer: two queries."""
    rows = selectors.duty_record_suggestions(deputy, year)
    if not rows:
        return []
    rules = _suggestion_points(year) if any(led for _, led in rows) else []
    items = []
    for s, led in rows:
        day = timezone.localdate(s.submitted_at) if s.submitted_at else None
        if day is None:
            continue
        counted = led and s.status in COUNTED
        points = next((p for start, p in rules if start <= day), 0) if counted else 0
        items.append(DutyItem(date=day, title=s.title, kind="领衔建议" if led else "附议建议",
                              url=reverse("proposals:portal_detail", args=[s.pk]), points=points,
                              checklist=DutyActivityType.ChecklistItem.SUGGESTION if counted else "",
                              status=s.get_status_display()))
    return items
