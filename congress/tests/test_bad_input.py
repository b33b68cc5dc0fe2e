"""Bad input gets a 4xx or a Chinese form error, never a 500: the fixes the fuzz test (tests/test_fuzz.py) found or
guards, one readable test each — id converters, integer ranges, the notification `next`, the admin's autocomplete
fields, actions and list filters, long login names and file names."""
import importlib
import re
from pathlib import Path

import pytest
from axes.models import AccessAttempt
from django import forms
from django.contrib import admin
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import NoReverseMatch, reverse

from conftest import client_for
from congress.lib.admin import SafeInputAdminMixin
from congress.lib.bounds import column_range
from congress.lib.converters import ID_MAX
from deputies.forms import VoterReportForm
from deputies.models import VoterReport
from stations.forms import ReceptionRecordForm
from tests.sample import make_sample

ROOT = Path(__file__).resolve().parent.parent.parent
HUGE = "99999999999999999999"


@pytest.fixture
def rows(db, town_a, term, staff, deputy_user):
    rows = make_sample(town=town_a, term=term, user=staff)
    rows["deputy"].user = deputy_user
    rows["deputy"].save(update_fields=["user"])
    return rows


class TestIdConverter:
    @pytest.mark.parametrize("value", [HUGE, str(ID_MAX + 1), "0", "007"])
    def test_an_id_outside_the_column_is_not_found(self, rows, deputy_user, value):
        client = client_for(deputy_user)
        assert client.get(f"/portal/activities/{value}/").status_code == 404
        assert client.post(f"/portal/activities/{value}/confirm/").status_code == 404
        assert client.get(f"/replies/{value}/").status_code == 404

    def test_the_largest_id_is_a_url_and_simply_not_found(self, rows, deputy_user):
        assert client_for(deputy_user).get(f"/portal/activities/{ID_MAX}/").status_code == 404
        assert reverse("portal:activity_detail", args=[ID_MAX]).endswith(f"/{ID_MAX}/")

    @pytest.mark.parametrize("value", [0, -1, None, "abc", ID_MAX + 1])
    def test_no_url_is_made_for_a_value_that_is_no_id(self, value):
        with pytest.raises(NoReverseMatch):
            reverse("portal:activity_detail", args=[value])

    def test_every_primary_key_in_the_project_urls_uses_it(self):
        for path in sorted(ROOT.glob("*/*urls.py")):
            assert "<int:" not in path.read_text(encoding="utf-8"), path

    @pytest.mark.parametrize("code", ["%00", "A" * 33, "%F0%9F%98%80", "ab-cd"])
    def test_a_tracking_code_with_other_characters_is_not_found(self, db, code):
        assert Client().get(f"/opinions/{code}/").status_code == 404


class TestIntegerRanges:
    def test_the_voter_report_attendance_stops_at_the_column(self):
        high = column_range(VoterReport, "attendance")[1]
        form = VoterReportForm(data={"date": "2026-03-01", "place": "社区", "attendance": HUGE})
        assert not form.is_valid()
        assert f"小于或等于{high}" in form.errors["attendance"][0].replace(" ", "")
        assert VoterReportForm(data={"date": "2026-03-01", "place": "社区", "attendance": str(high)}).is_valid()

    def test_the_reception_record_counts_stop_at_the_column(self, db):
        form = ReceptionRecordForm(data={"visitor_count": HUGE, "opinion_count": "-1"})
        assert {"visitor_count", "opinion_count"} <= set(form.errors)

    def test_every_integer_field_of_the_project_forms_has_an_upper_bound(self):
        unbounded = []
        for module_name in ("deputies.forms", "stations.forms", "proposals.forms", "proposals.views.forms"):
            module = importlib.import_module(module_name)
            for name, form_class in vars(module).items():
                if isinstance(form_class, type) and issubclass(form_class, forms.BaseForm):
                    unbounded += [f"{module_name}.{name}.{field_name}" for field_name, field in form_class.base_fields.items()
                                  if isinstance(field, forms.IntegerField) and field.max_value is None
                                  and not getattr(field, "max_digits", None)]  # a DecimalField is bounded by its digits
        assert unbounded == []

    def test_a_huge_year_in_an_admin_model_form_is_a_form_error(self, staff):
        response = client_for(staff).post(reverse("admin:deputies_scoresnapshot_add"), {"year": HUGE, "quarter": "1"})
        assert response.status_code == 200
        assert "确保该值小于或等于" in response.content.decode()


class TestNotificationNext:
    @pytest.mark.parametrize("target", ["//evil.example/", "/\\evil.example/", "https://evil.example/", "/\t/evil.example",
                                        "javascript:alert(1)", ""])
    def test_anything_but_a_path_of_this_site_goes_to_the_list(self, deputy_user, target):
        response = client_for(deputy_user).post(reverse("congress:notifications_read_all"), {"next": target})
        assert response.status_code == 302 and response.url == reverse("congress:notifications")

    def test_a_path_of_this_site_is_followed(self, deputy_user):
        response = client_for(deputy_user).post(reverse("congress:notifications_read_all"), {"next": "/portal/?x=1"})
        assert response.url == "/portal/?x=1"


class TestAdmin:
    @pytest.mark.parametrize("value", ["abc", "1\x00", HUGE, "²"])
    def test_a_tampered_autocomplete_value_is_a_chinese_form_error(self, rows, staff, value):
        url = reverse("admin:deputies_deputy_change", args=[rows["deputy"].pk])
        client = client_for(staff)
        page = client.get(url).content.decode()
        assert 'class="admin-autocomplete' in page
        response = client.post(url, {"full_name": "张建国", "gender": "M", "id_number": rows["deputy"].id_number,
                                     "town": value, "mandates-TOTAL_FORMS": "0", "mandates-INITIAL_FORMS": "0"})
        assert response.status_code == 200
        error = re.search(r'<ul class="errorlist" id="id_town_error"><li>(.*?)</li>', response.content.decode()).group(1)
        assert error in {"选择一个有效的选项。 该选择不在可用的选项中。", "不允许是用空字符串。"} or "有效" in error

    @pytest.mark.parametrize("selected", ["abc", "1\x00", "²"])
    def test_an_action_on_rows_that_are_not_ids_is_refused(self, rows, staff, selected):
        url = reverse("admin:deputies_dutyactivity_changelist")
        response = client_for(staff).post(url, {"action": "verify", "_selected_action": [selected], "index": "0"},
                                          follow=True)
        assert response.status_code == 200
        assert "所选记录无效" in response.content.decode()

    @pytest.mark.parametrize("query", ["status__exact=%00", "date__year=" + HUGE, "q=a%00b"])
    def test_a_list_parameter_the_database_cannot_take_is_dropped(self, rows, staff, query):
        client = client_for(staff)
        response = client.get(reverse("admin:deputies_dutyactivity_changelist") + "?" + query)
        assert response.status_code == 302 and response.url.endswith("?e=1")
        assert client.get(response.url).status_code == 200

    def test_a_custom_list_filter_with_text_for_an_id_is_dropped(self, rows, staff):
        response = client_for(staff).get(reverse("admin:proposals_proposal_changelist") + "?session=abc")
        assert response.status_code == 302

    def test_every_admin_and_inline_refuses_tampered_input(self):
        for model_admin in admin.site._registry.values():
            if type(model_admin).__module__.split(".")[0] not in {"congress", "deputies", "stations", "proposals", "supervision"}:
                continue  # Django's own group admin: view-only here, no actions, no autocomplete
            assert isinstance(model_admin, SafeInputAdminMixin), type(model_admin)
            for inline in model_admin.inlines:
                if inline.autocomplete_fields:
                    assert issubclass(inline, SafeInputAdminMixin), inline

    def test_no_form_uses_djangos_autocomplete_widgets_directly(self):
        pattern = re.compile(r"from django\.contrib\.admin\.widgets import [^\n]*Autocomplete")
        for path in sorted(ROOT.glob("*/**/*.py")):
            if ".venv" in path.parts or "tests" in path.parts or path.name == "widgets.py":
                continue
            assert not pattern.search(path.read_text(encoding="utf-8")), path


class TestLongNames:
    def test_a_login_name_longer_than_axes_column_is_refused_without_error(self, db):
        response = Client().post(reverse("accounts:login"), {"username": "长" * 300, "password": "x"})
        assert response.status_code == 200
        assert len(AccessAttempt.objects.get().username) == 255

    def test_an_attachment_name_longer_than_its_column_is_refused_in_chinese(self, rows, deputy_user, settings, tmp_path):
        settings.MEDIA_ROOT = tmp_path
        upload = SimpleUploadedFile("长" * 250 + ".pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf")
        response = client_for(deputy_user).post(reverse("proposals:portal_new"), {
            "title": "关于增设公交站点的建议", "content": "内容", "attachments": upload})
        assert response.status_code == 200
        assert "文件名" in response.content.decode() and "200" in response.content.decode()


