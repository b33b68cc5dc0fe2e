"""A real browser (Debian's chromium driven by Playwright) logs into the admin and sees the Chinese dashboard.

Playwright's own browser download is never used: the test launches the system chromium. Without it the test
is skipped on a developer machine and fails in CI (CI=true), where scripts/test.sh installs it."""
import os
import shutil

import pytest

from congress import roles
from congress.roles import sync_role_permissions
from congress.services import create_user_with_role

PASSWORD = "Renda@2026pass"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


def staff_desk(browser, base: str, next_path: str, username: str = "b_staff", password: str = PASSWORD):
    """A desktop page of the admin, logged in through its login form as `username` and sent on to `next_path`."""
    desk = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900}).new_page()
    desk.set_default_timeout(15_000)
    desk.goto(f"{base}/admin/login/?next={next_path}")
    desk.fill("#id_username", username)
    desk.fill("#id_password", password)
    desk.click("input[type=submit]")
    return desk


def _chromium() -> str:
    path = os.environ.get("CHROMIUM") or shutil.which("chromium")
    if path and os.access(path, os.X_OK):
        return path
    message = "Debian 的 chromium 未安装 / the chromium package is not installed (apt-get install chromium)"
    if os.environ.get("CI", "").lower() in {"1", "true", "yes"}:
        pytest.fail(message)
    pytest.skip(message)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_committee_staff_logs_in_and_sees_the_dashboard(live_server, tmp_path):
    executable = _chromium()
    from playwright.sync_api import expect, sync_playwright

    # transaction=True tests start from a flushed database: make sure the role groups exist
    sync_role_permissions()
    create_user_with_role(username="browser_staff", password=PASSWORD, role=roles.COMMITTEE_STAFF,
                          full_name="浏览器测试")

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS, headless=True)
        try:
            # an English browser still gets the Chinese interface (Chinese first; English only when chosen)
            page = browser.new_page(locale="en-US", viewport={"width": 1280, "height": 900})
            page.set_default_timeout(15_000)
            page.goto(f"{live_server.url}/admin/login/?next=/admin/")
            page.fill("#id_username", "browser_staff")
            page.fill("#id_password", PASSWORD)
            page.click("input[type=submit]")
            page.wait_for_url(f"{live_server.url}/admin/")

            expect(page.locator("#site-name")).to_contain_text("区人大常委会履职服务平台")
            expect(page.locator("#dashboard-figures")).to_be_visible()
            expect(page.locator("#user-tools")).to_contain_text("修改密码")
            expect(page.get_by_role("link", name="人大代表", exact=True).first).to_be_visible()
            page.screenshot(path=str(tmp_path / "dashboard.png"), full_page=True)
        finally:
            browser.close()
    assert (tmp_path / "dashboard.png").stat().st_size > 0
