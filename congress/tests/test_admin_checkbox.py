"""The change lists' selection boxes are written directly (congress.lib.admin.CongressModelAdmin.action_checkbox):
the same HTML as Django's widget, in Chinese, escaped, on a real list."""
import pytest
from django.contrib import admin
from django.urls import reverse
from django.utils import translation

from conftest import client_for
from congress.models import Organization

pytestmark = pytest.mark.django_db


def test_the_same_html_as_djangos_widget_for_a_name_that_needs_escaping():
    org = Organization.objects.create(name='区"住建"局<b>&\'', kind=Organization.Kind.DEPARTMENT)
    ours = admin.site._registry[Organization]
    zh, en = ("zh-hans", "选择此对象执行操作"), ("en", "Select this object for an action")
    for language, label in (zh, en, zh):
        with translation.override(language):
            mine, djangos = ours.action_checkbox(org), admin.ModelAdmin.action_checkbox(ours, org)
        assert str(mine) == str(djangos)
        assert "&lt;b&gt;" in mine and "<b>" not in mine and f'value="{org.pk}"' in mine and f'aria-label="{label} - ' in mine


def test_the_list_carries_a_box_per_row_with_a_chinese_label(staff):
    orgs = [Organization.objects.create(name=f"区第{i}局", kind=Organization.Kind.DEPARTMENT) for i in range(3)]
    page = client_for(staff).get(reverse("admin:congress_organization_changelist")).content.decode()
    for org in orgs:
        assert f'name="_selected_action" value="{org.pk}" class="action-select"' in page
    assert "Select this object" not in page and "区第1局" in page
