"""The admin index's 待办: what waits for this staff member, each with its count and a link to the filtered list; town
staff count only their towns; the index's query count does not grow with the rows."""
import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from freezegun import freeze_time

from conftest import client_for
from deputies.models import DutyActivity
from proposals.models import Suggestion
from stations.models import ReceptionDay, Station, VoterOpinion
from tests.sample import make_sample

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 11, 20)  # mid-month, so "yesterday" is in this month whatever day the suite runs


@pytest.fixture(autouse=True)
def _mid_month():
    with freeze_time("2026-11-20 10:00:00+08:00"):
        assert timezone.localdate() == TODAY
        yield


def work(sample, n=1, tag="a"):
    """n of each kind of waiting work in the sample's town."""
    for i in range(n):
        DutyActivity.objects.create(title="调研", activity_type=sample["dutyactivitytype"], date=TODAY,
                                    status=DutyActivity.Status.SUBMITTED).participations.create(deputy=sample["deputy"])
        VoterOpinion.objects.create(tracking_code=f"TODO{tag.upper()}{i:04d}", station=sample["station"], content="路灯坏了很久")
        ReceptionDay.objects.create(station=sample["station"], date=TODAY - datetime.timedelta(days=1 + i),
                                    starts_at=datetime.time(9), ends_at=datetime.time(11))
        Suggestion.objects.create(term=sample["term"], session=sample["congresssession"], title=f"建议{tag}{i}",
                                  content="内容", lead_deputy=sample["deputy"], status=Suggestion.Status.SUBMITTED)


def todos(user) -> dict[str, int]:
    response = client_for(user).get("/admin/")
    assert response.status_code == 200
    return {t.label: t.count for t in response.context["todos"]}


def test_committee_staff_see_every_towns_waiting_work_with_links(staff, town_a, town_b, term):
    a, b = make_sample(town=town_a, term=term, number=0), make_sample(town=town_b, term=term, number=1)
    work(a, 2, "a")
    work(b, 1, "b")
    found = todos(staff)
    # the samples' own rows add one submitted activity each (make_sample) … counted as they are
    assert found["社情民意待处理"] == 2 + 1 + 2  # make_sample leaves one received opinion per town
    assert found["接待选民日待登记接待情况"] == 3
    assert found["代表建议待登记"] == 3
    assert found["履职活动待审核"] == DutyActivity.objects.filter(status=DutyActivity.Status.SUBMITTED).count()
    assert "本月接待选民日未达标的联络站" not in found  # both liaison stations have a reception day this month
    Station.objects.create(name="临江镇新联络站", kind=Station.Kind.LIAISON, town=town_b, address="江边路")
    assert todos(staff)["本月接待选民日未达标的联络站"] == 1
    page = client_for(staff).get("/admin/").content.decode()
    assert 'href="/admin/stations/voteropinion/?status__exact=received"' in page


def test_town_staff_count_only_their_towns(town_staff, town_a, town_b, term):
    a, b = make_sample(town=town_a, term=term, number=0), make_sample(town=town_b, term=term, number=1)
    work(a, 1, "a")
    work(b, 3, "b")
    found = todos(town_staff)
    assert found["社情民意待处理"] == 1 + 1
    assert found["接待选民日待登记接待情况"] == 1
    assert "代表建议待登记" not in found  # registering is the committee's work
    for town in (town_a, town_b):
        Station.objects.create(name=f"{town.name}新联络站", kind=Station.Kind.LIAISON, town=town, address="新路")
    assert todos(town_staff)["本月接待选民日未达标的联络站"] == 1


def test_the_audit_administrator_has_none(audit_admin, town_a, term):
    work(make_sample(town=town_a, term=term))
    assert todos(audit_admin) == {}


def test_the_to_record_link_lists_the_unrecorded_reception_days(staff, town_a, term):
    sample = make_sample(town=town_a, term=term)
    work(sample)
    ReceptionDay.objects.create(station=sample["station"], date=TODAY + datetime.timedelta(days=3),
                                starts_at=datetime.time(9), ends_at=datetime.time(11))
    listed = client_for(staff).get("/admin/stations/receptionday/?to_record=1").context["cl"].result_list
    assert [r.date for r in listed] == [TODAY - datetime.timedelta(days=1)]


def test_the_index_query_count_does_not_grow(staff, town_a, term):
    sample = make_sample(town=town_a, term=term)
    client = client_for(staff)

    def count():
        client.get("/admin/")
        with CaptureQueriesContext(connection) as ctx:
            client.get("/admin/")
        return len(ctx.captured_queries)

    work(sample, 1, "a")
    small = count()
    work(sample, 3, "b")
    assert count() == small


def test_a_unit_with_a_referred_opinion_and_no_account_is_listed(staff, unit_org, unit_user, town_a, term):
    sample = make_sample(town=town_a, term=term)
    nobody = sample["organization"]  # a handling unit without any account
    for org, code in ((nobody, "REFA0001"), (unit_org, "REFB0001")):
        VoterOpinion.objects.create(tracking_code=code, station=sample["station"], content="路灯坏了很久",
                                    status=VoterOpinion.Status.REFERRED, unit=org)
    assert todos(staff)["单位无账号"] == 1
    listed = client_for(staff).get("/admin/congress/organization/?account=missing").context["cl"].result_list
    assert [o.pk for o in listed] == [nobody.pk]
    unit_user.is_active = False
    unit_user.save()
    assert todos(staff)["单位无账号"] == 2


def test_the_count_of_stations_below_the_rule_agrees_with_the_filtered_list(staff, town_a, term, settings):
    """The index counts “not among those with enough this month”; the station list's filter keeps those with fewer.
    Reception days on the month's edges and cancelled ones count as the rule says: only this month's, not cancelled."""
    from stations.selectors import count_below_monthly_rule, stations_below_monthly_rule

    def day(station, date, status=ReceptionDay.Status.SCHEDULED):
        ReceptionDay.objects.create(station=station, date=date, starts_at=datetime.time(9), ends_at=datetime.time(11),
                                    status=status)

    stations = [Station.objects.create(name=f"联络站{i}", kind=Station.Kind.LIAISON, town=town_a, address="路")
                for i in range(5)]
    day(stations[0], datetime.date(2026, 11, 1))
    day(stations[0], datetime.date(2026, 11, 30), ReceptionDay.Status.HELD)      # two this month
    day(stations[1], datetime.date(2026, 11, 15))                                # one
    day(stations[2], datetime.date(2026, 10, 31))
    day(stations[2], datetime.date(2026, 12, 1))                                 # none inside the month
    day(stations[3], datetime.date(2026, 11, 10), ReceptionDay.Status.CANCELLED)  # cancelled: none
    qs = Station.objects.filter(kind=Station.Kind.LIAISON, is_active=True)
    for least, below in ((1, {2, 3, 4}), (2, {1, 2, 3, 4}), (0, set())):
        listed = {stations.index(s) for s in stations_below_monthly_rule(qs, TODAY, least)}
        assert listed == below and count_below_monthly_rule(qs, TODAY, least) == len(below), least


def test_the_counts_are_kept_for_the_set_seconds_per_user_and_the_page_says_when(staff, town_staff, town_a, town_b, term,
                                                                                 settings):
    """Staff come back to the index all day and each count scans a table: the counts are kept
    ADMIN_COUNTS_CACHE_SECONDS, per user (town staff never see the committee's numbers), and the page gives their time."""
    from congress.lib import statcache

    settings.ADMIN_COUNTS_CACHE_SECONDS = 60
    statcache.clear()
    a, b = make_sample(town=town_a, term=term, number=0), make_sample(town=town_b, term=term, number=1)
    work(a, 1, "a")
    work(b, 2, "b")
    assert (todos(staff)["社情民意待处理"], todos(town_staff)["社情民意待处理"]) == (1 + 1 + 2 + 1, 1 + 1)
    work(a, 1, "c")
    assert (todos(staff)["社情民意待处理"], todos(town_staff)["社情民意待处理"]) == (5, 2)  # kept
    page = client_for(staff).get("/admin/").content.decode()
    assert "以上数字截至 10:00（每 60 秒更新）" in page
    with freeze_time("2026-11-20 10:01:01+08:00"):
        assert (todos(staff)["社情民意待处理"], todos(town_staff)["社情民意待处理"]) == (6, 3)
        client = client_for(staff)
        client.get("/admin/")
        with CaptureQueriesContext(connection) as kept:
            client.get("/admin/")
    settings.ADMIN_COUNTS_CACHE_SECONDS = 0
    with freeze_time("2026-11-20 10:01:01+08:00"):
        client.get("/admin/")
        with CaptureQueriesContext(connection) as live:
            assert "以上数字截至" not in client.get("/admin/").content.decode()
    assert len(kept) < len(live) - 5, (len(kept), len(live))
