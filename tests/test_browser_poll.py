"""A satisfaction poll in a real browser (Debian's chromium through Playwright, launched as in tests/test_browser.py):
three committee members vote on their 375-px phones in /portal/polls/, staff close and publish the poll in the admin,
and the published figures show on the meeting room's screen and on the members' phones."""
import datetime

import pytest

from congress import roles
from congress.roles import sync_role_permissions
from congress.services import create_user_with_role
from tests.test_browser import CHROMIUM_ARGS, _chromium
from tests.test_browser_portal import PASSWORD, PHONE, _fits_the_phone, _login, _restore_permissions


@pytest.fixture
def poll_world(settings):
    from congress.models import Organization, Term
    from supervision import services
    from supervision.tests.conftest import make_member

    _restore_permissions()
    sync_role_permissions()
    term = Term.objects.create(number=17, start_date=datetime.date(2021, 10, 1), is_current=True)
    town = Organization.objects.create(name="城东街道", kind=Organization.Kind.STREET)
    members = [make_member(term, town, n) for n in range(1, 6)]  # five members: two do not vote
    staff = create_user_with_role(username="b_staff", password=PASSWORD, role=roles.COMMITTEE_STAFF, full_name="王秘书")
    poll = services.poll_open(actor=staff, poll=services.poll_create(
        actor=staff, term=term, title="对区住建局审议意见办理情况的满意度测评"))
    return {"members": members, "poll": poll}


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_three_members_vote_on_their_phones_and_staff_close_and_publish_the_poll(live_server, poll_world, tmp_path):
    executable = _chromium()
    from playwright.sync_api import expect, sync_playwright

    from supervision.models import PollBallot, SatisfactionPoll

    base, poll = live_server.url, poll_world["poll"]
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS, headless=True)
        try:
            phones = []
            for member, choice in zip(poll_world["members"][:3], ["satisfied", "satisfied", "basic"], strict=True):
                phone = browser.new_context(locale="zh-CN", viewport=PHONE, is_mobile=True, has_touch=True).new_page()
                phone.set_default_timeout(15_000)
                _login(phone, base, member.user.username, "?next=/portal/polls/")
                phone.wait_for_url(f"{base}/portal/polls/")
                _fits_the_phone(phone)
                phone.click("#open-polls a.button.primary")  # 去投票
                expect(phone.locator("h1")).to_have_text(poll.title)
                phone.check(f"#vote-form input[name=choice][value={choice}]")
                _fits_the_phone(phone)
                phone.click("#vote-button")
                phone.wait_for_url(f"{base}/portal/polls/")
                expect(phone.locator("body")).to_contain_text("投票成功")
                expect(phone.locator("#open-polls")).to_contain_text("目前没有需要您投票的测评")
                phones.append(phone)
            phones[0].screenshot(path=str(tmp_path / "voted.png"), full_page=True)
            assert PollBallot.objects.count() == 3

            desk = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900}).new_page()
            desk.set_default_timeout(15_000)
            change = f"/admin/supervision/satisfactionpoll/{poll.pk}/change/"
            desk.goto(f"{base}/admin/login/?next={change}")
            desk.fill("#id_username", "b_staff")
            desk.fill("#id_password", PASSWORD)
            desk.click("input[type=submit]")
            desk.wait_for_url(f"{base}{change}")
            desk.click("a[data-transition=close]")
            desk.click("#content-main input[type=submit]")
            expect(desk.locator("ul.messagelist")).to_contain_text("已结束投票并计票")
            desk.click("a[data-transition=publish]")
            desk.click("#content-main input[type=submit]")
            expect(desk.locator("ul.messagelist")).to_contain_text("已公布测评结果")
            desk.click("#screen-link")
            # against all five members: 满意 2/5 = 40% (under half), 满意+基本满意 3/5 = 60%: 基本满意
            expect(desk.locator("#poll-result")).to_have_text("测评结果：基本满意")
            totals = desk.locator("#poll-figures tfoot td")
            expect(totals).to_have_text(["合计（加权）", "100%", "5", "3", "3", "0", "40.0%", "20.0%", "0.0%"])
            desk.screenshot(path=str(tmp_path / "screen.png"), full_page=True)

            phone = phones[2]
            phone.goto(f"{base}/portal/polls/")
            expect(phone.locator("#published-polls")).to_contain_text(poll.title)
            expect(phone.locator("#published-polls .status")).to_have_text("基本满意")
            phone.click(f"#published-polls a:has-text('{poll.title}')")
            expect(phone.locator("#result h2")).to_have_text("测评结果：基本满意")
            expect(phone.locator("#result")).to_contain_text("满意 40.0% · 基本满意 20.0% · 不满意 0.0%")
            expect(phone.locator("#result")).to_contain_text("应参评 5 人，收回选票 3 张（有效 3，无效 0）")
            _fits_the_phone(phone)
        finally:
            browser.close()
    poll.refresh_from_db()
    assert poll.status == SatisfactionPoll.Status.PUBLISHED and poll.result == SatisfactionPoll.Choice.BASIC
    assert poll.figures["totals"]["cast"] == 3 and poll.figures["totals"]["eligible"] == 5
