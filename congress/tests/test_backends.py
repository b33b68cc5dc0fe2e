"""congress.backends.CongressBackend: the request's user comes with what every page reads next (the linked deputy; on
PostgreSQL the role names), read afresh on every request."""
import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from conftest import client_for
from congress import roles

pytestmark = pytest.mark.django_db


def _queries(client, path):
    with CaptureQueriesContext(connection) as seen:
        response = client.get(path)
    return response, [q["sql"] for q in seen.captured_queries]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the role names come with the user on PostgreSQL only")
def test_the_role_names_come_with_the_user(unit_user):
    client = client_for(unit_user)
    client.get(reverse("unit:inbox"))
    response, sqls = _queries(client, reverse("unit:inbox"))
    assert response.status_code == 200
    assert not [sql for sql in sqls if sql.lstrip().startswith('SELECT "auth_group"')]
    user_reads = [sql for sql in sqls if 'FROM "congress_user"' in sql and '"auth_group"' in sql]
    assert len(user_reads) == 1


def test_a_role_taken_away_counts_from_the_next_page(unit_user):
    client = client_for(unit_user)
    assert client.get(reverse("unit:inbox")).status_code == 200
    unit_user.groups.remove(Group.objects.get(name=roles.HANDLING_UNIT))
    assert client.get(reverse("unit:inbox")).status_code == 403


def test_a_role_given_counts_from_the_next_page(outsider, unit_org):
    outsider.organization = unit_org
    outsider.save()
    client = client_for(outsider)
    assert client.get(reverse("unit:inbox")).status_code == 403
    outsider.groups.add(Group.objects.get_or_create(name=roles.HANDLING_UNIT)[0])
    assert client.get(reverse("unit:inbox")).status_code == 200


def test_a_deactivated_account_is_logged_out_on_the_next_page(unit_user):
    client = client_for(unit_user)
    assert client.get(reverse("unit:inbox")).status_code == 200
    unit_user.is_active = False
    unit_user.save()
    response = client.get(reverse("unit:inbox"))
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_a_user_without_roles_has_none(outsider):
    from congress.backends import CongressBackend
    from congress.predicates import role_names

    user = CongressBackend().get_user(outsider.pk)
    assert role_names(user) == frozenset()
    assert CongressBackend().get_user(outsider.pk + 10_000) is None


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the permissions come with the user on PostgreSQL only")
def test_the_permissions_come_with_the_user(staff):
    client = client_for(staff)
    client.get("/admin/proposals/suggestion/")
    response, sqls = _queries(client, "/admin/proposals/suggestion/")
    assert response.status_code == 200
    assert not [sql for sql in sqls if sql.lstrip().startswith('SELECT "django_content_type"."app_label"')]


def test_a_permission_taken_from_the_group_counts_from_the_next_page(staff):
    from django.contrib.auth.models import Permission

    client = client_for(staff)
    assert client.get("/admin/proposals/suggestion/").status_code == 200
    group = Group.objects.get(name=roles.COMMITTEE_STAFF)
    for codename in ("view_suggestion", "change_suggestion"):
        group.permissions.remove(Permission.objects.get(content_type__app_label="proposals", codename=codename))
    assert client.get("/admin/proposals/suggestion/").status_code == 403


def test_a_permission_given_to_the_user_counts_from_the_next_page(outsider):
    from django.contrib.auth.models import Permission

    outsider.is_staff = True
    outsider.save()
    client = client_for(outsider)
    assert client.get("/admin/deputies/deputy/").status_code == 403
    outsider.user_permissions.add(Permission.objects.get(content_type__app_label="deputies", codename="view_deputy"))
    assert client.get("/admin/deputies/deputy/").status_code == 200
