"""The deadline reminder scan on a frozen clock: each offset before the deadline once, weekly while overdue with a
copy to the supervising working body, a daily digest for a busy unit, and two concurrent scans sending each once."""
import datetime
import threading

import pytest
from django.conf import settings
from django.db import connection
from freezegun import freeze_time

from congress.models import Notification, ReminderClaim
from proposals import services
from proposals.models import Assignment
from proposals.reminders import deadline_reminders_scan
from proposals.tests.conftest import pdf

ASSIGNED_ON = datetime.date(2026, 3, 2)


def day(a, offset):
    return a.due_date + datetime.timedelta(days=offset)


def kinds(user):
    return list(Notification.objects.filter(recipient=user).order_by("id").values_list("kind", flat=True))


@pytest.mark.django_db
class TestOffsets:
    def test_each_offset_before_the_deadline_once(self, flow, unit_org, unit_user):
        s, (a,) = flow.assigned(unit_org, assigned_on=ASSIGNED_ON)
        Notification.objects.all().delete()
        sent_on = {}
        for offset in range(-20, 1):
            sent = deadline_reminders_scan(today=day(a, offset))
            sent += deadline_reminders_scan(today=day(a, offset))  # a second scan the same day sends nothing
            if sent:
                sent_on[offset] = [r.threshold for r in sent]
        assert sent_on == {-15: ["15"], -7: ["7"], -3: ["3"], 0: ["0"]}
        titles = list(Notification.objects.filter(recipient=unit_user).order_by("id").values_list("title", flat=True))
        assert len(titles) == 4 and "还有15天到期" in titles[0] and "今天到期" in titles[-1]
        assert ReminderClaim.objects.filter(key__startswith=f"assignment:{a.pk}:").count() == 4

    def test_a_scan_that_missed_days_sends_only_the_tightest_reached_offset(self, flow, unit_org, unit_user):
        s, (a,) = flow.assigned(unit_org, assigned_on=ASSIGNED_ON)
        assert [r.threshold for r in deadline_reminders_scan(today=day(a, -5))] == ["7"]
        assert deadline_reminders_scan(today=day(a, -4)) == []

    def test_the_offsets_are_a_setting(self, flow, unit_org, unit_user, settings):
        settings.CONGRESS_RULES = {**settings.CONGRESS_RULES, "REMINDER_DAYS_BEFORE": [10]}
        s, (a,) = flow.assigned(unit_org, assigned_on=ASSIGNED_ON)
        assert deadline_reminders_scan(today=day(a, -15)) == []
        assert [r.threshold for r in deadline_reminders_scan(today=day(a, -10))] == ["10"]

    def test_replied_items_get_no_reminder(self, flow, unit_org, unit_user):
        s, (a,) = flow.assigned(unit_org, assigned_on=ASSIGNED_ON)
        services.assignment_reply(actor=unit_user, assignment=a, letter=pdf(), result="A")
        assert deadline_reminders_scan(today=day(a, 0)) == []

    def test_the_default_offsets_are_15_7_3_and_the_day(self):
        assert settings.CONGRESS_RULES["REMINDER_DAYS_BEFORE"] == [15, 7, 3, 0]


@pytest.mark.django_db
class TestOverdue:
    def test_weekly_while_overdue_copying_the_supervising_body(self, flow, unit_org, unit_user, staff, working_body):
        s, (a,) = flow.assigned(unit_org, assigned_on=ASSIGNED_ON)
        services.suggestion_mark_priority(actor=staff, suggestion=s, supervising_leader="李主任",
                                          government_official="张副区长", supervising_body=working_body)
        Notification.objects.all().delete()
        sent_on = {}
        for offset in range(1, 16):
            sent = deadline_reminders_scan(today=day(a, offset))
            if sent:
                sent_on[offset] = [r.threshold for r in sent]
        assert sent_on == {1: ["overdue-1"], 8: ["overdue-2"], 15: ["overdue-3"]}
        assert kinds(unit_user) == ["assignment_reminder"] * 3
        assert kinds(staff) == ["assignment_overdue_copy"] * 3  # staff's organization is the supervising body
        assert "已逾期1天" in Notification.objects.filter(recipient=staff).order_by("id").first().title

    def test_no_copy_before_the_deadline(self, flow, unit_org, unit_user, staff, working_body):
        s, (a,) = flow.assigned(unit_org, assigned_on=ASSIGNED_ON)
        services.suggestion_mark_priority(actor=staff, suggestion=s, supervising_leader="李主任",
                                          government_official="张副区长", supervising_body=working_body)
        Notification.objects.all().delete()
        deadline_reminders_scan(today=day(a, -3))
        assert kinds(staff) == [] and kinds(unit_user) == ["assignment_reminder"]

    def test_an_extension_starts_a_new_series(self, flow, unit_org, unit_user, staff):
        s, (a,) = flow.assigned(unit_org, assigned_on=ASSIGNED_ON)
        assert deadline_reminders_scan(today=day(a, -3))
        services.assignment_grant_extension(actor=staff, assignment=a, months=1, reason="涉及规划调整")
        a.refresh_from_db()
        again = deadline_reminders_scan(today=a.extended_due_date - datetime.timedelta(days=3))
        assert [r.threshold for r in again] == ["3"]


@pytest.mark.django_db
class TestDigest:
    def test_a_busy_unit_gets_one_digest_and_a_quiet_one_single_reminders(self, flow, unit_org, unit_user, unit2,
                                                                         unit2_user, settings):
        settings.PROPOSALS = {"DIGEST_THRESHOLD": 2}
        made = [flow.assigned(unit_org, assigned_on=ASSIGNED_ON, title=f"建议{i}")[1][0] for i in range(3)]
        made += [flow.assigned(unit2, assigned_on=ASSIGNED_ON, title=f"交通建议{i}")[1][0] for i in range(2)]
        Notification.objects.all().delete()
        sent = deadline_reminders_scan(today=day(made[0], -15))
        assert len(sent) == 5
        assert kinds(unit_user) == ["assignment_reminder_digest"]
        digest = Notification.objects.get(recipient=unit_user)
        assert "3件" in digest.title and all(f"建议{i}" in digest.body for i in range(3))
        assert kinds(unit2_user) == ["assignment_reminder"] * 2


@pytest.mark.django_db
class TestTask:
    def test_the_beat_runs_the_task_which_scans_today(self, flow, unit_org, unit_user):
        from proposals.tasks import scan_deadline_reminders

        assert any(e["task"] == "proposals.tasks.scan_deadline_reminders" for e in settings.CELERY_BEAT_SCHEDULE.values())
        s, (a,) = flow.assigned(unit_org, assigned_on=ASSIGNED_ON)
        with freeze_time(datetime.datetime.combine(day(a, -7), datetime.time(9)).isoformat() + "+08:00"):
            assert scan_deadline_reminders() == 1
            assert scan_deadline_reminders() == 0


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_scans_send_each_reminder_once(settings):
    if connection.vendor != "postgresql":
        pytest.skip("the race needs a server database")
    from congress import roles
    from congress.models import CongressSession, Organization, Term
    from congress.roles import sync_role_permissions
    from congress.services import create_user_with_role
    from deputies.models import Deputy
    from proposals.models import Suggestion
    from tests.sample import sample_id_number

    settings.PROPOSALS = {"DIGEST_THRESHOLD": 1000}
    sync_role_permissions()  # a flushed database has no role groups
    term = Term.objects.create(number=17, start_date=datetime.date(2021, 10, 1), is_current=True)
    session = CongressSession.objects.create(term=term, number=2, start_date=datetime.date(2026, 1, 5),
                                             end_date=datetime.date(2026, 1, 8))
    unit = Organization.objects.create(name="区住房和城乡建设局", kind=Organization.Kind.DEPARTMENT, is_handling_unit=True)
    unit_user = create_user_with_role(username="race_unit", password="Renda@2026pass", role=roles.HANDLING_UNIT,
                                      organization=unit)
    town = Organization.objects.create(name="城东街道", kind=Organization.Kind.STREET)
    deputy = Deputy.objects.create(full_name="周代表", gender="M", id_number=sample_id_number(950), town=town)
    due = datetime.date(2026, 6, 2)
    for i in range(30):
        s = Suggestion.objects.create(term=term, session=session, title=f"建议{i}", content="内容", lead_deputy=deputy,
                                      status=Suggestion.Status.ASSIGNED)
        Assignment.objects.create(suggestion=s, unit=unit, role=Assignment.Role.LEAD, assigned_on=ASSIGNED_ON,
                                  due_date=due, send_back_until=ASSIGNED_ON)
    barrier = threading.Barrier(2)
    sent = [[], []]
    errors = []

    def scan(slot):
        from django.db import connections

        try:
            barrier.wait()
            sent[slot] = [r.key for r in deadline_reminders_scan(today=due - datetime.timedelta(days=3))]
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
    titles = list(Notification.objects.filter(recipient=unit_user).values_list("title", flat=True))
    assert len(titles) == 30 and len(set(titles)) == 30
    assert ReminderClaim.objects.count() == 30


@pytest.mark.django_db
class TestUnitWithoutAccount:
    """A reminder for a unit nobody can log in for is not consumed: it waits, and staff see 单位无账号."""

    def admin_todos(self, user) -> dict[str, int]:
        from conftest import client_for

        response = client_for(user).get("/admin/")
        assert response.status_code == 200
        return {t.label: t.count for t in response.context["todos"]}

    def test_the_scan_sends_and_claims_nothing_until_the_unit_has_an_account(self, flow, unit2, staff):
        from conftest import PASSWORD
        from congress import roles
        from congress.services import create_user_with_role

        s, (a,) = flow.assigned(unit2, assigned_on=ASSIGNED_ON)
        Notification.objects.all().delete()
        gone = create_user_with_role(username="unit2-old", password=PASSWORD, role=roles.HANDLING_UNIT, organization=unit2)
        gone.is_active = False  # a disabled account does not count
        gone.save()
        assert deadline_reminders_scan(today=day(a, -15)) == []
        assert not ReminderClaim.objects.exists() and not Notification.objects.exists()
        assert deadline_reminders_scan(today=day(a, -14)) == []
        account = create_user_with_role(username="unit2-new", password=PASSWORD, role=roles.HANDLING_UNIT, organization=unit2)
        sent = deadline_reminders_scan(today=day(a, -14))
        assert [r.threshold for r in sent] == ["15"]
        assert kinds(account) == ["assignment_reminder"] and kinds(gone) == []
        assert ReminderClaim.objects.filter(key__startswith=f"assignment:{a.pk}:").count() == 1

    def test_staff_see_the_unit_on_the_admin_index_until_it_has_an_account(self, flow, unit_org, unit_user, unit2, unit3,
                                                                          staff, system_admin, town_staff, audit_admin):
        flow.assigned(unit2, assisting=[unit3])
        flow.assigned(unit2, title="关于增设公交线路的建议")
        flow.assigned(unit_org, title="关于整治违章停车的建议")  # unit_org has unit_user: not counted
        assert self.admin_todos(staff)["单位无账号"] == 2
        assert self.admin_todos(system_admin)["单位无账号"] == 2  # who creates the accounts
        assert "单位无账号" not in self.admin_todos(town_staff) and self.admin_todos(audit_admin) == {}
        from conftest import client_for

        page = client_for(staff).get("/admin/")
        assert 'href="/admin/congress/organization/?account=missing"' in page.content.decode()
        listed = client_for(staff).get("/admin/congress/organization/?account=missing").context["cl"].result_list
        assert sorted(o.name for o in listed) == sorted([unit2.name, unit3.name])
        from conftest import PASSWORD
        from congress import roles
        from congress.services import create_user_with_role

        create_user_with_role(username="unit3", password=PASSWORD, role=roles.HANDLING_UNIT, organization=unit3)
        assert self.admin_todos(staff)["单位无账号"] == 1


@pytest.mark.django_db
def test_a_scan_with_nothing_new_writes_nothing_and_its_queries_do_not_grow(flow, unit_org, unit_user):
    from django.test.utils import CaptureQueriesContext

    def quiet_scan(today) -> list[str]:
        with CaptureQueriesContext(connection) as ctx:
            assert deadline_reminders_scan(today=today) == []
        return [q["sql"].split()[0].upper() for q in ctx.captured_queries]

    s, (a,) = flow.assigned(unit_org, assigned_on=ASSIGNED_ON)
    assert len(deadline_reminders_scan(today=day(a, -7))) == 1
    small = quiet_scan(day(a, -7))
    for i in range(3):
        flow.assigned(unit_org, assigned_on=ASSIGNED_ON, title=f"关于增设第{i}条公交线路的建议")
    assert len(deadline_reminders_scan(today=day(a, -7))) == 3
    big = quiet_scan(day(a, -7))
    assert big == small and "INSERT" not in big  # no duplicate-key error for the reminders sent before
