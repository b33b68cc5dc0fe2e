"""A voter's opinion from a phone to a rated answer, in a real browser: the voter opens the station's page (where its
QR code leads), leaves an opinion and gets a tracking code; town staff answer it on the admin's reply page; the voter
looks the code up, reads the answer and rates it, which closes the loop."""
import pytest

from congress import roles
from congress.roles import sync_role_permissions
from congress.services import create_user_with_role, user_set_managed_towns
from tests.test_browser import CHROMIUM_ARGS, _chromium
from tests.test_browser_suggestion import PASSWORD, _fits_the_phone, _phone


@pytest.fixture
def opinion_world(db):
    from congress.models import Organization
    from stations.models import Station

    sync_role_permissions()  # transaction=True tests start from a flushed database
    town = Organization.objects.create(name="城东街道", kind=Organization.Kind.STREET)
    station = Station.objects.create(name="城东街道复兴社区人大代表联络站", kind=Station.Kind.LIAISON, town=town,
                                     address="江海区城东街道人民路18号")
    clerk = create_user_with_role(username="b_town", password=PASSWORD, role=roles.TOWN_STAFF, full_name="陈干事")
    security = create_user_with_role(username="b_sec", password=PASSWORD, role=roles.SECURITY_ADMIN)
    user_set_managed_towns(actor=security, user=clerk, towns=[town])
    return {"station": station, "clerk": clerk}


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_voter_leaves_an_opinion_town_staff_answer_and_the_voter_rates_it(live_server, opinion_world, monkeypatch):
    executable = _chromium()
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import expect, sync_playwright

    from congress.models import Notification
    from stations.models import VoterOpinion

    base, station = live_server.url, opinion_world["station"]
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS, headless=True)
        try:
            voter = _phone(browser)
            voter.goto(f"{base}/stations/{station.pk}/")
            _fits_the_phone(voter)
            voter.click("#leave-opinion")
            voter.select_option("select[name=category]", label="城乡建设")
            voter.fill("textarea[name=content]", "复兴社区东门外的路灯坏了一个多月，晚上出行很不方便，希望尽快修复。")
            voter.fill("input[name=phone]", "13912345678")
            _fits_the_phone(voter)
            voter.click("#opinion-form button.primary")
            expect(voter.locator("#opinion-status")).to_have_text("待处理")
            code = voter.locator("#tracking-code").inner_text()
            assert len(code) == 10 and code in voter.locator(".msg").inner_text()
            opinion = VoterOpinion.objects.get(tracking_code=code)
            assert opinion.phone == "13912345678"
            assert Notification.objects.filter(recipient=opinion_world["clerk"], kind="voter_opinion").exists()

            desk = browser.new_context(locale="zh-CN").new_page()
            desk.set_default_timeout(15_000)
            desk.goto(f"{base}/admin/login/?next=/admin/stations/voteropinion/{opinion.pk}/change/")
            desk.fill("input[name=username]", "b_town")
            desk.fill("input[name=password]", PASSWORD)
            desk.click("input[type=submit]")
            expect(desk.locator("div.field-phone_full")).to_contain_text("13912345678")
            desk.click("text=答复")
            desk.fill("textarea[name=reply]", "已联系街道城管科，路灯已于今日修复。")
            desk.click("input[type=submit]")
            expect(desk.locator("ul.messagelist")).to_contain_text("已答复")

            voter.goto(f"{base}/opinions/")
            voter.fill("input[name=code]", code.lower())
            voter.click("#lookup button.primary")
            expect(voter.locator("#reply")).to_contain_text("路灯已于今日修复")
            voter.check("input[name=satisfaction][value=satisfied]")
            _fits_the_phone(voter)
            voter.click("#rate button.primary")
            expect(voter.locator("#opinion-status")).to_have_text("已办结")
            expect(voter.locator("#timeline li").last).to_contain_text("群众评价")
            expect(voter.locator("#timeline li").last).to_contain_text("满意")
            assert "13912345678" not in voter.content()
        finally:
            browser.close()
    opinion.refresh_from_db()
    assert (opinion.status, opinion.satisfaction) == (VoterOpinion.Status.CLOSED, "satisfied")
    assert [e.action for e in opinion.state_changes.all()] == ["submit", "reply", "rate"]
