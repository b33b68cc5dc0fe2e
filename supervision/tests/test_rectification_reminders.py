"""Rectification items' due-date reminders to their organs: the suggestions' rule (the offsets before the due date, then
every N days once overdue), each reminder claimed once, a scan with nothing new sending nothing without a database error,
and a scan's queries constant in its rows."""
import datetime
import threading

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from freezegun import freeze_time

from conftest import PASSWORD
from congress import roles
from congress.lib.reminders import deadline_threshold
from congress.models import Notification, Organization, ReminderClaim
from congress.services import create_user_with_role
from supervision import services
from supervision.services.reminders import rectification_reminders_scan

pytestmark = pytest.mark.django_db
TODAY = datetime.date.today()


def item_for(staff, org, *, days=20, title="整改老旧小区路灯不亮问题"):
    return services.rectification_create(actor=staff, organization=org, title=title,
                                         due_date=TODAY + datetime.timedelta(days=days), source_label="审议意见")


def on(item, offset: int) -> datetime.date:
    return item.due_date + datetime.timedelta(days=offset)


def reminders(user) -> list[str]:
    return list(Notification.objects.filter(recipient=user, kind="rectification_reminder").order_by("id")
                .values_list("title", flat=True))


def test_each_offset_before_the_due_date_once_then_every_week_overdue(staff, unit_org, unit_user):
    item = item_for(staff, unit_org)
    sent_on = {}
    for offset in range(-20, 16):
        sent = rectification_reminders_scan(today=on(item, offset))
        assert rectification_reminders_scan(today=on(item, offset)) == []  # a second scan the same day sends nothing
        if sent:
            sent_on[offset] = [r.threshold for r in sent]
    assert sent_on == {-15: ["15"], -7: ["7"], -3: ["3"], 0: ["0"], 1: ["overdue-1"], 8: ["overdue-2"],
                       15: ["overdue-3"]}
    titles = reminders(unit_user)
    assert len(titles) == 7 and "还有15天到期" in titles[0] and "今天到期" in titles[3]
    assert "已逾期1天" in titles[4] and "请抓紧整改" in titles[4] and item.title in titles[0]
    assert ReminderClaim.objects.filter(key__startswith=f"rectification:{item.pk}:").count() == 7


def test_the_overdue_period_is_a_setting(staff, unit_org, unit_user, settings):
    settings.CONGRESS_RULES = {**settings.CONGRESS_RULES, "RECTIFICATION_OVERDUE_REMINDER_EVERY_DAYS": 3}
    item = item_for(staff, unit_org)
    sent = [r.threshold for d in range(1, 8) for r in rectification_reminders_scan(today=on(item, d))]
    assert sent == ["overdue-1", "overdue-2", "overdue-3"]


def test_suggestions_and_rectifications_share_one_threshold_rule():
    due = datetime.date(2026, 6, 30)
    found = [deadline_threshold(due, due - datetime.timedelta(days=d), overdue_every_days=7) for d in (20, 15, 5, 0, -1, -8)]
    assert [f and f.key for f in found] == [None, "15", "7", "0", "overdue-1", "overdue-2"]
    assert [f.text for f in found[1:]] == ["还有15天到期", "还有5天到期", "今天到期", "已逾期1天", "已逾期8天"]


def test_only_items_the_organ_still_works_on_are_reminded(staff, unit_org, unit_user):
    reported = item_for(staff, unit_org, title="整改噪声扰民问题")
    services.rectification_report(actor=unit_user, rectification=reported, text="已整改完毕", final=True)
    accepted = item_for(staff, unit_org, title="整改占道经营问题")
    services.rectification_report(actor=unit_user, rectification=accepted, text="已整改完毕", final=True)
    services.rectification_accept(actor=staff, rectification=accepted)
    assert rectification_reminders_scan(today=on(reported, 0)) == []
    assert rectification_reminders_scan(today=on(reported, 9)) == []


def test_a_new_due_date_starts_its_own_series(staff, unit_org, unit_user):
    item = item_for(staff, unit_org)
    assert [r.threshold for r in rectification_reminders_scan(today=on(item, -3))] == ["3"]
    item.due_date += datetime.timedelta(days=30)
    item.save()
    assert [r.threshold for r in rectification_reminders_scan(today=on(item, -3))] == ["3"]


def test_an_organ_without_an_account_keeps_its_reminder_until_it_has_one(staff):
    org = Organization.objects.create(name="区水务局", kind=Organization.Kind.DEPARTMENT, is_handling_unit=True)
    item = item_for(staff, org)
    assert rectification_reminders_scan(today=on(item, -7)) == []
    assert not ReminderClaim.objects.exists()
    from conftest import client_for

    todos = {t.label: t.count for t in client_for(staff).get("/admin/").context["todos"]}
    assert todos["单位无账号"] == 1  # staff see the organ waiting for an account
    account = create_user_with_role(username="water", password=PASSWORD, role=roles.HANDLING_UNIT, organization=org)
    assert "单位无账号" not in {t.label for t in client_for(staff).get("/admin/").context["todos"]}
    assert [r.threshold for r in rectification_reminders_scan(today=on(item, -6))] == ["7"]
    assert len(reminders(account)) == 1


def test_a_scan_with_nothing_new_sends_nothing_and_writes_nothing(staff, unit_org, unit_user):
    items = [item_for(staff, unit_org, title=f"整改事项{i}", days=10) for i in range(5)]
    today = on(items[0], -7)
    assert len(rectification_reminders_scan(today=today)) == 5
    with CaptureQueriesContext(connection) as ctx:
        assert rectification_reminders_scan(today=today) == []
    sql = [q["sql"].upper() for q in ctx.captured_queries]
    # no INSERT that a unique index refuses (one PostgreSQL ERROR line per duplicate before), no notification
    assert not [s for s in sql if s.startswith("INSERT")] and len(sql) <= 6
    assert len(reminders(unit_user)) == 5


def _scan_queries(today) -> int:
    with CaptureQueriesContext(connection) as ctx:
        rectification_reminders_scan(today=today)
    return len(ctx.captured_queries)


def test_a_scans_queries_do_not_grow_with_its_rows(staff, unit_org, unit_user, other_unit_user):
    def add(n, org, days):
        for i in range(n):
            item_for(staff, org, title=f"整改{org.pk}-{days}-{i}", days=days)

    add(1, unit_org, 10)
    add(1, other_unit_user.organization, 10)
    today = TODAY + datetime.timedelta(days=3)
    small_sending, small_quiet = _scan_queries(today), _scan_queries(today)
    add(3, unit_org, 11)
    add(3, other_unit_user.organization, 11)
    assert _scan_queries(today + datetime.timedelta(days=1)) == small_sending  # 6 new reminders, same count
    assert _scan_queries(today + datetime.timedelta(days=1)) == small_quiet


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_scans_send_each_reminder_once():
    if connection.vendor != "postgresql":
        pytest.skip("the race needs a server database")
    from congress.roles import sync_role_permissions

    sync_role_permissions()  # a flushed database has no role groups
    staff = create_user_with_role(username="race_staff", password=PASSWORD, role=roles.COMMITTEE_STAFF)
    org = Organization.objects.create(name="区城管局", kind=Organization.Kind.DEPARTMENT, is_handling_unit=True)
    unit = create_user_with_role(username="race_unit", password=PASSWORD, role=roles.HANDLING_UNIT, organization=org)
    items = [item_for(staff, org, title=f"整改{i}", days=10) for i in range(30)]
    barrier = threading.Barrier(2)
    sent, errors = [[], []], []

    def scan(slot):
        from django.db import connections

        try:
            barrier.wait()
            sent[slot] = [r.key for r in rectification_reminders_scan(today=on(items[0], -7))]
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=scan, args=(i,)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert len(sent[0]) + len(sent[1]) == 30 and not set(sent[0]) & set(sent[1])
    assert len(reminders(unit)) == 30 and ReminderClaim.objects.count() == 30


def test_the_beat_runs_the_task_which_scans_today(staff, unit_org, unit_user):
    from supervision.tasks import scan_rectification_reminders

    assert any(e["task"] == "supervision.tasks.scan_rectification_reminders" for e in settings.CELERY_BEAT_SCHEDULE.values())
    item = item_for(staff, unit_org)
    with freeze_time(datetime.datetime.combine(on(item, -7), datetime.time(9)).isoformat() + "+08:00"):
        assert scan_rectification_reminders() == 1
        assert scan_rectification_reminders() == 0
