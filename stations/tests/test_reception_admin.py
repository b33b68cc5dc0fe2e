"""Reception days in the admin over HTTP: the schedule page, the record and cancel pages, the links on the change
page, the station list's "this month" filter, and change lists whose query count does not grow."""
import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from conftest import client_for
from congress.models import Notification
from deputies.models import DutyActivity
from stations.models import ReceptionDay, Station
from stations.tests.conftest import days_ahead, reception_row, schedule

pytestmark = pytest.mark.django_db
ADD = "admin:stations_receptionday_add"


def change_url(reception):
    return reverse("admin:stations_receptionday_change", args=[reception.pk])


def record_url(reception):
    return reverse("admin:stations_receptionday_record", args=[reception.pk])


def cancel_url(reception):
    return reverse("admin:stations_receptionday_cancel", args=[reception.pk])


def schedule_form(station, deputies, *, ahead=3, **extra):
    return {"station": station.pk, "date": days_ahead(ahead).isoformat(), "starts_at": "09:00", "ends_at": "11:30",
            "deputies": [d.pk for d in deputies], "topic": "老旧小区改造", "visiting_units": [], **extra}


class TestSchedulePage:
    def test_staff_schedule_and_land_on_the_change_page(self, staff, station_a, deputy, other_deputy, unit_org,
                                                        deputy_user):
        client = client_for(staff)
        assert client.get(reverse(ADD)).status_code == 200
        response = client.post(reverse(ADD), schedule_form(station_a, [deputy, other_deputy],
                                                           visiting_units=[unit_org.pk]))
        reception = ReceptionDay.objects.get()
        assert response.status_code == 302 and response.url == change_url(reception)
        assert (reception.station, reception.date, reception.starts_at) == (station_a, days_ahead(3), datetime.time(9))
        assert reception.topic == "老旧小区改造" and list(reception.visiting_units.all()) == [unit_org]
        assert set(reception.duties.values_list("deputy_id", flat=True)) == {deputy.pk, other_deputy.pk}
        assert reception.history.get().history_user == staff
        assert Notification.objects.filter(recipient=deputy_user, kind="reception_duty").count() == 1
        page = client.get(response.url).content.decode()
        assert "并通知接待代表" in page and "周建华" in page

    def test_a_day_too_soon_shows_the_reason_and_creates_nothing(self, staff, station_a, deputy, deputy_user):
        response = client_for(staff).post(reverse(ADD), schedule_form(station_a, [deputy], ahead=1))
        assert response.status_code == 200
        page = response.content.decode()
        assert "接待选民日须至少提前2天公告" in page and 'class="errornote"' in page
        assert f'value="{station_a.pk}" selected' in page  # the form comes back filled in
        assert not ReceptionDay.objects.exists() and not Notification.objects.exists()

    def test_an_end_before_the_start_is_a_field_error(self, staff, station_a, deputy):
        response = client_for(staff).post(reverse(ADD), schedule_form(station_a, [deputy], ends_at="08:00"))
        assert response.status_code == 200
        assert response.context["form"].errors["ends_at"] == ["结束时间须晚于开始时间"]
        assert not ReceptionDay.objects.exists()

    def test_a_double_booked_deputy_is_refused_on_the_page(self, staff, station_a, station_b, deputy):
        schedule(staff, station_b, [deputy])
        response = client_for(staff).post(reverse(ADD), schedule_form(station_a, [deputy]))
        assert response.status_code == 200 and "在该时段已安排在" in response.content.decode()
        assert ReceptionDay.objects.count() == 1

    def test_town_staff_cannot_pick_another_towns_station(self, town_staff, station_a, station_b, deputy):
        response = client_for(town_staff).post(reverse(ADD), schedule_form(station_b, [deputy]))
        assert response.status_code == 200
        assert "station" in response.context["form"].errors
        assert list(response.context["form"].fields["station"].queryset) == [station_a]
        assert not ReceptionDay.objects.exists()

    def test_town_staff_schedule_at_their_own_station(self, town_staff, station_a, deputy):
        response = client_for(town_staff).post(reverse(ADD), schedule_form(station_a, [deputy]))
        assert response.status_code == 302
        assert ReceptionDay.objects.get().created_by == town_staff

    def test_an_inactive_station_is_not_offered(self, staff, station_a, deputy):
        Station.objects.filter(pk=station_a.pk).update(is_active=False)
        response = client_for(staff).post(reverse(ADD), schedule_form(station_a, [deputy]))
        assert response.status_code == 200 and "station" in response.context["form"].errors
        assert not ReceptionDay.objects.exists()

    def test_leaders_may_not_open_it(self, leader, station_a, deputy):
        client = client_for(leader)
        assert client.get(reverse(ADD)).status_code == 403
        assert client.post(reverse(ADD), schedule_form(station_a, [deputy])).status_code == 403
        assert not ReceptionDay.objects.exists()

    @pytest.mark.parametrize("who", ["deputy_user", "unit_user", None])
    def test_non_admin_users_are_sent_to_the_login(self, who, request, station_a, deputy):
        user = request.getfixturevalue(who) if who else None
        response = client_for(user).post(reverse(ADD), schedule_form(station_a, [deputy]))
        assert response.status_code == 302 and "login" in response.url
        assert not ReceptionDay.objects.exists()


class TestScheduleAutocomplete:
    """The schedule page picks the station, the deputies and the units through the admin's autocomplete."""

    def search(self, user, field, term):
        response = client_for(user).get(reverse("admin:autocomplete"), {
            "app_label": "stations", "model_name": "receptionday", "field_name": field, "term": term})
        assert response.status_code == 200
        return {row["text"] for row in response.json()["results"]}

    def test_staff_find_every_station_deputy_and_unit(self, staff, station_a, station_b, deputy, unit_org):
        assert self.search(staff, "station", "联络站") == {station_a.name, station_b.name}
        assert self.search(staff, "deputies", "周") == {deputy.full_name}
        assert self.search(staff, "visiting_units", "住房") == {unit_org.name}

    def test_town_staff_find_only_their_towns_stations(self, town_staff, station_a, station_b):
        assert self.search(town_staff, "station", "联络站") == {station_a.name}


class TestRecordPage:
    def test_staff_record_a_past_reception(self, staff, station_a, deputy, other_deputy):
        reception = reception_row(station_a, [deputy, other_deputy], date=days_ahead(-2))
        client = client_for(staff)
        form_page = client.get(record_url(reception)).content.decode()
        assert "到场代表" in form_page and "周建华" in form_page and "吴丽" in form_page
        response = client.post(record_url(reception), {"visitor_count": 18, "opinion_count": 6,
                                                       "present": [deputy.pk], "summary": "反映停车难"})
        assert response.status_code == 302 and response.url == change_url(reception)
        reception.refresh_from_db()
        assert reception.status == ReceptionDay.Status.HELD
        assert (reception.visitor_count, reception.opinion_count, reception.summary) == (18, 6, "反映停车难")
        assert list(reception.activity.participations.values_list("deputy_id", flat=True)) == [deputy.pk]
        assert reception.history.first().history_user == staff

    def test_recording_again_changes_nothing(self, staff, station_a, deputy):
        reception = reception_row(station_a, [deputy], date=days_ahead(-2))
        client = client_for(staff)
        data = {"visitor_count": 18, "opinion_count": 6, "present": [deputy.pk], "summary": ""}
        assert client.post(record_url(reception), data).status_code == 302
        again = client.post(record_url(reception), {**data, "visitor_count": 99})
        assert again.status_code == 200 and "不能登记接待情况" in again.content.decode()
        reception.refresh_from_db()
        assert reception.visitor_count == 18 and DutyActivity.objects.count() == 1

    def test_a_reception_still_to_come_cannot_be_recorded(self, staff, station_a, deputy):
        reception = schedule(staff, station_a, [deputy])
        response = client_for(staff).post(record_url(reception), {"visitor_count": 1, "opinion_count": 0,
                                                                  "present": [deputy.pk]})
        assert response.status_code == 200 and "接待日尚未到" in response.content.decode()
        reception.refresh_from_db()
        assert reception.status == ReceptionDay.Status.SCHEDULED

    def test_a_negative_count_is_a_field_error(self, staff, station_a, deputy):
        reception = reception_row(station_a, [deputy], date=days_ahead(-2))
        response = client_for(staff).post(record_url(reception), {"visitor_count": -3, "opinion_count": 0,
                                                                  "present": [deputy.pk]})
        assert response.status_code == 200 and "visitor_count" in response.context["form"].errors
        reception.refresh_from_db()
        assert reception.status == ReceptionDay.Status.SCHEDULED

    def test_a_deputy_not_on_duty_cannot_be_ticked(self, staff, station_a, deputy, other_deputy):
        reception = reception_row(station_a, [deputy], date=days_ahead(-2))
        response = client_for(staff).post(record_url(reception), {"visitor_count": 3, "opinion_count": 0,
                                                                  "present": [other_deputy.pk]})
        assert response.status_code == 200 and "present" in response.context["form"].errors
        assert not DutyActivity.objects.exists()

    def test_leaders_get_403(self, leader, station_a, deputy):
        reception = reception_row(station_a, [deputy], date=days_ahead(-2))
        client = client_for(leader)
        assert client.get(record_url(reception)).status_code == 403
        assert client.post(record_url(reception), {"visitor_count": 3, "opinion_count": 0,
                                                   "present": [deputy.pk]}).status_code == 403
        reception.refresh_from_db()
        assert reception.status == ReceptionDay.Status.SCHEDULED

    def test_another_towns_staff_do_not_find_it(self, other_town_staff, station_a, deputy):
        reception = reception_row(station_a, [deputy], date=days_ahead(-2))
        response = client_for(other_town_staff).post(record_url(reception), {"visitor_count": 3, "opinion_count": 0,
                                                                             "present": [deputy.pk]})
        assert response.status_code == 404
        reception.refresh_from_db()
        assert reception.status == ReceptionDay.Status.SCHEDULED


class TestCancelPage:
    def test_staff_cancel_with_a_reason(self, staff, station_a, deputy, deputy_user):
        reception = schedule(staff, station_a, [deputy])
        client = client_for(staff)
        assert "取消原因" in client.get(cancel_url(reception)).content.decode()
        response = client.post(cancel_url(reception), {"reason": "台风预警"})
        assert response.status_code == 302 and response.url == change_url(reception)
        reception.refresh_from_db()
        assert (reception.status, reception.cancel_reason) == (ReceptionDay.Status.CANCELLED, "台风预警")
        assert reception.history.first().history_user == staff
        assert Notification.objects.filter(recipient=deputy_user, title__contains="已取消").count() == 1

    def test_a_blank_reason_is_refused(self, staff, station_a, deputy):
        reception = schedule(staff, station_a, [deputy])
        response = client_for(staff).post(cancel_url(reception), {"reason": ""})
        assert response.status_code == 200 and "reason" in response.context["form"].errors
        reception.refresh_from_db()
        assert reception.status == ReceptionDay.Status.SCHEDULED

    def test_cancelling_again_changes_nothing(self, staff, station_a, deputy, deputy_user):
        reception = schedule(staff, station_a, [deputy])
        client = client_for(staff)
        client.post(cancel_url(reception), {"reason": "台风预警"})
        again = client.post(cancel_url(reception), {"reason": "另一个原因"})
        assert again.status_code == 200 and "不能取消" in again.content.decode()
        reception.refresh_from_db()
        assert reception.cancel_reason == "台风预警"
        assert Notification.objects.filter(recipient=deputy_user, title__contains="已取消").count() == 1

    def test_leaders_get_403(self, leader, staff, station_a, deputy):
        reception = schedule(staff, station_a, [deputy])
        client = client_for(leader)
        assert client.get(cancel_url(reception)).status_code == 403
        assert client.post(cancel_url(reception), {"reason": "领导取消"}).status_code == 403
        reception.refresh_from_db()
        assert reception.status == ReceptionDay.Status.SCHEDULED


class TestChangePage:
    def test_a_scheduled_reception_links_to_its_next_steps(self, staff, station_a, deputy):
        reception = schedule(staff, station_a, [deputy])
        page = client_for(staff).get(change_url(reception)).content.decode()
        # before the day only cancelling is offered; recording waits for the day
        assert cancel_url(reception) in page and record_url(reception) not in page
        assert "周建华" in page  # the duty inline
        ReceptionDay.objects.filter(pk=reception.pk).update(date=days_ahead(0))
        page = client_for(staff).get(change_url(reception)).content.decode()
        assert "登记接待情况" in page and record_url(reception) in page and cancel_url(reception) in page

    @pytest.mark.parametrize("status", [ReceptionDay.Status.HELD, ReceptionDay.Status.CANCELLED])
    def test_a_finished_reception_has_no_next_steps(self, staff, station_a, deputy, status):
        reception = reception_row(station_a, [deputy], date=days_ahead(-2), status=status)
        page = client_for(staff).get(change_url(reception)).content.decode()
        assert record_url(reception) not in page and cancel_url(reception) not in page

    def test_leaders_can_read_it(self, leader, staff, station_a, deputy):
        reception = schedule(staff, station_a, [deputy])
        response = client_for(leader).get(change_url(reception))
        assert response.status_code == 200 and station_a.name in response.content.decode()


def _month_start(today):
    return today.replace(day=1)


class TestThisMonthFilter:
    @pytest.fixture
    def stations(self, town_a, town_b, station_a, station_b, deputy):
        today = timezone.localdate()
        cancelled_only = Station.objects.create(name="城东社区代表联系点", kind=Station.Kind.CONTACT, town=town_a,
                                                address="人民路9号")
        last_month_only = Station.objects.create(name="临江代表之家", kind=Station.Kind.HOME, town=town_b,
                                                 address="滨江路1号")
        held = Station.objects.create(name="城东代表工作室", kind=Station.Kind.STUDIO, town=town_a, address="人民路3号")
        reception_row(station_a, [deputy], date=today)
        reception_row(cancelled_only, [deputy], date=today, status=ReceptionDay.Status.CANCELLED, cancel_reason="停电")
        reception_row(last_month_only, [deputy], date=_month_start(today) - datetime.timedelta(days=1),
                      status=ReceptionDay.Status.HELD)
        reception_row(held, [deputy], date=_month_start(today), status=ReceptionDay.Status.HELD)
        return {"scheduled": station_a, "none": station_b, "cancelled": cancelled_only, "last_month": last_month_only,
                "held": held}

    def names(self, user, value):
        response = client_for(user).get(reverse("admin:stations_station_changelist"), {"reception_month": value})
        assert response.status_code == 200
        return {s.name for s in response.context["cl"].result_list}

    def test_none_lists_the_stations_without_a_reception_this_month(self, staff, stations):
        assert self.names(staff, "none") == {stations[k].name for k in ("none", "cancelled", "last_month")}

    def test_some_lists_the_stations_with_one(self, staff, stations):
        assert self.names(staff, "some") == {stations[k].name for k in ("scheduled", "held")}

    def test_town_staff_see_their_town_only(self, town_staff, stations):
        assert self.names(town_staff, "none") == {stations["cancelled"].name}

    def test_the_monthly_minimum_is_a_setting(self, staff, stations, settings):
        settings.STATIONS = {"RECEPTION_MIN_PER_MONTH": 2}
        # one reception this month is now below the rule, so every station is listed as not meeting it
        assert self.names(staff, "none") == {s.name for s in stations.values()}
        assert self.names(staff, "some") == set()
        reception_row(stations["held"], [], date=timezone.localdate(), status=ReceptionDay.Status.HELD)
        assert self.names(staff, "some") == {stations["held"].name}

    def test_the_filter_is_offered_on_the_list(self, staff, stations):
        page = client_for(staff).get(reverse("admin:stations_station_changelist")).content.decode()
        assert "本月接待选民日" in page and "reception_month=none" in page


def _queries(client, url, params=None) -> int:
    client.get(url, params)  # warm up: session, content types, permissions cached
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, params)
    assert response.status_code == 200
    return captured


class TestQueryCounts:
    def _receptions(self, n, start, station, deputies, unit_org):
        for i in range(n):
            r = reception_row(station, deputies, date=days_ahead(-(start + i)), status=ReceptionDay.Status.HELD,
                              visitor_count=i, topic=f"主题{start + i}")
            r.visiting_units.add(unit_org)

    def test_the_reception_list_does_not_grow_with_the_rows(self, staff, station_a, deputy, other_deputy, unit_org):
        client, url = client_for(staff), reverse("admin:stations_receptionday_changelist")
        self._receptions(3, 1, station_a, [deputy, other_deputy], unit_org)
        small = _queries(client, url)
        self._receptions(6, 4, station_a, [deputy, other_deputy], unit_org)
        large = _queries(client, url)
        assert len(large) == len(small), [q["sql"] for q in large.captured_queries]
        assert ReceptionDay.objects.count() == 9

    def test_the_station_list_with_the_filter_does_not_grow(self, staff, town_a, deputy):
        client, url = client_for(staff), reverse("admin:stations_station_changelist")

        def stations(start, n):
            for i in range(start, start + n):
                s = Station.objects.create(name=f"联络站{i}", kind=Station.Kind.LIAISON, town=town_a, address=f"路{i}号")
                reception_row(s, [deputy], date=timezone.localdate(), starts=(8 + i % 8, 0), ends=(17, 0))

        stations(0, 3)
        small = _queries(client, url, {"reception_month": "some"})
        stations(3, 6)
        large = _queries(client, url, {"reception_month": "some"})
        assert len(large) == len(small), [q["sql"] for q in large.captured_queries]
