"""The deputy portal in a real browser on a 375-px phone screen (Debian's chromium through Playwright, launched
as in tests/test_browser.py): logging an activity with a photo until its points show, and QR sign-in."""
import datetime
import io

import pytest
from django.utils import timezone

from congress import roles
from congress.roles import sync_role_permissions
from congress.services import create_user_with_role
from tests.test_browser import CHROMIUM_ARGS, _chromium, staff_desk

PASSWORD = "Renda@2026pass"
PHONE = {"width": 375, "height": 740}


def _restore_permissions():
    """transaction=True tests start from a flushed database, and after the first such test in a process the flush
    leaves no content types or permissions behind (the post_migrate handlers skip apps whose models_module the
    test run has reset). Make them again from the models, then the role groups."""
    from django.apps import apps
    from django.contrib.auth.management import _get_all_permissions
    from django.contrib.auth.models import Permission
    from django.contrib.contenttypes.models import ContentType

    ContentType.objects.clear_cache()
    for model in apps.get_models():
        ct = ContentType.objects.get_for_model(model, for_concrete_model=False)
        for codename, name in _get_all_permissions(model._meta):
            Permission.objects.get_or_create(content_type=ct, codename=codename, defaults={"name": name[:255]})


@pytest.fixture
def portal_world(settings, tmp_path):
    from congress.models import Organization, Term
    from deputies.models import Deputy, DutyActivityType, Mandate, PointRule
    from tests.sample import sample_id_number

    settings.MEDIA_ROOT = tmp_path / "media"
    _restore_permissions()
    sync_role_permissions()
    term = Term.objects.create(number=17, start_date=datetime.date(2021, 10, 1), is_current=True)
    town = Organization.objects.create(name="城东街道", kind=Organization.Kind.STREET)
    user = create_user_with_role(username="b_deputy", password=PASSWORD, role=roles.DEPUTY, full_name="周建华")
    deputy = Deputy.objects.create(full_name="周建华", gender="M", id_number=sample_id_number(7), town=town, user=user)
    Mandate.objects.create(deputy=deputy, level=Mandate.Level.DISTRICT, term=term, start_date=term.start_date)
    kind = DutyActivityType.objects.create(name="视察", checklist_item="supervision", sort_order=1)
    PointRule.objects.create(activity_type=kind, points_present=3, points_absent=-1, effective_from=term.start_date)
    create_user_with_role(username="b_staff", password=PASSWORD, role=roles.COMMITTEE_STAFF, full_name="王秘书")
    photo = tmp_path / "site.jpg"
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (2000, 1500), (30, 120, 200)).save(out, "JPEG")
    photo.write_bytes(out.getvalue())
    return {"deputy": deputy, "kind": kind, "photo": photo}


def _login(page, base, username, next_url=""):
    page.goto(f"{base}/accounts/login/{next_url}")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button.primary")


def _fits_the_phone(page):
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"the page is {width}px wide on a {PHONE['width']}px screen"


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_deputy_logs_an_activity_staff_verify_it_and_the_points_change(live_server, portal_world, tmp_path):
    executable = _chromium()
    from playwright.sync_api import expect, sync_playwright

    base = live_server.url
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS, headless=True)
        try:
            phone = browser.new_context(locale="zh-CN", viewport=PHONE, is_mobile=True, has_touch=True).new_page()
            phone.set_default_timeout(15_000)
            _login(phone, base, "b_deputy")
            phone.wait_for_url(f"{base}/portal/")
            expect(phone.locator("#score strong")).to_have_text("0")
            _fits_the_phone(phone)

            phone.click("text=＋ 登记履职活动")
            phone.select_option("select[name=activity_type]", label="视察")
            phone.fill("input[name=place]", "城东代表联络站")
            phone.fill("textarea[name=description]", "察看老旧小区加装电梯进展")
            phone.set_input_files("input[name=photos]", str(portal_world["photo"]))
            _fits_the_phone(phone)
            phone.click("#activity-form button.primary")
            expect(phone.locator("#activity-status")).to_have_text("待审核")
            expect(phone.locator(".photos img")).to_have_count(1)
            assert phone.locator(".photos img").evaluate(
                "img => img.complete && img.naturalWidth ? img.naturalWidth"
                " : new Promise(done => img.addEventListener('load', () => done(img.naturalWidth)))") == 1600
            phone.screenshot(path=str(tmp_path / "activity.png"), full_page=True)

            desk = staff_desk(browser, base, "/admin/deputies/dutyactivity/?status__exact=submitted", password=PASSWORD)
            desk.locator("#result_list input.action-select").first.check()
            desk.select_option("select[name=action]", "verify")
            desk.click("button[name=index]")
            expect(desk.locator("ul.messagelist")).to_contain_text("已审核通过 1 项")

            phone.goto(f"{base}/portal/")
            expect(phone.locator("#score strong")).to_have_text("3")
            expect(phone.locator("#checklist li.done")).to_have_count(1)
            phone.screenshot(path=str(tmp_path / "home.png"), full_page=True)
        finally:
            browser.close()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_deputy_signs_in_by_scanning_the_event_code(live_server, portal_world):
    executable = _chromium()
    from playwright.sync_api import expect, sync_playwright

    from deputies.models import DutyActivity, DutyActivityParticipant

    base = live_server.url
    event = DutyActivity.objects.create(title="视察老旧小区改造", activity_type=portal_world["kind"],
                                        date=timezone.localdate(), place="城东街道")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS, headless=True)
        try:
            desk = staff_desk(browser, base, "/admin/deputies/dutyactivity/", password=PASSWORD)
            desk.wait_for_url(f"{base}/admin/deputies/dutyactivity/")
            desk.locator("#result_list input.action-select").first.check()
            desk.select_option("select[name=action]", "open_signin")
            desk.click("button[name=index]")
            desk.goto(f"{base}/admin/deputies/dutyactivity/{event.pk}/change/")
            qr = desk.locator("img[alt=签到二维码]")
            expect(qr).to_be_visible()
            assert qr.evaluate("img => img.naturalWidth") > 100

            # what the printed code encodes: the sign-in address; the phone opens it, logs in, taps once
            signin = desk.locator("a.signin-url").get_attribute("href")
            phone = browser.new_context(locale="zh-CN", viewport=PHONE, is_mobile=True, has_touch=True).new_page()
            phone.set_default_timeout(15_000)
            phone.goto(f"{base}{signin}")
            phone.wait_for_url("**/accounts/login/**")
            phone.fill("input[name=username]", "b_deputy")
            phone.fill("input[name=password]", PASSWORD)
            phone.click("button.primary")
            phone.wait_for_url(f"**{signin}")
            _fits_the_phone(phone)
            phone.click("#signin-button")
            expect(phone.locator(".msg")).to_contain_text("签到成功")
            expect(phone.locator("#activity-status")).to_be_visible()
        finally:
            browser.close()
    row = DutyActivityParticipant.objects.get(activity=event)
    assert row.deputy == portal_world["deputy"] and row.confirmed_at is not None
