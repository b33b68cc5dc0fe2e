"""The deputy portal's top tabs: its own pages, then the tabs other apps register (deputies.seams.nav_tabs), so the
suggestion pages get a tab without deputies knowing them."""
from django import template
from django.urls import reverse

from deputies import seams

register = template.Library()

OWN = [
    seams.NavTab("首页", "portal:home", ("portal:home",)),
    seams.NavTab("登记活动", "portal:activity_new", ("portal:activity_new",)),
]
OWN_AFTER = [
    seams.NavTab("履职档案", "portal:record", ("portal:record",)),
    seams.NavTab("积分", "portal:points", ("portal:points",)),
    seams.NavTab("请假", "portal:leave", ("portal:leave",)),
    seams.NavTab("述职", "portal:reports", ("portal:reports",)),
    seams.NavTab("搜索", "portal:search", ("portal:search",)),
]


@register.inclusion_tag("portal/snippets/tabs.html", takes_context=True)
def portal_tabs(context):
    match = getattr(context.get("request"), "resolver_match", None)
    current = f"{match.namespace}:{match.url_name}" if match else ""
    tabs = []
    for tab in [*OWN, *seams.nav_tabs, *OWN_AFTER]:
        active = any(current == name or (name.endswith("*") and current.startswith(name[:-1])) for name in tab.active)
        tabs.append({"label": tab.label, "url": reverse(tab.url_name), "active": active})
    return {"tabs": tabs}
