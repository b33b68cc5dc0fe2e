"""Drafts that survive a bad connection, in a real browser on a phone-sized screen (Debian's chromium through Playwright,
launched as in tests/test_browser_portal.py): a deputy fills the activity form and the suggestion form, the connection
drops half-way, the submit keeps the draft on the phone ("已保存在本机，联网后提交"), the page reopened offline comes
from the service worker with the text put back, and when the connection is back the draft is sent once, with a fresh
CSRF token although the kept page's token went stale, and deleted from the phone; and a draft whose answer was lost
on the way is sent again but creates nothing new.

Playwright's offline switch does not reach a service worker's own requests (microsoft/playwright#2311), so while
"offline" the test also aborts every request the worker makes (its network events are on through
PW_EXPERIMENTAL_SERVICE_WORKER_NETWORK_EVENTS): the reopened page can only come from the worker's cache."""
import pytest
from django.urls import reverse

from tests.test_browser import CHROMIUM_ARGS, _chromium
from tests.test_browser_portal import PHONE, _login, portal_world  # noqa: F401 (a fixture)

DRAFTS_JS = "Object.keys(localStorage).filter(key => key.startsWith('congress-draft:'))"


class Network:
    """Offline for the page (context.set_offline) and for the service worker (its requests aborted)."""

    def __init__(self, context):
        self.context, self.offline = context, False
        context.route("**/*", self._route)

    def _route(self, route):
        if self.offline and route.request.service_worker:
            route.abort("internetdisconnected")
        else:
            route.continue_()

    def set_offline(self, offline: bool):
        self.offline = offline
        self.context.set_offline(offline)


def _stale_csrf_cookie(context, base):
    """A new CSRF secret on the phone (as after logging in again elsewhere): the kept page's token no longer fits."""
    cookie = next(c for c in context.cookies(base) if c["name"] == "csrftoken")
    context.add_cookies([{**cookie, "value": "A" * 32}])


def _round_trip(page, network, base, *, url, fill_online, field, text, created):
    from playwright.sync_api import expect

    page.goto(f"{base}{url}")
    expect(page.locator("html[data-offline-ready='1']")).to_have_count(1)  # the worker keeps this page and its files
    fill_online(page)
    network.set_offline(True)
    page.fill(field, text)
    page.click("form[data-draft] button.primary")
    status = page.locator(".draft-status")
    expect(status).to_contain_text("已保存在本机，联网后提交")
    expect(status).to_contain_text("照片需联网后重新选择")
    assert created() == 0

    reopened = page.reload()
    assert reopened.from_service_worker
    expect(page.locator(field)).to_have_value(text)
    expect(status).to_contain_text("已保存在本机，联网后提交")
    assert len(page.evaluate(DRAFTS_JS)) == 1

    _stale_csrf_cookie(network.context, base)
    network.set_offline(False)
    page.wait_for_url(lambda address: not address.endswith(url))
    expect(page.locator(".messages")).to_be_visible()
    assert created() == 1
    assert page.evaluate(DRAFTS_JS) == []
    page.goto(f"{base}{url}")
    expect(page.locator(field)).to_have_value("")
    assert created() == 1


def _answer_lost(page, context, base, created):
    """A weak signal the phone still calls online: the server takes the POST and creates the activity, the answer never
    arrives. The next visit to the form sends the kept draft again; the server sees its token and creates nothing."""
    from playwright.sync_api import Error as PlaywrightError
    from playwright.sync_api import expect

    url = reverse("portal:activity_new")

    answers_lost = []

    def lose_the_answer(route):
        if route.request.method == "POST":
            route.fetch()
            route.abort("connectionreset")
            answers_lost.append(route.request.url)
        else:
            route.continue_()

    page.goto(f"{base}{url}")
    page.select_option("select[name=activity_type]", label="视察")
    page.fill("input[name=place]", "白石村代表联络点")
    page.fill("textarea[name=description]", "走访白石村留守老人")
    context.route(f"**{url}", lose_the_answer)
    page.click("form[data-draft] button.primary", no_wait_after=True)
    # the server commits the activity before its answer is back in route.fetch: wait for the handler to finish (the
    # answer, with its cookie, fetched and then lost), not only for the row
    for _ in range(100):
        if created() and answers_lost:
            break
        page.wait_for_timeout(100)
    context.unroute(f"**{url}", lose_the_answer)
    assert created() == 1 and len(answers_lost) == 1
    # route.fetch shares the context's cookies, so the answer's "accepted" cookie reached the phone after all: drop it
    # (cleared before it arrived, it came back and the form deleted the draft instead of sending it again)
    # The cookie reaches the context's jar some time after route.fetch returns: wait for it, then drop it.
    for _ in range(50):
        if any(cookie["name"] == "draft_accepted" for cookie in context.cookies()):
            break
        page.wait_for_timeout(100)
    context.clear_cookies(name="draft_accepted")
    assert not any(cookie["name"] == "draft_accepted" for cookie in context.cookies())

    # Chrome shows its error page for the lost answer (chrome-error://chromewebdata/); a goto while that navigation is
    # still under way is interrupted by it, so the goto is asked again once it has settled
    for attempt in range(3):
        try:
            page.goto(f"{base}{url}")
            break
        except PlaywrightError as exc:
            if "interrupted by another navigation" not in str(exc) or attempt == 2:
                raise
            page.wait_for_load_state()
    page.wait_for_url(lambda address: not address.endswith(url))
    expect(page.locator(".messages")).to_contain_text("这份草稿已经提交过，没有重复登记")
    assert created() == 1
    assert page.evaluate(DRAFTS_JS) == []


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_draft_survives_the_connection_dropping_and_is_sent_once_when_it_is_back(
        live_server, portal_world, monkeypatch):  # noqa: F811 (the imported fixture)
    executable = _chromium()
    monkeypatch.setenv("PW_EXPERIMENTAL_SERVICE_WORKER_NETWORK_EVENTS", "1")
    from playwright.sync_api import sync_playwright

    from deputies.models import DutyActivity
    from proposals.models import Suggestion

    base = live_server.url
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS, headless=True)
        try:
            context = browser.new_context(locale="zh-CN", viewport=PHONE, is_mobile=True, has_touch=True,
                                          service_workers="allow")
            network = Network(context)
            page = context.new_page()
            page.set_default_timeout(15_000)
            _login(page, base, "b_deputy")
            page.wait_for_url(f"{base}/portal/")

            def activity_online(p):
                p.select_option("select[name=activity_type]", label="视察")
                p.fill("input[name=place]", "青山村代表联络点")

            _round_trip(page, network, base, url=reverse("portal:activity_new"), fill_online=activity_online,
                        field="textarea[name=description]", text="察看青山村饮水工程进展，村民反映水压不足",
                        created=lambda: DutyActivity.objects.filter(place="青山村代表联络点").count())

            _round_trip(page, network, base, url=reverse("proposals:portal_new"),
                        fill_online=lambda p: p.fill("input[name=title]", "关于改善青山村饮水水压的建议"),
                        field="textarea[name=content]", text="青山村地势较高，用水高峰时水压不足，建议加装加压泵站。",
                        created=lambda: Suggestion.objects.filter(title="关于改善青山村饮水水压的建议").count())
            suggestion = Suggestion.objects.get(title="关于改善青山村饮水水压的建议")
            assert suggestion.content == "青山村地势较高，用水高峰时水压不足，建议加装加压泵站。"

            _answer_lost(page, context, base, lambda: DutyActivity.objects.filter(place="白石村代表联络点").count())
        finally:
            browser.close()
