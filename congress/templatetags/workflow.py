"""The one place a state's colour and label are picked for a page (from the workflow's declaration)."""
from django import template
from django.utils.html import format_html

from congress.lib.workflow import workflow_of

register = template.Library()

BAD_RATINGS = {"unsatisfied", "dissatisfied"}


@register.simple_tag
def state_badge(obj, element_id=""):
    """A state's label as a badge coloured by its tone: <span class="status TONE" id="ID">LABEL</span>. Written here
    rather than by an inclusion template, which lists rendered once per row (about 0.1 ms each); a test holds the
    markup to what that template wrote."""
    flow = workflow_of(obj)
    value = getattr(obj, flow.field) if flow else ""
    tone, label = (flow.tone(value), flow.state_label(value)) if flow else ("", "")
    return format_html('<span class="status{}"{}>{}</span>\n', f" {tone}" if tone else "",
                       format_html(' id="{}"', element_id) if element_id else "", label)


@register.filter
def rating_tone(value: str) -> str:
    """满意/基本满意 green, 不满意 red (evaluations of replies and voters' ratings alike)."""
    return "red" if value in BAD_RATINGS else "green"
