"""admin/app_list.html is written in Python (congress.templatetags.admin_app_list): it must say what Django's own
template says, for every kind of row, on the index and inside an app (a Django upgrade that changes the template
fails here)."""
import re
from pathlib import Path

import django
import pytest
from django.contrib import admin
from django.template import engines
from django.template.loader import render_to_string
from django.test import RequestFactory

from congress.backends import CongressBackend

pytestmark = pytest.mark.django_db

DJANGOS = Path(django.__file__).parent / "contrib/admin/templates/admin/app_list.html"


def _normal(html: str) -> str:
    """The markup without the template's indentation (whitespace next to a tag, which a table cell does not show)."""
    return re.sub(r"\s+", " ", re.sub(r"\s*(<[^>]*>)\s*", r"\1", html)).strip()


def _both(context: dict, path: str) -> tuple[str, str]:
    request = RequestFactory().get(path)
    djangos = engines["django"].from_string(DJANGOS.read_text()).render(context, request)
    ours = render_to_string("admin/app_list.html", context, request=request)
    return _normal(ours), _normal(djangos)


def _app_list(user, path="/admin/"):
    request = RequestFactory().get(path)
    request.user = CongressBackend().get_user(user.pk)
    return admin.site.get_app_list(request)


@pytest.mark.parametrize("path", ["/admin/", "/admin/proposals/", "/admin/proposals/suggestion/"])
@pytest.mark.parametrize("show_changelinks", [True, False])
def test_the_staffs_list_is_djangos(staff, path, show_changelinks):
    apps = _app_list(staff, path)
    assert sum(len(app["models"]) for app in apps) > 20
    ours, djangos = _both({"app_list": apps, "show_changelinks": show_changelinks}, path)
    assert ours == djangos
    if path != "/admin/":
        assert "current-app" in ours
    if path.endswith("suggestion/"):
        assert 'aria-current="page"' in ours and "current-model" in ours


def test_rows_of_every_kind_and_names_that_need_escaping_are_djangos():
    apps = [{"app_label": "demo", "name": "示例 <b>应用</b>", "app_url": "/admin/demo/", "models": [
        {"object_name": "Full", "name": "可增可改", "admin_url": "/admin/demo/full/", "add_url": "/admin/demo/full/add/",
         "view_only": False},
        {"object_name": "ViewOnly", "name": "只读 & 查看", "admin_url": "/admin/demo/viewonly/", "add_url": None,
         "view_only": True},
        {"object_name": "NoList", "name": "<i>无列表</i>", "admin_url": None, "add_url": "/admin/demo/nolist/add/",
         "view_only": False},
    ]}]
    for path in ("/admin/", "/admin/demo/", "/admin/demo/viewonly/"):
        for show in (True, False):
            ours, djangos = _both({"app_list": apps, "show_changelinks": show}, path)
            assert ours == djangos
    assert "&lt;i&gt;无列表&lt;/i&gt;" in ours and "只读 &amp; 查看" in ours


def test_nothing_to_open_says_so_as_django_does(outsider):
    ours, djangos = _both({"app_list": [], "show_changelinks": True}, "/admin/")
    assert ours == djangos and "权限" in ours


def test_the_index_page_shows_the_list(staff):
    from conftest import client_for

    page = client_for(staff).get("/admin/").content.decode()
    assert 'class="app-proposals module"' in page and 'id="proposals-suggestion"' in page
