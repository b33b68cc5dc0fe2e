"""Bad input never gives a 500 (issue #8): a deterministic fuzz over every form and every id URL the project has.

Discovery, not a hand-kept list: as each role (anonymous voter, deputy, handling unit, committee staff and the system
and security administrators) the test crawls the pages it can open from its landing pages, parses every form on them,
and posts each form with a plausible baseline (the values the page shows, or ones made from the input's type) where
first every field and then one field at a time is replaced by a hostile value: over-long text, a NUL byte, emoji,
numbers past every column's range, negatives, non-numbers. It also sends hostile values to every query parameter the
pages link to (admin filters, search, paging) and to every parameter of every URL pattern of the resolver (`<id:…>`,
the admin's `<path:object_id>`, `<code:…>`), with GET and POST. Every answer must be below 500.

The values, the order and the baselines are fixed, so a run is repeatable; a failure names the request to replay."""
import collections
import datetime
import html.parser
import io
import logging
import re
import sys
import time
import traceback
from urllib.parse import parse_qsl, urlencode, urlsplit

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.signals import got_request_exception
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve
from django.urls.exceptions import Resolver404

from conftest import PASSWORD, login_verified
from congress import roles
from congress.services import create_user_with_role
from tests.sample import make_sample

HUGE = "99999999999999999999"
# Sent as they are (the test client encodes them as a browser would).
HOSTILE = {
    "long": "长" * 5000,
    "nul": "代表\x00建议",
    "emoji": "👨‍👩‍👧‍👦😀𝕏" * 40,
    "huge": HUGE,
    "bigint+1": str(2**63),
    "int+1": str(2**31),
    "negative": "-1",
    "huge-negative": "-" + HUGE,
    "zero": "0",
    "not-a-number": "abc",
    "exotic-digits": "²³",
    "decimal": "1.5e308",
    "nan": "NaN",
    "bad-date": "2024-13-45",
    "far-date": "99999-01-01",
    "blank": "   ",
    "markup": "<script>alert(1)</script>' OR 1=1 --",
}
# One field at a time gets the values that can slip past the other fields' checks into the database, by input type:
# ids and choices get non-numbers and numbers past every range, numbers the same and a negative, text over-long
# strings and NUL, dates one past year 9999.
PER_FIELD = {"select": ["not-a-number", "huge"], "hidden": ["not-a-number", "huge"], "checkbox": ["not-a-number"],
             "radio": ["not-a-number"], "number": ["huge", "negative"], "date": ["far-date"], "file": ["long"]}
PER_FIELD_TEXT = ["long", "nul"]
# the whole form at once, with each of these in every field
ALL_AT_ONCE = list(HOSTILE)
QUERY_VALUES = ["nul", "huge", "not-a-number", "negative"]
# The admin has ~50 models whose add, change and list pages run the same Django code with different fields: there the
# values rotate (deterministically) over the fields and URLs instead of every value meeting every field, which keeps
# the run near a minute while each kind of value still meets each kind of field many times.
ADMIN_ALL_AT_ONCE = ["long", "nul", "emoji", "huge", "not-a-number", "bad-date"]
GENERIC_ADMIN_VIEW = re.compile(r"<path:object_id>/(change/|history/|delete/)?$")
URL_VALUES = ["0", HUGE, str(2**63), "-1", "abc", "%00", "1.5", "%F0%9F%98%80", "9" * 400]
# the admin's own object URLs are all served by the same code: fewer values there, and POST only where a form posts
ADMIN_URL_VALUES = ["abc", HUGE, "%00"]

ROLES = ["anonymous", "deputy", "unit", "staff", "sysadmin", "secadmin"]
SKIP_PATHS = re.compile(r"/logout/|/delete/|/media/|/i18n/|^/healthz|/password/|/second-factor/")


class FormParser(html.parser.HTMLParser):
    """The forms of a page: action, method, enctype and the fields with the values the page shows."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms, self.links, self._form, self._select, self._textarea = [], [], None, None, None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "a" and a.get("href"):
            self.links.append(a["href"])
        elif tag == "form":
            self._form = {"action": a.get("action") or "", "method": (a.get("method") or "get").lower(),
                          "fields": [], "buttons": []}
            self.forms.append(self._form)
        elif self._form is None or not a.get("name"):
            return
        elif tag == "input":
            kind = (a.get("type") or "text").lower()
            if kind in {"submit", "image"}:
                self._form["buttons"].append((a["name"], a.get("value") or ""))
            elif kind != "button":
                self._form["fields"].append({"name": a["name"], "type": kind, "value": a.get("value") or "",
                                             "checked": "checked" in a, "class": a.get("class") or ""})
        elif tag == "button" and (a.get("type") or "submit") == "submit":
            self._form["buttons"].append((a["name"], a.get("value") or ""))
        elif tag == "select":
            self._select = {"name": a["name"], "type": "select", "multiple": "multiple" in a, "options": [],
                            "selected": [], "class": a.get("class") or ""}
            self._form["fields"].append(self._select)
        elif tag == "textarea":
            self._textarea = {"name": a["name"], "type": "textarea", "value": "", "class": ""}
            self._form["fields"].append(self._textarea)

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea["value"] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def unknown_decl(self, data):
        pass


class OptionCollector(FormParser):
    """FormParser plus the <option>s of each select (kept apart: html.parser sees <option> without a name)."""

    def handle_starttag(self, tag, attrs):
        if tag == "option" and self._select is not None:
            a = dict(attrs)
            value = a.get("value")
            self._select["options"].append(value if value is not None else "")
            if "selected" in a:
                self._select["selected"].append(value or "")
            return
        super().handle_starttag(tag, attrs)


def parse(page: str) -> OptionCollector:
    parser = OptionCollector()
    parser.feed(page)
    return parser


def tiny_jpeg() -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (8, 8), (200, 30, 30)).save(out, "JPEG")
    return out.getvalue()


JPEG = tiny_jpeg()
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
TODAY = datetime.date.today()


def plausible(field: dict) -> str | list[str] | None:
    """A value the field would accept, from what the page shows or from the input's type and name."""
    kind, name, css = field["type"], field["name"], field.get("class", "")
    if kind == "select":
        if any(field["selected"]):
            return field["selected"] if field["multiple"] else field["selected"][0]
        options = [o for o in field["options"] if o]
        return options[:1] if field["multiple"] else (options[0] if options else "")
    if kind in {"checkbox", "radio"}:
        return field["value"] or "on" if field["checked"] else None
    if kind == "file":
        return None
    value = field.get("value", "")
    if kind == "textarea":
        value = value.removeprefix("\n")  # the newline Django writes after <textarea>, which browsers drop
    if value:
        return value
    if kind == "hidden":
        return ""
    if kind == "number":
        return "1"
    if name == "date":
        return (TODAY - datetime.timedelta(days=1)).isoformat()  # something that happened (a report, a contact)
    if kind == "date" or "vDateField" in css or name.endswith(("date", "_on", "_from", "_until")):
        return (TODAY + datetime.timedelta(days=7)).isoformat()  # something planned
    if kind == "time" or "vTimeField" in css or name.endswith(("_at", "starts", "ends")):
        return "09:00"
    if kind == "email" or "email" in name:
        return "daibiao@example.com"
    if kind == "tel" or "phone" in name:
        return "13800138000"
    if "year" in name:
        return str(TODAY.year)
    if kind == "password":
        return PASSWORD
    return "测试内容"


def form_key(form: dict, page_url: str) -> tuple:
    """Forms repeated on a page or across pages (one per list row, one per object) are posted once."""
    action = urlsplit(form["action"] or page_url).path or urlsplit(page_url).path
    try:
        route = resolve(action).route
    except Resolver404:
        route = action
    return route, tuple(sorted(f["name"] for f in form["fields"]))


def build(form: dict, replace: dict[str, object]) -> dict:
    data, files = {}, {}
    for field in form["fields"]:
        name = field["name"]
        if name == "csrfmiddlewaretoken":
            continue
        if field["type"] == "file":
            image = "photo" in name or "image" in name
            files[name] = SimpleUploadedFile("图片.jpg" if image else "答复.pdf", JPEG if image else PDF,
                                             content_type="image/jpeg" if image else "application/pdf")
            if name in replace:
                files[name] = SimpleUploadedFile(("长" * 300) + "\x00.pdf", PDF, content_type="application/pdf")
            continue
        value = replace[name] if name in replace else plausible(field)
        if value is None:
            continue
        if field["type"] in {"checkbox", "select"} and field.get("multiple", field["type"] == "checkbox") and name in data:
            existing = data[name] if isinstance(data[name], list) else [data[name]]
            data[name] = existing + ([value] if isinstance(value, str) else list(value))
        else:
            data[name] = value
    for field in form["fields"]:  # a radio group with nothing checked: its first choice
        if field["type"] == "radio" and field["name"] not in data and field["name"] not in replace:
            data[field["name"]] = field["value"]
    if form["buttons"]:
        name, value = form["buttons"][0]
        data.setdefault(name, value)
    data.update(files)
    return data


@pytest.fixture
def world(db, town_a, term, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # six logins' worth of users
    users = {"anonymous": None}
    for role, group in [("sysadmin", roles.SYSTEM_ADMIN), ("secadmin", roles.SECURITY_ADMIN),
                        ("staff", roles.COMMITTEE_STAFF), ("unit", roles.HANDLING_UNIT), ("deputy", roles.DEPUTY)]:
        users[role] = create_user_with_role(username=f"fuzz_{role}", password=PASSWORD, role=group)
    rows = make_sample(town=town_a, term=term, user=users["staff"])
    rows["deputy"].user = users["deputy"]
    rows["deputy"].save(update_fields=["user"])
    users["unit"].organization = rows["organization"]
    users["unit"].save(update_fields=["organization"])
    rows.update(open_work(rows, term, users["unit"]))
    users["rows"] = rows
    return users


def open_work(rows: dict, term, unit_user) -> dict:
    """What puts the remaining forms on the pages, written directly like tests/sample.py: a draft suggestion (edit,
    invite, submit), one assigned to the unit (reply, contact, opinion, send back), a reply waiting for the deputy's
    rating, an opinion referred to the unit, a coming standing-committee meeting (leave) and a second deputy."""
    from congress.models import Meeting
    from proposals.models import Assignment, Reply, Suggestion
    from stations.models import ReceptionDay, VoterOpinion

    deputy, unit, today = rows["deputy"], rows["organization"], datetime.date.today()
    common = dict(term=term, session=rows["congresssession"], category=rows["suggestioncategory"], lead_deputy=deputy)
    draft = Suggestion.objects.create(title="关于增设公交站点的建议", content="内容", status=Suggestion.Status.DRAFT, **common)
    assigned = Suggestion.objects.create(title="关于整治河道的建议", content="内容", status=Suggestion.Status.ASSIGNED,
                                         assigned_on=today, **common)
    open_assignment = Assignment.objects.create(
        suggestion=assigned, unit=unit, role=Assignment.Role.LEAD, status=Assignment.Status.ASSIGNED, assigned_on=today,
        due_date=today + datetime.timedelta(days=90), send_back_until=today + datetime.timedelta(days=9))
    replied = Suggestion.objects.create(title="关于修缮校舍的建议", content="内容", status=Suggestion.Status.REPLIED,
                                        assigned_on=today, **common)
    to_rate = Assignment.objects.create(
        suggestion=replied, unit=unit, role=Assignment.Role.LEAD, status=Assignment.Status.REPLIED, assigned_on=today,
        due_date=today + datetime.timedelta(days=90), send_back_until=today, first_replied_on=today, result="A")
    reply = Reply.objects.create(assignment=to_rate, letter="suggestions/replies/fuzz.pdf", result="A", replied_on=today,
                                 replied_by=unit_user, publishable=True)
    referred = VoterOpinion.objects.create(tracking_code="FUZZREF23", station=rows["station"], content="路面破损",
                                           status=VoterOpinion.Status.REFERRED, unit=unit)
    meeting = Meeting.objects.create(term=term, kind=Meeting.Kind.STANDING, number=90,
                                     date=today + datetime.timedelta(days=20))
    other = type(deputy).objects.create(full_name="吴丽", gender="F", id_number="320602199003021238", town=deputy.town)
    submitted = Suggestion.objects.create(title="关于新建社区食堂的建议", content="内容", status=Suggestion.Status.SUBMITTED,
                                          **common)
    registered = Suggestion.objects.create(title="关于改善照明的建议", content="内容", status=Suggestion.Status.REGISTERED,
                                           **common)
    scheduled = ReceptionDay.objects.create(station=rows["station"], date=today - datetime.timedelta(days=1),
                                            starts_at=datetime.time(9), ends_at=datetime.time(11),
                                            status=ReceptionDay.Status.SCHEDULED)
    return dict(draft=draft, open_assignment=open_assignment, reply_to_rate=reply, referred=referred, meeting=meeting,
                other_deputy=other, submitted=submitted, registered=registered, scheduled=scheduled)


def start_pages(role: str, rows: dict) -> list[str]:
    public = ["/", "/stations/", f"/stations/{rows['station'].pk}/", f"/stations/{rows['station'].pk}/opinion/",
              "/opinions/", f"/opinions/{rows['voteropinion'].tracking_code}/", "/replies/",
              f"/replies/{rows['reply'].pk}/"]
    return {
        "anonymous": public + ["/accounts/login/"],
        "deputy": ["/portal/", "/portal/suggestions/", "/portal/suggestions/new/", "/portal/activities/new/",
                   "/portal/leave/", "/portal/reports/", "/portal/record/", "/portal/points/",
                   f"/portal/suggestions/{rows['suggestion'].pk}/", f"/portal/suggestions/{rows['draft'].pk}/",
                   f"/portal/suggestions/{rows['draft'].pk}/edit/", f"/portal/suggestions/{rows['closed_suggestion'].pk}/",
                   f"/portal/suggestions/{rows['reply_to_rate'].assignment.suggestion_id}/", "/notifications/"],
        "unit": ["/unit/", "/unit/opinions/", f"/unit/{rows['assignment'].pk}/", f"/unit/{rows['open_assignment'].pk}/",
                 f"/unit/opinions/{rows['referred'].pk}/", "/notifications/"],
        # the admin index links every list; these objects' pages offer the steps of each state
        "staff": ["/admin/"] + [f"/admin/{path}/{rows[key].pk}/change/" for path, key in [
            ("proposals/suggestion", "submitted"), ("proposals/suggestion", "registered"),
            ("proposals/suggestion", "draft"), ("proposals/assignment", "open_assignment"),
            ("stations/voteropinion", "voteropinion"), ("stations/voteropinion", "referred"),
            ("stations/receptionday", "scheduled")]],
        "sysadmin": ["/admin/congress/user/", "/admin/congress/user/add/"],
        "secadmin": ["/admin/congress/user/"],
    }[role]


def within(role: str, path: str) -> bool:
    if SKIP_PATHS.search(path):
        return False
    if role == "anonymous":
        return path.startswith(("/stations/", "/opinions/", "/replies/")) or path in {"/", "/accounts/login/"}
    if role == "deputy":
        return path.startswith(("/portal/", "/notifications/"))
    if role == "unit":
        return path.startswith(("/unit/", "/notifications/"))
    if role == "staff":
        # one object per change list is enough: the change pages of a model are alike
        return path.startswith("/admin/") and "/history/" not in path
    return path.startswith("/admin/congress/user/")


class Crawl:
    """Every page a role reaches from its start pages (paths only), the forms on them and the query parameters the
    pages link to (the admin's filters, search and paging)."""

    PAGE_LIMIT = 260

    def __init__(self, client: Client, role: str, rows: dict):
        self.client, self.role = client, role
        self.forms: dict[tuple, tuple[str, dict]] = {}
        self.queries: dict[str, set[str]] = {}
        self.pages: list[str] = []
        seen, queue = set(), list(start_pages(role, rows))
        objects_per_list: dict[str, int] = {}
        while queue and len(self.pages) < self.PAGE_LIMIT:
            url = queue.pop(0)
            if url in seen:
                continue
            seen.add(url)
            response = client.get(url)
            assert response.status_code < 500, f"{role} GET {url} → {response.status_code}"  # a page it links to
            if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
                continue
            self.pages.append(url)
            parsed = parse(response.content.decode())
            for form in parsed.forms:
                self.forms.setdefault(form_key(form, url), (url, form))
            for href in parsed.links:
                split = urlsplit(href)
                if split.scheme or split.netloc:
                    continue
                path = split.path or urlsplit(url).path
                if split.query:
                    self.queries.setdefault(path, set()).update(k for k, _ in parse_qsl(split.query))
                if not path.startswith("/") or not within(role, path) or path in seen:
                    continue
                match = re.match(r"^(/admin/\w+/\w+/)(\d+)/change/$", path)
                if match:
                    count = objects_per_list.get(match.group(1), 0)
                    if count >= 1:
                        continue
                    objects_per_list[match.group(1)] = count + 1
                queue.append(path)


def client_for_role(world, role) -> Client:
    client = Client()
    client.raise_request_exception = False
    if world[role] is not None:
        login_verified(client, world[role])
    return client


class Failures(list):
    """The requests answered with a 5xx, each with the exception behind it and where in the project it was raised."""

    def __init__(self):
        super().__init__()
        self.exception = None
        self.statuses = collections.Counter()
        got_request_exception.connect(self.record, dispatch_uid="fuzz")

    def record(self, sender, request=None, **kwargs):
        self.exception = sys.exc_info()[1]

    def close(self):
        got_request_exception.disconnect(dispatch_uid="fuzz")

    def check(self, response, what: str):
        self.statuses[response.status_code] += 1
        if response.status_code < 500:
            return
        exc, where = self.exception, ""
        if exc is not None:
            frames = [f for f in traceback.extract_tb(exc.__traceback__) if "/site-packages/" not in f.filename]
            where = f" at {frames[-1].filename.rsplit('/', 2)[-2:]}:{frames[-1].lineno}" if frames else ""
        self.append(f"{what} → {response.status_code}: {repr(exc)[:160]}{where}")


def request(client, failures, method, role, url, data=None, label=""):
    failures.exception = None
    response = getattr(client, method)(url, data) if data is not None else getattr(client, method)(url)
    failures.check(response, f"{role} {method.upper()} {url[:160]}" + (f" [{label}]" if label else ""))
    return response


def post(client, failures, role, url, data, label):
    return request(client, failures, "post", role, url, data, label)


MANAGEMENT = re.compile(r"-(TOTAL|INITIAL|MIN_NUM|MAX_NUM)_FORMS$")


def fuzz_forms(client, role, crawl, failures) -> int:
    sent, turn, huge_formset_sent = 0, 0, False
    for (_route, _names), (page, form) in sorted(crawl.forms.items(), key=lambda item: str(item[0])):
        if form["method"] != "post":
            continue
        url = urlsplit(form["action"]).path if form["action"] else page
        if SKIP_PATHS.search(url) or not within(role, url) and role != "anonymous":
            continue
        admin = url.startswith("/admin/")
        fields = [f for f in form["fields"] if f["name"] != "csrfmiddlewaretoken"]
        management = [f["name"] for f in fields if MANAGEMENT.search(f["name"])]
        editable = [f["name"] for f in fields if f["name"] not in management]
        # an inline formset's counts: a non-number everywhere; past every range once (Django then builds its maximum of
        # 2,000 forms, which takes seconds to draw again)
        if management:
            post(client, failures, role, url, build(form, dict.fromkeys(management, "abc")), "formset counts=abc")
            sent += 1
            if not huge_formset_sent:
                post(client, failures, role, url, build(form, dict.fromkeys(management, HUGE)), "formset counts=huge")
                sent, huge_formset_sent = sent + 1, True
        # the whole form with one hostile value in every field (in the admin, two of them, in turn)
        labels = [ADMIN_ALL_AT_ONCE[(turn + i) % len(ADMIN_ALL_AT_ONCE)] for i in (0, 3)] if admin else ALL_AT_ONCE
        for label in labels:
            post(client, failures, role, url, build(form, dict.fromkeys(editable, HOSTILE[label])), f"all={label}")
            sent += 1
        # one hostile value at a time in an otherwise plausible form, so it can get past the other fields' checks; in
        # the admin only where the baseline is a real object's values (an empty add form stops at its required fields)
        if admin and not re.search(r"/\d+/", url):
            continue
        for field in {f["name"]: f for f in fields}.values():
            if admin and field["type"] == "hidden":
                continue  # inline row ids and formset counts: covered by the whole-form posts above
            kind = "date" if "vDateField" in field.get("class", "") or field["type"] == "date" else field["type"]
            if admin and url.endswith("/change/") and kind not in PER_FIELD:
                continue  # a model form's text fields carry the column's length and NUL checks from the model
            labels = PER_FIELD.get(kind, PER_FIELD_TEXT)
            for label in [labels[turn % len(labels)]] if admin else labels:
                post(client, failures, role, url, build(form, {field["name"]: HOSTILE[label]}), f"{field['name']}={label}")
                sent += 1
            turn += 1
        # multi-valued fields (admin actions' selected rows, co-deputies) with a mix of good and hostile ids
        for field in form["fields"]:
            if field["type"] == "checkbox" or field.get("multiple"):
                mixed = [HUGE, "abc", "-1", "1\x00", "²", str(2**63)]
                post(client, failures, role, url, build(form, {field["name"]: mixed}), f"{field['name']}=mixed-ids")
                sent += 1
    return sent


def fuzz_admin_actions(client, role, crawl, failures) -> int:
    """Each admin action of each change list, on a real row and on hostile row ids."""
    sent = 0
    for (_route, names), (page, form) in sorted(crawl.forms.items(), key=lambda item: str(item[0])):
        if "action" not in names or "_selected_action" not in names:
            continue
        actions = next(f["options"] for f in form["fields"] if f["name"] == "action")
        real = [f["value"] for f in form["fields"] if f["name"] == "_selected_action"][:1]
        for action in [a for a in actions if a and a != "delete_selected"]:
            for selected in (real, [HUGE], ["abc"], ["1\x00"]):
                data = {"action": action, "_selected_action": selected, "index": "0"}
                post(client, failures, role, page, data, f"action={action} selected={selected!r}")
                sent += 1
    return sent


def fuzz_queries(client, role, crawl, failures) -> int:
    """Every query parameter a page links to, plus the usual ones, with hostile values (GET)."""
    sent, turn = 0, 0
    for path in sorted(set(crawl.pages)):
        path = urlsplit(path).path
        if re.search(r"/\d+/", path):
            continue  # object pages: their links carry no list parameters
        admin = path.startswith("/admin/")
        names = sorted(crawl.queries.get(path, set()) | {"q", "p" if admin else "page"})
        for name in names:
            turn += 1
            for label in [QUERY_VALUES[turn % 3]] if admin else QUERY_VALUES:
                request(client, failures, "get", role, f"{path}?{urlencode({name: HOSTILE[label]})}", label=f"{name}={label}")
                sent += 1
    return sent


def walk(patterns, prefix=""):
    for p in patterns:
        if isinstance(p, URLResolver):
            yield from walk(p.url_patterns, prefix + str(p.pattern))
        elif isinstance(p, URLPattern):
            yield prefix + str(p.pattern)


PARAMETER = re.compile(r"<(?:(\w+):)?(\w+)>|\(\?P<(\w+)>[^)]*\)")


def fuzz_url_parameters(client, role, failures) -> int:
    """Every URL pattern with a parameter, the parameter replaced by each hostile value, GET and POST."""
    sent, turn = 0, 0
    for route in walk(get_resolver().url_patterns):
        if not PARAMETER.search(route) or route.startswith("^") or "(?P<" in route:
            continue
        if route.startswith("admin/") and role not in {"staff", "sysadmin", "secadmin"}:
            continue  # the admin sends everyone else to its login before it reads the URL
        if role in {"sysadmin", "secadmin"} and not route.startswith("admin/congress/user/"):
            continue  # the administrators' own pages; staff cover the rest of the admin
        admin = route.startswith("admin/")
        turn += 1
        values = URL_VALUES if not admin else ADMIN_URL_VALUES
        if admin and GENERIC_ADMIN_VIEW.search(route):
            values = [values[turn % len(values)]]
        for value in values:
            url = "/" + PARAMETER.sub(value, route).replace("^", "").replace("$", "")
            for method in ("get", "post"):
                if method == "post" and ("delete" in route or admin and route.endswith(("/history/", "<path:object_id>/"))):
                    continue
                request(client, failures, method, role, url)
                sent += 1
    return sent


@pytest.mark.parametrize("role", ROLES)
def test_no_input_gives_a_server_error(world, role, settings, tmp_path, monkeypatch):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.LOGIN_FAILURE_LIMIT_PER_ADDRESS = 0  # the login form is fuzzed too: do not let it lock the test out
    settings.AXES_FAILURE_LIMIT = 10**6
    # each 500 is reported below with its exception; the request log would repeat thousands of tracebacks
    monkeypatch.setattr(logging.getLogger("django.request"), "disabled", True)
    client = client_for_role(world, role)
    crawl = Crawl(client, role, world["rows"])
    failures = Failures()
    counts = {"pages": len(crawl.pages), "forms": len(crawl.forms)}
    for name, step in [("posts", lambda: fuzz_forms(client, role, crawl, failures)),
                       ("actions", lambda: fuzz_admin_actions(client, role, crawl, failures)),
                       ("queries", lambda: fuzz_queries(client, role, crawl, failures)),
                       ("url parameters", lambda: fuzz_url_parameters(client, role, failures))]:
        started = time.monotonic()
        counts[name] = (step(), round(time.monotonic() - started, 1))
    failures.close()
    print(role, counts, dict(failures.statuses))
    # the crawl found the forms, and the plausible baselines get through them (each success is a redirect)
    assert counts["forms"] >= {"anonymous": 4, "deputy": 10, "unit": 5, "staff": 100, "sysadmin": 3, "secadmin": 2}[role]
    assert failures.statuses[302] >= {"anonymous": 0, "deputy": 30, "unit": 30, "staff": 200, "sysadmin": 3, "secadmin": 3}[role]
    assert not failures, f"{len(failures)} requests gave a server error:\n" + "\n".join(failures[:60])


