"""A suggestion from a deputy's phone to a rated reply, in a real browser on a 375-px screen (Debian's chromium through
Playwright, launched as in tests/test_browser.py): the deputy writes and submits it, staff register and assign it (through
the services: the staff side is the admin's; staff find it in their list), the unit replies with a signed PDF letter in
/unit/, the deputy rates it."""
import datetime

import pytest

from congress import roles
from congress.roles import sync_role_permissions
from congress.services import create_user_with_role
from tests.test_browser import CHROMIUM_ARGS, _chromium, staff_desk

PASSWORD = "Renda@2026pass"
PHONE = {"width": 375, "height": 740}


@pytest.fixture
def suggestion_world(settings, tmp_path):
    from congress.models import Organization, Term
    from deputies.models import Deputy, Mandate
    from proposals.models import SuggestionCategory
    from tests.sample import sample_id_number

    settings.MEDIA_ROOT = tmp_path / "media"
    sync_role_permissions()  # transaction=True tests start from a flushed database
    term = Term.objects.create(number=17, start_date=datetime.date(2021, 10, 1), is_current=True)
    town = Organization.objects.create(name="城东街道", kind=Organization.Kind.STREET)
    unit = Organization.objects.create(name="区住房和城乡建设局", kind=Organization.Kind.DEPARTMENT, is_handling_unit=True)
    user = create_user_with_role(username="b_deputy", password=PASSWORD, role=roles.DEPUTY, full_name="周建华")
    deputy = Deputy.objects.create(full_name="周建华", gender="M", id_number=sample_id_number(7), town=town, user=user)
    Mandate.objects.create(deputy=deputy, level=Mandate.Level.DISTRICT, term=term, start_date=term.start_date)
    staff = create_user_with_role(username="b_staff", password=PASSWORD, role=roles.COMMITTEE_STAFF, full_name="王秘书")
    create_user_with_role(username="b_unit", password=PASSWORD, role=roles.HANDLING_UNIT, full_name="孙科长",
                          organization=unit)
    SuggestionCategory.objects.create(name="城乡建设")
    letter = tmp_path / "答复函.pdf"
    letter.write_bytes(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")
    return {"deputy": deputy, "unit": unit, "staff": staff, "letter": letter}


def _phone(browser):
    page = browser.new_context(locale="zh-CN", viewport=PHONE, is_mobile=True, has_touch=True).new_page()
    page.set_default_timeout(15_000)
    return page


def _login(page, base, username):
    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button.primary")


def _fits_the_phone(page):
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"the page is {width}px wide on a {PHONE['width']}px screen"


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_deputy_submits_a_unit_replies_with_a_letter_and_the_deputy_rates_it(live_server, suggestion_world, tmp_path,
                                                                            monkeypatch):
    executable = _chromium()
    # the staff steps call services between browser steps, inside Playwright's event loop (scripts/test.sh sets it too)
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import expect, sync_playwright

    from proposals import services
    from proposals.models import Evaluation, Reply, Suggestion

    base = live_server.url
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS, headless=True)
        try:
            deputy = _phone(browser)
            _login(deputy, base, "b_deputy")
            deputy.wait_for_url(f"{base}/portal/")
            deputy.click("#panel-suggestions a.button")
            deputy.fill("input[name=title]", "关于加快老旧小区加装电梯的建议")
            deputy.fill("textarea[name=content]", "老旧小区老年居民多，上下楼困难，建议加快加装电梯。")
            deputy.select_option("select[name=category]", label="城乡建设")
            _fits_the_phone(deputy)
            deputy.click("#suggestion-form button.primary")
            expect(deputy.locator("#suggestion-status")).to_contain_text("草稿")
            deputy.click("#submit-button")
            expect(deputy.locator("#suggestion-status")).to_contain_text("已提交")
            _fits_the_phone(deputy)

            suggestion = Suggestion.objects.get()
            staff = suggestion_world["staff"]
            services.suggestion_register(actor=staff, suggestion=suggestion)
            services.suggestion_assign(actor=staff, suggestion=suggestion, lead=suggestion_world["unit"])

            # staff's list: a row's selection box is named by the row's number and title (Chromium's accessible name,
            # from aria-labelledby), and the 重点督办 mark has the project's style under the pages' CSP
            Suggestion.objects.filter(pk=suggestion.pk).update(is_priority=True)
            suggestion.refresh_from_db()
            desk = staff_desk(browser, base, "/admin/proposals/suggestion/", password=PASSWORD)
            desk.get_by_role("checkbox", name=f"{suggestion.number} {suggestion.title}", exact=True).check()
            expect(desk.locator(".action-counter")).to_have_text("选中了 1 个中的 1 个")
            expect(desk.locator("#result_list .flag.priority")).to_have_css("background-color", "rgb(138, 75, 0)")

            unit = _phone(browser)
            _login(unit, base, "b_unit")
            unit.wait_for_url(f"{base}/unit/")
            expect(unit.locator("#assignments .status.green")).to_have_text("充裕")
            _fits_the_phone(unit)
            unit.click("text=关于加快老旧小区加装电梯的建议")
            unit.set_input_files("#reply-form input[name=letter]", str(suggestion_world["letter"]))
            unit.select_option("#reply-form select[name=result]", "A")
            unit.fill("#reply-form textarea[name=summary]", "已纳入今年加装计划，年底前完工。")
            unit.check("#reply-form input[name=publishable]")
            _fits_the_phone(unit)
            unit.screenshot(path=str(tmp_path / "unit.png"), full_page=True)
            unit.click("#reply-form button.primary")
            expect(unit.locator("#assignment-status")).to_have_text("已答复")
            assert Reply.objects.get().letter.read().startswith(b"%PDF-")

            deputy.goto(f"{base}/portal/")
            expect(deputy.locator("#panel-to-rate")).to_contain_text("关于加快老旧小区加装电梯的建议")
            deputy.click("#panel-to-rate a.button")
            expect(deputy.locator("#replies")).to_contain_text("已纳入今年加装计划")
            deputy.check("input[name=rating][value=satisfied]")
            deputy.fill(".rate-form textarea[name=comment]", "办理及时")
            _fits_the_phone(deputy)
            deputy.click(".rate-form button.primary")
            expect(deputy.locator(".msg")).to_contain_text("已评价：满意")
            expect(deputy.locator("#timeline")).to_contain_text("评价")
            deputy.screenshot(path=str(tmp_path / "rated.png"), full_page=True)
        finally:
            browser.close()
    evaluation = Evaluation.objects.get()
    assert (evaluation.deputy, evaluation.rating, evaluation.comment) == (suggestion_world["deputy"], "satisfied", "办理及时")
