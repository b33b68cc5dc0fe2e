"""The leaders' dashboard in a real browser (Debian's chromium through Playwright, launched as in tests/test_browser.py):
a leader logs in on a 375-px phone, opens /dashboard/ and reads the headline figures; cards stack, tables scroll inside
their box, the SVG charts shrink to the screen, and nothing is wider than the phone."""
import datetime

import pytest

from congress import roles
from congress.roles import sync_role_permissions
from congress.services import create_user_with_role
from tests.test_browser import CHROMIUM_ARGS, _chromium
from tests.test_browser_portal import PASSWORD, PHONE, _fits_the_phone, _login, _restore_permissions


@pytest.fixture
def dashboard_world():
    from congress.models import Organization, Term
    from supervision.models import Rectification

    _restore_permissions()
    sync_role_permissions()
    Term.objects.create(number=17, start_date=datetime.date(2021, 10, 1), is_current=True)
    organ = Organization.objects.create(name="区住房和城乡建设局（城市更新和老旧小区改造工作专班）",
                                        kind=Organization.Kind.DEPARTMENT, is_handling_unit=True)
    today = datetime.date.today()
    for days in (3, 30):  # two rectification items past their due date
        Rectification.objects.create(organization=organ, title="整改老旧小区路灯不亮问题",
                                     due_date=today - datetime.timedelta(days=days))
    create_user_with_role(username="b_leader", password=PASSWORD, role=roles.LEADER, full_name="李主任")
    return {"organ": organ}


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_leader_opens_the_dashboard_on_a_phone(live_server, dashboard_world, tmp_path):
    executable = _chromium()
    from playwright.sync_api import expect, sync_playwright

    base = live_server.url
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS, headless=True)
        try:
            page = browser.new_context(locale="zh-CN", viewport=PHONE, is_mobile=True, has_touch=True).new_page()
            page.set_default_timeout(15_000)
            _login(page, base, "b_leader", "?next=/dashboard/")
            page.wait_for_url(f"{base}/dashboard/")
            expect(page.locator("#panel-suggestions h2")).to_have_text("代表建议办理进度")
            expect(page.locator("#panel-suggestions")).to_contain_text("提交建议")
            expect(page.locator("#panel-stations")).to_contain_text("群众满意率")
            expect(page.locator("#panel-supervision")).to_contain_text("其中超过整改期限")
            expect(page.locator("#dashboard-overdue-total")).to_have_text("2")
            expect(page.locator("#overdue-league")).to_contain_text(dashboard_world["organ"].name)
            _fits_the_phone(page)
            # the cards stack two to a row at most; a chart is no wider than the screen
            cards = page.locator("#panel-stations .dashboard-card")
            first, third = cards.nth(0).bounding_box(), cards.nth(2).bounding_box()
            assert third["y"] > first["y"]
            chart = page.locator("#panel-overdue svg.chart").bounding_box()
            assert chart["x"] >= 0 and chart["x"] + chart["width"] <= PHONE["width"]
            page.screenshot(path=str(tmp_path / "dashboard.png"), full_page=True)
            page.click("#overdue-league a")  # the league table leads to the organ's overdue items
            page.wait_for_url(f"{base}/dashboard/overdue/?organization={dashboard_world['organ'].pk}")
            expect(page.locator("#overdue-shown")).to_have_text("2")
        finally:
            browser.close()
