"""Content-Security-Policy (django-csp): every page type carries the header, the header names no other origin and
allows no inline script or style, the templates hold nothing the policy would block, and the admin's and the portal's
scripts still work in a real browser under it (tests/conftest.py fails a browser test on any violation)."""
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from conftest import PASSWORD, client_for
from tests.sample import make_sample

ROOT = Path(__file__).resolve().parent.parent
ALLOWED_SOURCES = {"'self'", "'none'"}
EXPECTED = {
    "default-src": {"'self'"}, "script-src": {"'self'"}, "style-src": {"'self'"}, "img-src": {"'self'"},
    "object-src": {"'none'"}, "base-uri": {"'self'"}, "frame-ancestors": {"'none'"}, "form-action": {"'self'"},
    "worker-src": {"'self'"},
}


def parse_policy(header: str) -> dict[str, set[str]]:
    policy = {}
    for part in header.split(";"):
        words = part.split()
        if words:
            policy[words[0]] = set(words[1:])
    return policy


@pytest.fixture
def pages(db, town_a, term, staff, deputy_user, unit_user):
    rows = make_sample(town=town_a, term=term, user=staff)
    rows["deputy"].user = deputy_user
    rows["deputy"].save(update_fields=["user"])
    return [
        (None, reverse("accounts:login")),
        (None, reverse("admin:login")),
        (None, reverse("stations:public_list")),
        (None, reverse("stations:public_detail", args=[rows["station"].pk])),
        (None, reverse("stations:opinion_new", args=[rows["station"].pk])),
        (None, reverse("proposals:public_list")),
        (None, reverse("home")),
        (staff, reverse("admin:index")),
        (staff, reverse("admin:deputies_deputy_changelist")),
        (staff, reverse("admin:deputies_deputy_change", args=[rows["deputy"].pk])),
        (staff, reverse("admin:deputies_mandate_add")),
        (staff, reverse("admin:deputies_deputy_export")),
        (staff, reverse("admin:deputies_deputy_import")),
        (deputy_user, reverse("portal:home")),
        (deputy_user, reverse("portal:record")),
        (unit_user, reverse("unit:inbox")),
        (unit_user, reverse("stations_unit:list")),
    ]


class TestHeader:
    def test_every_page_type_carries_the_policy_and_names_no_other_origin(self, pages):
        clients = {}
        for user, url in pages:
            client = clients.setdefault(user, client_for(user))
            response = client.get(url)
            assert response.status_code == 200, url
            header = response.headers.get("Content-Security-Policy")
            assert header, f"{url} has no Content-Security-Policy"
            policy = parse_policy(header)
            assert policy == EXPECTED, (url, header)
            for sources in policy.values():
                assert sources <= ALLOWED_SOURCES, (url, sources)

    def test_refusals_and_redirects_carry_it_too(self, db, deputy_user):
        for response in (client_for(None).get("/admin/"), client_for(None).get("/no-such-page/"),
                         client_for(deputy_user).get(reverse("unit:inbox"))):
            assert response.status_code in {302, 403, 404}
            assert parse_policy(response.headers["Content-Security-Policy"]) == EXPECTED

    def test_the_setting_allows_no_inline_code_and_no_other_origin(self):
        directives = settings.CONTENT_SECURITY_POLICY["DIRECTIVES"]
        for name, sources in directives.items():
            assert set(sources) <= ALLOWED_SOURCES, (name, sources)


# What the policy blocks, as it appears in a template: an inline <script> with a body (a data block such as
# json_script's application/json is not run and so not blocked), an on…= event handler, a javascript: URL, a style=
# attribute and a <style> element.
INLINE_SCRIPT = re.compile(r"<script\b(?![^>]*\bsrc\s*=)(?![^>]*type\s*=\s*[\"']application/(?:ld\+)?json)[^>]*>",
                           re.IGNORECASE)
SCRIPT_WITH_BODY = re.compile(r"<script\b[^>]*\bsrc\s*=[^>]*>\s*[^\s<]", re.IGNORECASE)
EVENT_HANDLER = re.compile(r"<[a-z][^>]*?\son[a-z]+\s*=", re.IGNORECASE)
JAVASCRIPT_URL = re.compile(r"javascript\s*:", re.IGNORECASE)
STYLE_ATTRIBUTE = re.compile(r"<[a-z][^>]*?\sstyle\s*=", re.IGNORECASE)
STYLE_ELEMENT = re.compile(r"<style\b", re.IGNORECASE)
BLOCKED = {"inline <script>": INLINE_SCRIPT, "<script src> with a body": SCRIPT_WITH_BODY,
           "on…= event handler": EVENT_HANDLER, "javascript: URL": JAVASCRIPT_URL, "style= attribute": STYLE_ATTRIBUTE,
           "<style> element": STYLE_ELEMENT}


def blocked_in(text: str) -> list[str]:
    text = re.sub(r"{#.*?#}", "", text, flags=re.DOTALL)
    text = re.sub(r"{%\s*comment\s*%}.*?{%\s*endcomment\s*%}", "", text, flags=re.DOTALL)
    return [f"{what}: {match.group(0)[:80]!r}" for what, pattern in BLOCKED.items() for match in pattern.finditer(text)]


class TestTemplates:
    @pytest.mark.parametrize("sample", [
        '<script>alert(1)</script>', '<script type="text/javascript">x()</script>', '<script src="/a.js">x()</script>',
        '<select name="y" onchange="this.form.submit()">', '<a href="javascript:void(0)">', '<div style="color:red">',
        '<button\n  class="x" onclick="go()">', "<style>p{}</style>",
    ])
    def test_the_scanner_finds_what_the_policy_blocks(self, sample):
        assert blocked_in(sample)

    @pytest.mark.parametrize("sample", [
        '<script src="{% static \'js/autosubmit.js\' %}" defer></script>', '<select data-autosubmit name="year">',
        '<script type="application/json" id="d">{"a": 1}</script>', "<p>one=two, action=post</p>",
        "<form action=\"{% url 'x' %}\" method=\"post\">",
    ])
    def test_the_scanner_lets_the_allowed_forms_pass(self, sample):
        assert blocked_in(sample) == []

    def test_no_template_holds_inline_script_handlers_styles_or_javascript_urls(self):
        found = []
        for path in sorted((ROOT / "templates").rglob("*.html")):
            found += [f"{path.relative_to(ROOT)}: {hit}" for hit in blocked_in(path.read_text(encoding="utf-8"))]
        assert found == []

    def test_no_python_code_writes_inline_handlers_or_styles_into_html(self):
        found = []
        for app in ("congress", "deputies", "stations", "proposals", "supervision"):
            for path in sorted((ROOT / app).rglob("*.py")):
                if "tests" in path.parts or "migrations" in path.parts:
                    continue
                text = path.read_text(encoding="utf-8")
                for what in ("on…= event handler", "javascript: URL", "style= attribute", "inline <script>"):
                    found += [f"{path.relative_to(ROOT)}: {what}: {m.group(0)[:60]!r}" for m in BLOCKED[what].finditer(text)]
        assert found == []


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_admin_portal_and_public_pages_work_under_the_policy(live_server, fail_on_csp_violation):
    """The admin's own scripts (action bar, autocomplete, date shortcuts, export's select-all) and the portal's
    (htmx, the year picker) run under script-src 'self'; a blocked inline style is caught as a violation."""
    from playwright.sync_api import expect, sync_playwright

    from congress import roles
    from congress.models import Organization, Term
    from congress.roles import sync_role_permissions
    from congress.services import create_user_with_role
    from tests.test_browser import CHROMIUM_ARGS, _chromium

    executable = _chromium()
    sync_role_permissions()
    staff = create_user_with_role(username="csp_staff", password=PASSWORD, role=roles.COMMITTEE_STAFF, full_name="王秘书")
    deputy_user = create_user_with_role(username="csp_deputy", password=PASSWORD, role=roles.DEPUTY, full_name="周代表")
    town = Organization.objects.create(name="城东街道", kind=Organization.Kind.STREET, sort_order=1)
    term = Term.objects.create(number=17, start_date="2021-10-01", is_current=True)
    rows = make_sample(town=town, term=term, user=staff)
    rows["deputy"].user = deputy_user
    rows["deputy"].save(update_fields=["user"])
    base = live_server.url

    def login(page, username, next_url):
        page.goto(f"{base}/accounts/login/?next={next_url}")
        page.fill("input[name=username]", username)
        page.fill("input[name=password]", PASSWORD)
        page.press("input[name=password]", "Enter")
        page.wait_for_url(f"{base}{next_url}*")

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS, headless=True)
        try:
            desk = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900}).new_page()
            desk.set_default_timeout(15_000)
            login(desk, "csp_staff", "/admin/")
            # change list: the action bar's script counts the ticked rows
            desk.goto(f"{base}{reverse('admin:deputies_deputy_changelist')}")
            desk.locator("#action-toggle").check()
            expect(desk.locator(".action-counter")).to_contain_text("1")
            # change form: the autocomplete (select2) and the date shortcuts are drawn by scripts
            desk.goto(f"{base}{reverse('admin:deputies_mandate_add')}")
            expect(desk.locator(".select2-container").first).to_be_visible()
            expect(desk.locator(".datetimeshortcuts").first).to_be_visible()
            desk.locator(".select2-container").first.click()
            expect(desk.locator(".select2-results__option").first).to_be_visible()
            desk.keyboard.press("Escape")
            desk.locator(".datetimeshortcuts a").first.click()  # 今天
            expect(desk.locator("#id_start_date")).not_to_have_value("")
            # import and export pages; export's "select all" box clears every field box
            desk.goto(f"{base}{reverse('admin:deputies_deputy_import')}")
            expect(desk.locator("#id_import_file")).to_be_visible()
            desk.goto(f"{base}{reverse('admin:deputies_deputy_export')}")
            desk.locator("input.select-toggle").uncheck()
            expect(desk.locator('.selectable-field-export-row input[type="checkbox"]:checked')).to_have_count(0)
            desk.goto(f"{base}{reverse('proposals:public_list')}")
            desk.goto(f"{base}{reverse('stations:public_list')}")
            desk.goto(f"{base}{reverse('stations:opinion_new', args=[rows['station'].pk])}")

            phone = browser.new_context(locale="zh-CN", viewport={"width": 375, "height": 740}).new_page()
            phone.set_default_timeout(15_000)
            login(phone, "csp_deputy", "/portal/")
            expect(phone.locator("progress.progress")).to_be_visible()
            phone.goto(f"{base}{reverse('portal:record')}")
            years = phone.locator("select[name=year] option")
            last_year = years.nth(1).get_attribute("value")
            phone.select_option("select[name=year]", last_year)
            phone.wait_for_url(f"**/portal/record/?year={last_year}")
            assert fail_on_csp_violation == []

            # the guard itself: an inline style the page adds is refused and reported
            phone.evaluate("document.body.insertAdjacentHTML('beforeend', '<p style=\"color:red\">x</p>')")
            phone.wait_for_timeout(300)
            assert any("style" in v for v in fail_on_csp_violation)
            fail_on_csp_violation.clear()
        finally:
            browser.close()
