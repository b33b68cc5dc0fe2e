"""Every admin page on seeded data, and change lists whose query count does not grow with their rows."""
import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from conftest import PASSWORD, login_verified
from congress import roles
from congress.demo.seed import seed
from congress.models import ExportRecord, Organization, User
from congress.services import create_user_with_role, user_set_managed_towns
from tests.sample import make_sample
from tests.test_access_matrix import model_access

# which seeded account looks at a model: the first role in this order that may view it
VIEWERS = ["staff", "auditor", "sysadmin", "secadmin"]


def viewer_for(model) -> str:
    access = model_access(model)
    for role in VIEWERS:
        if "v" in access.get(role, "") or "c" in access.get(role, ""):
            return role
    raise AssertionError(f"nobody views {model}")


def _admin_url(model, action, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{action}", args=args)


@pytest.fixture
def seeded(db):
    seed(factor=0.05)
    # the seed writes in bulk without history; an edit gives every audit list a row to open
    from django.apps import apps

    from deputies.models import Deputy
    from stations.models import Station

    for model in [m for m in apps.get_models() if not m.__name__.startswith("Historical")]:
        if model._meta.app_label in {"congress", "deputies", "stations"}:
            obj = model.objects.order_by("pk").first()
            if obj is not None and hasattr(obj, "history"):
                obj.save()
    AccessAttempt.objects.create(username="x", ip_address="127.0.0.1", user_agent="t", failures_since_start=1)
    AccessLog.objects.create(username="x", ip_address="127.0.0.1", user_agent="t")
    AccessFailureLog.objects.create(username="x", ip_address="127.0.0.1", user_agent="t", locked_out=False)
    ExportRecord.objects.create(user=User.objects.get(username="staff"), model_label="deputies.deputy", row_count=1,
                                file_format="xlsx")
    from stations.models import VoterContactView, VoterOpinion

    VoterContactView.objects.create(user=User.objects.get(username="staff"), opinion=VoterOpinion.objects.first())
    assert Deputy.objects.count() > 50 and Station.objects.count() > 5
    return {name: _client(name) for name in VIEWERS}


def _client(username):
    """Log in through the real login form with the demo password the README prints."""
    client = Client()
    password = {"staff": "Renda@2026", "auditor": "Shenji@2026", "sysadmin": "Xitong@2026",
                "secadmin": "Anquan@2026"}[username]
    response = client.post(reverse("admin:login"), {"username": username, "password": password, "next": "/admin/"})
    assert response.status_code == 302, f"demo login {username} failed"
    if username != "staff":
        # the 三员 then give the code of their (demo) TOTP device, as `manage.py totp_now` prints it
        from django_otp.oath import TOTP
        from django_otp.plugins.otp_totp.models import TOTPDevice

        assert client.get("/admin/").url.startswith(reverse("accounts:second_factor"))
        device = TOTPDevice.objects.get(user__username=username)
        token = f"{TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift).token():06d}"
        response = client.post(reverse("accounts:second_factor"), {"token": token, "next": "/admin/"})
        assert response.status_code == 302 and response.url == "/admin/", f"second factor for {username} failed"
    return client


def test_every_admin_page_opens_on_seeded_data(seeded):
    opened = 0
    for model, model_admin in admin.site._registry.items():
        role = viewer_for(model)
        client = seeded[role]
        response = client.get(_admin_url(model, "changelist"))
        assert response.status_code == 200, (model, role)
        assert "<html" in response.content.decode()[:200].lower() and 'lang="zh-hans"' in response.content.decode()
        opened += 1
        if "a" in model_access(model).get(role, "") and model_admin.has_add_permission(response.wsgi_request):
            assert client.get(_admin_url(model, "add")).status_code == 200, (model, "add")
            opened += 1
        obj = model._default_manager.order_by("pk").first()
        assert obj is not None, f"the seed left {model.__name__} empty"
        assert client.get(_admin_url(model, "change", obj.pk)).status_code == 200, (model, "change")
        opened += 1
    assert opened > 60


def test_the_admin_speaks_chinese(seeded):
    body = seeded["staff"].get("/admin/").content.decode()
    assert "区人大常委会履职服务平台" in body and "人大代表" in body and "家站点" in body


@pytest.fixture
def actors(db, term):
    users = {}
    for name, role in [("staff", roles.COMMITTEE_STAFF), ("auditor", roles.AUDIT_ADMIN),
                       ("sysadmin", roles.SYSTEM_ADMIN), ("secadmin", roles.SECURITY_ADMIN)]:
        users[name] = create_user_with_role(username=f"q_{name}", password=PASSWORD, role=role)
    return users


def _add_towns(term, start, stop, user):
    for number in range(start, stop):
        town = Organization.objects.create(name=f"测试镇{number}", kind=Organization.Kind.TOWN)
        rows = make_sample(town=town, term=term, number=number, user=user)
        rows["deputy"].save()  # a history row to list
        AccessLog.objects.create(username=f"u{number}", ip_address="127.0.0.1", user_agent="t")
        AccessAttempt.objects.create(username=f"u{number}", ip_address="127.0.0.1", user_agent="t",
                                     failures_since_start=1)
        AccessFailureLog.objects.create(username=f"u{number}", ip_address="127.0.0.1", user_agent="t", locked_out=False)
        create_user_with_role(username=f"clerk{number}", password=PASSWORD, role=roles.TOWN_STAFF)
        ExportRecord.objects.create(user=user, model_label="stations.station", row_count=number, file_format="csv")


def _changelist_queries(actors) -> dict[str, int]:
    counts = {}
    for model in admin.site._registry:
        client = Client()
        login_verified(client, actors[viewer_for(model)])
        url = _admin_url(model, "changelist")
        client.get(url)  # warm caches (content types, permissions) so both runs compare the same work
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        counts[url] = len(ctx.captured_queries)
    return counts


def test_changelist_queries_do_not_grow_with_rows(actors, term):
    _add_towns(term, 0, 2, actors["staff"])
    small = _changelist_queries(actors)
    _add_towns(term, 2, 6, actors["staff"])
    large = _changelist_queries(actors)
    grown = {url: (small[url], large[url]) for url in small if large[url] != small[url]}
    assert not grown, grown


def test_town_staff_lists_do_not_grow_with_rows(db, term, security_admin):
    town = Organization.objects.create(name="本镇", kind=Organization.Kind.TOWN)
    clerk = create_user_with_role(username="clerk", password=PASSWORD, role=roles.TOWN_STAFF)
    user_set_managed_towns(actor=security_admin, user=clerk, towns=[town])
    client = Client()
    client.force_login(clerk)
    urls = ["admin:deputies_deputy_changelist", "admin:stations_station_changelist", "admin:deputies_mandate_changelist",
            "admin:deputies_dutyactivity_changelist", "admin:stations_stationdeputy_changelist"]

    def measure():
        result = {}
        for name in urls:
            client.get(reverse(name))
            with CaptureQueriesContext(connection) as ctx:
                client.get(reverse(name))
            result[name] = len(ctx.captured_queries)
        return result

    make_sample(town=town, term=term, number=0)
    small = measure()
    for number in range(1, 4):
        make_sample(town=town, term=term, number=number)
    assert measure() == small


@pytest.mark.django_db
def test_only_the_index_builds_the_app_list(staff, monkeypatch):
    """The app list (a permission check per model) fed only the sidebar, which is off: a change list builds none, the
    index and an app's own index one each, and the index still lists the apps."""
    from conftest import client_for
    from congress.admin_site import CongressAdminSite

    built = []
    original = CongressAdminSite._build_app_dict
    monkeypatch.setattr(CongressAdminSite, "_build_app_dict",
                        lambda self, request, label=None: built.append(label) or original(self, request, label))
    client = client_for(staff)
    assert client.get(reverse("admin:proposals_suggestion_changelist")).status_code == 200
    assert built == []
    page = client.get(reverse("admin:index"))
    assert page.status_code == 200 and len(built) == 1 and "代表建议" in page.content.decode()
    assert client.get(reverse("admin:app_list", args=["proposals"])).status_code == 200
    assert built[1:] == ["proposals"]
