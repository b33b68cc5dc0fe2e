"""The change lists go out without HTML comments and without the whitespace after line breaks
(congress.lib.admin.squeeze_page): the same page to a browser, 2 KB lighter; a page where whitespace shows stays."""
import pytest
from django.http import HttpResponse
from django.urls import reverse

from conftest import client_for
from congress.lib.admin import squeeze_page
from congress.models import Organization


def _squeezed(html: str) -> str:
    response = HttpResponse(html)
    squeeze_page(response)
    return response.content.decode()


def test_blank_lines_indentation_and_comments_go_and_one_line_break_stays():
    page = '<div id="a">\n\n    <!-- Header -->\n    <a href="/">首页</a>\n    &rsaquo; 代表建议\n\n</div>\n'
    assert _squeezed(page) == '<div id="a">\n<a href="/">首页</a>\n&rsaquo; 代表建议\n</div>\n'
    assert _squeezed("<p>甲  乙</p>\n<p>丙</p>") == "<p>甲  乙</p>\n<p>丙</p>"  # no line break: as it was


@pytest.mark.parametrize("tag", ["pre", "textarea"])
def test_a_page_where_whitespace_shows_stays_as_it_is(tag):
    page = f"<div>\n\n    <!-- 说明 -->\n<{tag}>第一行\n\n    缩进的第二行</{tag}>\n</div>"
    assert _squeezed(page) == page


@pytest.mark.django_db
def test_a_change_list_goes_out_squeezed_with_its_rows(staff):
    Organization.objects.create(name="区教育局", kind=Organization.Kind.DEPARTMENT)
    page = client_for(staff).get(reverse("admin:congress_organization_changelist")).content.decode()
    assert "区教育局" in page and 'id="result_list"' in page
    assert "<!--" not in page and "\n\n" not in page and "\n " not in page
