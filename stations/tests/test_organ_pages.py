"""国家机关进家站点 and the stations' figures through the pages people use: the unit workspace (/unit/organ/), the
admin (record a visit, 统计, the station's 工作数据, 各镇街工作数据) and the station's public page."""
import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from conftest import PASSWORD, client_for
from congress import roles
from congress.models import Organization
from congress.services import create_user_with_role
from stations.models import OrganServiceItem, OrganVisit, ReceptionDay, Station, VoterOpinion
from stations.tests.conftest import reception_row

YESTERDAY = timezone.localdate() - datetime.timedelta(days=1)


@pytest.fixture
def items(unit_org):
    return [OrganServiceItem.objects.create(organ=unit_org, name=name, sort_order=i, description="携带身份证")
            for i, name in enumerate(["老旧小区改造咨询", "房屋安全鉴定受理", "物业纠纷调解"], 1)]


def visit_row(organ, station, item_list, *, voters=10, date=None):
    v = OrganVisit.objects.create(organ=organ, station=station, date=date or YESTERDAY, staff_names="李科长",
                                  voters_served=voters, results="现场答复群众咨询")
    v.items.set(item_list)
    return v


def queries(client, url) -> int:
    client.get(url)
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx)


class TestUnitWorkspace:
    def test_the_inbox_links_to_the_organs_pages(self, unit_user):
        body = client_for(unit_user).get(reverse("unit:inbox")).content.decode()
        assert reverse("stations_organ_unit:visits") in body

    def test_the_organ_keeps_its_items_and_records_a_visit(self, unit_user, unit_org, station_b):
        client = client_for(unit_user)
        response = client.post(reverse("stations_organ_unit:items"), {"name": "房屋安全鉴定受理", "description": "带房产证",
                                                                      "sort_order": 1, "is_active": "on"})
        assert response.status_code == 302
        item = OrganServiceItem.objects.get(organ=unit_org)
        page = client.get(reverse("stations_organ_unit:items")).content.decode()
        assert "房屋安全鉴定受理" in page and "可办理" in page
        response = client.post(reverse("stations_organ_unit:items"), {"name": "房屋安全鉴定受理", "sort_order": 2})
        assert response.status_code == 200 and "本单位已有“房屋安全鉴定受理”这一事项" in response.content.decode()

        form = client.get(reverse("stations_organ_unit:visit_new")).content.decode()
        assert "房屋安全鉴定受理" in form and station_b.name in form
        response = client.post(reverse("stations_organ_unit:visit_new"), {
            "station": station_b.pk, "date": YESTERDAY.isoformat(), "staff_names": "李科长、王干事", "voters_served": 12,
            "items": [item.pk], "results": "受理鉴定申请2件"})
        assert response.status_code == 302
        v = OrganVisit.objects.get()
        assert (v.organ, v.station, v.voters_served, list(v.items.all())) == (unit_org, station_b, 12, [item])
        listing = client.get(reverse("stations_organ_unit:visits")).content.decode()
        assert station_b.name in listing and "受理鉴定申请2件" in listing

    def test_the_organ_stops_an_item_and_can_no_longer_choose_it(self, unit_user, items, station_a):
        client = client_for(unit_user)
        response = client.post(reverse("stations_organ_unit:item", args=[items[0].pk]),
                               {"name": items[0].name, "description": "", "sort_order": 1})
        assert response.status_code == 302
        items[0].refresh_from_db()
        assert not items[0].is_active
        assert "已停办" in client.get(reverse("stations_organ_unit:items")).content.decode()
        response = client.post(reverse("stations_organ_unit:visit_new"), {
            "station": station_a.pk, "date": YESTERDAY.isoformat(), "staff_names": "李科长", "voters_served": 1,
            "items": [items[0].pk], "results": "解答"})
        assert response.status_code == 200 and not OrganVisit.objects.exists()

    def test_a_future_date_is_refused_with_the_reason(self, unit_user, items, station_a):
        response = client_for(unit_user).post(reverse("stations_organ_unit:visit_new"), {
            "station": station_a.pk, "date": "2099-01-01", "staff_names": "李科长", "voters_served": 1,
            "items": [items[1].pk], "results": "解答"})
        assert response.status_code == 200 and "进站日期不能晚于今天" in response.content.decode()

    def test_another_organs_item_is_not_found(self, items, db):
        other = Organization.objects.create(name="区民政局", kind=Organization.Kind.DEPARTMENT, is_handling_unit=True)
        user = create_user_with_role(username="minzheng", password=PASSWORD, role=roles.HANDLING_UNIT, organization=other)
        client = client_for(user)
        assert client.get(reverse("stations_organ_unit:item", args=[items[0].pk])).status_code == 404
        assert "老旧小区改造咨询" not in client.get(reverse("stations_organ_unit:items")).content.decode()
        assert "老旧小区改造咨询" not in client.get(reverse("stations_organ_unit:visit_new")).content.decode()

    def test_a_unit_that_is_no_organ_is_refused(self, db):
        org = Organization.objects.create(name="区红十字会", kind=Organization.Kind.OTHER, is_handling_unit=True)
        user = create_user_with_role(username="hongshizi", password=PASSWORD, role=roles.HANDLING_UNIT, organization=org)
        response = client_for(user).get(reverse("stations_organ_unit:visits"))
        assert response.status_code == 403

    def test_the_visit_list_costs_the_same_queries_for_three_times_the_rows(self, unit_user, unit_org, items, station_a):
        client = client_for(unit_user)
        for _ in range(3):
            visit_row(unit_org, station_a, items[:2])
        few = queries(client, reverse("stations_organ_unit:visits"))
        for _ in range(6):
            visit_row(unit_org, station_a, items)
        assert queries(client, reverse("stations_organ_unit:visits")) == few


class TestAdmin:
    def add(self, client, organ, data):
        return client.post(reverse("admin:stations_organvisit_add") + f"?organ={organ.pk}", data)

    def data(self, station, item_list, **extra):
        return {"station": station.pk, "date": YESTERDAY.isoformat(), "staff_names": "李科长", "voters_served": 9,
                "items": [i.pk for i in item_list], "results": "现场解答", **extra}

    def test_staff_pick_the_organ_then_record_its_visit(self, staff, unit_org, items, station_b):
        client = client_for(staff)
        response = client.post(reverse("admin:stations_organvisit_add"), {"organ": unit_org.pk})
        assert response.status_code == 302 and response["Location"].endswith(f"?organ={unit_org.pk}")
        page = client.get(response["Location"]).content.decode()
        assert "房屋安全鉴定受理" in page
        response = self.add(client, unit_org, self.data(station_b, items[:2]))
        visit = OrganVisit.objects.get()
        assert response.status_code == 302 and visit.recorded_by == staff and visit.items.count() == 2
        change = client.get(reverse("admin:stations_organvisit_change", args=[visit.pk])).content.decode()
        assert "老旧小区改造咨询、房屋安全鉴定受理" in change

    def test_town_staff_record_at_their_towns_stations_only(self, town_staff, unit_org, items, station_a, station_b):
        client = client_for(town_staff)
        response = self.add(client, unit_org, self.data(station_b, items[:1]))
        assert response.status_code == 200 and not OrganVisit.objects.exists()  # not among the choices
        assert self.add(client, unit_org, self.data(station_a, items[:1])).status_code == 302
        assert OrganVisit.objects.get().station == station_a

    def test_the_other_towns_staff_do_not_see_the_visit(self, other_town_staff, unit_org, items, station_a):
        visit = visit_row(unit_org, station_a, items[:1])
        client = client_for(other_town_staff)
        assert client.get(reverse("admin:stations_organvisit_change", args=[visit.pk])).status_code == 302  # not found
        assert station_a.name not in client.get(reverse("admin:stations_organvisit_changelist")).content.decode()

    def test_the_figures_page_and_its_queries(self, staff, unit_org, items, station_a, station_b):
        client = client_for(staff)
        visit_row(unit_org, station_a, items[:2], voters=10)
        visit_row(unit_org, station_b, items[:1], voters=4)
        url = reverse("admin:stations_organvisit_figures")
        body = client.get(url).content.decode()
        assert "<td>2</td><td>14</td><td>3</td>" in body  # 住建局: 2 visits, 14 voters, 3 items handled
        assert "老旧小区改造咨询</th><td>2</td>" in body
        few = queries(client, url)
        for n in range(6):
            station = Station.objects.create(name=f"联系点{n}", kind="contact", town=station_a.town, address="路")
            visit_row(unit_org, station, items)
        assert queries(client, url) == few

    def test_town_staff_see_their_towns_stations_in_the_figures(self, town_staff, unit_org, items, station_a, station_b):
        visit_row(unit_org, station_a, items[:1])
        visit_row(unit_org, station_b, items[:1])
        body = client_for(town_staff).get(reverse("admin:stations_organvisit_figures")).content.decode()
        assert station_a.name in body and station_b.name not in body

    @pytest.mark.parametrize("model", ["organvisit", "organserviceitem"])
    def test_change_lists_cost_the_same_queries_for_three_times_the_rows(self, staff, unit_org, station_a, model):
        client = client_for(staff)
        url = reverse(f"admin:stations_{model}_changelist")

        def grow(n):
            for _ in range(n):
                item = OrganServiceItem.objects.create(organ=unit_org, name=f"事项{OrganServiceItem.objects.count()}")
                visit_row(unit_org, station_a, [item])

        grow(2)
        few = queries(client, url)
        grow(4)
        assert queries(client, url) == few


@pytest.fixture
def worked(station_a):
    """station A: 2 held days (11 voters), 2 opinions: one closed 满意 after 2 days, one waiting."""
    reception_row(station_a, [], date=datetime.date(2026, 3, 1), status=ReceptionDay.Status.HELD, visitor_count=5)
    reception_row(station_a, [], date=datetime.date(2026, 4, 1), status=ReceptionDay.Status.HELD, visitor_count=6)
    at = timezone.make_aware(datetime.datetime(2026, 3, 2, 9))
    for n, (status, sat) in enumerate([("closed", "satisfied"), ("received", "")]):
        o = VoterOpinion.objects.create(tracking_code=f"FIG{n:07d}", station=station_a, content="路灯坏了很久没人修",
                                        status=status, satisfaction=sat)
        VoterOpinion.objects.filter(pk=o.pk).update(created_at=at, closed_at=at + datetime.timedelta(days=2)
                                                    if status == "closed" else None)


class TestStationFiguresPages:
    def test_the_station_change_page_shows_its_figures(self, staff, worked, station_a):
        body = client_for(staff).get(reverse("admin:stations_station_change", args=[station_a.pk])).content.decode()
        assert "工作数据" in body and "<th>累计</th><td>2</td><td>11</td><td>2</td><td>50.0%</td><td>100.0%</td><td>2.0天</td>" in body

    def test_an_empty_station_shows_dashes(self, staff, station_b):
        body = client_for(staff).get(reverse("admin:stations_station_change", args=[station_b.pk])).content.decode()
        assert "<th>累计</th><td>0</td><td>0</td><td>0</td><td>—</td><td>—</td><td>—</td>" in body

    def test_the_town_table(self, staff, worked, town_a, town_b):
        body = client_for(staff).get(reverse("admin:stations_station_town_figures")).content.decode()
        assert "城东街道</th><td>1</td><td>2</td><td>11</td><td>2</td><td>50.0%</td><td>100.0%</td><td>2.0天</td>" in body
        assert "临江镇</th><td>0</td><td>0</td><td>0</td><td>0</td><td>—</td><td>—</td><td>—</td>" in body
        assert "<td>0</td><td>0</td><td>0</td><td>—</td>" in client_for(staff).get(
            reverse("admin:stations_station_town_figures") + "?year=2024").content.decode()

    def test_town_staff_see_only_their_town(self, town_staff, worked, town_b):
        body = client_for(town_staff).get(reverse("admin:stations_station_town_figures")).content.decode()
        assert "城东街道</th>" in body and "临江镇</th>" not in body

    def test_the_town_table_costs_the_same_queries_for_three_times_the_stations(self, staff, worked, town_a, town_b):
        client = client_for(staff)
        url = reverse("admin:stations_station_town_figures")
        few = queries(client, url)
        for n in range(6):
            station = Station.objects.create(name=f"临江联系点{n}", kind="contact", town=town_b, address="路")
            reception_row(station, [], date=datetime.date(2026, 5, 1), status=ReceptionDay.Status.HELD, visitor_count=3)
        assert queries(client, url) == few

    def test_a_post_is_refused(self, staff):
        assert client_for(staff).post(reverse("admin:stations_station_town_figures")).status_code == 405


class TestPublicPage:
    def test_it_shows_the_organs_items_the_visits_and_the_figures(self, client, worked, unit_org, items, station_a):
        OrganServiceItem.objects.filter(pk=items[2].pk).update(is_active=False)
        visit_row(unit_org, station_a, items[:2], voters=17)
        body = client.get(reverse("stations:public_detail", args=[station_a.pk])).content.decode()
        assert "本站可办理的国家机关事项" in body and "老旧小区改造咨询" in body and "携带身份证" in body
        assert "物业纠纷调解" not in body  # stopped
        assert "服务群众 17 人次" in body and unit_org.name in body
        assert "本站工作数据" in body and "50.0%" in body and "2.0天" in body

    def test_a_station_without_data_shows_dashes_and_no_organ_section(self, client, station_b):
        body = client.get(reverse("stations:public_detail", args=[station_b.pk])).content.decode()
        assert "本站可办理的国家机关事项" not in body and "本站工作数据" in body and "—" in body

    def test_its_queries_do_not_grow_with_visits(self, client, unit_org, items, station_a):
        url = reverse("stations:public_detail", args=[station_a.pk])
        visit_row(unit_org, station_a, items[:1])
        few = queries(client, url)
        for _ in range(8):
            visit_row(unit_org, station_a, items)
        assert queries(client, url) == few

    def test_the_figures_are_kept_for_the_statistics_period_and_say_when(self, client, worked, station_a, settings):
        from congress.lib import statcache
        from stations.models import VoterOpinion

        url = reverse("stations:public_detail", args=[station_a.pk])
        assert "数据截至" not in client.get(url).content.decode()  # computed on every visit: no time to give
        settings.STATS_CACHE_SECONDS = 300
        statcache.clear()
        before = client.get(url).content.decode()
        assert "数据截至" in before and "50.0%" in before
        VoterOpinion.objects.filter(station=station_a).update(status=VoterOpinion.Status.CLOSED)
        assert "50.0%" in client.get(url).content.decode()  # kept
        statcache.clear()
        assert "100.0%" in client.get(url).content.decode()
