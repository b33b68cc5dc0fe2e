"""No information in colour alone (GB/T 37668, WCAG 1.4.1): the unit inbox's red, amber and green deadline lights
also say 已逾期, 临近 and 充裕 in words, in the legend, on each row and on the assignment's page."""
import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from conftest import client_for

pytestmark = pytest.mark.django_db


def _row(page: str, title: str) -> str:
    """The inbox's <li> that holds the suggestion titled `title`."""
    rows = [row for row in re.findall(r"<li class=\"item light-[a-z]+\">.*?</li>", page, re.S) if title in row]
    assert len(rows) == 1, (title, rows)
    return rows[0]


def _badge(row: str) -> tuple[str, str]:
    """(colour, words) of a row's deadline light."""
    colour, words = re.search(r'<span class="status (red|amber|green)">([^<]*)</span>', row).groups()
    return colour, words


def test_each_light_says_its_meaning_in_words(flow, unit_org, unit_user):
    today = timezone.localdate()
    flow.assigned(unit_org, title="很早交办的建议", assigned_on=today - datetime.timedelta(days=120))
    flow.assigned(unit_org, title="快到期的建议", assigned_on=today - datetime.timedelta(days=85))
    flow.assigned(unit_org, title="刚交办的建议", assigned_on=today)
    page = client_for(unit_user).get(reverse("unit:inbox")).content.decode()

    assert _badge(_row(page, "很早交办的建议")) == ("red", "已逾期")
    assert _badge(_row(page, "快到期的建议")) == ("amber", "临近")
    assert _badge(_row(page, "刚交办的建议")) == ("green", "充裕")
    legend = re.search(r'<p class="muted small" id="light-legend">(.*?)</p>', page, re.S).group(1)
    assert re.findall(r'<span class="status (?:red|amber|green)">([^<]*)</span>', legend) == \
        ["已逾期", "临近", "充裕"]
    # the old words that named only the colour are gone
    assert ">红<" not in page and ">黄<" not in page and ">绿<" not in page


def test_the_assignment_page_says_it_too(flow, unit_org, unit_user):
    today = timezone.localdate()
    _, (late,) = flow.assigned(unit_org, title="很早交办的建议", assigned_on=today - datetime.timedelta(days=120))
    _, (fresh,) = flow.assigned(unit_org, title="刚交办的建议", assigned_on=today)
    client = client_for(unit_user)
    late_page = client.get(reverse("unit:detail", args=[late.pk])).content.decode()
    fresh_page = client.get(reverse("unit:detail", args=[fresh.pk])).content.decode()
    assert re.search(r'<span class="status red">期限 [^<]*· 已逾期</span>', late_page)
    assert re.search(r'<span class="status green">期限 [^<]*· 充裕</span>', fresh_page)
