"""congress.lib.prepared: a read compiled once per process gives what its queryset gives, for any values, and refuses a
builder whose SQL would not fit other values."""
import datetime
import threading
from unittest import mock

import pytest
from django.db import connection, connections
from django.db.models import CharField, Value
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from congress.lib.prepared import Prepared
from congress.models import Organization, User

pytestmark = [pytest.mark.django_db,
              pytest.mark.skipif(connection.vendor != "postgresql", reason="compiled ahead on PostgreSQL only")]


class Counting:
    """A builder that counts how often it is asked to build."""

    def __init__(self, build):
        self.build, self.calls = build, 0

    def __call__(self, **kwargs):
        self.calls += 1
        return self.build(**kwargs)


def _members(organization_id, names, limit):
    return (User.objects.filter(organization_id=organization_id, username__any_of=names)
            .select_related("organization").only("username", "organization__name").order_by("username")[:limit])


@pytest.fixture
def people(unit_org, working_body):
    made = {}
    for name, organization in (("a1", unit_org), ("a2", unit_org), ("a3", unit_org), ("b1", working_body)):
        made[name] = User.objects.create(username=name, full_name=name, organization=organization)
    return made


def test_each_call_gives_what_the_queryset_gives_and_builds_nothing_after_the_first(people, unit_org, working_body):
    builder = Counting(_members)
    read = Prepared(builder, params=("organization_id", "names"))
    asks = [(unit_org.pk, ["a1", "a3", "b1"]), (working_body.pk, ["b1"]), (unit_org.pk, []), (unit_org.pk, ["a2"]),
            (unit_org.pk, ["a1", "a2", "a3"])]
    for organization_id, names in asks:
        got = read(organization_id=organization_id, names=names, limit=5)
        expected = list(_members(organization_id, names, 5))
        assert got == expected
        assert [(u.username, u.organization.name) for u in got] == [(u.username, u.organization.name) for u in expected]
    assert builder.calls == 2  # the two builds with stand-ins that compile it, none per call
    assert [u.username for u in read(organization_id=unit_org.pk, names=["a1", "a2", "a3"], limit=5)] == ["a1", "a2", "a3"]


def test_the_related_object_comes_in_the_same_query(people, unit_org):
    read = Prepared(_members, params=("organization_id", "names"))
    read(organization_id=unit_org.pk, names=["a1"], limit=5)
    with CaptureQueriesContext(connection) as seen:
        (user,) = read(organization_id=unit_org.pk, names=["a2"], limit=5)
        assert user.organization.name == unit_org.name
    assert len(seen.captured_queries) == 1
    assert "= ANY(" in seen.captured_queries[0]["sql"]


def test_each_shape_compiles_its_own_sql(people, unit_org):
    builder = Counting(_members)
    read = Prepared(builder, params=("organization_id", "names"))
    names = ["a1", "a2", "a3"]
    assert len(read(organization_id=unit_org.pk, names=names, limit=2)) == 2
    assert len(read(organization_id=unit_org.pk, names=names, limit=3)) == 3
    assert len(read(organization_id=unit_org.pk, names=names, limit=2)) == 2
    assert builder.calls == 4


def test_values_and_a_union_and_dates(people, unit_org, working_body):
    User.objects.filter(username="a1").update(date_joined=timezone.make_aware(datetime.datetime(2026, 3, 1, 9)))

    def joined(organization_id, since):
        mine = User.objects.filter(organization_id=organization_id, date_joined__gte=since).values_list(
            "username", Value("成员", CharField()))
        itself = Organization.objects.filter(pk=organization_id).values_list("name", Value("单位", CharField()))
        return mine.union(itself, all=True).order_by("username")

    read = Prepared(joined, params=("organization_id", "since"))
    since = timezone.make_aware(datetime.datetime(2026, 6, 1))
    assert read(organization_id=unit_org.pk, since=since) == list(joined(unit_org.pk, since))
    unit = (unit_org.name, "单位")
    assert read(organization_id=unit_org.pk, since=since) == [("a2", "成员"), ("a3", "成员"), unit]
    earlier = timezone.make_aware(datetime.datetime(2026, 1, 1))
    assert read(organization_id=unit_org.pk, since=earlier) == [("a1", "成员"), ("a2", "成员"), ("a3", "成员"), unit]
    assert read(organization_id=working_body.pk, since=earlier) == [("b1", "成员"), (working_body.name, "单位")]


def test_another_thread_compiles_its_own_on_its_own_connection(people, unit_org):
    read = Prepared(_members, params=("organization_id", "names"))
    assert [u.username for u in read(organization_id=unit_org.pk, names=["a1"], limit=5)] == ["a1"]
    seen = {}

    def other():
        try:
            seen["rows"] = [u.username for u in read(organization_id=unit_org.pk, names=["a2"], limit=5)]
        except Exception as exc:  # noqa: BLE001 (reported below)
            seen["error"] = exc
        finally:
            connections.close_all()

    thread = threading.Thread(target=other)
    thread.start()
    thread.join()
    # the test's transaction is not visible from the other connection: it answers for the committed rows (none)
    assert seen == {"rows": []}
    assert [u.username for u in read(organization_id=unit_org.pk, names=["a2"], limit=5)] == ["a2"]


def test_elsewhere_than_postgresql_it_is_the_plain_queryset(people, unit_org):
    builder = Counting(_members)
    read = Prepared(builder, params=("organization_id", "names"))
    with mock.patch.object(connections["default"], "vendor", "sqlite"):
        got = read(organization_id=unit_org.pk, names=["a1", "a2"], limit=5)
        read(organization_id=unit_org.pk, names=["a1"], limit=5)
    assert [u.username for u in got] == ["a1", "a2"]
    assert builder.calls == 2  # built with the values each time, no stand-ins


def test_a_builder_whose_sql_depends_on_a_value_is_refused(unit_org):
    def branching(organization_id):
        users = User.objects.filter(organization_id=organization_id)
        return users.filter(is_active=True) if organization_id % 2 else users

    with pytest.raises(ValueError, match="changes with the parameters"):
        Prepared(branching, params=("organization_id",))(organization_id=unit_org.pk)


def test_a_list_given_to_in_is_refused(unit_org):
    read = Prepared(lambda ids: User.objects.filter(pk__in=ids), params=("ids",))
    with pytest.raises(ValueError, match="__any_of"):
        read(ids=[1, 2])


def test_a_value_a_lookup_transforms_is_refused(unit_org):
    read = Prepared(lambda year: User.objects.filter(date_joined__year=year), params=("year",))
    with pytest.raises(ValueError, match="not found among the SQL parameters"):
        read(year=2026)


def test_a_bool_must_be_shape_not_a_parameter():
    read = Prepared(lambda active: User.objects.filter(is_active=active), params=("active",))
    with pytest.raises(TypeError, match="shape"):
        read(active=True)
    shaped = Prepared(lambda active: User.objects.filter(is_active=active), params=())
    assert shaped(active=True) == list(User.objects.filter(is_active=True))


def test_the_sql_with_this_calls_values_is_what_the_queryset_compiles(people, unit_org, working_body):
    read = Prepared(lambda organization_id, since: User.objects.filter(organization_id=organization_id,
                                                                       date_joined__gte=since).values("username"),
                    params=("organization_id", "since"))
    since = timezone.make_aware(datetime.datetime(2026, 1, 1))
    read.sql_with_params(organization_id=unit_org.pk, since=since)  # compiled
    for organization_id in (unit_org.pk, working_body.pk):
        sql, params = read.sql_with_params(organization_id=organization_id, since=since)
        expected = User.objects.filter(organization_id=organization_id, date_joined__gte=since).values("username")
        assert (sql, params) == (lambda s, p: (s, tuple(p)))(*expected.query.sql_with_params())
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT COUNT(*) FROM ({sql}) AS t", params)
            assert cursor.fetchone()[0] == expected.count()
