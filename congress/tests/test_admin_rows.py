"""The change lists' rows are written with less work per cell (congress.admin_site.boolean_icon, congress.lib.admin):
the same HTML as Django's (less the cells' field-<name> classes), in Chinese, whatever the language, static address or
primary key."""
import re

import pytest
from django.templatetags.static import static
from django.test import override_settings
from django.utils import translation
from django.utils.html import format_html
from django.utils.translation import gettext

from congress.admin_site import boolean_icon


def _icon_as_written_before(field_val):
    icon, label = {True: ("yes", gettext("Yes")), False: ("no", gettext("No")), None: ("unknown", gettext("Unknown"))}[field_val]
    return format_html('<img src="{}" alt="{}">', static(f"admin/img/icon-{icon}.svg"), label)


@pytest.mark.parametrize("value", [True, False, None])
def test_the_yes_no_icon_is_the_same_markup_made_once(value):
    with translation.override("zh-hans"):
        first, again = boolean_icon(value), boolean_icon(value)
        assert str(first) == str(_icon_as_written_before(value))
        assert first is again  # made once


def test_the_yes_no_icon_follows_the_language_and_the_static_address():
    with translation.override("zh-hans"):
        assert str(boolean_icon(True)) == '<img src="/static/admin/img/icon-yes.svg" alt="是">'
        assert str(boolean_icon(None)) == '<img src="/static/admin/img/icon-unknown.svg" alt="未知">'
    with translation.override("en"):
        assert str(boolean_icon(False)) == '<img src="/static/admin/img/icon-no.svg" alt="No">'
    with override_settings(STATIC_URL="/assets/"), translation.override("zh-hans"):
        assert str(boolean_icon(False)) == '<img src="/assets/admin/img/icon-no.svg" alt="否">'
        assert str(boolean_icon(False)) == str(_icon_as_written_before(False))
    with translation.override("zh-hans"):
        assert str(boolean_icon(False)) == '<img src="/static/admin/img/icon-no.svg" alt="否">'


def _changelist(model, user, **params):
    from django.contrib import admin
    from django.test import RequestFactory

    request = RequestFactory().get("/", params)
    request.user = user
    return admin.site._registry[model].get_changelist_instance(request)


@pytest.mark.django_db
def test_the_change_links_are_djangos_reversed_once_per_list(staff):
    from django.contrib.admin.views.main import ChangeList
    from django.urls import reverse, set_script_prefix

    from congress.models import Organization

    orgs = [Organization.objects.create(name=f"区第{i}局", kind=Organization.Kind.DEPARTMENT) for i in range(3)]
    for prefix in ("/", "/renda/"):
        set_script_prefix(prefix)
        try:
            cl = _changelist(Organization, staff)
            for org in orgs:
                assert cl.url_for_result(org) == ChangeList.url_for_result(cl, org)
                assert cl.url_for_result(org) == reverse("admin:congress_organization_change", args=[org.pk])
            assert cl.url_for_result(orgs[0]).startswith(f"{prefix}admin/congress/organization/")
        finally:
            set_script_prefix("/")
    # a key that is not a plain integer goes Django's way, quoted as Django quotes it
    odd = Organization(pk=orgs[0].pk, name="x")
    odd.pk = "a_b/c"
    assert cl.url_for_result(odd) == ChangeList.url_for_result(cl, odd) == "/admin/congress/organization/a_5Fb_2Fc/change/"


@pytest.mark.django_db
def test_the_empty_cell_is_djangos(staff):
    from django.contrib import admin

    from congress.models import Organization

    ours = admin.site._registry[Organization]
    assert ours.get_empty_value_display() == admin.ModelAdmin.get_empty_value_display(ours) == "-"
    ours.empty_value_display = "（无）"
    try:
        assert ours.get_empty_value_display() == admin.ModelAdmin.get_empty_value_display(ours) == "（无）"
    finally:
        del ours.empty_value_display
    assert ours.get_empty_value_display() == "-"


# a cell's opening tag with Django's field-<name> class, alone or before the others (nowrap)
_FIELD_CLASS = re.compile(r'<(t[dh]) class="field-[^" ]+(?: ([^"]+))?">')
_CELL = re.compile(r'<t[dh](?: class="[^"]*")?>')
_BOX_LABEL = re.compile(r'(class="action-select") aria-label="[^"]*">')


def _djangos_cells(cl, result, row):
    """Django's items_for_result for the row, made into what the project writes by two documented changes
    (congress.lib.admin.CongressChangeList.row_cells and CongressModelAdmin.checkbox_label_columns say why):

    1. each cell loses its field-<name> class. Every cell but the selection box's must have had one: if Django stops
       writing it, or writes it another way, this fails;
    2. in a list with checkbox_label_columns (all shown, and the box), the cells of those columns get the ids
       a<row>, b<row>, ... in that order (`row`: the row's place on the page, from 1), and the box is named by them
       (aria-labelledby) instead of Django's aria-label, which must have been there."""
    from congress.lib import admin as congress_admin

    djangos = "".join(congress_admin._django_items_for_result(cl, result, None))
    ours, changed = _FIELD_CLASS.subn(lambda m: f'<{m[1]} class="{m[2]}">' if m[2] else f"<{m[1]}>", djangos)
    assert changed == len([name for name in cl.list_display if name != "action_checkbox"]), djangos
    labels = list(getattr(cl.model_admin, "checkbox_label_columns", ()))
    if labels and "action_checkbox" in cl.list_display and set(labels) <= set(cl.list_display):
        ids = [f"{letter}{row}" for letter in "abcdefghijklmnopqrstuvwxyz"[:len(labels)]]
        ours, boxes = _BOX_LABEL.subn(rf'\1 aria-labelledby="{" ".join(ids)}">', ours)
        assert boxes == 1, djangos
        cells = list(_CELL.finditer(ours))
        assert len(cells) == len(cl.list_display), djangos
        for name, cell in reversed(list(zip(cl.list_display, cells, strict=True))):
            if name in labels:
                ours = f'{ours[:cell.end() - 1]} id="{ids[labels.index(name)]}"{ours[cell.end() - 1:]}'
    return ours


@pytest.mark.django_db
def test_every_list_of_the_demo_data_writes_the_same_rows_as_django():
    """congress.lib.admin.CongressChangeList.row_cells against Django's items_for_result, cell for cell, on every change
    list of the project with the demo data (fields, choices, dates, links, yes/no, admin columns, related objects,
    empty cells), unfiltered and with the filters preserved in the links."""
    from django.contrib import admin
    from django.contrib.admin.templatetags import admin_list
    from django.test import RequestFactory

    from congress.demo.seed import seed
    from congress.lib.admin import CongressChangeList
    from congress.models import User

    seed(0.05)
    root = User.objects.create_superuser(username="root-rows", password="x")
    compared, labelled, lists = 0, 0, set()
    with translation.override("zh-hans"):
        for model, model_admin in admin.site._registry.items():
            for params in ({}, {"q": ""}):
                request = RequestFactory().get("/", params)
                request.user = root
                cl = model_admin.get_changelist_instance(request)
                if not isinstance(cl, CongressChangeList):
                    continue
                for place, result in enumerate(list(cl.result_list)[:20], start=1):
                    (row,) = admin_list.items_for_result(cl, result, None)
                    assert str(row) == _djangos_cells(cl, result, place), (model, result.pk)
                    compared += 1
                    lists.add(model)
                    labelled += "aria-labelledby" in row
    assert compared > 500 and len(lists) > 25, (compared, len(lists))
    assert labelled >= 20  # the suggestions' boxes, named by their number and title
