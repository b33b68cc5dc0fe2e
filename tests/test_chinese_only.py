"""The interface speaks Chinese only, Django's and the libraries' own strings included.

A crawl logs in as every role that has pages (the six who use the admin, the deputy, the handling unit, the anonymous
voter) on the access matrix's world (tests/test_access_matrix.py, built from tests/sample.py), opens every page the
matrix says that role reaches, a few form errors and the error pages (400, 403, 404, 500, CSRF failure), and reads what
a person sees or hears: the text outside scripts and styles, and the title, alt, aria-label and placeholder attributes
and the labels of input buttons. Any English word left there is reported with the page it was found on.

English is fine only as a proper name or a code (PDF, Excel, TOTP, a file name, an address, a username of the data):
ALLOWED lists them. An English word of the interface is translated (locale/zh_Hans) or its template is overridden,
never added to ALLOWED."""
import json
import re
from collections import defaultdict
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.contrib import admin
from django.test import Client, RequestFactory
from django.urls import get_resolver

from conftest import client_for, login_verified
from congress.models import User
from tests.test_access_matrix import APP_INDEX, admin_models, expected_and_url, walk, world  # noqa: F401 (a fixture)

ADMIN_ROLES = ["staff", "town", "leader", "sysadmin", "secadmin", "auditor"]
OTHER_ROLES = ["deputy", "unit", "anonymous"]

# Proper names and codes that stay as they are in a Chinese interface: file formats and the programs that open them,
# units, the authenticator apps the second-factor page names, and the abbreviations Chinese writes in Latin letters.
ALLOWED = {
    "PDF", "Excel", "Word", "JPG", "PNG", "xlsx", "csv", "CSV", "MB",
    "QR", "TOTP", "Microsoft", "Authenticator", "FreeOTP",
    "ID", "IP", "LDAP",
}

_TOKEN = re.compile(r"[A-Za-z0-9_.@/:%+#?=&~*\-]+")
_PART = re.compile(r"[A-Za-z0-9]+")
_WORD = re.compile(r"[A-Za-z]+")
_FILE = re.compile(r"\.(pdf|xlsx|xls|csv|docx?|jpe?g|png|zip)$", re.IGNORECASE)
_ATTRIBUTES = {"title", "alt", "aria-label", "placeholder"}
_BUTTON_TYPES = {"submit", "button", "reset"}
_SKIPPED = {"script", "style", "code"}
_CJK = re.compile(r"[\u4e00-\u9fff]")


class VisibleText(HTMLParser):
    """The text a person sees or a screen reader speaks: text nodes outside <script>/<style>, the attributes above and
    input buttons' labels; and the <html lang>. Text inside <code> is a code (a key to type in) and is left out."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.lang: str | None = None
        self.document = False
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "html":
            self.document, self.lang = True, attrs.get("lang")
        if tag in _SKIPPED:
            self._skip += 1
        for name in _ATTRIBUTES:
            if attrs.get(name):
                self.parts.append(attrs[name])
        if tag == "input" and (attrs.get("type") or "").lower() in _BUTTON_TYPES and attrs.get("value"):
            self.parts.append(attrs["value"])

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag in _SKIPPED:
            self._skip -= 1

    def handle_endtag(self, tag):
        if tag in _SKIPPED and self._skip:
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip and data.strip():
            self.parts.append(data)


def english_words(text: str, names: set[str]) -> set[str]:
    """The English words of `text`. Left out: `names` (the usernames), addresses, file names, single letters (A类) and
    codes: a part of a token with a digit in it (SAMPLE0000, 2024-05-10) — but "opinion:25" still shows "opinion"."""
    found = set()
    for token in _TOKEN.findall(text):
        if "://" in token or token.startswith("/") or "@" in token or "**" in token:
            continue  # an address, or a masked value (a password's salt: Qjue**********)
        token = token.strip(".:/-?#")
        if not re.search("[A-Za-z]", token) or token in names or _FILE.search(token):
            continue
        for part in _PART.findall(token):
            if not re.search(r"\d", part):
                found.update(w for w in _WORD.findall(part) if len(w) > 1 and w not in ALLOWED)
    return found


class Crawl:
    def __init__(self):
        self.found: dict[str, set[str]] = defaultdict(set)
        self.pages = 0
        self.names = set(User.objects.values_list("username", flat=True))

    def read(self, label: str, response) -> VisibleText:
        assert "html" in response.get("Content-Type", ""), f"{label}: not an HTML page"
        parser = VisibleText()
        parser.feed(response.content.decode())
        self.pages += 1
        if parser.document and parser.lang != "zh-hans":
            self.found[f'<html lang="{parser.lang}">'].add(label)
        words = english_words("\n".join(parser.parts), self.names)
        for word in words:
            self.found[word].add(label)
        return parser

    def visit(self, client, url, role, status=200):
        response = client.get(url)
        assert response.status_code == status, f"{role} {url}: {response.status_code}"
        if "html" in response.get("Content-Type", "") and response.content.strip():
            self.read(f"{url} ({role})", response)

    def report(self) -> str:
        lines = [f"{word}: {', '.join(sorted(urls)[:3])}{' …' if len(urls) > 3 else ''} ({len(urls)} pages)"
                 for word, urls in sorted(self.found.items())]
        return f"{len(self.found)} English words on {self.pages} pages:\n" + "\n".join(lines)


@pytest.fixture
def actors(db, request):
    """The access matrix's world: role → user (None for anonymous), and the sample rows."""
    return request.getfixturevalue("world")


@pytest.fixture
def crawl(actors, monkeypatch):
    # one row a page: every change list with two rows or more shows the paginator and its "show all" link
    for model_admin in admin.site._registry.values():
        monkeypatch.setattr(model_admin, "list_per_page", 1)
    return Crawl()


def _client(actors, role) -> Client:
    client = Client()
    if actors[role] is not None:
        login_verified(client, actors[role])
    return client


def _crawl_role(crawl, actors, role):
    client = _client(actors, role)
    models = admin_models()
    for route, name in walk(get_resolver().url_patterns):
        expected, url = expected_and_url(route, name, role, models)
        if expected == 200:
            crawl.visit(client, url, role)
    if role in ADMIN_ROLES:
        for app_label, allowed in APP_INDEX.items():
            if role in allowed:
                crawl.visit(client, f"/admin/{app_label}/", role)
        crawl.visit(client, "/admin/no-such-page/", role, status=404)
    crawl.visit(client, "/no-such-page/", role, status=404)


def test_no_english_on_any_page_of_any_role(actors, crawl):
    for role in [*ADMIN_ROLES, *OTHER_ROLES]:
        _crawl_role(crawl, actors, role)
    # refusals: a page of another role (403 with the refusal's reason), an admin list without the permission
    crawl.visit(_client(actors, "staff"), "/portal/", "staff", status=403)
    crawl.visit(_client(actors, "staff"), "/admin/axes/accesslog/", "staff", status=403)
    crawl.visit(_client(actors, "deputy"), "/unit/", "deputy", status=403)
    _form_errors(crawl, actors)
    _error_pages(crawl)
    assert crawl.pages > 600
    assert not crawl.found, crawl.report()


def _form_errors(crawl, actors):
    """Messages in forms: the password validators, a wrong old password, a wrong second-factor code, a spreadsheet that
    cannot be read or holds no rows, a wrong login."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = _client(actors, "staff")
    url = "/admin/deputies/deputy/import/"
    for upload, file_format in [(SimpleUploadedFile("名册.xlsx", b"not a workbook"), 0),
                                (SimpleUploadedFile("名册.csv", b"\n"), 1)]:
        response = client.post(url, {"import_file": upload, "format": file_format})
        assert response.status_code == 200 and response.context["form"].errors
        crawl.read(f"{url} POST {upload.name} (staff)", response)
    weak = {"old_password": "wrong", "new_password1": "1234", "new_password2": "1234"}
    for url in ["/accounts/password/", "/admin/password_change/"]:
        response = client.post(url, weak)
        assert response.status_code == 200 and response.context["form"].errors
        crawl.read(f"{url} POST (staff)", response)
    client = _client(actors, "sysadmin")
    url = f"/admin/congress/user/{actors['outsider'].pk}/password/"
    response = client.post(url, {"password1": "m_outsider", "password2": "m_outsider2"})
    assert response.status_code == 200 and response.context["form"].errors
    crawl.read(f"{url} POST (sysadmin)", response)
    client = _client(actors, "staff")
    client.logout()
    client.force_login(actors["staff"])  # logged in, the second factor not given yet
    response = client.post("/accounts/second-factor/", {"token": "000000", "next": "/admin/"})
    assert response.status_code == 400 and response.context["error"]
    crawl.read("/accounts/second-factor/ POST (staff)", response)
    client = Client()
    for url in ["/accounts/login/", "/admin/login/"]:
        response = client.post(url, {"username": "m_staff", "password": "wrong"})
        assert response.status_code == 200 and response.context["form"].errors
        crawl.read(f"{url} POST (anonymous)", response)


def _error_pages(crawl):
    """400 (a host the site does not serve), CSRF failure, 500, and the login lock-out of django-axes."""
    response = Client().get("/", HTTP_HOST="evil.example")
    assert response.status_code == 400
    crawl.read("/ with a foreign Host (400)", response)
    response = Client(enforce_csrf_checks=True).post("/accounts/login/", {"username": "x", "password": "y"})
    assert response.status_code == 403
    crawl.read("/accounts/login/ POST without CSRF token (403)", response)
    from django.views.defaults import server_error

    response = server_error(RequestFactory().get("/"))
    assert response.status_code == 500
    crawl.read("500", response)
    client = Client()
    for _ in range(10):
        response = client.post("/accounts/login/", {"username": "m_staff", "password": "wrong"})
    assert response.status_code == 429
    crawl.read("/accounts/login/ POST locked out (429)", response)


def test_the_reader_finds_english_and_leaves_codes_names_and_addresses():
    html = """<html lang="zh-hans"><head><title>人大代表 | Django site admin</title><style>.x{color:red}</style></head>
    <body><table><caption>人大常委会</caption><th>Model name</th></table><img src="/s.svg" alt="Search">
    <input type="submit" value="Go"><input type="hidden" value="csrf-token-value"><p title="Show all">全部</p>
    <p>SAMPLE0000 m_staff A类 /stations/3/opinion/ sample.pdf 2024-05-10 导出为 Excel opinion:25 Qjue****</p>
    <code>BXTU QGCG</code><script>gettext("Now")</script></body></html>"""
    parser = VisibleText()
    parser.feed(html)
    assert parser.document and parser.lang == "zh-hans"
    assert english_words("\n".join(parser.parts), {"m_staff"}) == {
        "Django", "site", "admin", "Model", "name", "Search", "Go", "Show", "all", "opinion"}


def test_the_admin_index_app_tables_have_chinese_captions_and_headers(staff, town_staff, leader, system_admin,
                                                                      security_admin, audit_admin):
    """The app list's <caption> and <th> are read aloud by screen readers (Django's "Model name", "Add link" …)."""
    for user in [staff, town_staff, leader, system_admin, security_admin, audit_admin]:
        client = Client()
        login_verified(client, user)
        body = client.get("/admin/").content.decode()
        tables = re.findall(r'<div class="app-[^"]*module[^"]*">\s*<table>(.*?)</table>', body, re.S)
        assert tables, user
        for table in tables:
            parser = VisibleText()
            parser.feed(re.search(r"<caption>.*?</thead>", table, re.S).group(0))
            text = "".join(parser.parts)
            assert _CJK.search(text) and not english_words(text, set()), (user, text)


def test_the_admin_scripts_strings_are_all_translated(staff):
    """The calendar, clock, action counter and select filter take their words from the admin's JavaScript catalog."""
    import django.contrib.admin

    body = client_for(staff).get("/admin/jsi18n/").content.decode()
    catalog = json.loads(re.search(r"const newcatalog = (\{.*?\});", body, re.S).group(1))
    scripts = Path(django.contrib.admin.__file__).parent / "static" / "admin" / "js"
    used = set()
    for script in scripts.rglob("*.js"):
        if "vendor" not in script.parts:
            source = script.read_text()
            used.update(m[1] for m in re.findall(r"""\b(?:gettext|ngettext)\(\s*(['"])(.+?)\1""", source))
            used.update(f"{m[1]}\x04{m[3]}" for m in re.findall(r"""\bpgettext\(\s*(['"])(.+?)\1,\s*(['"])(.+?)\3""",
                                                                    source))
    missing = sorted(text for text in used if text not in catalog)
    assert len(used) > 40 and not missing, missing


def test_password_validators_speak_chinese(db):
    from django.contrib.auth.password_validation import password_validators_help_texts, validate_password
    from django.core.exceptions import ValidationError

    texts = password_validators_help_texts()
    with pytest.raises(ValidationError) as refused:
        validate_password("1234", User(username="someone"))
    for text in [*texts, *refused.value.messages]:
        assert _CJK.search(text) and not english_words(text, set()), text
