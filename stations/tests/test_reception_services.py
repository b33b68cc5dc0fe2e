"""Reception days (接待选民日) through their services: scheduling with the notice rule and the duty checks,
cancelling, recording the outcome as a verified 接待选民 activity, and the reminder scan."""
import datetime
from decimal import Decimal

import pytest
from freezegun import freeze_time

from congress.models import Notification
from congress.services import CongressError
from deputies.models import Deputy, DutyActivity, DutyActivityParticipant, DutyActivityType, Mandate, PointRule
from deputies.selectors import deputy_score
from deputies.tests.conftest import make_deputy
from stations import services
from stations.models import ReceptionDay, ReceptionDuty
from stations.tests.conftest import days_ahead, reception_row, schedule

pytestmark = pytest.mark.django_db


def notified(user) -> list[str]:
    return list(Notification.objects.filter(recipient=user, kind="reception_duty").order_by("pk")
                .values_list("title", flat=True))


def on_the_day(reception):
    """The clock on the reception's afternoon, Beijing time."""
    return freeze_time(f"{reception.date.isoformat()} 16:00:00+08:00")


class TestSchedule:
    def test_it_creates_the_duties_notifies_the_deputies_and_records_who(self, staff, station_a, deputy, other_deputy,
                                                                         deputy_user, other_deputy_user, unit_org):
        reception = schedule(staff, station_a, [deputy, other_deputy], topic="  老旧小区改造 ", unit_ids=[unit_org.pk])
        reception.refresh_from_db()
        assert reception.status == ReceptionDay.Status.SCHEDULED
        assert reception.date == days_ahead(3) and reception.topic == "老旧小区改造"
        assert reception.created_by == staff
        assert set(reception.duties.values_list("deputy_id", flat=True)) == {deputy.pk, other_deputy.pk}
        assert list(reception.visiting_units.all()) == [unit_org]
        for user in (deputy_user, other_deputy_user):
            titles = notified(user)
            assert len(titles) == 1 and station_a.name in titles[0] and "09:00—11:30" in titles[0]
        body = Notification.objects.filter(recipient=deputy_user).get().body
        assert station_a.address in body and "老旧小区改造" in body
        created = reception.history.get()
        assert (created.history_type, created.history_user) == ("+", staff)
        assert set(ReceptionDuty.history.values_list("history_user", flat=True)) == {staff.pk}

    def test_a_deputy_without_a_login_account_is_scheduled_without_a_message(self, staff, station_a, deputy,
                                                                              town_a, term):
        offline = make_deputy(151, town_a, term, name="冯无号")
        reception = schedule(staff, station_a, [offline, deputy])
        assert reception.duties.count() == 2
        assert Notification.objects.count() == 1  # only the deputy who has an account

    def test_exactly_the_notice_days_ahead_is_allowed(self, staff, station_a, deputy, settings):
        settings.STATIONS = {"RECEPTION_NOTICE_DAYS": 5}
        assert schedule(staff, station_a, [deputy], ahead=5).date == days_ahead(5)
        with pytest.raises(CongressError, match="提前5天"):
            schedule(staff, station_a, [deputy], ahead=4, starts=(14, 0), ends=(15, 0))

    @pytest.mark.parametrize("ahead", [-1, 0, 1])
    def test_it_refuses_a_day_less_than_the_notice_days_ahead(self, staff, station_a, deputy, deputy_user, ahead):
        with pytest.raises(CongressError, match="提前") as exc:
            schedule(staff, station_a, [deputy], ahead=ahead)
        assert f"{days_ahead(2):%Y年%-m月%-d日}" in exc.value.messages[0]  # it says the earliest day allowed
        assert not ReceptionDay.objects.exists() and not notified(deputy_user)

    @pytest.mark.parametrize("starts, ends", [((11, 0), (9, 0)), ((9, 0), (9, 0))])
    def test_it_refuses_an_end_not_after_the_start(self, staff, station_a, deputy, starts, ends):
        with pytest.raises(CongressError, match="结束时间须晚于开始时间"):
            schedule(staff, station_a, [deputy], starts=starts, ends=ends)
        assert not ReceptionDay.objects.exists()

    def test_it_refuses_a_day_without_deputies(self, staff, station_a):
        with pytest.raises(CongressError, match="至少安排一位"):
            schedule(staff, station_a, [])
        assert not ReceptionDay.objects.exists()

    @pytest.mark.parametrize("status", [Mandate.Status.ENDED, Mandate.Status.SUSPENDED])
    def test_it_refuses_a_deputy_not_serving(self, staff, station_a, deputy, town_a, term, status):
        former = make_deputy(150, town_a, term, name="郑前任")
        former.mandates.update(status=status)
        with pytest.raises(CongressError, match="在任代表"):
            schedule(staff, station_a, [deputy, former])
        assert not ReceptionDay.objects.exists() and not ReceptionDuty.objects.exists()

    def test_it_refuses_a_deputy_already_on_duty_elsewhere_at_an_overlapping_time(self, staff, station_a, station_b,
                                                                                   deputy, other_deputy, deputy_user):
        schedule(staff, station_b, [deputy], starts=(9, 0), ends=(11, 30))
        with pytest.raises(CongressError, match=f"周建华代表在该时段已安排在“{station_b.name}”接待"):
            schedule(staff, station_a, [other_deputy, deputy], starts=(11, 0), ends=(12, 0))
        assert ReceptionDay.objects.count() == 1
        assert len(notified(deputy_user)) == 1

    def test_back_to_back_or_cancelled_bookings_do_not_clash(self, staff, station_a, station_b, deputy):
        morning = schedule(staff, station_b, [deputy], starts=(9, 0), ends=(11, 30))
        schedule(staff, station_a, [deputy], starts=(11, 30), ends=(12, 30))  # starts when the other ends
        services.reception_cancel(actor=staff, reception_id=morning.pk, reason="场地维修")
        schedule(staff, station_a, [deputy], starts=(9, 0), ends=(10, 0))  # the cancelled one frees the time
        assert ReceptionDay.objects.filter(status=ReceptionDay.Status.SCHEDULED).count() == 2

    def test_it_refuses_a_station_no_longer_running(self, staff, station_a, deputy):
        station_a.is_active = False
        station_a.save()
        with pytest.raises(CongressError, match="已停止运行"):
            schedule(staff, station_a, [deputy])
        assert not ReceptionDay.objects.exists()

    @pytest.mark.parametrize("who", ["deputy_user", "unit_user", "leader", "outsider"])
    def test_it_refuses_users_without_the_permission(self, who, request, station_a, deputy, deputy_user):
        user = request.getfixturevalue(who)
        with pytest.raises(CongressError, match="没有安排接待选民日的权限"):
            schedule(user, station_a, [deputy])
        assert not ReceptionDay.objects.exists() and not ReceptionDuty.objects.exists()
        assert not Notification.objects.exists()

    def test_town_staff_of_another_town_cannot_schedule_here(self, other_town_staff, station_a, deputy):
        with pytest.raises(CongressError, match="只能安排本镇街家站点的接待"):
            schedule(other_town_staff, station_a, [deputy])
        assert not ReceptionDay.objects.exists()

    def test_town_staff_schedule_at_their_own_towns_station(self, town_staff, station_a, deputy):
        reception = schedule(town_staff, station_a, [deputy])
        assert reception.history.get().history_user == town_staff


class TestCancel:
    def test_it_cancels_with_the_reason_and_tells_the_deputies_on_duty(self, staff, station_a, deputy, other_deputy,
                                                                       deputy_user, other_deputy_user):
        reception = schedule(staff, station_a, [deputy, other_deputy])
        services.reception_cancel(actor=staff, reception_id=reception.pk, reason="  台风预警，暂停接待  ")
        reception.refresh_from_db()
        assert (reception.status, reception.cancel_reason) == (ReceptionDay.Status.CANCELLED, "台风预警，暂停接待")
        for user in (deputy_user, other_deputy_user):
            titles = notified(user)
            assert len(titles) == 2 and "已取消" in titles[1]
        assert Notification.objects.filter(title__contains="已取消").get(recipient=deputy_user).body == "台风预警，暂停接待"
        last = reception.history.first()
        assert (last.status, last.history_user, last.prev_record.status) == ("cancelled", staff, "scheduled")

    @pytest.mark.parametrize("status", [ReceptionDay.Status.HELD, ReceptionDay.Status.CANCELLED])
    def test_it_refuses_a_day_not_scheduled(self, staff, station_a, deputy, deputy_user, status):
        reception = reception_row(station_a, [deputy], date=days_ahead(5), status=status, cancel_reason="原因")
        with pytest.raises(CongressError, match="不能取消"):
            services.reception_cancel(actor=staff, reception_id=reception.pk, reason="再取消一次")
        reception.refresh_from_db()
        assert (reception.status, reception.cancel_reason) == (status, "原因")
        assert not notified(deputy_user)

    def test_it_asks_for_a_reason(self, staff, station_a, deputy):
        reception = schedule(staff, station_a, [deputy])
        with pytest.raises(CongressError, match="请填写取消原因"):
            services.reception_cancel(actor=staff, reception_id=reception.pk, reason="  \n ")
        reception.refresh_from_db()
        assert reception.status == ReceptionDay.Status.SCHEDULED

    @pytest.mark.parametrize("who, message", [("leader", "没有管理接待选民日的权限"),
                                              ("deputy_user", "没有管理接待选民日的权限"),
                                              ("other_town_staff", "只能安排本镇街")])
    def test_it_refuses_the_wrong_user(self, who, message, request, staff, station_a, deputy):
        reception = schedule(staff, station_a, [deputy])
        with pytest.raises(CongressError, match=message):
            services.reception_cancel(actor=request.getfixturevalue(who), reception_id=reception.pk, reason="不去了")
        reception.refresh_from_db()
        assert reception.status == ReceptionDay.Status.SCHEDULED

    def test_an_unknown_reception_is_refused(self, staff):
        with pytest.raises(CongressError, match="接待安排不存在"):
            services.reception_cancel(actor=staff, reception_id=987654, reason="不存在")


@pytest.fixture
def reception_type(db):
    kind = DutyActivityType.objects.create(name="接待选民", checklist_item=DutyActivityType.ChecklistItem.VISIT)
    PointRule.objects.create(activity_type=kind, points_present=2, points_absent=-1,
                             effective_from=datetime.date(2020, 1, 1))
    return kind


class TestRecord:
    def test_it_refuses_before_the_day_and_accepts_on_the_day(self, staff, station_a, deputy):
        reception = schedule(staff, station_a, [deputy], ahead=3)
        with pytest.raises(CongressError, match="接待日尚未到"):
            services.reception_record(actor=staff, reception_id=reception.pk, visitor_count=5)
        reception.refresh_from_db()
        assert reception.status == ReceptionDay.Status.SCHEDULED and not DutyActivity.objects.exists()
        with on_the_day(reception):
            services.reception_record(actor=staff, reception_id=reception.pk, visitor_count=5)
        reception.refresh_from_db()
        assert reception.status == ReceptionDay.Status.HELD and reception.activity.date == reception.date

    def test_it_records_a_verified_activity_for_the_deputies_on_duty(self, staff, station_a, deputy, other_deputy,
                                                                     town_a):
        reception = reception_row(station_a, [deputy, other_deputy], date=days_ahead(-1), topic="民生实事项目征集")
        services.reception_record(actor=staff, reception_id=reception.pk, visitor_count=23, opinion_count=7,
                                  summary="群众反映停车难等问题")
        reception.refresh_from_db()
        assert reception.status == ReceptionDay.Status.HELD
        assert (reception.visitor_count, reception.opinion_count, reception.summary) == (23, 7, "群众反映停车难等问题")
        activity = reception.activity
        assert activity.activity_type.name == "接待选民" and activity.activity_type.is_active
        assert activity.status == DutyActivity.Status.VERIFIED and activity.verified_by == staff
        assert activity.date == reception.date and activity.organizer == town_a
        assert activity.title == f"在{station_a.name}接待选民（民生实事项目征集）"
        parts = activity.participations.all()
        assert {p.deputy_id for p in parts} == {deputy.pk, other_deputy.pk}
        assert all(p.confirmed_at is not None and p.attendance == DutyActivityParticipant.Attendance.PRESENT
                   for p in parts)
        last = reception.history.first()
        assert (last.status, last.history_user) == ("held", staff)

    def test_only_the_deputies_said_present_get_the_activity(self, staff, station_a, deputy, other_deputy):
        reception = reception_row(station_a, [deputy, other_deputy], date=days_ahead(-1))
        services.reception_record(actor=staff, reception_id=reception.pk, visitor_count=3, present_ids=[str(deputy.pk)])
        reception.refresh_from_db()
        assert list(reception.activity.participations.values_list("deputy_id", flat=True)) == [deputy.pk]

    def test_it_refuses_a_present_deputy_not_on_duty(self, staff, station_a, deputy, other_deputy):
        reception = reception_row(station_a, [deputy], date=days_ahead(-1))
        with pytest.raises(CongressError, match="到场代表须是本次安排的接待代表"):
            services.reception_record(actor=staff, reception_id=reception.pk, visitor_count=3,
                                      present_ids=[deputy.pk, other_deputy.pk])
        reception.refresh_from_db()
        assert reception.status == ReceptionDay.Status.SCHEDULED and not DutyActivity.objects.exists()

    def test_it_refuses_nobody_present(self, staff, station_a, deputy):
        reception = reception_row(station_a, [deputy], date=days_ahead(-1))
        with pytest.raises(CongressError, match="至少勾选一位"):
            services.reception_record(actor=staff, reception_id=reception.pk, visitor_count=3, present_ids=[])
        assert not DutyActivity.objects.exists()

    @pytest.mark.parametrize("status", [ReceptionDay.Status.HELD, ReceptionDay.Status.CANCELLED])
    def test_it_refuses_a_day_not_scheduled(self, staff, station_a, deputy, status):
        reception = reception_row(station_a, [deputy], date=days_ahead(-1), status=status)
        with pytest.raises(CongressError, match="不能登记接待情况"):
            services.reception_record(actor=staff, reception_id=reception.pk, visitor_count=3)
        reception.refresh_from_db()
        assert reception.status == status and not DutyActivity.objects.exists()

    def test_recording_twice_makes_one_activity(self, staff, station_a, deputy):
        reception = reception_row(station_a, [deputy], date=days_ahead(-1))
        services.reception_record(actor=staff, reception_id=reception.pk, visitor_count=3)
        with pytest.raises(CongressError, match="已接待"):
            services.reception_record(actor=staff, reception_id=reception.pk, visitor_count=30)
        reception.refresh_from_db()
        assert reception.visitor_count == 3 and DutyActivity.objects.count() == 1

    @pytest.mark.parametrize("who, message", [("leader", "没有管理接待选民日的权限"),
                                              ("unit_user", "没有管理接待选民日的权限"),
                                              ("deputy_user", "没有管理接待选民日的权限"),
                                              ("other_town_staff", "只能安排本镇街")])
    def test_it_refuses_the_wrong_user(self, who, message, request, station_a, deputy):
        reception = reception_row(station_a, [deputy], date=days_ahead(-1))
        with pytest.raises(CongressError, match=message):
            services.reception_record(actor=request.getfixturevalue(who), reception_id=reception.pk, visitor_count=3)
        reception.refresh_from_db()
        assert reception.status == ReceptionDay.Status.SCHEDULED and not DutyActivity.objects.exists()

    def test_town_staff_record_their_own_towns_reception(self, town_staff, station_a, deputy):
        reception = reception_row(station_a, [deputy], date=days_ahead(-1))
        services.reception_record(actor=town_staff, reception_id=reception.pk, visitor_count=4)
        reception.refresh_from_db()
        assert reception.status == ReceptionDay.Status.HELD and reception.activity.verified_by == town_staff

    @pytest.mark.parametrize("visitors, opinions", [(-1, 0), (3, -2), (None, 0)])
    def test_it_refuses_a_negative_or_missing_count(self, staff, station_a, deputy, visitors, opinions):
        reception = reception_row(station_a, [deputy], date=days_ahead(-1))
        with pytest.raises(CongressError, match="不小于0"):
            services.reception_record(actor=staff, reception_id=reception.pk, visitor_count=visitors,
                                      opinion_count=opinions)
        reception.refresh_from_db()
        assert reception.status == ReceptionDay.Status.SCHEDULED and not DutyActivity.objects.exists()

    def test_the_recorded_activity_raises_the_present_deputys_score(self, staff, station_a, deputy, other_deputy,
                                                                    reception_type):
        reception = reception_row(station_a, [deputy, other_deputy], date=days_ahead(0))
        year = reception.date.year
        assert deputy_score(Deputy.objects.get(pk=deputy.pk), year) == Decimal(0)
        services.reception_record(actor=staff, reception_id=reception.pk, visitor_count=12, present_ids=[deputy.pk])
        reception.refresh_from_db()
        assert reception.activity.activity_type == reception_type  # the staff's type, not a second one
        assert DutyActivityType.objects.filter(name="接待选民").count() == 1
        assert deputy_score(Deputy.objects.get(pk=deputy.pk), year) == Decimal(2)
        assert deputy_score(Deputy.objects.get(pk=other_deputy.pk), year) == Decimal(0)  # on duty, did not come

    def test_the_activity_type_is_a_setting(self, staff, station_a, deputy, settings):
        settings.STATIONS = {"RECEPTION_ACTIVITY_TYPE": "代表接待日"}
        reception = reception_row(station_a, [deputy], date=days_ahead(-1))
        services.reception_record(actor=staff, reception_id=reception.pk, visitor_count=1)
        reception.refresh_from_db()
        assert reception.activity.activity_type.name == "代表接待日"

    def test_a_type_made_on_first_use_counts_as_the_years_visit_to_voters(self, staff, station_a, deputy):
        from deputies.selectors import checklist_for

        reception = reception_row(station_a, [deputy], date=days_ahead(-1))
        before = {c["key"]: c["done"] for c in checklist_for(Deputy.objects.get(pk=deputy.pk), reception.date.year)}
        assert before["visit"] is False
        services.reception_record(actor=staff, reception_id=reception.pk, visitor_count=3)
        made = DutyActivityType.objects.get(name="接待选民")
        assert made.checklist_item == DutyActivityType.ChecklistItem.VISIT
        after = {c["key"]: c["done"] for c in checklist_for(Deputy.objects.get(pk=deputy.pk), reception.date.year)}
        assert after["visit"] is True


class TestReminders:
    def test_it_reminds_the_deputies_on_duty_once_the_day_before(self, staff, station_a, deputy, other_deputy,
                                                                 deputy_user, other_deputy_user):
        reception = schedule(staff, station_a, [deputy, other_deputy], ahead=3)
        Notification.objects.all().delete()
        eve = reception.date - datetime.timedelta(days=1)
        assert services.reception_reminders_send(today=eve - datetime.timedelta(days=1)) == []
        assert services.reception_reminders_send(today=eve) == [reception.pk]
        assert services.reception_reminders_send(today=eve) == []  # a second scan the same day sends nothing
        assert services.reception_reminders_send(today=reception.date) == []  # nor the next day
        for user in (deputy_user, other_deputy_user):
            titles = notified(user)
            assert len(titles) == 1 and titles[0].startswith("提醒") and station_a.name in titles[0]

    def test_a_scan_costs_the_same_for_2_and_6_receptions_and_nothing_new_inserts_nothing(self, station_a, deputy,
                                                                                            other_deputy):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        from stations.tests.conftest import reception_row

        day = days_ahead(5)
        eve = day - datetime.timedelta(days=1)
        for _ in range(2):
            reception_row(station_a, [deputy, other_deputy], date=day)
        with CaptureQueriesContext(connection) as small:
            assert len(services.reception_reminders_send(today=eve)) == 2
        for _ in range(4):
            reception_row(station_a, [deputy, other_deputy], date=day + datetime.timedelta(days=1))
        with CaptureQueriesContext(connection) as large:
            assert len(services.reception_reminders_send(today=eve + datetime.timedelta(days=1))) == 4
        assert len(large) == len(small)
        with CaptureQueriesContext(connection) as again:
            assert services.reception_reminders_send(today=eve + datetime.timedelta(days=1)) == []
        assert not any(q["sql"].lstrip().upper().startswith("INSERT") for q in again.captured_queries)

    def test_a_cancelled_reception_gets_no_reminder(self, staff, station_a, deputy, deputy_user):
        reception = schedule(staff, station_a, [deputy], ahead=3)
        services.reception_cancel(actor=staff, reception_id=reception.pk, reason="场地维修")
        Notification.objects.all().delete()
        assert services.reception_reminders_send(today=reception.date - datetime.timedelta(days=1)) == []
        assert not Notification.objects.exists()

    def test_only_the_receptions_of_the_reminder_day(self, staff, station_a, deputy, other_deputy):
        first = schedule(staff, station_a, [deputy], ahead=3)
        schedule(staff, station_a, [other_deputy], ahead=4)
        assert services.reception_reminders_send(today=first.date - datetime.timedelta(days=1)) == [first.pk]

    def test_the_reminder_day_is_a_setting(self, staff, station_a, deputy, settings):
        settings.STATIONS = {"RECEPTION_REMINDER_DAYS": 0}
        reception = schedule(staff, station_a, [deputy], ahead=3)
        assert services.reception_reminders_send(today=reception.date - datetime.timedelta(days=1)) == []
        assert services.reception_reminders_send(today=reception.date) == [reception.pk]

    def test_the_task_scans_today(self, staff, station_a, deputy, deputy_user, settings):
        from stations.tasks import send_reception_reminders

        reception = schedule(staff, station_a, [deputy], ahead=3)
        with freeze_time(f"{reception.date - datetime.timedelta(days=1)} 08:00:00+08:00"):
            assert send_reception_reminders() == 1
            assert send_reception_reminders() == 0
        assert len(notified(deputy_user)) == 2
