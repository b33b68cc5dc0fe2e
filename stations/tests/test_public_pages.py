"""The public station pages (/stations/, no login): find a running station, its announced and cancelled reception
days with the deputies on duty, the last held ones, and nothing personal of the deputies; then the reception duty
panel on the deputy's portal home."""
import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from conftest import client_for
from deputies.tests.conftest import make_deputy
from stations.models import ReceptionDay, Station, StationDeputy
from stations.tests.conftest import days_ahead, reception_row, schedule

pytestmark = pytest.mark.django_db
LIST = "stations:public_list"


def detail_url(station):
    return reverse("stations:public_detail", args=[station.pk])


def md(day: datetime.date) -> str:
    return f"{day.month}月{day.day}日"


def ymd_md(day: datetime.date) -> str:
    """The panel's date with its weekday bracket, so that 1月1日 never matches inside 11月1日."""
    return f"<strong>{day.month}月{day.day}日（"


def ymd(day: datetime.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


@pytest.fixture
def closed(db, town_a):
    return Station.objects.create(name="城东旧联络站", kind=Station.Kind.LIAISON, town=town_a, address="老街5号",
                                  is_active=False)


@pytest.fixture
def home(db, town_a):
    return Station.objects.create(name="城东代表之家", kind=Station.Kind.HOME, town=town_a, address="新华路8号")


class TestList:
    def names(self, params=None):
        response = client_for(None).get(reverse(LIST), params)
        assert response.status_code == 200
        return [s.name for s in response.context["page"]]

    def test_anyone_sees_the_running_stations(self, station_a, station_b, home, closed):
        response = client_for(None).get(reverse(LIST))
        page = response.content.decode()
        assert response.status_code == 200 and "共 3 个" in page
        assert station_a.name in page and station_b.name in page and home.name in page
        assert closed.name not in page
        assert detail_url(station_a) in page and station_a.address in page
        assert "public" in response["Cache-Control"]

    def test_search_by_name_or_address_town_and_kind(self, station_a, station_b, home, closed, town_a, town_b):
        assert self.names({"q": "临江"}) == [station_b.name]
        assert self.names({"q": "新华路"}) == [home.name]  # the address
        assert self.names({"q": "旧联络站"}) == []  # never the closed one
        assert self.names({"town": town_a.pk}) == [home.name, station_a.name]
        assert self.names({"town": town_b.pk}) == [station_b.name]
        assert self.names({"kind": Station.Kind.HOME}) == [home.name]
        assert self.names({"kind": Station.Kind.LIAISON, "town": town_a.pk}) == [station_a.name]

    def test_an_unknown_filter_value_lists_everything(self, station_a, station_b):
        assert sorted(self.names({"kind": "nonsense"})) == sorted([station_a.name, station_b.name])

    def test_it_shows_the_next_announced_reception_only(self, staff, station_a, station_b, deputy, other_deputy):
        later = schedule(staff, station_a, [deputy], ahead=9)
        sooner = schedule(staff, station_a, [other_deputy], ahead=5)
        cancelled = schedule(staff, station_a, [deputy], ahead=3)
        cancelled.status = ReceptionDay.Status.CANCELLED
        cancelled.save()
        reception_row(station_b, [deputy], date=days_ahead(-1))  # in the past, never recorded
        page = client_for(None).get(reverse(LIST)).content.decode()
        assert f"{md(sooner.date)}接待" in page
        assert f"{md(later.date)}接待" not in page and f"{md(cancelled.date)}接待" not in page
        assert f"{md(days_ahead(-1))}接待" not in page
        stations = {s.name: s for s in client_for(None).get(reverse(LIST)).context["page"]}
        assert stations[station_a.name].next_reception == sooner.date
        assert stations[station_b.name].next_reception is None

    def test_the_query_count_does_not_grow_with_the_stations(self, town_a, deputy):
        client = client_for(None)

        def stations(start, n):
            for i in range(start, start + n):
                s = Station.objects.create(name=f"联络站{i:02d}", kind=Station.Kind.LIAISON, town=town_a, address="x")
                reception_row(s, [deputy], date=days_ahead(3 + i), starts=(9, 0), ends=(10, 0))

        stations(0, 3)
        client.get(reverse(LIST))
        with CaptureQueriesContext(connection) as small:
            client.get(reverse(LIST))
        stations(3, 6)
        with CaptureQueriesContext(connection) as large:
            response = client.get(reverse(LIST))
        assert len(response.context["page"]) == 9
        assert len(large) == len(small), [q["sql"] for q in large.captured_queries]


class TestListPages:
    """The list is paged by town (one grouped count, then only the page's towns read): walking every page gives the
    one ordered list — towns by their sort order, towns sharing an order interleaved by name, then by name."""

    @pytest.fixture
    def towns(self, db):
        from congress.models import Organization

        def town(name, order):
            return Organization.objects.create(name=name, kind=Organization.Kind.STREET, sort_order=order)

        return {"乙": town("乙街道", 2), "甲": town("甲街道", 1), "丙": town("丙镇", 2), "丁": town("丁镇", 5)}

    def walk(self, params=None) -> tuple[list[str], int]:
        client, names, number, counts = client_for(None), [], 1, set()
        while True:
            response = client.get(reverse(LIST), {**(params or {}), "page": number})
            names += [s.name for s in response.context["page"]]
            counts.add(response.context["page"].paginator.count)
            if not response.context["page"].has_next():
                return names, counts.pop() if len(counts) == 1 else counts
            number += 1

    def test_every_page_in_order_across_towns_and_a_shared_sort_order(self, towns, settings):
        settings.STATIONS = {"PUBLIC_PAGE_SIZE": 2}
        made = {"甲": ["甲3", "甲1", "甲2"], "乙": ["共B", "共D"], "丙": ["共A", "共C", "共E"], "丁": ["丁1"]}
        for key, names in made.items():
            for name in names:
                Station.objects.create(name=name, kind=Station.Kind.LIAISON, town=towns[key], address="路")
        Station.objects.create(name="甲0", kind=Station.Kind.LIAISON, town=towns["甲"], address="路", is_active=False)
        # 甲 (order 1) by name; 乙 and 丙 (both order 2) interleaved by name; then 丁 (order 5)
        assert self.walk() == (["甲1", "甲2", "甲3", "共A", "共B", "共C", "共D", "共E", "丁1"], 9)
        assert self.walk({"q": "共"}) == (["共A", "共B", "共C", "共D", "共E"], 5)
        assert self.walk({"town": towns["丙"].pk}) == (["共A", "共C", "共E"], 3)
        page = client_for(None).get(reverse(LIST), {"page": 3}).content.decode()
        assert "共 9 个" in page and "共B" in page and "共C" in page and "共A" not in page and "共D" not in page

    def test_a_page_past_the_last_shows_the_last(self, towns, settings):
        settings.STATIONS = {"PUBLIC_PAGE_SIZE": 2}
        for name in ("甲1", "甲2", "甲3"):
            Station.objects.create(name=name, kind=Station.Kind.LIAISON, town=towns["甲"], address="路")
        assert [s.name for s in client_for(None).get(reverse(LIST), {"page": 9}).context["page"]] == ["甲3"]

    def test_the_counts_are_kept_for_the_statistics_period(self, towns, settings):
        from congress.lib import statcache

        settings.STATS_CACHE_SECONDS = 300
        statcache.clear()
        Station.objects.create(name="甲1", kind=Station.Kind.LIAISON, town=towns["甲"], address="路")
        assert "共 1 个" in client_for(None).get(reverse(LIST)).content.decode()
        Station.objects.create(name="甲2", kind=Station.Kind.LIAISON, town=towns["甲"], address="路")
        assert "共 1 个" in client_for(None).get(reverse(LIST)).content.decode()
        statcache.clear()
        assert "共 2 个" in client_for(None).get(reverse(LIST)).content.decode()


class TestDetail:
    def test_it_announces_scheduled_and_cancelled_receptions_with_the_deputies(self, staff, station_a, deputy,
                                                                               other_deputy, unit_org):
        announced = schedule(staff, station_a, [deputy, other_deputy], ahead=4, topic="老旧小区改造",
                             unit_ids=[unit_org.pk])
        called_off = schedule(staff, station_a, [other_deputy], ahead=6, starts=(14, 0), ends=(16, 0))
        called_off.status, called_off.cancel_reason = ReceptionDay.Status.CANCELLED, "台风预警，暂停接待"
        called_off.save()
        response = client_for(None).get(detail_url(station_a))
        assert response.status_code == 200
        page = response.content.decode()
        assert [r.pk for r in response.context["station"].upcoming] == [announced.pk, called_off.pk]
        assert f"{ymd(announced.date)}" in page and "09:00—11:30" in page and "老旧小区改造" in page
        duty_lines = re.findall(r"<p>接待代表：(.*?)</p>", page)
        assert [set(line.split("、")) for line in duty_lines] == [{"周建华", "吴丽"}, {"吴丽"}]
        assert f"进站部门：{unit_org.name}" in page
        assert "14:00—16:00" in page and "已取消" in page and "取消原因：台风预警，暂停接待" in page

    def test_it_shows_the_last_held_receptions_with_their_counts(self, station_a, deputy):
        reception_row(station_a, [deputy], date=days_ahead(-10), status=ReceptionDay.Status.HELD, visitor_count=23,
                      opinion_count=7, topic="民生实事项目征集")
        reception_row(station_a, [deputy], date=days_ahead(-3), status=ReceptionDay.Status.SCHEDULED)  # not recorded
        page = client_for(None).get(detail_url(station_a)).content.decode()
        recent = page[page.index('id="recent"'):]
        assert ymd(days_ahead(-10)) in recent and "民生实事项目征集" in recent
        assert "接待群众 23 人次，收集意见建议 7 条" in recent
        assert ymd(days_ahead(-3)) not in page
        assert "近期暂无接待安排" in page

    def test_a_reception_held_today_moves_from_the_notice_to_the_recent_ones(self, station_a, deputy):
        today = reception_row(station_a, [deputy], date=days_ahead(0), status=ReceptionDay.Status.HELD,
                              visitor_count=9)
        station = client_for(None).get(detail_url(station_a)).context["station"]
        assert station.upcoming == [] and station.recent == [today]

    def test_only_the_five_latest_held_ones(self, station_a, deputy):
        for i in range(1, 8):
            reception_row(station_a, [deputy], date=days_ahead(-i), status=ReceptionDay.Status.HELD, visitor_count=i)
        recent = client_for(None).get(detail_url(station_a)).context["station"].recent
        assert [r.date for r in recent] == [days_ahead(-i) for i in range(1, 6)]

    def test_no_phone_or_id_number_of_a_deputy_appears(self, staff, station_a, deputy, other_deputy):
        deputy.phone, other_deputy.phone = "13912345678", "13887654321"
        deputy.save()
        other_deputy.save()
        StationDeputy.objects.create(station=station_a, deputy=deputy, is_resident=True)
        schedule(staff, station_a, [deputy, other_deputy])
        reception_row(station_a, [deputy], date=days_ahead(-5), status=ReceptionDay.Status.HELD, visitor_count=3)
        page = client_for(None).get(detail_url(station_a)).content.decode()
        assert "周建华（驻站）" in page  # the deputies are there by name …
        for d in (deputy, other_deputy):  # … and by nothing else
            assert d.phone not in page and d.phone[-4:] + "<" not in page
            assert d.id_number not in page and d.id_number[-6:] not in page
        assert station_a.contact_phone in page  # the station's own number is public

    def test_an_inactive_or_unknown_station_is_not_found(self, closed):
        client = client_for(None)
        assert client.get(detail_url(closed)).status_code == 404
        assert client.get(reverse("stations:public_detail", args=[closed.pk + 1000])).status_code == 404

    def test_the_pages_take_no_post(self, station_a):
        client = client_for(None)
        assert client.post(reverse(LIST)).status_code == 405
        assert client.post(detail_url(station_a)).status_code == 405

    def test_the_query_count_does_not_grow_with_the_receptions(self, station_a, town_a, term, unit_org):
        client = client_for(None)
        deputies = [make_deputy(200 + i, town_a, term, name=f"代表{i}") for i in range(9)]

        def receptions(start, n):
            for i in range(start, start + n):
                upcoming = reception_row(station_a, deputies[i:i + 2], date=days_ahead(3 + i))
                upcoming.visiting_units.add(unit_org)
                reception_row(station_a, deputies[i:i + 1], date=days_ahead(-1 - i), status=ReceptionDay.Status.HELD,
                              visitor_count=i)
                StationDeputy.objects.create(station=station_a, deputy=deputies[i])

        receptions(0, 3)
        client.get(detail_url(station_a))
        with CaptureQueriesContext(connection) as small:
            client.get(detail_url(station_a))
        receptions(3, 6)
        with CaptureQueriesContext(connection) as large:
            response = client.get(detail_url(station_a))
        assert len(response.context["station"].upcoming) == 9 and len(response.context["station"].members) == 9
        assert len(large) == len(small), [q["sql"] for q in large.captured_queries]


    def test_a_large_station_names_some_deputies_and_counts_the_rest(self, station_a, town_a, term, settings):
        settings.STATIONS = {"PUBLIC_MEMBERS_SHOWN": 4}
        deputies = [make_deputy(300 + i, town_a, term, name=f"成员{i}") for i in range(9)]
        for i, deputy in enumerate(deputies):
            StationDeputy.objects.create(station=station_a, deputy=deputy, is_resident=(i == 8))
        page = client_for(None).get(detail_url(station_a)).content.decode()
        assert "等 9 名代表" in page
        assert "成员8（驻站）" in page  # the resident deputy comes first
        assert sum(f"成员{i}" in page for i in range(9)) == 4


class TestPortalPanel:
    def panel(self, user):
        response = client_for(user).get(reverse("portal:home"))
        assert response.status_code == 200
        page = response.content.decode()
        if 'id="panel-reception"' not in page:
            return None
        start = page.index('id="panel-reception"')
        return page[start:page.index("</section>", start)]

    def test_the_deputy_sees_the_upcoming_duty(self, staff, station_a, deputy, deputy_user):
        reception = schedule(staff, station_a, [deputy], ahead=4, topic="老旧小区改造")
        panel = self.panel(deputy_user)
        assert panel is not None
        assert station_a.name in panel and station_a.address in panel and "老旧小区改造" in panel
        assert md(reception.date) in panel and "09:00—11:30" in panel
        assert detail_url(station_a) in panel

    def test_a_duty_on_the_day_itself_still_shows(self, station_a, deputy, deputy_user):
        reception_row(station_a, [deputy], date=days_ahead(0))
        assert station_a.name in self.panel(deputy_user)

    def test_no_duty_no_panel(self, deputy, deputy_user):
        assert self.panel(deputy_user) is None

    def test_a_cancelled_or_past_duty_is_not_shown(self, staff, station_a, deputy, deputy_user):
        reception = schedule(staff, station_a, [deputy], ahead=4)
        reception.status = ReceptionDay.Status.CANCELLED
        reception.save()
        reception_row(station_a, [deputy], date=days_ahead(-1))
        reception_row(station_a, [deputy], date=days_ahead(-3), status=ReceptionDay.Status.HELD)
        assert self.panel(deputy_user) is None

    def test_another_deputys_duty_is_not_shown(self, staff, station_a, station_b, deputy, other_deputy, deputy_user,
                                                other_deputy_user):
        schedule(staff, station_b, [other_deputy], ahead=4)
        assert self.panel(deputy_user) is None
        assert station_b.name in self.panel(other_deputy_user)
        schedule(staff, station_a, [deputy], ahead=5)
        panel = self.panel(deputy_user)
        assert station_a.name in panel and station_b.name not in panel

    def test_the_soonest_few_only(self, staff, station_a, deputy, deputy_user, settings):
        settings.STATIONS = {"HOME_RECEPTION_LIMIT": 2}
        for ahead in (9, 3, 6):
            reception_row(station_a, [deputy], date=days_ahead(ahead))
        panel = self.panel(deputy_user)
        assert panel.count('<li class="item">') == 2 and '<span class="status amber">2</span>' in panel
        assert panel.index(ymd_md(days_ahead(3))) < panel.index(ymd_md(days_ahead(6)))
