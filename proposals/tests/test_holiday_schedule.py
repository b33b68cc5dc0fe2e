"""Deadlines that fall in a year whose holiday schedule nobody entered (issue: a suggestion assigned on 2026-11-10 got
2027-02-10, inside the 2027 Spring Festival, with no warning). They say 待定 wherever they show; from November the
admin index asks for next year's schedule; staff paste the State Council's notice and the deadlines are recomputed,
each change recorded and told. Clock frozen in November 2026, with the 2025–2026 schedules shipped."""
import csv
import datetime
from pathlib import Path

import pytest
from django.urls import reverse
from freezegun import freeze_time

from conftest import client_for
from congress.lib.holidays import ScheduleError, parse_schedule
from congress.models import CalendarDay, HolidaySchedule, Notification, StateChange
from proposals.models import Assignment

pytestmark = pytest.mark.django_db

NOVEMBER = "2026-11-10 10:00:00+08:00"
PENDING = "待定：尚未录入2027年节假日安排"

NOTICE_2026 = """国务院办公厅关于2026年部分节假日安排的通知
经国务院批准，现将2026年元旦、春节、清明节、劳动节、端午节、中秋节和国庆节放假调休日期的具体安排通知如下。
一、元旦：1月1日（周四）至3日（周六）放假调休，共3天。1月4日（周日）上班。
二、春节：2月15日（农历腊月二十八、周日）至23日（农历正月初七、周一）放假调休，共9天。2月14日（周六）、2月28日（周六）上班。
三、清明节：4月4日（周六）至6日（周一）放假，共3天。
四、劳动节：5月1日（周五）至5日（周二）放假调休，共5天。5月9日（周六）上班。
五、端午节：6月19日（周五）至21日（周日）放假，共3天。
六、中秋节：9月25日（周五）至27日（周日）放假，共3天。
七、国庆节：10月1日（周四）至7日（周三）放假调休，共7天。9月20日（周日）、10月10日（周六）上班。
节假日期间，各地区、各部门要妥善安排好值班和安全、保卫等工作。"""

# a made-up 2027 schedule (the real one is not out yet): the Spring Festival covers 10 February
NOTICE_2027 = """一、元旦：1月1日（周五）至3日（周日）放假，共3天。
二、春节：2月6日（周六）至14日（周日）放假调休，共9天。2月20日（周六）上班。
三、国庆节：10月1日（周五）至7日（周四）放假调休，共7天。9月26日（周日）、10月9日（周六）上班。"""


class TestReadingTheNotice:
    def test_the_2026_notice_gives_exactly_the_shipped_2026_calendar(self):
        path = Path(__file__).resolve().parents[2] / "congress" / "data" / "cn-holidays-2025-2026.csv"
        with path.open(encoding="utf-8") as f:
            shipped = {(r["date"], r["kind"], r["name"]) for r in csv.DictReader(f) if r["date"].startswith("2026")}
        read = {(d.date.isoformat(), d.kind, d.name) for d in parse_schedule(2026, NOTICE_2026)}
        assert read == shipped and len(read) == 39

    def test_date_lines_are_read_too_and_bad_lines_are_named(self):
        days = parse_schedule(2027, "2027-02-10,放假,春节\n2027-02-20,上班,春节调休上班")
        assert [(d.date, d.kind) for d in days] == [(datetime.date(2027, 2, 10), "holiday"), (datetime.date(2027, 2, 20), "workday")]
        with pytest.raises(ScheduleError) as exc:
            parse_schedule(2027, "2027-02-30,放假,春节\n二、春节：放假调休，共9天。")
        assert exc.value.problems == ["第1行：2027-02-30 不是有效的日期", "第2行（春节）：找不到“某月某日至某日放假”"]


@freeze_time(NOVEMBER)
class TestProvisionalDeadlines:
    def test_a_deadline_in_2027_says_so_wherever_it_shows(self, flow, unit_org, unit_user, staff, deputy_user):
        s, [a] = flow.assigned(unit_org)
        assert a.due_date == datetime.date(2027, 2, 10) and PENDING in a.due_explanation
        inbox = client_for(unit_user).get(reverse("unit:inbox")).content.decode()
        assert PENDING in inbox
        assert PENDING in client_for(unit_user).get(reverse("unit:detail", args=[a.pk])).content.decode()
        assert PENDING in client_for(deputy_user).get(reverse("proposals:portal_detail", args=[s.pk])).content.decode()
        listing = client_for(staff).get(reverse("admin:proposals_suggestion_changelist")).content.decode()
        assert f"2027-02-10（{PENDING}）" in listing
        assignments = client_for(staff).get(reverse("admin:proposals_assignment_changelist")).content.decode()
        assert f"2027-02-10（{PENDING}）" in assignments

    def test_the_staff_lists_read_the_entered_years_once_a_page(self, flow, unit_org, staff):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        flow.assigned(unit_org)
        client = client_for(staff)
        for name in ("suggestion", "assignment"):
            with CaptureQueriesContext(connection) as ctx:
                listing = client.get(reverse(f"admin:proposals_{name}_changelist")).content.decode()
            assert f"2027-02-10（{PENDING}）" in listing
            assert sum('FROM "congress_holidayschedule"' in q["sql"] for q in ctx.captured_queries) == 1
        # the suggestions' 答复期限 sorts by the next deadline (the column is the same object both times Django asks);
        # the assignments' has no ordering and stays a plain header
        listing = client.get(reverse("admin:proposals_suggestion_changelist")).content.decode()
        assert '<th scope="col" class="sortable column-next_due">' in listing
        headers = listing.split('<th scope="col"')[1:]  # list_display's places: the selection box's is 0
        position = next(n for n, header in enumerate(headers) if "column-next_due" in header)
        assert f'<a href="?o={position}">答复期限</a>' in headers[position]
        for direction in ("", "-"):
            sorted_page = client.get(reverse("admin:proposals_suggestion_changelist"), {"o": f"{direction}{position}"})
            assert sorted_page.status_code == 200 and f"2027-02-10（{PENDING}）" in sorted_page.content.decode()
        assignments = client.get(reverse("admin:proposals_assignment_changelist")).content.decode()
        assert '<th scope="col" class="column-due">' in assignments

    def test_a_deadline_within_an_entered_year_is_final(self, flow, unit_org, unit_user):
        s, [a] = flow.assigned(unit_org, assigned_on=datetime.date(2026, 6, 1))
        assert a.due_date == datetime.date(2026, 9, 1) and "待定" not in a.due_explanation
        assert "待定" not in client_for(unit_user).get(reverse("unit:inbox")).content.decode()

    def test_from_november_the_admin_index_asks_for_next_years_schedule(self, staff, unit_user):
        index = client_for(staff).get(reverse("admin:index")).content.decode()
        assert "请录入2027年节假日安排" in index and reverse("admin:congress_calendarday_enter_schedule") in index
        with freeze_time("2026-10-15 10:00:00+08:00"):
            assert "请录入2027年节假日安排" not in client_for(staff).get(reverse("admin:index")).content.decode()


@freeze_time(NOVEMBER)
class TestEnteringTheSchedule:
    def test_staff_paste_the_notice_and_the_deadlines_are_recomputed_recorded_and_told(
            self, flow, unit_org, unit_user, staff, deputy_user):
        s, [a] = flow.assigned(unit_org)
        client = client_for(staff)
        page = client.get(reverse("admin:congress_calendarday_changelist")).content.decode()
        assert 'id="enter-schedule"' in page
        response = client.post(reverse("admin:congress_calendarday_enter_schedule"), {"year": 2027, "text": NOTICE_2027})
        assert response.status_code == 302
        assert HolidaySchedule.objects.filter(year=2027, entered_by=staff).exists()
        assert CalendarDay.objects.filter(date__year=2027).count() == 3 + 9 + 1 + 7 + 2
        a.refresh_from_db()
        assert a.due_date == datetime.date(2027, 2, 15)  # 10 February is in the Spring Festival: the next working day
        assert "春节假期" in a.due_explanation and "待定" not in a.due_explanation
        step = StateChange.objects.get(workflow="assignment", object_id=a.pk, action="recompute_deadlines")
        assert step.actor == staff and "答复期限 2027-02-10 → 2027-02-15" in step.reason
        assert Notification.objects.filter(recipient=unit_user, kind="assignment_deadline_recomputed").exists()
        assert Notification.objects.filter(recipient=deputy_user, kind="assignment_deadline_recomputed").exists()
        assert "待定" not in client_for(unit_user).get(reverse("unit:inbox")).content.decode()
        assert "请录入2027年节假日安排" not in client.get(reverse("admin:index")).content.decode()
        timeline = client_for(unit_user).get(reverse("unit:detail", args=[a.pk])).content.decode()
        assert "节假日安排录入后重算期限" in timeline

    def test_a_notice_that_cannot_be_read_changes_nothing(self, flow, unit_org, staff):
        s, [a] = flow.assigned(unit_org)
        response = client_for(staff).post(reverse("admin:congress_calendarday_enter_schedule"),
                                          {"year": 2027, "text": "二、春节：2月6日至14日放假。\n2027-02-31,放假,春节"})
        html = response.content.decode()
        assert response.status_code == 200 and "2027-02-31 不是有效的日期" in html
        assert not HolidaySchedule.objects.filter(year=2027).exists()
        assert not CalendarDay.objects.filter(date__year=2027).exists()
        assert Assignment.objects.get(pk=a.pk).due_date == datetime.date(2027, 2, 10)

    def test_only_staff_who_keep_the_calendar_enter_it(self, unit_user, town_staff, leader):
        url = reverse("admin:congress_calendarday_enter_schedule")
        for user in (town_staff, leader):
            assert client_for(user).post(url, {"year": 2027, "text": NOTICE_2027}).status_code == 403
        assert client_for(unit_user).post(url, {"year": 2027, "text": NOTICE_2027}).status_code == 302  # to the login
        assert not HolidaySchedule.objects.filter(year=2027).exists()

    def test_an_uploaded_text_file_is_read_like_the_pasted_text(self, staff):
        from django.core.files.uploadedfile import SimpleUploadedFile

        upload = SimpleUploadedFile("2027年节假日安排.txt", NOTICE_2027.encode("gb18030"), content_type="text/plain")
        response = client_for(staff).post(reverse("admin:congress_calendarday_enter_schedule"),
                                          {"year": 2027, "file": upload})
        assert response.status_code == 302 and CalendarDay.objects.filter(date=datetime.date(2027, 2, 10)).exists()
