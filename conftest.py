"""The named actors every test uses (docs/architecture.md): committee staff, town staff of two towns, a deputy,
a handling unit user, a leader, the three administrators, an outsider and the anonymous voter."""
import datetime

import pytest
from django.conf import settings
from django.core.signals import setting_changed
from django.test import Client

from congress import roles
from congress.models import Organization, Term
from congress.services import create_user_with_role, user_set_managed_towns

PASSWORD = "Renda@2026pass"


def _sendfile_root_follows_media_root(setting, value, enter, **kwargs):
    """Tests point MEDIA_ROOT at a temporary folder; the protected file views send from SENDFILE_ROOT, which the
    settings make the same folder. (On leaving an override Django has already put the old settings back.)"""
    if setting == "MEDIA_ROOT" and enter:
        settings.SENDFILE_ROOT = str(value)


setting_changed.connect(_sendfile_root_follows_media_root)


def _is_transactional(item) -> bool:
    marker = item.get_closest_marker("django_db")
    names = getattr(item, "fixturenames", ())
    return bool(marker and marker.kwargs.get("transaction")) or "live_server" in names or "transactional_db" in names


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_teardown(item, nextitem):
    """A transaction=True test ends with a flush that empties every table, the data migrations' rows too (role
    groups and their permissions, the holiday calendar), and pytest-django flushes without post_migrate. Put
    them back once the flush is done (and the 八有 items of stations' data migration), so whatever test runs next on
    this worker sees a migrated database."""
    yield
    # (after the last test the session's teardown has already dropped the test database)
    if nextitem is not None and _is_transactional(item):
        from pytest_django.plugin import blocking_manager_key

        from congress.roles import ensure_roles
        from congress.services import calendar_load_defaults
        from stations.standards import standard_items_load_defaults

        with item.config.stash[blocking_manager_key].unblock():
            ensure_roles()
            calendar_load_defaults()
            standard_items_load_defaults()


@pytest.fixture(autouse=True)
def _notification_links_resolve(request):
    """Every notification a test leaves behind opens a page of this site: a path that django.urls.resolve accepts
    (congress.services.notification_send builds it with reverse()), never a hand-written or dead link."""
    if _is_transactional(request.node) or not (request.node.get_closest_marker("django_db")
                                                or "db" in request.fixturenames):
        yield
        return
    request.getfixturevalue("_django_db_helper")  # set up before this fixture, so torn down after its check
    yield
    from django.urls import resolve

    from congress.models import Notification

    for url in Notification.objects.exclude(url="").values_list("url", flat=True).distinct():
        assert url.startswith("/"), f"notification link {url!r} is not a path"
        resolve(url.split("?", 1)[0])


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Tests make hundreds of accounts: a cheap hasher for them (production keeps Django's PBKDF2)."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _live_statistics(settings):
    """The dashboard's and the rates table's figures (and the admin index's counts) are kept for minutes in production
    (congress.lib.statcache); a test changes rows and reloads, so by default they are computed on every visit. Tests of
    the keeping set the setting back. The same for the bell's unread count, which tests create rows for directly."""
    settings.STATS_CACHE_SECONDS = 0
    settings.ADMIN_COUNTS_CACHE_SECONDS = 0
    settings.NOTIFICATION_COUNT_CACHE_SECONDS = 0
    settings.WORKFLOW_FACTS_SECONDS = 0


@pytest.fixture(autouse=True)
def _fresh_figures():
    """The headline figures are cached for a minute (congress.selectors.system_counts): each test counts its own rows."""
    from django.core.cache import cache

    from congress.selectors import figures_cache_key

    cache.delete(figures_cache_key())
    yield
    cache.delete(figures_cache_key())


@pytest.fixture
def term(db):
    return Term.objects.create(number=17, start_date=datetime.date(2021, 10, 1), is_current=True)


@pytest.fixture
def town_a(db):
    return Organization.objects.create(name="城东街道", kind=Organization.Kind.STREET, sort_order=1)


@pytest.fixture
def town_b(db):
    return Organization.objects.create(name="临江镇", kind=Organization.Kind.TOWN, sort_order=2)


@pytest.fixture
def unit_org(db):
    return Organization.objects.create(name="区住房和城乡建设局", kind=Organization.Kind.DEPARTMENT, is_handling_unit=True)


@pytest.fixture
def working_body(db):
    return Organization.objects.create(name="人事代表工作委员会", kind=Organization.Kind.WORKING_BODY)


def _user(username, role, **kwargs):
    return create_user_with_role(username=username, password=PASSWORD, role=role, **kwargs)


@pytest.fixture
def security_admin(db):
    return _user("anquan", roles.SECURITY_ADMIN, full_name="安全管理员甲")


@pytest.fixture
def system_admin(db):
    return _user("xitong", roles.SYSTEM_ADMIN, full_name="系统管理员甲")


@pytest.fixture
def audit_admin(db):
    return _user("shenji", roles.AUDIT_ADMIN, full_name="审计管理员甲")


@pytest.fixture
def staff(db, working_body):
    return _user("staff", roles.COMMITTEE_STAFF, full_name="王秘书", organization=working_body)


@pytest.fixture
def leader(db):
    return _user("leader", roles.LEADER, full_name="李主任")


@pytest.fixture
def town_staff(db, town_a, security_admin):
    user = _user("town_a_staff", roles.TOWN_STAFF, full_name="赵干事", organization=town_a)
    user_set_managed_towns(actor=security_admin, user=user, towns=[town_a])
    return user


@pytest.fixture
def other_town_staff(db, town_b, security_admin):
    user = _user("town_b_staff", roles.TOWN_STAFF, full_name="钱干事", organization=town_b)
    user_set_managed_towns(actor=security_admin, user=user, towns=[town_b])
    return user


@pytest.fixture
def unit_user(db, unit_org):
    return _user("unit", roles.HANDLING_UNIT, full_name="孙科长", organization=unit_org)


@pytest.fixture
def deputy_user(db):
    return _user("deputy", roles.DEPUTY, full_name="周代表")


@pytest.fixture
def outsider(db):
    from congress.models import User

    user = User(username="outsider", full_name="无角色用户")
    user.set_password(PASSWORD)
    user.save()
    return user


def client_for(user) -> Client:
    client = Client()
    if user is not None:
        login_verified(client, user)
    return client


def login_verified(client, user) -> None:
    """force_login, and for an account that needs the second factor (the 三员) a confirmed TOTP device with the session
    marked verified, as if the 6-digit code had been entered (tests of that step are in congress/tests/test_second_factor.py)."""
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from congress.selectors import second_factor_required

    client.force_login(user)
    if second_factor_required(user):
        device = TOTPDevice.objects.filter(user=user, confirmed=True).first() or TOTPDevice.objects.create(
            user=user, name="测试", confirmed=True)
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()


def changelist_cells(page: str, row_text: str) -> dict[str, str]:
    """The cells (their HTML) of the first row of an admin change list that contains `row_text`, by column: the name in
    the header's column-<name> class, "action_checkbox" for the selection box. The rows' cells carry no class that
    names their column (congress.lib.admin.CongressChangeList.row_cells), so a test finds a cell by its position."""
    import re

    head = re.search(r"<thead>(.*?)</thead>", page, re.S)[1]
    names = []
    for classes in re.findall(r'<th scope="col"(?: class="([^"]*)")?>', head):
        column = re.search(r"(?:^| )column-(\S+)", classes)
        names.append(column[1] if column else "action_checkbox")
    body = re.search(r"<tbody>(.*?)</tbody>", page, re.S)[1]
    row = next(r for r in re.findall(r"<tr\b[^>]*>(.*?)</tr>", body, re.S) if row_text in r)
    cells = [inner for _tag, inner in re.findall(r"<(t[dh])\b[^>]*>(.*?)</\1>", row, re.S)]
    assert len(cells) == len(names), (names, cells)
    return dict(zip(names, cells, strict=True))
