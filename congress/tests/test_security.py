"""docs/rules.md security defaults: lockout, idle timeout, password rules and rotation, and the audit trail."""
import datetime

import pytest
from axes.models import AccessAttempt, AccessLog
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from conftest import PASSWORD, client_for
from deputies.models import Mandate, PersonalDataView
from deputies.services import mandates_end
from tests.sample import make_sample


def _login(client, username, password):
    return client.post(reverse("admin:login"), {"username": username, "password": password, "next": "/admin/"})


class TestLogin:
    def test_a_login_is_recorded(self, staff):
        client = Client()
        response = _login(client, "staff", PASSWORD)
        assert response.status_code == 302
        assert AccessLog.objects.filter(username="staff").count() == 1

    def test_five_failures_lock_the_account_even_with_the_right_password(self, staff):
        client = Client()
        for _ in range(settings.AXES_FAILURE_LIMIT - 1):
            assert _login(client, "staff", "wrong-Password1").status_code == 200
        assert _login(client, "staff", "wrong-Password1").status_code == 429
        response = _login(client, "staff", PASSWORD)
        assert response.status_code == 429
        assert "锁定" in response.content.decode()
        assert AccessAttempt.objects.get(username="staff").failures_since_start >= settings.AXES_FAILURE_LIMIT

    def test_the_lock_lasts_thirty_minutes(self):
        assert settings.AXES_COOLOFF_TIME == 0.5  # hours

    def test_four_failures_do_not_lock(self, staff):
        client = Client()
        for _ in range(settings.AXES_FAILURE_LIMIT - 1):
            _login(client, "staff", "wrong-Password1")
        assert _login(client, "staff", PASSWORD).status_code == 302


class TestSessions:
    def test_an_idle_session_ends_after_thirty_minutes(self, staff):
        client = client_for(staff)
        client.get("/admin/")
        session = client.session
        assert 1790 <= session.get_expiry_age() <= 1800

    def test_the_expiry_is_renewed_at_most_once_a_minute_and_then_counts_from_the_last_request(self, staff):
        from django.contrib.sessions.models import Session
        from freezegun import freeze_time

        client = client_for(staff)
        start = timezone.now().replace(microsecond=0) + datetime.timedelta(seconds=5)
        with freeze_time(start):
            client.get("/admin/")
            first = Session.objects.get().expire_date
            assert first == timezone.now() + datetime.timedelta(minutes=30)
        with freeze_time(start + datetime.timedelta(seconds=40)), CaptureQueriesContext(connection) as seen:
            client.get("/admin/")
        assert not [q for q in seen.captured_queries if q["sql"].startswith('UPDATE "django_session"')]
        assert Session.objects.get().expire_date == first  # within the minute: no write
        with freeze_time(start + datetime.timedelta(seconds=65)):
            client.get("/admin/")
            assert Session.objects.get().expire_date == timezone.now() + datetime.timedelta(minutes=30)
        # idle for 30 minutes after the last renewal: logged out
        with freeze_time(start + datetime.timedelta(seconds=65 + 30 * 60 + 1)):
            assert client.get("/admin/").status_code == 302

    def test_a_page_reads_the_session_from_the_cache_and_the_idle_rule_still_holds_there(self, staff):
        """congress.sessions: a logged-in page asks the database nothing for its session; a session the cache still
        holds (its expiry runs on the cache server's clock, which the test does not move) is refused once idle."""
        from freezegun import freeze_time

        client = client_for(staff)
        start = timezone.now().replace(microsecond=0) + datetime.timedelta(seconds=5)
        with freeze_time(start):
            client.get("/admin/")
        with freeze_time(start + datetime.timedelta(seconds=30)), CaptureQueriesContext(connection) as seen:
            assert client.get("/admin/").status_code == 200
        assert not [q for q in seen.captured_queries if 'FROM "django_session"' in q["sql"]]
        with freeze_time(start + datetime.timedelta(minutes=29, seconds=59)):
            assert client.get("/admin/").status_code == 200  # renewed: the idle time counts from here
        with freeze_time(start + datetime.timedelta(minutes=59, seconds=58)):
            assert client.get("/admin/").status_code == 200
        with freeze_time(start + datetime.timedelta(minutes=89, seconds=59)):
            assert client.get("/admin/").status_code == 302

    def test_a_visitor_without_a_session_is_given_none(self, db):
        from django.contrib.sessions.models import Session

        assert Client().get("/stations/").status_code == 200
        assert not Session.objects.exists()


class TestPasswords:
    @pytest.mark.parametrize("weak", ["short1A", "alllowercase", "alllowercase1", "12345678901"])
    def test_weak_passwords_are_refused_in_chinese(self, weak):
        with pytest.raises(ValidationError):
            validate_password(weak)

    def test_the_character_class_message_is_chinese(self):
        with pytest.raises(ValidationError, match="至少包含"):
            validate_password("abcdefghijk1")

    def test_a_strong_password_passes(self):
        validate_password("Renda@2026pass")

    def test_staff_with_an_old_password_must_change_it_first(self, staff):
        staff.password_changed_at = timezone.now() - datetime.timedelta(days=settings.PASSWORD_MAX_AGE_DAYS + 1)
        staff.save(update_fields=["password_changed_at"])
        client = client_for(staff)
        response = client.get(reverse("admin:deputies_deputy_changelist"))
        assert response.status_code == 302 and response.url == reverse("admin:password_change")
        response = client.post(reverse("admin:password_change"), {
            "old_password": PASSWORD, "new_password1": "Xin@Mima2026", "new_password2": "Xin@Mima2026"})
        assert response.status_code == 302
        assert client.get(reverse("admin:deputies_deputy_changelist")).status_code == 200


class TestAuditTrail:
    def test_an_admin_edit_is_recorded_with_its_author(self, staff, town_a, term):
        rows = make_sample(town=town_a, term=term)
        station = rows["station"]
        response = client_for(staff).post(reverse("admin:stations_station_change", args=[station.pk]), {
            "name": station.name, "kind": "home", "town": town_a.pk, "address": "人民路1号",
            "assignments-TOTAL_FORMS": 0, "assignments-INITIAL_FORMS": 0,
        })
        assert response.status_code == 302
        latest = station.history.first()
        assert latest.history_type == "~" and latest.kind == "home" and latest.history_user == staff

    def test_a_bulk_update_is_recorded_row_by_row(self, staff, town_a, town_b, term):
        mandates = [make_sample(town=town_a, term=term, number=0)["mandate"],
                    make_sample(town=town_b, term=term, number=1)["mandate"]]
        assert mandates_end(actor=staff, mandates=Mandate.objects.all(), reason="辞职") == 2
        for mandate in mandates:
            latest = mandate.history.first()
            assert latest.status == Mandate.Status.ENDED
            assert latest.history_user == staff
            assert latest.history_change_reason == "辞职"

    def test_the_bulk_end_refuses_a_mandate_that_is_not_serving_and_changes_nothing(self, staff, town_a, term):
        mandate = make_sample(town=town_a, term=term)["mandate"]
        mandates_end(actor=staff, mandates=[mandate], reason="辞职")
        count = mandate.history.count()
        with pytest.raises(ValidationError, match="在任"):
            mandates_end(actor=staff, mandates=[mandate], reason="再次")
        assert mandate.history.count() == count

    def test_the_bulk_end_refuses_a_user_without_permission(self, leader, town_a, term):
        mandate = make_sample(town=town_a, term=term)["mandate"]
        with pytest.raises(ValidationError):
            mandates_end(actor=leader, mandates=[mandate], reason="辞职")
        mandate.refresh_from_db()
        assert mandate.status == Mandate.Status.SERVING

    def test_the_bulk_end_admin_action_works_for_staff(self, staff, town_a, term):
        mandate = make_sample(town=town_a, term=term)["mandate"]
        response = client_for(staff).post(reverse("admin:deputies_mandate_changelist"), {
            "action": "end_mandates", "_selected_action": [mandate.pk]})
        assert response.status_code == 302
        mandate.refresh_from_db()
        assert mandate.status == Mandate.Status.ENDED and mandate.end_date == timezone.localdate()


class TestPersonalData:
    def test_lists_mask_id_and_phone_even_for_those_allowed(self, staff, town_a, term):
        deputy = make_sample(town=town_a, term=term)["deputy"]
        body = client_for(staff).get(reverse("admin:deputies_deputy_changelist")).content.decode()
        assert deputy.id_number not in body and deputy.id_number_masked in body
        assert deputy.phone not in body and "138****8000" in body

    def test_a_full_view_is_logged_for_those_allowed(self, staff, town_a, term):
        deputy = make_sample(town=town_a, term=term)["deputy"]
        body = client_for(staff).get(reverse("admin:deputies_deputy_change", args=[deputy.pk])).content.decode()
        assert deputy.id_number in body
        assert PersonalDataView.objects.filter(user=staff, deputy=deputy).count() == 1

    def test_town_staff_see_only_masked_values_and_nothing_is_logged(self, town_staff, town_a, term):
        deputy = make_sample(town=town_a, term=term)["deputy"]
        body = client_for(town_staff).get(reverse("admin:deputies_deputy_change", args=[deputy.pk])).content.decode()
        assert deputy.id_number not in body and deputy.id_number_masked in body
        assert not PersonalDataView.objects.exists()


class TestAuditRetention:
    def test_by_default_nothing_is_ever_purged(self, staff, town_a, term):
        from congress.services import audit_purge_expired

        make_sample(town=town_a, term=term)
        assert audit_purge_expired(now=timezone.now() + datetime.timedelta(days=3650)) == 0

    def test_rows_older_than_the_period_are_purged_and_newer_kept(self, settings, staff, town_a, term):
        from congress.models import ExportRecord
        from congress.services import audit_purge_expired

        settings.CONGRESS_RULES = {**settings.CONGRESS_RULES, "AUDIT_RETENTION_DAYS": 200}
        station = make_sample(town=town_a, term=term)["station"]
        ExportRecord.objects.create(user=staff, model_label="x", row_count=1, file_format="csv")
        AccessLog.objects.create(username="staff", ip_address="127.0.0.1", user_agent="t")
        assert audit_purge_expired(now=timezone.now() + datetime.timedelta(days=199)) == 0
        deleted = audit_purge_expired(now=timezone.now() + datetime.timedelta(days=201))
        assert deleted > 3
        assert not station.history.exists() and not ExportRecord.objects.exists() and not AccessLog.objects.exists()

    def test_a_period_under_six_months_stops_the_start(self):
        import os
        import subprocess
        import sys

        env = {**os.environ, "AUDIT_RETENTION_DAYS": "30", "SECRET_KEY": "x"}
        done = subprocess.run([sys.executable, "manage.py", "check"], env=env, capture_output=True, text=True)
        assert done.returncode != 0 and "AUDIT_RETENTION_DAYS" in done.stderr
