"""Login throttling behind the TLS proxy (django-axes with congress.lib.logins and congress.lib.clientip): the address
comes from the proxy's header only when BEHIND_TLS_PROXY is set, a (username, address) pair is locked rather than the
username for everyone, and one address spraying many usernames is stopped by the per-address limit."""
import datetime

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.test import Client, RequestFactory, override_settings
from django.urls import reverse
from freezegun import freeze_time

from conftest import PASSWORD
from congress.lib.clientip import client_address

WRONG = "wrong-Password1"
behind_proxy = override_settings(BEHIND_TLS_PROXY=True, PROXY_CLIENT_IP_HEADER="X-Forwarded-For", TRUSTED_PROXY_COUNT=1)


def login(client, username, password, forwarded=None, **extra):
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    # REMOTE_ADDR is the proxy's for every request, as it is behind nginx
    return client.post(reverse("accounts:login"), {"username": username, "password": password, "next": "/go/"},
                       REMOTE_ADDR="10.0.0.2", **extra)


class TestClientAddress:
    def request(self, **meta):
        return RequestFactory().get("/", REMOTE_ADDR="10.0.0.2", **meta)

    def test_without_the_proxy_setting_the_header_is_ignored(self):
        assert client_address(self.request(HTTP_X_FORWARDED_FOR="198.51.100.7")) == "10.0.0.2"

    @behind_proxy
    def test_behind_the_proxy_the_entry_the_proxy_appended_counts(self):
        # a client can write anything to the left; the proxy appends the address it saw
        assert client_address(self.request(HTTP_X_FORWARDED_FOR="1.2.3.4, 198.51.100.7")) == "198.51.100.7"

    @override_settings(BEHIND_TLS_PROXY=True, PROXY_CLIENT_IP_HEADER="X-Forwarded-For", TRUSTED_PROXY_COUNT=2)
    def test_with_two_proxies_the_second_entry_from_the_right_counts(self):
        assert client_address(self.request(HTTP_X_FORWARDED_FOR="1.2.3.4, 198.51.100.7, 10.0.0.9")) == "198.51.100.7"
        assert client_address(self.request(HTTP_X_FORWARDED_FOR="198.51.100.7")) == "10.0.0.2"

    @override_settings(BEHIND_TLS_PROXY=True, PROXY_CLIENT_IP_HEADER="X-Real-IP", TRUSTED_PROXY_COUNT=1)
    def test_the_header_is_a_setting(self):
        request = self.request(HTTP_X_REAL_IP="2001:db8::7", HTTP_X_FORWARDED_FOR="198.51.100.7")
        assert client_address(request) == "2001:db8::7"

    @behind_proxy
    @pytest.mark.parametrize("value", ["", "not-an-address", "999.1.1.1", "\x00", "1.2.3.4, ", "1" * 5000])
    def test_a_malformed_header_falls_back_to_the_connection(self, value):
        assert client_address(self.request(HTTP_X_FORWARDED_FOR=value)) in {"10.0.0.2", "1.2.3.4"}

    @behind_proxy
    def test_a_port_is_dropped(self):
        assert client_address(self.request(HTTP_X_FORWARDED_FOR="198.51.100.7:4431")) == "198.51.100.7"
        assert client_address(self.request(HTTP_X_FORWARDED_FOR="[2001:db8::7]:443")) == "2001:db8::7"


class TestBehindTheProxy:
    @behind_proxy
    def test_a_locked_address_does_not_lock_the_same_user_elsewhere(self, staff):
        attacker, owner = Client(), Client()
        for _ in range(settings.AXES_FAILURE_LIMIT - 1):
            assert login(attacker, "staff", WRONG, "198.51.100.7").status_code == 200
        assert login(attacker, "staff", WRONG, "198.51.100.7").status_code == 429
        assert login(attacker, "staff", PASSWORD, "198.51.100.7").status_code == 429
        assert AccessAttempt.objects.get(username="staff").ip_address == "198.51.100.7"
        response = login(owner, "staff", PASSWORD, "203.0.113.9")
        assert response.status_code == 302

    @behind_proxy
    def test_a_spoofed_left_entry_does_not_escape_the_lock(self, staff):
        client = Client()
        for number in range(settings.AXES_FAILURE_LIMIT):
            login(client, "staff", WRONG, f"192.0.2.{number}, 198.51.100.7")
        assert login(client, "staff", PASSWORD, "192.0.2.200, 198.51.100.7").status_code == 429

    def test_without_the_proxy_setting_a_forged_header_changes_nothing(self, staff):
        client = Client()
        for number in range(settings.AXES_FAILURE_LIMIT):
            login(client, "staff", WRONG, f"198.51.100.{number}")
        # every attempt counted under the connection's address, whatever the header said
        assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"10.0.0.2"}
        assert login(client, "staff", PASSWORD, "203.0.113.9").status_code == 429


class TestPerAddressLimit:
    @behind_proxy
    def test_spraying_usernames_from_one_address_is_stopped_at_the_limit(self, staff):
        limit = settings.LOGIN_FAILURE_LIMIT_PER_ADDRESS
        assert 5 < limit <= 50
        sprayer = Client()
        statuses = [login(sprayer, f"user{number}", WRONG, "198.51.100.66").status_code for number in range(limit + 3)]
        assert statuses[:limit - 1] == [200] * (limit - 1)
        assert statuses[limit - 1:] == [429] * 4
        # the address is now locked for every username, a real one with its right password too
        response = login(sprayer, "staff", PASSWORD, "198.51.100.66")
        assert response.status_code == 429
        assert "网络地址" in response.content.decode() and "30 分钟后再试" in response.content.decode()
        # another address is not affected
        assert login(Client(), "staff", PASSWORD, "203.0.113.9").status_code == 302

    @behind_proxy
    def test_twelve_usernames_with_two_tries_each_are_more_than_one_address_may_make(self, staff):
        client, statuses = Client(), []
        for number in range(12):
            for _ in range(2):
                statuses.append(login(client, f"user{number}", WRONG, "198.51.100.67").status_code)
        assert statuses.count(429) == 24 - settings.LOGIN_FAILURE_LIMIT_PER_ADDRESS + 1

    @behind_proxy
    def test_the_address_lock_ends_after_the_cool_off(self, staff):
        client = Client()
        start = datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.UTC)
        with freeze_time(start):
            for number in range(settings.LOGIN_FAILURE_LIMIT_PER_ADDRESS):
                login(client, f"user{number}", WRONG, "198.51.100.68")
            assert login(client, "staff", PASSWORD, "198.51.100.68").status_code == 429
        with freeze_time(start + datetime.timedelta(minutes=31)):
            assert login(client, "staff", PASSWORD, "198.51.100.68").status_code == 302

    @override_settings(BEHIND_TLS_PROXY=True, LOGIN_FAILURE_LIMIT_PER_ADDRESS=0)
    def test_zero_turns_the_address_limit_off(self, staff):
        client = Client()
        for number in range(30):
            assert login(client, f"user{number}", WRONG, "198.51.100.69").status_code == 200
        assert login(client, "staff", PASSWORD, "198.51.100.69").status_code == 302

    def test_the_per_user_lock_page_speaks_of_the_account(self, staff):
        client = Client()
        for _ in range(settings.AXES_FAILURE_LIMIT):
            response = login(client, "staff", WRONG)
        assert response.status_code == 429
        assert "账号已被临时锁定" in response.content.decode()
