"""The one place a state's colour and label are picked for a page (from the workflow's declaration)."""
from django import template

from congress.lib.workflow import workflow_of

register = template.Library()

BAD_RATINGS = {"unsatisfied", "dissatisfied"}


@register.inclusion_tag("snippets/state_badge_tag.html")
def state_badge(obj, element_id=""):
    flow = workflow_of(obj)
    value = getattr(obj, flow.field) if flow else ""
    return {"tone": flow.tone(value) if flow else "", "label": flow.state_label(value) if flow else "",
            "element_id": element_id}


@register.filter
def rating_tone(value: str) -> str:
    """满意/基本满意 green, 不满意 red (evaluations of replies and voters' ratings alike)."""
    return "red" if value in BAD_RATINGS else "green"
