"""国家机关进家站点: the organs' item lists and their visits (stations/services_organs.py), and the figures per organ,
per station and per item (stations/selectors_organs.py) on hand-computed data."""
import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from conftest import PASSWORD
from congress import roles
from congress.models import Organization
from congress.services import CongressError, create_user_with_role
from stations import selectors_organs as sel
from stations.models import OrganServiceItem, OrganVisit, Station
from stations.services_organs import organ_item_add, organ_item_update, organ_visit_record

D = datetime.date
MARCH = D(2026, 3, 1)


@pytest.fixture
def other_organ(db):
    return Organization.objects.create(name="区人力资源和社会保障局", kind=Organization.Kind.DEPARTMENT, is_handling_unit=True)


@pytest.fixture
def other_organ_user(other_organ):
    return create_user_with_role(username="hrss", password=PASSWORD, role=roles.HANDLING_UNIT, full_name="社保科员",
                                 organization=other_organ)


@pytest.fixture
def items(unit_org):
    return [OrganServiceItem.objects.create(organ=unit_org, name=name, sort_order=i)
            for i, name in enumerate(["老旧小区改造咨询", "房屋安全鉴定受理", "物业纠纷调解"], 1)]


def visit(actor, organ, station, item_list, *, date=MARCH, voters=10, **kwargs):
    return organ_visit_record(actor=actor, organ_id=organ.pk, station_id=station.pk, date=date,
                              staff_names=kwargs.pop("staff_names", "李科长、王干事"), item_ids=[i.pk for i in item_list],
                              voters_served=voters, results=kwargs.pop("results", "现场答复群众咨询，受理鉴定申请2件"))


class TestOrganItems:
    def test_the_organ_adds_its_own_item(self, unit_user, unit_org):
        item = organ_item_add(actor=unit_user, organ_id=unit_org.pk, name="  房屋  安全鉴定受理 ", description="带房产证")
        item.refresh_from_db()
        assert (item.organ, item.name, item.description, item.is_active) == (unit_org, "房屋 安全鉴定受理", "带房产证", True)
        assert item.history.first().history_user == unit_user

    def test_committee_staff_add_an_item_for_any_organ(self, staff, unit_org):
        assert organ_item_add(actor=staff, organ_id=unit_org.pk, name="征收补偿政策咨询").organ == unit_org

    def test_another_organ_cannot_add_to_this_organs_list(self, other_organ_user, unit_org):
        with pytest.raises(CongressError, match="只能维护本单位的进站事项"):
            organ_item_add(actor=other_organ_user, organ_id=unit_org.pk, name="征收补偿政策咨询")
        assert not OrganServiceItem.objects.exists()

    @pytest.mark.parametrize("who", ["town_staff", "deputy_user", "outsider"])
    def test_town_staff_deputies_and_outsiders_cannot_keep_item_lists(self, request, who, unit_org):
        with pytest.raises(CongressError, match="没有维护国家机关进站事项的权限"):
            organ_item_add(actor=request.getfixturevalue(who), organ_id=unit_org.pk, name="征收补偿政策咨询")

    def test_a_town_is_not_an_organ(self, staff, town_a):
        with pytest.raises(CongressError, match="国家机关和政府部门"):
            organ_item_add(actor=staff, organ_id=town_a.pk, name="征收补偿政策咨询")

    def test_a_duplicate_or_empty_name_is_refused(self, unit_user, unit_org, items):
        with pytest.raises(CongressError, match="已有“物业纠纷调解”"):
            organ_item_add(actor=unit_user, organ_id=unit_org.pk, name="物业纠纷调解")
        with pytest.raises(CongressError, match="请填写事项名称"):
            organ_item_add(actor=unit_user, organ_id=unit_org.pk, name="   ")

    def test_the_organ_renames_and_stops_an_item(self, unit_user, items):
        organ_item_update(actor=unit_user, item_id=items[0].pk, name="老旧小区改造政策咨询", is_active=False)
        items[0].refresh_from_db()
        assert (items[0].name, items[0].is_active) == ("老旧小区改造政策咨询", False)

    def test_another_organ_cannot_change_the_item(self, other_organ_user, items):
        with pytest.raises(CongressError, match="只能维护本单位"):
            organ_item_update(actor=other_organ_user, item_id=items[0].pk, name="改名", is_active=False)
        items[0].refresh_from_db()
        assert (items[0].name, items[0].is_active) == ("老旧小区改造咨询", True)

    def test_renaming_onto_another_item_is_refused(self, unit_user, items):
        with pytest.raises(CongressError, match="已有“物业纠纷调解”"):
            organ_item_update(actor=unit_user, item_id=items[0].pk, name="物业纠纷调解")


class TestOrganVisitRecord:
    def test_the_organ_records_its_visit_with_the_items_handled(self, unit_user, unit_org, station_a, station_b, items):
        v = visit(unit_user, unit_org, station_b, items[:2], voters=14)
        v.refresh_from_db()
        assert (v.organ, v.station, v.voters_served, v.recorded_by) == (unit_org, station_b, 14, unit_user)
        assert set(v.items.all()) == set(items[:2])
        assert v.history.first().history_user == unit_user

    def test_another_organ_cannot_record_for_this_organ(self, other_organ_user, unit_org, station_a, items):
        with pytest.raises(CongressError, match="只能登记本单位的进站活动"):
            visit(other_organ_user, unit_org, station_a, items[:1])
        assert not OrganVisit.objects.exists()

    def test_town_staff_record_at_their_towns_stations_only(self, town_staff, unit_org, station_a, station_b, items):
        assert visit(town_staff, unit_org, station_a, items[:1]).station == station_a
        with pytest.raises(CongressError, match="只能登记本镇街家站点的进站活动"):
            visit(town_staff, unit_org, station_b, items[:1])
        assert OrganVisit.objects.count() == 1

    def test_the_other_towns_staff_are_refused(self, other_town_staff, unit_org, station_a, items):
        with pytest.raises(CongressError, match="只能登记本镇街家站点"):
            visit(other_town_staff, unit_org, station_a, items[:1])

    @pytest.mark.parametrize("who", ["deputy_user", "outsider", "leader"])
    def test_people_without_the_permission_are_refused(self, request, who, unit_org, station_a, items):
        with pytest.raises(CongressError, match="没有登记国家机关进站活动的权限"):
            visit(request.getfixturevalue(who), unit_org, station_a, items[:1])

    def test_items_must_be_the_organs_own_and_in_use(self, unit_user, staff, unit_org, other_organ, station_a, items):
        foreign = OrganServiceItem.objects.create(organ=other_organ, name="社保参保查询")
        with pytest.raises(CongressError, match="本单位在用的进站事项"):
            visit(staff, unit_org, station_a, [items[0], foreign])
        organ_item_update(actor=unit_user, item_id=items[1].pk, name=items[1].name, is_active=False)
        with pytest.raises(CongressError, match="本单位在用的进站事项"):
            visit(unit_user, unit_org, station_a, [items[1]])
        with pytest.raises(CongressError, match="请至少选择一项"):
            visit(unit_user, unit_org, station_a, [])
        assert not OrganVisit.objects.exists()

    def test_a_stopped_station_a_future_date_and_bad_counts_are_refused(self, unit_user, unit_org, station_a, items):
        with pytest.raises(CongressError, match="不能晚于今天"):
            visit(unit_user, unit_org, station_a, items[:1], date=D(2099, 1, 1))
        with pytest.raises(CongressError, match="不小于0"):
            visit(unit_user, unit_org, station_a, items[:1], voters=-1)
        with pytest.raises(CongressError, match="请填写进站工作人员"):
            visit(unit_user, unit_org, station_a, items[:1], staff_names=" ")
        with pytest.raises(CongressError, match="请填写办理结果"):
            visit(unit_user, unit_org, station_a, items[:1], results="")
        Station.objects.filter(pk=station_a.pk).update(is_active=False)
        with pytest.raises(CongressError, match="已停止运行"):
            visit(unit_user, unit_org, station_a, items[:1])
        assert not OrganVisit.objects.exists()

    def test_an_inactive_organ_receives_no_visit(self, staff, unit_org, station_a, items):
        Organization.objects.filter(pk=unit_org.pk).update(is_active=False)
        with pytest.raises(CongressError, match="在用的国家机关"):
            visit(staff, unit_org, station_a, items[:1])


@pytest.fixture
def visits(staff, unit_org, other_organ, station_a, station_b, items):
    """Hand-computed: 住建局 2 visits at A (10 + 5 voters; items 1+2, then 1), 社保局 1 at B (7 voters, its one item);
    the 2025 visit is the first one."""
    job = OrganServiceItem.objects.create(organ=other_organ, name="社保参保查询")
    return [visit(staff, unit_org, station_a, items[:2], date=D(2025, 3, 1), voters=10),
            visit(staff, unit_org, station_a, items[:1], date=D(2026, 2, 1), voters=5),
            visit(staff, other_organ, station_b, [job], date=D(2026, 5, 1), voters=7)]


class TestOrganFigures:
    def test_per_organ(self, visits, unit_org, other_organ):
        rows = {o.pk: (o.visit_count, o.voters_served, o.items_handled) for o in sel.organ_figures()}
        assert rows == {unit_org.pk: (2, 15, 3), other_organ.pk: (1, 7, 1)}
        rows = {o.pk: (o.visit_count, o.voters_served, o.items_handled) for o in sel.organ_figures(year=2025)}
        assert rows == {unit_org.pk: (1, 10, 2), other_organ.pk: (0, 0, 0)}

    def test_an_organ_with_items_and_no_visit_shows_zeros(self, items, unit_org):
        assert [(o.pk, o.visit_count, o.voters_served, o.items_handled) for o in sel.organ_figures()] == [
            (unit_org.pk, 0, 0, 0)]

    def test_per_station(self, visits, station_a, station_b):
        rows = {s.pk: (s.visit_count, s.voters_served, s.items_handled)
                for s in sel.station_visit_figures(Station.objects.all())}
        assert rows == {station_a.pk: (2, 15, 3), station_b.pk: (1, 7, 1)}
        assert [s.pk for s in sel.station_visit_figures(Station.objects.all(), year=2025)] == [station_a.pk]

    def test_per_item(self, visits, station_a, unit_org):
        rows = [(r["organserviceitem__organ__name"], r["organserviceitem__name"], r["n"]) for r in sel.items_handled()]
        assert rows == [("区住房和城乡建设局", "老旧小区改造咨询", 2), ("区人力资源和社会保障局", "社保参保查询", 1),
                        ("区住房和城乡建设局", "房屋安全鉴定受理", 1)]
        assert [r["n"] for r in sel.items_handled(station_id=station_a.pk, year=2026)] == [1]
        assert sum(r["n"] for r in sel.items_handled(organ_id=unit_org.pk)) == 3

    def test_the_public_page_lists_the_items_of_the_organs_that_came(self, visits, station_a, items, unit_org):
        OrganServiceItem.objects.filter(pk=items[2].pk).update(is_active=False)
        found = sel.public_station_organs(station_a)
        assert [(o, [i.name for i in o.active_items]) for o in found["organs"]] == [
            (unit_org, ["老旧小区改造咨询", "房屋安全鉴定受理"])]
        assert [v.date for v in found["visits"]] == [D(2026, 2, 1), D(2025, 3, 1)]

    def test_the_figures_cost_the_same_queries_for_three_times_the_rows(self, staff, unit_org, town_a, items):
        def grow(n):
            for k in range(n):
                station = Station.objects.create(name=f"站{Station.objects.count()}", kind="liaison", town=town_a, address="路")
                visit(staff, unit_org, station, items[:2], date=D(2026, 1, 1 + k))

        def count():
            with CaptureQueriesContext(connection) as ctx:
                sel.organ_figures(), sel.station_visit_figures(Station.objects.all()), sel.items_handled()
                list(sel.organ_visit_list(organ_id=unit_org.pk))
            return len(ctx)

        grow(2)
        few = count()
        grow(4)
        assert count() == few
