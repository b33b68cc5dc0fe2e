"""docs/rules.md: a second factor (TOTP) is available to staff accounts and required for administrators. Driven through the
real login form and the second-factor page, with codes computed from the device's key as a phone app would."""
import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from conftest import PASSWORD, client_for
from congress.services import CongressError, second_factor_reset

pytestmark = pytest.mark.django_db
PAGE = reverse("accounts:second_factor")


def code(device, offset=0) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = totp.time + offset * device.step
    return f"{totp.token():06d}"


def password_login(username) -> Client:
    client = Client()
    response = client.post(reverse("admin:login"), {"username": username, "password": PASSWORD, "next": "/admin/"})
    assert response.status_code == 302, username
    return client


class TestAdministrators:
    def test_after_the_password_every_admin_page_leads_to_the_second_factor(self, system_admin):
        client = password_login("xitong")
        for url in ["/admin/", "/admin/congress/user/", "/notifications/"]:
            response = client.get(url)
            assert response.status_code == 302 and response.url.startswith(PAGE), url

    def test_the_first_time_they_enrol_with_a_qr_code_and_a_good_code(self, system_admin):
        client = password_login("xitong")
        page = client.get(PAGE + "?next=/admin/congress/user/").content.decode()
        assert 'class="qr"><svg' in page and 'id="totp-secret"' in page
        device = TOTPDevice.objects.get(user=system_admin)
        assert not device.confirmed
        response = client.post(PAGE, {"token": code(device), "next": "/admin/congress/user/"})
        assert response.status_code == 302 and response.url == "/admin/congress/user/"
        device.refresh_from_db()
        assert device.confirmed
        assert client.get("/admin/").status_code == 200
        record = system_admin.history.first()
        assert (record.history_change_reason, record.history_user) == ("启用动态口令", system_admin)

    def test_the_qr_code_stays_the_same_until_confirmed(self, system_admin):
        client = password_login("xitong")
        client.get(PAGE)
        client.get(PAGE)
        assert TOTPDevice.objects.filter(user=system_admin).count() == 1

    def test_a_wrong_code_is_refused_in_chinese_and_verifies_nothing(self, system_admin):
        client = password_login("xitong")
        client.get(PAGE)
        device = TOTPDevice.objects.get(user=system_admin)
        wrong = f"{(int(code(device)) + 1) % 1_000_000:06d}"
        response = client.post(PAGE, {"token": wrong})
        assert response.status_code == 400 and "动态口令不正确" in response.content.decode()
        device.refresh_from_db()
        assert not device.confirmed
        assert client.get("/admin/").status_code == 302

    def test_later_logins_ask_only_for_the_code(self, system_admin):
        device = TOTPDevice.objects.create(user=system_admin, name="手机", confirmed=True)
        client = password_login("xitong")
        page = client.get(PAGE).content.decode()
        assert 'class="qr"' not in page and "totp-secret" not in page
        assert client.post(PAGE, {"token": code(device)}).status_code == 302
        assert client.get("/admin/").status_code == 200

    def test_a_code_is_accepted_once_only(self, system_admin):
        device = TOTPDevice.objects.create(user=system_admin, name="手机", confirmed=True)
        token = code(device)
        assert password_login("xitong").post(PAGE, {"token": token}).status_code == 302
        second = password_login("xitong")
        assert second.post(PAGE, {"token": token}).status_code == 400
        assert second.get("/admin/").status_code == 302

    def test_repeated_wrong_codes_are_throttled(self, system_admin):
        device = TOTPDevice.objects.create(user=system_admin, name="手机", confirmed=True)
        client = password_login("xitong")
        for _ in range(3):
            client.post(PAGE, {"token": "000000" if code(device) != "000000" else "111111"})
        response = client.post(PAGE, {"token": code(device)})
        assert response.status_code == 400 and "次数过多" in response.content.decode()

    def test_logging_out_is_allowed_before_the_code(self, system_admin):
        client = password_login("xitong")
        assert client.post(reverse("accounts:logout")).status_code == 302
        assert client.get("/admin/").url.startswith(reverse("admin:login"))

    def test_an_outside_next_address_is_not_followed(self, system_admin):
        device = TOTPDevice.objects.create(user=system_admin, name="手机", confirmed=True)
        client = password_login("xitong")
        response = client.post(PAGE, {"token": code(device), "next": "https://evil.example/"})
        assert response.url == "/admin/"


class TestOtherStaff:
    def test_committee_staff_go_straight_in(self, staff):
        assert password_login("staff").get("/admin/").status_code == 200

    def test_staff_who_turn_it_on_must_use_it_from_then_on(self, staff):
        client = password_login("staff")
        client.get(PAGE)
        device = TOTPDevice.objects.get(user=staff)
        assert client.post(PAGE, {"token": code(device)}).status_code == 302
        later = password_login("staff")
        assert later.get("/admin/").url.startswith(PAGE)

    def test_a_setting_requires_it_of_every_staff_member(self, staff, settings):
        settings.TOTP_REQUIRED_FOR = "staff"
        assert password_login("staff").get("/admin/").url.startswith(PAGE)

    def test_deputies_have_nothing_to_do_there(self, deputy_user):
        assert client_for(deputy_user).get(PAGE).url == reverse("congress:go")


class TestReset:
    def test_the_security_admin_resets_a_lost_phone_from_the_user_list(self, security_admin, system_admin):
        TOTPDevice.objects.create(user=system_admin, name="手机", confirmed=True)
        response = client_for(security_admin).post(reverse("admin:congress_user_changelist"), {
            "action": "reset_second_factor", "_selected_action": [system_admin.pk]})
        assert response.status_code == 302
        assert not TOTPDevice.objects.filter(user=system_admin).exists()
        record = system_admin.history.first()
        assert (record.history_change_reason, record.history_user) == ("重置动态口令", security_admin)
        page = password_login("xitong")
        assert 'class="qr"><svg' in page.get(PAGE).content.decode()  # enrols again

    def test_nobody_else_may_reset(self, staff, system_admin, audit_admin):
        device = TOTPDevice.objects.create(user=staff, name="手机", confirmed=True)
        for actor in (system_admin, audit_admin, staff):
            with pytest.raises(CongressError):
                second_factor_reset(actor=actor, user=staff)
        client_for(system_admin).post(reverse("admin:congress_user_changelist"), {
            "action": "reset_second_factor", "_selected_action": [staff.pk]})
        assert TOTPDevice.objects.filter(pk=device.pk).exists()

    def test_the_security_admin_cannot_reset_their_own(self, security_admin):
        with pytest.raises(CongressError, match="自己"):
            second_factor_reset(actor=security_admin, user=security_admin)


class TestDemoCommand:
    def test_it_prints_the_current_code_in_the_demo(self, system_admin, settings):
        settings.DEBUG = True
        device = TOTPDevice.objects.create(user=system_admin, name="演示", confirmed=True)
        out = io.StringIO()
        call_command("totp_now", "xitong", stdout=out)
        assert out.getvalue().strip() in {code(device, -1), code(device), code(device, 1)}

    def test_it_refuses_outside_the_demo(self, system_admin, settings):
        settings.DEBUG = False
        TOTPDevice.objects.create(user=system_admin, name="演示", confirmed=True)
        with pytest.raises(CommandError):
            call_command("totp_now", "xitong")


def test_the_admin_index_offers_it_to_staff_until_they_use_it(staff):
    client = password_login("staff")
    assert "second-factor-offer" in client.get("/admin/").content.decode()
    client.get(PAGE)
    device = TOTPDevice.objects.get(user=staff)
    client.post(PAGE, {"token": code(device)})
    assert "second-factor-offer" not in client.get("/admin/").content.decode()
