"""三员分立: the system, security and audit administrators each do their own work and none of the others'."""
import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from conftest import PASSWORD, client_for
from congress import roles
from congress.models import User
from congress.services import CongressError, managed_town_ids, user_set_managed_towns, user_set_roles


def test_the_data_migration_created_every_role(db):
    assert set(Group.objects.values_list("name", flat=True)) >= set(roles.ALL_ROLES)


class TestSystemAdministrator:
    def test_creates_an_account(self, system_admin):
        response = client_for(system_admin).post(reverse("admin:congress_user_add"), {
            "username": "newclerk", "full_name": "新干事", "password1": "Xin@gan2026", "password2": "Xin@gan2026",
        })
        assert response.status_code == 302
        assert User.objects.get(username="newclerk").full_name == "新干事"

    def test_cannot_give_roles(self, system_admin, outsider):
        staff_group = Group.objects.get(name=roles.COMMITTEE_STAFF)
        response = client_for(system_admin).post(reverse("admin:congress_user_change", args=[outsider.pk]), {
            "username": outsider.username, "full_name": "改名", "groups": [staff_group.pk], "is_superuser": "on",
            "is_staff": "on",
        })
        assert response.status_code == 302
        outsider.refresh_from_db()
        assert outsider.full_name == "改名"
        assert not outsider.groups.exists() and not outsider.is_superuser and not outsider.is_staff
        with pytest.raises(PermissionDenied):
            user_set_roles(actor=system_admin, user=outsider, groups=[staff_group])

    def test_cannot_read_the_audit_log(self, system_admin):
        client = client_for(system_admin)
        assert client.get(reverse("admin:deputies_historicaldeputy_changelist")).status_code == 403
        assert client.get(reverse("admin:axes_accesslog_changelist")).status_code == 403


class TestSecurityAdministrator:
    def test_gives_roles_and_staff_status_follows(self, security_admin, outsider):
        staff_group = Group.objects.get(name=roles.COMMITTEE_STAFF)
        response = client_for(security_admin).post(reverse("admin:congress_user_change", args=[outsider.pk]), {
            "is_active": "on", "roles": [staff_group.pk],
        })
        assert response.status_code == 302
        outsider.refresh_from_db()
        assert list(outsider.groups.values_list("name", flat=True)) == [roles.COMMITTEE_STAFF]
        assert outsider.is_staff

    def test_grants_a_town_to_town_staff(self, security_admin, town_a, town_b):
        clerk = User.objects.create_user("clerk", password=PASSWORD)
        clerk.groups.add(Group.objects.get(name=roles.TOWN_STAFF))
        response = client_for(security_admin).post(reverse("admin:congress_user_change", args=[clerk.pk]), {
            "is_active": "on", "roles": [Group.objects.get(name=roles.TOWN_STAFF).pk], "managed_towns": [town_b.pk],
        })
        assert response.status_code == 302
        assert managed_town_ids(clerk) == [town_b.pk]
        assert clerk.has_perm("congress.manage_town_records", town_b)
        assert not clerk.has_perm("congress.manage_town_records", town_a)

    def test_cannot_create_accounts_edit_profiles_or_reset_passwords(self, security_admin, outsider):
        client = client_for(security_admin)
        assert client.get(reverse("admin:congress_user_add")).status_code == 403
        assert client.get(reverse("admin:auth_user_password_change", args=[outsider.pk])).status_code == 403
        client.post(reverse("admin:congress_user_change", args=[outsider.pk]),
                    {"is_active": "on", "full_name": "被安全员改名", "username": "hijacked"})
        outsider.refresh_from_db()
        assert outsider.full_name == "无角色用户" and outsider.username == "outsider"

    def test_cannot_combine_an_administrator_role_with_another(self, security_admin, outsider):
        groups = Group.objects.filter(name__in=[roles.AUDIT_ADMIN, roles.COMMITTEE_STAFF])
        with pytest.raises(CongressError, match="三员分立"):
            user_set_roles(actor=security_admin, user=outsider, groups=groups)
        assert not outsider.groups.exists()

    def test_cannot_change_own_roles(self, security_admin):
        with pytest.raises(CongressError, match="自己"):
            user_set_roles(actor=security_admin, user=security_admin, groups=[])
        assert security_admin.groups.filter(name=roles.SECURITY_ADMIN).exists()

    def test_an_empty_form_strips_nobody_of_their_roles(self, security_admin, system_admin):
        response = client_for(security_admin).post(reverse("admin:congress_user_change", args=[system_admin.pk]), {})
        assert response.status_code == 200
        assert "请至少选择一个角色" in response.content.decode()
        system_admin.refresh_from_db()
        assert system_admin.is_active and system_admin.groups.filter(name=roles.SYSTEM_ADMIN).exists()

    def test_their_own_account_is_read_only_to_them(self, security_admin):
        client = client_for(security_admin)
        url = reverse("admin:congress_user_change", args=[security_admin.pk])
        page = client.get(url)
        assert page.status_code == 200 and 'name="_save"' not in page.content.decode()
        mine = Group.objects.get(name=roles.SECURITY_ADMIN)
        assert client.post(url, {"roles": [mine.pk]}).status_code == 403  # "is_active" unticked: a self-deactivation
        security_admin.refresh_from_db()
        assert security_admin.is_active

    def test_cannot_grant_a_town_to_someone_who_is_not_town_staff(self, security_admin, outsider, town_a):
        with pytest.raises(CongressError):
            user_set_managed_towns(actor=security_admin, user=outsider, towns=[town_a])
        assert managed_town_ids(outsider) == []

    def test_cannot_read_the_audit_log(self, security_admin):
        assert client_for(security_admin).get(reverse("admin:deputies_historicaldeputy_changelist")).status_code == 403


class TestAuditAdministrator:
    def test_reads_change_and_login_logs(self, audit_admin):
        client = client_for(audit_admin)
        assert client.get(reverse("admin:deputies_historicaldeputy_changelist")).status_code == 200
        assert client.get(reverse("admin:axes_accesslog_changelist")).status_code == 200

    def test_cannot_touch_accounts_or_data(self, audit_admin, outsider):
        client = client_for(audit_admin)
        assert client.get(reverse("admin:congress_user_changelist")).status_code == 403
        assert client.get(reverse("admin:deputies_deputy_changelist")).status_code == 403

    def test_town_grants_need_the_security_administrator(self, audit_admin, staff, town_a):
        with pytest.raises(PermissionDenied):
            user_set_managed_towns(actor=staff, user=audit_admin, towns=[town_a])
