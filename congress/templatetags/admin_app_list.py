"""The admin's list of apps and models (admin/app_list.html), written in Python: the same HTML as Django's template,
which on the admin index asked the page's path, its URL encoding and three translations once per model (59 models
for the committee's staff: 4.9 ms of a 25 ms page). congress/tests/test_admin_app_list.py compares the two."""
from urllib.parse import quote

from django import template
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

register = template.Library()


def _model_row(app_label: str, model: dict, path: str, show_changelinks: bool, words: dict) -> str:
    model_name = str(model["object_name"]).lower()
    row_id = f"{app_label}-{model_name}"
    admin_url = model.get("admin_url")
    current = bool(admin_url) and admin_url in path
    if admin_url:
        name = format_html('<a href="{}"{}>{}</a>', admin_url, mark_safe(' aria-current="page"') if current else "",
                           model["name"])
    else:
        name = conditional_escape(model["name"])
    cells = [format_html('<tr class="model-{}{}"><th scope="row" id="{}">{}</th>', model_name,
                         " current-model" if current else "", row_id, name)]
    if model.get("add_url"):
        cells.append(format_html('<td><a href="{}" class="addlink" aria-describedby="{}">{}</a></td>', model["add_url"],
                                 row_id, words["add"]))
    else:
        cells.append("<td></td>")
    if admin_url and show_changelinks:
        kind, word = ("viewlink", words["view"]) if model.get("view_only") else ("changelink", words["change"])
        cells.append(format_html('<td><a href="{}" class="{}" aria-describedby="{}">{}</a></td>', admin_url, kind, row_id,
                                 word))
    elif show_changelinks:
        cells.append("<td></td>")
    cells.append("</tr>")
    return "".join(cells)


@register.simple_tag(takes_context=True)
def app_list_html(context) -> str:
    app_list = context.get("app_list")
    if not app_list:
        return format_html("<p>{}</p>", gettext("You don’t have permission to view or edit anything."))
    request = context.get("request")
    path = quote(request.path, safe="/") if request is not None else ""  # the urlencode filter
    show_changelinks = bool(context.get("show_changelinks"))
    words = {"add": gettext("Add"), "view": gettext("View"), "change": gettext("Change")}
    head = format_html('<thead class="visually-hidden"><tr><th scope="col">{}</th><th scope="col">{}</th>'
                       '<th scope="col">{}</th></tr></thead>', gettext("Model name"), gettext("Add link"),
                       gettext("Change or view list link"))
    parts = []
    for app in app_list:
        app_url = app.get("app_url")
        parts.append(format_html(
            '<div class="app-{} module{}"><table><caption><a href="{}" class="section" title="{}">{}</a></caption>{}',
            app["app_label"], " current-app" if app_url and app_url in path else "", app_url,
            gettext("Models in the %(name)s application") % {"name": app["name"]}, app["name"], head))
        parts.extend(_model_row(app["app_label"], model, path, show_changelinks, words) for model in app["models"])
        parts.append("</table></div>")
    return mark_safe("".join(parts))
