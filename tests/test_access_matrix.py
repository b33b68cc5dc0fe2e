"""Every URL pattern of the project, for every role, with the status it must answer.

The table below is the specification, written by hand: which role may view (v), add (a), change (c) and
delete (d) each model in the admin. A URL pattern that this file cannot map to an entry fails the test, so a
module that adds a page must add its row here."""
import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.apps import apps
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from conftest import PASSWORD, login_verified
from congress import roles
from congress.models import ExportRecord, Organization
from congress.services import create_user_with_role, user_set_managed_towns
from tests.sample import make_sample

ROLES = ["anonymous", "outsider", "sysadmin", "secadmin", "auditor", "staff", "town", "unit", "deputy", "leader"]
ADMIN_ROLES = {"sysadmin", "secadmin", "auditor", "staff", "town", "leader"}

CRUD = "vacd"
MODEL_ACCESS = {
    "congress.user": {"sysadmin": "vac", "secadmin": "vc"},
    "auth.group": {"secadmin": "v"},
    "congress.organization": {"staff": CRUD, "leader": "v", "town": "v", "sysadmin": "v", "secadmin": "v"},
    "congress.term": {"staff": CRUD, "leader": "v", "town": "v"},
    "congress.congresssession": {"staff": CRUD, "leader": "v", "town": "v"},
    "congress.meeting": {"staff": CRUD, "leader": "v"},
    "congress.agendaitem": {"staff": CRUD, "leader": "v"},
    "congress.appointment": {"staff": CRUD, "leader": "v"},
    "congress.calendarday": {"staff": CRUD, "leader": "v"},
    # entered through the calendar's 录入年度节假日安排 page, listed read-only
    "congress.holidayschedule": {"staff": "v", "leader": "v"},
    "deputies.deputy": {"staff": CRUD, "leader": "v", "town": "vac"},
    "deputies.mandate": {"staff": CRUD, "leader": "v", "town": "vac"},
    "deputies.constituency": {"staff": CRUD, "leader": "v", "town": "v"},
    "deputies.delegation": {"staff": CRUD, "leader": "v", "town": "v"},
    "deputies.deputygroup": {"staff": CRUD, "leader": "v", "town": "v"},
    "deputies.deputygroupmembership": {"staff": CRUD, "leader": "v", "town": "vac"},
    "deputies.dutyactivitytype": {"staff": CRUD, "leader": "v", "town": "v"},
    "deputies.dutyactivity": {"staff": CRUD, "leader": "v", "town": "vac"},
    "deputies.dutyactivityparticipant": {"staff": CRUD, "leader": "v", "town": "vac"},
    "deputies.personaldataview": {"auditor": "v"},
    "congress.exportrecord": {"auditor": "v"},
    "stations.station": {"staff": CRUD, "leader": "v", "town": "vac"},
    "stations.stationdeputy": {"staff": CRUD, "leader": "v", "town": "vac"},
    "axes.accesslog": {"auditor": "v"},
    "axes.accessfailurelog": {"auditor": "v"},
    "axes.accessattempt": {"auditor": "v", "secadmin": "vd"},
}
# Every audit-trail model (django-simple-history) is read by the audit administrator and nobody else.
HISTORY_ACCESS = {"auditor": "v"}

# admin URL name suffix → the letter the role needs (None: every staff member reaches it)
ACTION_NEEDS = {"changelist": "v", "add": "a", "change": "v", "history": "v", "delete": "d",
                "import": "a", "process_import": "a", "import_participants": "a", "export": "v", "import_template": "v",
                "enter_schedule": "a", "import_job": "a", "poster": "v", "duty_record": "v",
                "record": "c", "cancel": "c", "refer": "c", "reply": "c", "decline": "c", "close": "c",
                "verify": "c", "return": "c", "approve": "c", "reject": "c"}
ACTION_NEEDS.update({"figures": "v", "town_figures": "v"})  # the stations' figures pages (stations/admin_organs.py)
# Admin pages that are not about one model, and the project's own pages: role → status.
STAFF_200 = {r: (200 if r in ADMIN_ROLES else 302) for r in ROLES}
EXPLICIT = {
    "home": dict.fromkeys(ROLES, 200),
    "healthz": dict.fromkeys(ROLES, 200),
    "admin:index": STAFF_200,
    "admin:login": {r: (302 if r in ADMIN_ROLES else 200) for r in ROLES},
    "admin:logout": {r: (405 if r in ADMIN_ROLES else 302) for r in ROLES},
    "admin:password_change": STAFF_200,
    "admin:password_change_done": STAFF_200,
    "admin:jsi18n": STAFF_200,
    # without its query parameters the autocomplete refuses everyone who reaches it
    "admin:autocomplete": {r: (403 if r in ADMIN_ROLES else 302) for r in ROLES},
    # no model here has a public page, so "view on site" finds nothing
    "admin:view_on_site": {r: (404 if r in ADMIN_ROLES else 302) for r in ROLES},
    # the project's own account pages, for everyone who logs in outside the admin
    "congress:go": {r: 302 for r in ROLES},
    # the language switch: a GET changes nothing and sends the browser back to the home page
    "set_language": dict.fromkeys(ROLES, 302),
    "congress:notifications": {r: (302 if r == "anonymous" else 200) for r in ROLES},
    # the leaders' list of overdue items: leaders and the committee's staff, nobody else (not the 三员 either)
    "congress:overdue": {**dict.fromkeys(ROLES, 403), "anonymous": 302, "staff": 200, "leader": 200},
    # the leaders' dashboard (领导驾驶舱): the same people as the overdue list it links to
    "congress:dashboard": {**dict.fromkeys(ROLES, 403), "anonymous": 302, "staff": 200, "leader": 200},
    # the search across the apps: committee staff, leaders and town staff (each sees only their own scope)
    "congress:search": {**dict.fromkeys(ROLES, 403), "anonymous": 302, "staff": 200, "leader": 200, "town": 200},
    "congress:notifications_read_all": {r: (302 if r == "anonymous" else 405) for r in ROLES},
    "congress:notification_read": {r: (302 if r == "anonymous" else 405) for r in ROLES},
    "accounts:login": {r: (200 if r == "anonymous" else 302) for r in ROLES},
    "accounts:logout": dict.fromkeys(ROLES, 405),
    "accounts:password_change": {r: (302 if r == "anonymous" else 200) for r in ROLES},
    "accounts:password_change_done": {r: (302 if r == "anonymous" else 200) for r in ROLES},
    # the second factor: staff may turn it on (the page shows the QR code); the 三员 here are verified already, so it
    # sends them on; people outside the admin have nothing to do there
    "accounts:second_factor": {r: (200 if r in {"staff", "town", "leader"} else 302) for r in ROLES},
    "admin:auth_user_password_change": {**{r: 302 for r in ROLES}, "sysadmin": 200, "secadmin": 403,
                                        "auditor": 403, "staff": 403, "town": 403, "leader": 403},
}
# admin/<app_label>/: the roles that hold a permission in that app see it, other staff get 404
APP_INDEX = {
    "congress": {"sysadmin", "secadmin", "auditor", "staff", "town", "leader"},
    "deputies": {"auditor", "staff", "town", "leader"},
    "stations": {"auditor", "staff", "town", "leader"},
    "axes": {"auditor", "secadmin"},
    "supervision": {"auditor", "staff", "leader"},
    "auth": {"secadmin"},
}


# Each app adds its own pages in <app>/tests/access.py, a module with:
#   MODEL_ACCESS  {"app.model": {role: "vacd"}} for its admin models
#   PAGES         {"namespace:name": {role: status}} for its own (non-admin) URL names
#   setup(world)  creates what its pages need (world: role → user, plus "sample" → make_sample rows)
#   url_for(name, route, world) → the concrete URL for a pattern with parameters (or None to use the route)
APP_ACCESS_MODULES = ["deputies.tests.access", "stations.tests.access", "proposals.tests.access",
                      "proposals.tests.access_pages", "supervision.tests.access", "congress.tests.access_reports",
                      "congress.tests.access_letters"]


def _app_access_modules():
    import importlib

    found = []
    for name in APP_ACCESS_MODULES:
        try:
            found.append(importlib.import_module(name))
        except ModuleNotFoundError as exc:
            if not name.startswith(exc.name or "?"):
                raise
    return found


for _module in _app_access_modules():
    MODEL_ACCESS.update(getattr(_module, "MODEL_ACCESS", {}))
    EXPLICIT.update(getattr(_module, "PAGES", {}))


def walk(patterns, prefix="", namespace=""):
    for p in patterns:
        if isinstance(p, URLResolver):
            ns = f"{namespace}:{p.namespace}".strip(":") if p.namespace else namespace
            yield from walk(p.url_patterns, prefix + str(p.pattern), ns)
        elif isinstance(p, URLPattern):
            name = f"{namespace}:{p.name}".strip(":") if p.name else None
            yield prefix + str(p.pattern), name


def admin_models():
    from django.contrib import admin

    return {f"{m._meta.app_label}_{m._meta.model_name}": m for m in admin.site._registry}


def model_access(model) -> dict[str, str]:
    label = f"{model._meta.app_label}.{model._meta.model_name}"
    if label in MODEL_ACCESS:
        return MODEL_ACCESS[label]
    if model.__name__.startswith("Historical"):
        return HISTORY_ACCESS
    raise AssertionError(f"no access entry for admin model {label}: add it to MODEL_ACCESS")


def expected_and_url(route: str, name: str | None, role: str, models: dict):
    """(expected status, concrete URL) for one pattern and role; raises when the table has no entry."""
    if name in EXPLICIT:
        url = route
        for module in _app_access_modules():
            if hasattr(module, "url_for"):
                custom = module.url_for(name, route, WORLD)
                if custom is not None:
                    return EXPLICIT[name][role], custom
        if "<path:content_type_id>" in route:
            ct = ContentType.objects.get_for_model(Organization)
            url = route.replace("<path:content_type_id>", str(ct.pk)).replace(
                "<path:object_id>", str(Organization.objects.first().pk))
        url = url.replace("<id:pk>", "1")
        if "<id>" in route:
            url = route.replace("<id>", str(models["congress_user"].objects.get(username="outsider").pk))
        return EXPLICIT[name][role], "/" + url
    if route.startswith("admin/(?P<app_label>") or name == "admin:app_list":
        return None, None  # expanded separately in test_app_index
    if route == "admin/(?P<url>.*)$":
        # the admin's catch-all: an unknown admin address is "not found" for staff, the login for the rest
        return (404 if role in ADMIN_ROLES else 302), "/admin/no-such-page/"
    if name is None and route.startswith("admin/") and route.endswith("<path:object_id>/"):
        # the bare object URL redirects to its change page (for staff) or to the login (for the rest)
        key = route.split("/")[1] + "_" + route.split("/")[2]
        obj = models[key].objects.order_by("pk").first()
        return 302, "/" + route.replace("<path:object_id>", str(obj.pk))
    if name and name.startswith("admin:"):
        body = name[len("admin:"):]
        for key, model in models.items():
            if body.startswith(key + "_"):
                action = body[len(key) + 1:]
                if action not in ACTION_NEEDS:
                    raise AssertionError(f"no access rule for admin action {name}")
                url = "/" + route
                if action == "import_job":
                    # a background import's page: only its uploader (the matrix's staff member) opens it
                    url = url.replace("<id:pk>", str(import_job_for(model, WORLD["staff"]).pk))
                    if role not in ADMIN_ROLES:
                        return 302, url
                    return (200 if role == "staff" and "a" in model_access(model).get(role, "") else 403), url
                if "<path:object_id>" in route:
                    url = url.replace("<path:object_id>", str(model.objects.order_by("pk").first().pk))
                if role not in ADMIN_ROLES:
                    return 302, url
                letters = model_access(model).get(role, "")
                needed = ACTION_NEEDS[action]
                allowed = needed in letters or (action in {"change", "history"} and "c" in letters)
                if action in {"add", "import", "process_import"} and model.__name__.startswith("Historical"):
                    allowed = False
                if action == "process_import" and allowed:
                    return 405, url  # the confirmation step takes only POST (tests/test_imports.py drives it)
                return (200 if allowed else 403), url
    raise AssertionError(f"URL pattern {route!r} (name {name!r}) has no entry in the access matrix")


WORLD: dict = {}


def import_job_for(model, owner):
    """A background import of `model`'s admin, uploaded by `owner` and still being checked."""
    from congress.models import ImportJob

    job, _ = ImportJob.objects.get_or_create(model_label=model._meta.label_lower, user=owner, defaults={
        "file_name": "导入文件.xlsx", "stored_name": "import-test", "format_index": 0, "rows": 2000})
    return job


@pytest.fixture
def world(db, town_a, term):
    users = {"anonymous": None}
    for role, group in [("sysadmin", roles.SYSTEM_ADMIN), ("secadmin", roles.SECURITY_ADMIN),
                        ("auditor", roles.AUDIT_ADMIN), ("staff", roles.COMMITTEE_STAFF), ("town", roles.TOWN_STAFF),
                        ("unit", roles.HANDLING_UNIT), ("deputy", roles.DEPUTY), ("leader", roles.LEADER)]:
        users[role] = create_user_with_role(username=f"m_{role}", password=PASSWORD, role=group)
    outsider = create_user_with_role(username="outsider", password=PASSWORD, role=roles.DEPUTY)
    outsider.groups.clear()
    users["outsider"] = outsider
    user_set_managed_towns(actor=users["secadmin"], user=users["town"], towns=[town_a])
    users["sample"] = make_sample(town=town_a, term=term, user=users["staff"])
    AccessAttempt.objects.create(username="x", ip_address="127.0.0.1", user_agent="t", failures_since_start=1)
    AccessLog.objects.create(username="x", ip_address="127.0.0.1", user_agent="t")
    AccessFailureLog.objects.create(username="x", ip_address="127.0.0.1", user_agent="t", locked_out=False)
    ExportRecord.objects.create(user=users["staff"], model_label="deputies.deputy", row_count=1, file_format="xlsx")
    assert Group.objects.exists()
    for module in _app_access_modules():
        if hasattr(module, "setup"):
            module.setup(users)
    WORLD.clear()
    WORLD.update(users)
    return users


@pytest.mark.parametrize("role", ROLES)
def test_every_url_answers_each_role_as_the_matrix_says(world, role):
    client = Client()
    if world[role] is not None:
        login_verified(client, world[role])
    models = admin_models()
    mismatches, checked = [], 0
    for route, name in walk(get_resolver().url_patterns):
        expected, url = expected_and_url(route, name, role, models)
        if expected is None:
            continue
        status = client.get(url).status_code
        checked += 1
        if status != expected:
            mismatches.append(f"{url} ({name}): expected {expected}, got {status}")
    assert checked > 150
    assert not mismatches, f"{role}: " + "\n".join(mismatches)


@pytest.mark.parametrize("role", sorted(ADMIN_ROLES))
def test_app_index_pages_show_only_apps_with_permissions(world, role):
    client = Client()
    login_verified(client, world[role])
    for app_label, allowed in APP_INDEX.items():
        status = client.get(f"/admin/{app_label}/").status_code
        assert status == (200 if role in allowed else 404), (app_label, role, status)


def test_every_registered_admin_model_has_an_entry():
    for model in admin_models().values():
        assert model_access(model) is not None
    assert apps.get_model("deputies", "HistoricalDeputy") in admin_models().values()
