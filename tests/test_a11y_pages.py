"""Pages for everyone (适老化, GB/T 37668) over HTTP: the large-text switch is on every portal and public page, the
server renders the page large from its first byte when the large_text cookie says so, a page that depends on the
cookie is never shared by a cache across browsers, and the portal header's bell is named by the text it shows.
The browser side (axe-core, the switch clicked, focus, keyboard) is in tests/test_browser_a11y.py."""
import re

import pytest
from django.urls import reverse

from conftest import client_for
from tests.sample import make_sample

pytestmark = pytest.mark.django_db

SWITCH = re.compile(r'<button type="button" class="large-text-switch" data-large-text-switch aria-pressed="(true|false)">'
                    r"大字模式</button>")


@pytest.fixture
def urls(town_a, term, staff, deputy_user, unit_user):
    rows = make_sample(town=town_a, term=term, user=staff)
    return [
        (None, reverse("home")),
        (None, reverse("accounts:login")),
        (None, reverse("stations:public_list")),
        (None, reverse("stations:public_detail", args=[rows["station"].pk])),
        (None, reverse("stations:opinion_lookup")),
        (None, reverse("proposals:public_list")),
        (deputy_user, reverse("portal:home")),
        (deputy_user, reverse("portal:record")),
        (unit_user, reverse("unit:inbox")),
    ]


def _html_tag(body: str) -> str:
    return re.search(r"<html[^>]*>", body).group(0)


def test_every_page_has_the_switch_and_is_large_only_with_the_cookie(urls):
    for user, url in urls:
        client = client_for(user)
        plain = client.get(url).content.decode()
        assert SWITCH.search(plain).group(1) == "false", url
        assert "large-text" not in _html_tag(plain), url
        assert "js/large_text.js" in plain, url

        client.cookies["large_text"] = "1"
        large = client.get(url).content.decode()
        assert _html_tag(large) == '<html lang="zh-hans" class="large-text">', url
        assert SWITCH.search(large).group(1) == "true", url

        client.cookies["large_text"] = "0"  # switched off again
        assert "large-text" not in _html_tag(client.get(url).content.decode()), url


def test_a_cookie_with_another_value_changes_nothing(urls):
    client = client_for(None)
    client.cookies["large_text"] = '1" onload="x'
    body = client.get(reverse("stations:public_list")).content.decode()
    assert _html_tag(body) == '<html lang="zh-hans">'


def test_public_pages_a_cache_may_keep_vary_on_the_cookie(urls):
    """The public pages are cacheable (Cache-Control: public): a shared cache must not hand one voter's large-text
    page to the next, so the response varies on Cookie."""
    for user, url in urls:
        response = client_for(user).get(url)
        if "public" in response.get("Cache-Control", ""):
            assert "Cookie" in response.get("Vary", ""), url


def test_the_bell_is_named_by_what_it_shows(deputy_user):
    """No aria-label that differs from the visible text (WCAG 2.5.3): the bell's name is its own text, 通知 and the
    number of unread notifications."""
    from congress.services import notification_send

    notification_send(recipients=[deputy_user], kind="test", title="一", link=("portal:home",))
    body = client_for(deputy_user).get(reverse("portal:home")).content.decode()
    bell = re.search(r'<a class="bell"[^>]*>(.*?)</a>', body, re.S)
    assert "aria-label" not in re.search(r'<a class="bell"[^>]*>', body).group(0)
    text = re.sub(r"<svg.*?</svg>", "", bell.group(1), flags=re.S)
    assert re.sub(r"<[^>]+>|\s", "", text) == "通知1条未读"
