"""Pages for everyone (适老化, GB/T 37668; WCAG 2.1 AA): axe-core run in a real browser on every portal, unit and public
page, for each role that opens it, must find no serious or critical violation; and the large-text switch (大字模式)
makes the text larger and is remembered.

The pages come from the URL patterns themselves (every non-admin pattern that answers 200 with HTML to some role in
tests/test_access_matrix.py's table), with the access matrix's world of real rows (make_sample and the apps' setup).
axe-core is the exact version in tools/a11y/package-lock.json, installed by scripts/test.sh with npm ci (AXE_JS); it
is injected by the test only. Without it the module is skipped on a developer machine and fails in CI."""
import os
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.urls import get_resolver, reverse

from conftest import login_verified
from tests import test_access_matrix
from tests.test_browser import CHROMIUM_ARGS, _chromium
from tests.test_browser_portal import _restore_permissions

world = test_access_matrix.world  # the access matrix's world of users and rows, requested by a11y_world

ROOT = Path(__file__).resolve().parent.parent
# the roles whose pages this checks: the public (nobody logged in), the portal's and the units' people, and the staff
# and leaders who also open portal-styled pages (notifications, password); the 三员 live in the admin
A11Y_ROLES = ["anonymous", "deputy", "unit", "town", "staff", "leader"]
BLOCKING = {"serious", "critical"}
PHONE = {"width": 375, "height": 740}
DESK = {"width": 1280, "height": 900}


def _axe_path() -> Path:
    path = Path(os.environ.get("AXE_JS") or ROOT / "tools" / "a11y" / "node_modules" / "axe-core" / "axe.min.js")
    if path.is_file():
        return path
    message = "axe-core 未安装 / axe-core is not installed (scripts/test.sh runs npm ci in tools/a11y)"
    if os.environ.get("CI", "").lower() in {"1", "true", "yes"}:
        pytest.fail(message)
    pytest.skip(message)


@pytest.fixture(scope="module")
def a11y_browser():
    executable = _chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS, headless=True)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture
def a11y_world(request, transactional_db):
    """The access matrix's world (one user per role, make_sample's rows, the apps' own rows), on a database a live
    server shares."""
    from congress.roles import sync_role_permissions

    _restore_permissions()
    sync_role_permissions()
    return request.getfixturevalue("world")


def _client(world, role) -> Client:
    client = Client()
    if world[role] is not None:
        login_verified(client, world[role])
    return client


def _pages(world) -> dict[str, list[str]]:
    """role → the URLs of every non-admin page (200, a whole HTML document) that role opens, in URL-pattern order.
    A page many roles open (the public ones, notifications, password) is checked for the first two of them: one
    logged out or in, the other with the header of another kind of user."""
    models = test_access_matrix.admin_models()
    clients = {role: _client(world, role) for role in A11Y_ROLES}
    pages: dict[str, list[str]] = {role: [] for role in A11Y_ROLES}
    for route, name in test_access_matrix.walk(get_resolver().url_patterns):
        if route.startswith("admin/") or (name or "").startswith("admin:") or name in {"healthz", "set_language"}:
            continue
        opened = 0
        for role in A11Y_ROLES:
            expected, url = test_access_matrix.expected_and_url(route, name, role, models)
            if expected != 200 or opened == 2:
                continue
            response = clients[role].get(url)
            if (response.status_code == 200 and response["Content-Type"].startswith("text/html")
                    and b"<html" in response.content[:300]):  # not an htmx fragment
                pages[role].append(url)
                opened += 1
    return pages


def _context(browser, base, client: Client | None, **kwargs):
    context = browser.new_context(locale="zh-CN", **kwargs)
    if client is not None:
        cookie = client.cookies[settings.SESSION_COOKIE_NAME]
        context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie.value, "url": base,
                              "httpOnly": True, "secure": settings.SESSION_COOKIE_SECURE}])
    return context


def _axe(page, axe_source: str) -> list[dict]:
    """axe-core's violations on the page as it is now (all of its WCAG 2.x A/AA and best-practice rules)."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        # evaluated through the DevTools protocol, so the page's Content-Security-Policy (no inline script) stays on
        page.evaluate(axe_source)
    return page.evaluate("""async () => {
        document.querySelectorAll('details').forEach(d => { d.open = true; });  // the fields a summary opens, too
        const result = await axe.run(document, {resultTypes: ['violations']});
        return result.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
            nodes: v.nodes.map(n => ({target: n.target.join(' '), summary: n.failureSummary}))}));
    }""")


def _describe(url: str, violations: list[dict]) -> str:
    lines = []
    for v in violations:
        lines.append(f"{url}: [{v['impact']}] {v['id']} — {v['help']}")
        for node in v["nodes"][:5]:
            lines.append(f"    {node['target']}: {node['summary'].splitlines()[-1] if node['summary'] else ''}")
    return "\n".join(lines)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_axe_finds_no_serious_or_critical_violation_on_any_portal_unit_or_public_page(live_server, a11y_world, a11y_browser):
    axe_source = _axe_path().read_text(encoding="utf-8")
    pages = _pages(a11y_world)
    assert len(pages["anonymous"]) >= 5 and len(pages["deputy"]) >= 8 and len(pages["unit"]) >= 4, pages
    base = live_server.url
    failures, by_rule, checked = [], {}, 0
    for role in A11Y_ROLES:
        context = _context(a11y_browser, base, _client(a11y_world, role) if a11y_world[role] else None, viewport=DESK)
        try:
            page = context.new_page()
            page.set_default_timeout(15_000)
            for url in pages[role]:
                response = page.goto(base + url)
                assert response is not None and response.status == 200, (role, url)
                assert page.url == base + url, f"{role}: {url} went to {page.url}"
                violations = _axe(page, axe_source)
                checked += 1
                for v in violations:
                    by_rule.setdefault(f"{v['impact']}:{v['id']}", set()).add(url)
                blocking = [v for v in violations if v["impact"] in BLOCKING]
                if blocking:
                    failures.append(f"[{role}] " + _describe(url, blocking))
        finally:
            context.close()
    summary = "\n".join(f"  {rule}: {len(urls)} 页" for rule, urls in sorted(by_rule.items()))
    print(f"\naxe-core: {checked} pages checked; findings by rule:\n{summary}")
    assert checked >= 40
    assert not failures, f"axe-core found serious or critical violations on {len(failures)} pages:\n" + "\n".join(failures)


def _main_font_size(page) -> float:
    return page.evaluate("() => parseFloat(getComputedStyle(document.querySelector('main')).fontSize)")


def _width(page) -> int:
    return page.evaluate("() => document.documentElement.scrollWidth")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_large_text_switch_makes_text_larger_is_remembered_and_the_pages_fit_a_phone(live_server, a11y_world,
                                                                                          a11y_browser):
    from playwright.sync_api import expect

    base = live_server.url
    pages = _pages(a11y_world)
    phone = {"viewport": PHONE, "is_mobile": True, "has_touch": True}

    # a voter on the public station list turns it on
    context = _context(a11y_browser, base, None, **phone)
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto(f"{base}{reverse('stations:public_list')}")
    switch = page.get_by_role("button", name="大字模式")
    expect(switch).to_have_attribute("aria-pressed", "false")
    normal = _main_font_size(page)
    switch.click()
    expect(switch).to_have_attribute("aria-pressed", "true")
    assert _main_font_size(page) >= 1.25 * normal
    # remembered: the next page comes from the server already large (its first byte, not a script after the load)
    response = page.reload()
    assert '<html lang="zh-hans" class="large-text">' in response.text()
    assert _main_font_size(page) >= 1.25 * normal
    expect(page.get_by_role("button", name="大字模式")).to_have_attribute("aria-pressed", "true")
    # the home page and every public page is large too, and none is wider than the phone
    for url in [reverse("home"), *pages["anonymous"]]:
        page.goto(base + url)
        assert page.evaluate("() => document.documentElement.classList.contains('large-text')"), url
        assert _width(page) <= PHONE["width"], f"{url} is {_width(page)}px wide in large-text mode"
    # and off again
    page.goto(f"{base}{reverse('stations:public_list')}")
    page.get_by_role("button", name="大字模式").click()
    page.reload()
    assert _main_font_size(page) == normal
    context.close()

    # a deputy and a unit, already in large-text mode: every one of their pages fits the phone
    for role in ("deputy", "unit"):
        context = _context(a11y_browser, base, _client(a11y_world, role), **phone)
        context.add_cookies([{"name": "large_text", "value": "1", "url": base}])
        page = context.new_page()
        page.set_default_timeout(15_000)
        for url in pages[role]:
            page.goto(base + url)
            assert _main_font_size(page) >= 20, url
            assert _width(page) <= PHONE["width"], f"{role}: {url} is {_width(page)}px wide in large-text mode"
        context.close()


FOCUSABLE = """() => {
    document.querySelectorAll('details').forEach(d => { d.open = true; });  // a closed one is opened by its summary
    const selector = 'a[href], button:not([disabled]), input:not([type=hidden]):not([disabled]), select:not([disabled]),'
        + ' textarea:not([disabled]), summary, [tabindex]';
    const found = [...document.querySelectorAll(selector)].filter(el =>
        el.tabIndex >= 0 && el.getClientRects().length && getComputedStyle(el).visibility !== 'hidden'
        && !el.closest('[aria-hidden=true]'));
    found.forEach((el, i) => { el.dataset.a11yIndex = String(i); });
    return found.map(el => el.outerHTML.slice(0, 120));
}"""
FOCUSED = """() => {
    const el = document.activeElement, style = getComputedStyle(el);
    return {index: el.dataset.a11yIndex ?? null, html: el.outerHTML.slice(0, 120),
            outline: style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2};
}"""


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_every_control_is_reached_by_the_keyboard_and_shows_its_focus(live_server, a11y_world, a11y_browser):
    """Tab from the top of the page: every visible link, button and field is reached in turn, and each shows a
    focus outline of at least 2 px (WCAG 2.1.1, 2.4.7)."""
    from stations.models import Station

    base = live_server.url
    station = Station.objects.order_by("pk").first()
    unit_pages = _pages(a11y_world)["unit"]
    assignment_page = next(url for url in unit_pages if re.fullmatch(r"/unit/\d+/", url))
    checks = {
        "anonymous": [reverse("home"), reverse("stations:opinion_new", args=[station.pk]), reverse("accounts:login")],
        "deputy": [reverse("portal:home"), reverse("portal:activity_new"), reverse("proposals:portal_new")],
        "unit": [reverse("unit:inbox"), assignment_page],
    }
    problems = []
    for role, urls in checks.items():
        context = _context(a11y_browser, base, _client(a11y_world, role) if a11y_world[role] else None, viewport=DESK)
        page = context.new_page()
        page.set_default_timeout(15_000)
        for url in urls:
            page.goto(base + url)
            controls = page.evaluate(FOCUSABLE)
            assert controls, url
            reached = set()
            for _ in range(3 * len(controls) + 5):  # a date field takes three stops (year, month, day)
                if len(reached) == len(controls):
                    break
                page.keyboard.press("Tab")
                focused = page.evaluate(FOCUSED)
                if focused["index"] is None:
                    continue
                reached.add(int(focused["index"]))
                if not focused["outline"]:
                    problems.append(f"[{role}] {url}: no visible focus on {focused['html']}")
            problems += [f"[{role}] {url}: never reached by Tab: {html}"
                         for i, html in enumerate(controls) if i not in reached]
        context.close()
    assert not problems, "\n".join(problems)
