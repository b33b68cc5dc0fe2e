"""The figures per station and per town (stations/figures.py) on hand-computed data, empty stations included."""
import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from congress.models import Organization
from stations import figures
from stations.figures import EMPTY, station_figures, town_figures
from stations.models import ReceptionDay, Station, VoterOpinion
from stations.tests.conftest import reception_row

S = VoterOpinion.Status
AT = timezone.make_aware(datetime.datetime(2026, 3, 2, 9, 0))


def opinion(station, status=S.RECEIVED, *, days=None, satisfaction="", at=AT):
    """An opinion left at `at`, closed `days` later (None: not closed)."""
    o = VoterOpinion.objects.create(tracking_code=f"T{VoterOpinion.objects.count():09d}", station=station,
                                    content="小区路灯坏了很久没人修", status=status, satisfaction=satisfaction)
    closed = at + datetime.timedelta(days=days) if days is not None else None
    VoterOpinion.objects.filter(pk=o.pk).update(created_at=at, closed_at=closed)
    return o


@pytest.fixture
def data(station_a, station_b, town_a):
    """station A: 2 held days (10 voters and one not recorded), one scheduled, one cancelled; 6 opinions: closed
    满意 in 2 days, 基本满意 in 4, 不满意 in 10, declined in 1, closed without a rating in 3, one waiting.
    → receptions 2, voters 10, opinions 6, done 5 (83.3%), rated 3, 满意 1 (33.3%), median of 1,2,3,4,10 = 3.
    A second station of town A: 1 held day (5 voters), one opinion closed 满意 in 6 days. Station B: nothing."""
    for status, voters in [("held", 10), ("held", None), ("scheduled", None), ("cancelled", None)]:
        reception_row(station_a, [], date=datetime.date(2026, 3, 1), status=status, visitor_count=voters)
    opinion(station_a, S.CLOSED, days=2, satisfaction="satisfied")
    opinion(station_a, S.CLOSED, days=4, satisfaction="basic")
    opinion(station_a, S.CLOSED, days=10, satisfaction="dissatisfied")
    opinion(station_a, S.DECLINED, days=1)
    opinion(station_a, S.CLOSED, days=3)
    opinion(station_a, S.RECEIVED)
    second = Station.objects.create(name="城东街道代表之家", kind=Station.Kind.HOME, town=town_a, address="人民路9号")
    reception_row(second, [], date=datetime.date(2026, 4, 1), status=ReceptionDay.Status.HELD, visitor_count=5)
    opinion(second, S.CLOSED, days=6, satisfaction="satisfied")
    return second


class TestStationFigures:
    def test_hand_computed(self, data, station_a, station_b):
        f = station_figures([station_a.pk, station_b.pk, data.pk])
        a = f[station_a.pk]
        assert (a.receptions, a.visitors, a.opinions, a.done, a.rated, a.satisfied) == (2, 10, 6, 5, 3, 1)
        assert (a.closed_rate, a.satisfaction_rate, a.median_days) == (83.3, 33.3, 3.0)
        second = f[data.pk]
        assert (second.receptions, second.visitors, second.closed_rate, second.satisfaction_rate, second.median_days) == (
            1, 5, 100.0, 100.0, 6.0)

    def test_an_empty_station_has_zeros_and_no_rates(self, data, station_b):
        b = station_figures([station_b.pk])[station_b.pk]
        assert b == EMPTY
        assert (b.closed_rate, b.satisfaction_rate, b.median_days) == (None, None, None)
        assert (figures.percent(b.closed_rate), figures.days(b.median_days)) == ("—", "—")

    def test_the_median_of_an_even_count_is_the_mean_of_the_middle_two(self, station_b):
        for n in (1, 2, 5, 9):
            opinion(station_b, S.CLOSED, days=n, satisfaction="satisfied")
        assert station_figures([station_b.pk])[station_b.pk].median_days == 3.5

    def test_a_year_counts_the_receptions_and_the_opinions_of_that_year(self, data, station_a):
        opinion(station_a, S.CLOSED, days=20, satisfaction="satisfied", at=AT.replace(year=2025))
        reception_row(station_a, [], date=datetime.date(2025, 6, 1), status="held", visitor_count=40)
        f2025 = station_figures([station_a.pk], year=2025)[station_a.pk]
        assert (f2025.receptions, f2025.visitors, f2025.opinions, f2025.satisfaction_rate, f2025.median_days) == (
            1, 40, 1, 100.0, 20.0)
        f2026 = station_figures([station_a.pk], year=2026)[station_a.pk]
        assert (f2026.receptions, f2026.opinions, f2026.median_days) == (2, 6, 3.0)
        assert station_figures([station_a.pk])[station_a.pk].opinions == 7

    def test_one_query_for_any_number_of_stations(self, data, station_a, station_b, town_a):
        def count(ids):
            with CaptureQueriesContext(connection) as ctx:
                station_figures(ids)
            return len(ctx)

        few = count([station_a.pk, station_b.pk])
        more = [Station.objects.create(name=f"站{i}", kind="contact", town=town_a, address="路").pk for i in range(6)]
        for pk in more:
            opinion(Station.objects.get(pk=pk), S.CLOSED, days=2, satisfaction="satisfied")
        assert count([station_a.pk, station_b.pk, *more]) == few == 1


    def test_one_station_in_two_plain_queries_equals_the_grouped_figures(self, data, station_a, station_b):
        opinion(station_a, S.CLOSED, days=20, satisfaction="satisfied", at=AT.replace(year=2025))
        opinion(station_a, S.DECLINED, days=7, at=AT.replace(year=2025))
        reception_row(station_a, [], date=datetime.date(2025, 6, 1), status="held", visitor_count=40)
        for station in (station_a, station_b, data):
            for year in (2025, 2026, 2024):
                with CaptureQueriesContext(connection) as ctx:
                    this_year, total = figures.one_station_figures(station.pk, year)
                assert len(ctx) == 2
                assert this_year == station_figures([station.pk], year=year)[station.pk], (station.name, year)
                assert total == station_figures([station.pk])[station.pk], station.name
        this_year, total = figures.one_station_figures(station_a.pk, 2025)
        assert (this_year.receptions, this_year.visitors, this_year.opinions, this_year.done, this_year.median_days) == (
            1, 40, 2, 2, 13.5)
        assert (total.receptions, total.visitors, total.opinions, total.done, total.median_days) == (3, 50, 8, 7, 4.0)


class TestTownFigures:
    def test_hand_computed(self, data, town_a, town_b):
        rows = {t.pk: t for t in town_figures(Organization.objects.filter(kind__in=Organization.TOWN_KINDS))}
        a = rows[town_a.pk].figures
        # town A = station A + the second station: 3 days, 15 voters, 7 opinions, 6 done, 4 rated, 2 满意,
        # median of 1,2,3,4,6,10 = 3.5
        assert (a.receptions, a.visitors, a.opinions, a.done, a.rated, a.satisfied) == (3, 15, 7, 6, 4, 2)
        assert (a.closed_rate, a.satisfaction_rate, a.median_days) == (85.7, 50.0, 3.5)
        assert rows[town_a.pk].station_count == 2
        b = rows[town_b.pk]
        assert (b.figures, b.station_count) == (EMPTY, 1)

    def test_one_query_whatever_the_number_of_stations(self, data, town_a, town_b):
        towns = Organization.objects.filter(kind__in=Organization.TOWN_KINDS)

        def count():
            with CaptureQueriesContext(connection) as ctx:
                town_figures(towns)
            return len(ctx)

        few = count()
        for i in range(6):
            station = Station.objects.create(name=f"临江站{i}", kind="contact", town=town_b, address="路")
            opinion(station, S.CLOSED, days=i, satisfaction="basic")
        assert count() == few == 1


def test_the_sqlite_median_aggregate():
    agg = figures._SqliteMedian()
    assert agg.finalize() is None
    for v in (4.0, None, 1.0, 9.0, 2.0):
        agg.step(v)
    assert agg.finalize() == 3.0
