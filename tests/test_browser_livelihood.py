"""A deputy votes on the livelihood projects on a 375-px phone (Debian's chromium through Playwright, launched as in
tests/test_browser.py): the ballot lists the twelve candidates with a checkbox each; ticking an eleventh box for ten
places shows that such a ballot is invalid and disables the submit button; with ten ticked the ballot is accepted and
the page says the deputy has voted. The server refuses too many marks on its own (tested in supervision/tests)."""
import datetime

import pytest

from congress import roles
from congress.roles import sync_role_permissions
from congress.services import create_user_with_role
from tests.test_browser import CHROMIUM_ARGS, _chromium
from tests.test_browser_portal import PASSWORD, PHONE, _fits_the_phone, _login, _restore_permissions


@pytest.fixture
def livelihood_world(settings):
    from congress.models import Organization, Term
    from supervision.tests.conftest import make_member
    from supervision.tests.livelihood_helpers import S, make_round

    _restore_permissions()
    sync_role_permissions()
    term = Term.objects.create(number=17, start_date=datetime.date(2021, 10, 1), is_current=True)
    town = Organization.objects.create(name="城东街道", kind=Organization.Kind.STREET)
    owner = Organization.objects.create(name="区住房和城乡建设局", kind=Organization.Kind.DEPARTMENT, is_handling_unit=True)
    members = [make_member(term, town, n) for n in range(1, 4)]
    staff = create_user_with_role(username="b_staff", password=PASSWORD, role=roles.COMMITTEE_STAFF, full_name="王秘书")
    round_ = make_round(staff, term, owner, candidates=12, places=10, status=S.VOTING)
    return {"members": members, "round": round_}


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_deputy_votes_on_the_livelihood_projects_on_a_phone(live_server, livelihood_world, tmp_path):
    executable = _chromium()
    from playwright.sync_api import expect, sync_playwright

    from supervision.models import LivelihoodBallot, LivelihoodVoter

    base, round_, member = live_server.url, livelihood_world["round"], livelihood_world["members"][0]
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS, headless=True)
        try:
            phone = browser.new_context(locale="zh-CN", viewport=PHONE, is_mobile=True, has_touch=True).new_page()
            phone.set_default_timeout(15_000)
            _login(phone, base, member.user.username, "?next=/portal/livelihood/")
            phone.wait_for_url(f"{base}/portal/livelihood/")
            _fits_the_phone(phone)
            phone.click("#livelihood-rounds a.button.primary")  # 去投票
            expect(phone.locator("h1")).to_have_text(round_.title)
            boxes = phone.locator("#ballot input[name=projects]")
            expect(boxes).to_have_count(12)
            expect(phone.locator("#ballot")).to_contain_text("最多勾选10个")
            _fits_the_phone(phone)
            for n in range(11):
                boxes.nth(n).check()
            # eleven for ten places: the deputy is told before submitting, and cannot submit
            expect(phone.locator("#ballot-warning")).to_be_visible()
            expect(phone.locator("#ballot-warning")).to_contain_text("勾选已超过10个，这样的选票无效，不能提交")
            expect(phone.locator("#ballot-marked")).to_have_text("11")
            expect(phone.locator("#ballot-submit")).to_be_disabled()
            phone.screenshot(path=str(tmp_path / "too-many.png"), full_page=True)
            boxes.nth(10).uncheck()
            expect(phone.locator("#ballot-warning")).to_be_hidden()
            expect(phone.locator("#ballot-submit")).to_be_enabled()
            _fits_the_phone(phone)
            phone.click("#ballot-submit")
            expect(phone.locator("body")).to_contain_text("投票成功")
            expect(phone.locator("#voted")).to_contain_text("您已投票")
            expect(phone.locator("#ballot")).to_have_count(0)
            _fits_the_phone(phone)
            phone.screenshot(path=str(tmp_path / "voted.png"), full_page=True)
        finally:
            browser.close()
    ballot = LivelihoodBallot.objects.get()
    assert ballot.valid and sorted(ballot.marks.values_list("number", flat=True)) == list(range(1, 11))
    assert LivelihoodVoter.objects.get(round=round_, deputy=member).channel == "online"
