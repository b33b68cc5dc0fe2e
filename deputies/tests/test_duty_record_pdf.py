"""A deputy's duty record for one year as a PDF: the same entries as the portal's record page, with the "五个一"; the
deputy downloads their own from the portal, staff (and the deputy's town staff) from the admin."""
import datetime

import pytest
from django.urls import reverse

from conftest import client_for
from deputies.models import DutyActivity, DutyActivityParticipant, VoterReport
from deputies.printables import duty_record_pdf, year_param
from tests.pdfs import read_pdf

pytestmark = pytest.mark.django_db


@pytest.fixture
def record(deputy, inspection):
    activity = DutyActivity.objects.create(title="视察城区学校建设", activity_type=inspection, date=datetime.date(2025, 5, 10),
                                           place="城东街道", status=DutyActivity.Status.VERIFIED)
    DutyActivityParticipant.objects.create(activity=activity, deputy=deputy)
    VoterReport.objects.create(deputy=deputy, date=datetime.date(2025, 9, 1), place="城东社区")
    old = DutyActivity.objects.create(title="去年的调研", activity_type=inspection, date=datetime.date(2024, 5, 10),
                                      place="城东街道", status=DutyActivity.Status.VERIFIED)
    DutyActivityParticipant.objects.create(activity=old, deputy=deputy)
    return deputy


def test_the_pdf_lists_the_years_entries_and_the_checklist(record):
    text = read_pdf(duty_record_pdf(record, 2025)).text
    for part in ("周建华代表2025年度履职档案", "履职情况汇总", "共有履职记录2项", "视察城区学校建设", "向选民述职（城东社区）",
                 "2025年5月10日", "“五个一”完成情况", "一次向选民述职（已完成）", "履职记录明细"):
        assert part in text, part
    assert "去年的调研" not in text


def test_the_deputy_downloads_their_own_from_the_portal(record, deputy_user, other_deputy, other_deputy_user, staff):
    url = reverse("portal:record_pdf") + "?year=2025"
    response = client_for(deputy_user).get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert "视察城区学校建设" in read_pdf(response.content).text
    # another deputy gets their own record, never this one; staff use the admin
    assert "视察城区学校建设" not in read_pdf(client_for(other_deputy_user).get(url).content).text
    assert client_for(staff).get(url).status_code == 403
    assert client_for(None).get(url).status_code == 302
    assert reverse("portal:record_pdf") in client_for(deputy_user).get(reverse("portal:record")).content.decode()


def test_staff_print_it_from_the_admin_and_town_staff_only_for_their_towns(record, staff, town_staff,
                                                                            other_town_staff, leader):
    url = reverse("admin:deputies_deputy_duty_record", args=[record.pk]) + "?year=2025"
    for user in (staff, town_staff, leader):
        response = client_for(user).get(url)
        assert response.status_code == 200, user
        assert "周建华代表2025年度履职档案" in read_pdf(response.content).text
    assert client_for(other_town_staff).get(url).status_code == 404
    change = client_for(staff).get(reverse("admin:deputies_deputy_change", args=[record.pk])).content.decode()
    assert reverse("admin:deputies_deputy_duty_record", args=[record.pk]) in change


def test_a_bad_year_means_this_year():
    this_year = datetime.date.today().year
    assert year_param("abc") == year_param("1800") == year_param(None) == this_year
    assert year_param("2025") == 2025
