"""人事任免 steps in their order, through the admin's add page: 任前法律考试 → 任命 → 宪法宣誓 (an oath was accepted before a
passed law exam)."""
import datetime

import pytest
from django.urls import reverse

from conftest import client_for
from congress.models import Appointment

pytestmark = pytest.mark.django_db


def _post(client, term, unit_org, **fields):
    data = {"term": term.pk, "person_name": "陈明", "kind": "appoint", "position": "局长", "organization": unit_org.pk,
            "decided_on": "2026-03-01", "law_exam_score": "", "certificate_number": "", "certificate_issued_on": "",
            "oath_taken_on": "", **fields}
    return client.post(reverse("admin:congress_appointment_add"), data)


class TestAppointmentSteps:
    def test_an_oath_without_a_passed_law_exam_is_refused_and_nothing_is_saved(self, staff, term, unit_org):
        response = _post(client_for(staff), term, unit_org, oath_taken_on="2026-03-01")
        assert response.status_code == 200
        assert "任前法律考试合格后才能进行宪法宣誓" in response.content.decode()
        assert not Appointment.objects.exists()

    def test_an_oath_before_the_decision_is_refused(self, staff, term, unit_org):
        response = _post(client_for(staff), term, unit_org, law_exam_passed="on", oath_taken_on="2026-02-28")
        assert "宪法宣誓须在任命决定之后" in response.content.decode() and not Appointment.objects.exists()

    def test_a_removal_takes_no_oath(self, staff, term, unit_org):
        response = _post(client_for(staff), term, unit_org, kind="remove", statement_made="on")
        assert "免职、接受辞职不需要" in response.content.decode() and not Appointment.objects.exists()

    def test_the_steps_in_order_are_saved(self, staff, term, unit_org):
        response = _post(client_for(staff), term, unit_org, law_exam_passed="on", statement_made="on",
                         oath_taken_on="2026-03-01", certificate_issued_on="2026-03-02", certificate_number="任字1号")
        assert response.status_code == 302
        saved = Appointment.objects.get()
        assert (saved.law_exam_passed, saved.oath_taken_on) == (True, datetime.date(2026, 3, 1))
