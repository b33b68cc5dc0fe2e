"""The 八有 standards: the seeded checklist, a station's state against each item (met needs a photo, checked and
re-encoded), who may record it, and the list of stations missing an item."""
import pytest

from congress.services import CongressError
from stations import selectors_standards as sel
from stations import standards
from stations.models import StandardItem, Station, StationStandard
from tests.files import good, hostile, over_size, stored, upload

pytestmark = pytest.mark.django_db
EIGHT = ["有组织架构", "有履职服务内容公示栏", "有工作制度", "有服务群众联系卡", "有社情民意登记表",
         "有群众意见建议处理工作机制流程", "有互动群", "有活动记录"]


def item(name="有组织架构") -> StandardItem:
    return StandardItem.objects.get(name=name)


def record(actor, station, name="有组织架构", met=True, photo="jpg", **kwargs):
    return standards.standard_record(actor=actor, station_id=station.pk, item_id=item(name).pk, met=met,
                                     photo=good(photo) if isinstance(photo, str) else photo, **kwargs)


class TestChecklist:
    def test_the_migration_seeds_the_eight_items_in_order(self):
        assert list(StandardItem.objects.values_list("name", flat=True)) == EIGHT


class TestRecord:
    def test_town_staff_mark_an_item_met_with_a_photo(self, town_staff, station_a, media):
        state = record(town_staff, station_a, note="架构图已上墙")
        assert (state.met, state.note, state.updated_by) == (True, "架构图已上墙", town_staff)
        assert state.photo.name.startswith("stations/standards/") and state.photo.name.endswith(".jpg")
        assert len(stored(media)) == 1 and state.history.count() == 1

    def test_met_needs_a_photo(self, town_staff, station_a, media):
        with pytest.raises(CongressError, match="标记“有组织架构”已达标，须上传一张照片作为佐证"):
            record(town_staff, station_a, photo=None)
        assert not StationStandard.objects.exists()

    def test_not_met_needs_none_and_a_kept_photo_still_counts(self, town_staff, station_a, media):
        record(town_staff, station_a, met=False, photo=None)
        record(town_staff, station_a, met=True)
        state = record(town_staff, station_a, met=True, photo=None, note="复查")
        assert state.met and state.photo and StationStandard.objects.count() == 1
        with pytest.raises(CongressError, match="须上传一张照片"):
            record(town_staff, station_a, met=True, photo=None, clear_photo=True)

    @pytest.mark.parametrize("name", ["html", "svg", "pdf_that_is_html"])
    def test_a_wrong_type_is_refused_and_nothing_stored(self, town_staff, station_a, media, name):
        with pytest.raises(CongressError, match="照片只能是 JPG 或 PNG 图片"):
            record(town_staff, station_a, photo=hostile(name))
        assert not StationStandard.objects.exists() and not stored(media)

    def test_a_jpg_that_is_not_an_image_is_refused(self, town_staff, station_a, media):
        with pytest.raises(CongressError, match="不是有效的 JPG 文件"):
            record(town_staff, station_a, photo=upload("公示栏.jpg", b"<script>alert(1)</script>"))
        assert not stored(media)

    def test_an_over_size_photo_is_refused(self, town_staff, station_a, media, settings):
        settings.UPLOAD_MAX_MB_IMAGE = 1
        with pytest.raises(CongressError, match="文件不能超过 1 MB"):
            record(town_staff, station_a, photo=over_size("公示栏.jpg", 1))
        assert not StationStandard.objects.exists() and not stored(media)

    def test_town_staff_of_another_town_cannot(self, other_town_staff, station_a, media):
        with pytest.raises(CongressError, match="只能填报本镇街家站点的达标情况"):
            record(other_town_staff, station_a)
        assert not StationStandard.objects.exists() and not stored(media)

    def test_committee_staff_may_for_every_town_and_leaders_not(self, staff, leader, station_a, station_b, media):
        record(staff, station_a)
        record(staff, station_b)
        with pytest.raises(CongressError, match="没有填报“八有”达标情况的权限"):
            record(leader, station_a)
        assert StationStandard.objects.count() == 2

    def test_an_inactive_item_is_refused(self, staff, station_a, media):
        StandardItem.objects.filter(name="有互动群").update(is_active=False)
        with pytest.raises(CongressError, match="已停用"):
            record(staff, station_a, name="有互动群")


    def test_someone_recording_the_same_first_item_at_that_moment_leaves_one_row_and_no_error(self, town_staff, staff,
                                                                                               station_a, media,
                                                                                               monkeypatch):
        """Another clerk's first state for the station's item commits after our look for it found nothing: our insert
        meets the unique constraint, then we lock their row and record over it, as if we had come second."""
        theirs = StationStandard.objects.create(station=station_a, item=item(), met=False, note="他人先填", updated_by=staff)
        real, looks = StationStandard.objects.select_for_update, []

        def not_yet_committed_on_the_first_look(*args, **kwargs):
            looks.append(1)
            return StationStandard.objects.none() if len(looks) == 1 else real(*args, **kwargs)

        monkeypatch.setattr(StationStandard.objects, "select_for_update", not_yet_committed_on_the_first_look)
        state = record(town_staff, station_a, note="架构图已上墙")
        row = StationStandard.objects.get(station=station_a)
        assert len(looks) == 2 and row.pk == state.pk == theirs.pk
        assert (row.met, row.note, row.updated_by) == (True, "架构图已上墙", town_staff)
        assert len(stored(media)) == 1  # the photo written on the failed try was removed


class TestGaps:
    def test_missing_means_no_row_or_not_met(self, staff, station_a, station_b, town_a, media):
        for name in EIGHT:
            record(staff, station_a, name=name)
        record(staff, station_a, name="有互动群", met=False, photo=None)
        record(staff, station_b, name="有组织架构")
        rows = sel.standard_gaps()
        assert [(r["station"], [i.name for i in r["missing"]]) for r in rows] == [
            (station_a, ["有互动群"]), (station_b, EIGHT[1:])]
        assert [r["station"] for r in sel.standard_gaps(item=item("有组织架构"))] == []
        assert [r["station"] for r in sel.standard_gaps(item=item("有互动群"))] == [station_a, station_b]
        assert [r["station"] for r in sel.standard_gaps(town=town_a)] == [station_a]
        assert [r["station"] for r in sel.standard_gaps(towns=[station_b.town])] == [station_b]

    def test_stopped_stations_and_items_are_left_out(self, station_a, station_b):
        Station.objects.filter(pk=station_b.pk).update(is_active=False)
        StandardItem.objects.exclude(name="有活动记录").update(is_active=False)
        rows = sel.standard_gaps()
        assert [(r["station"], [i.name for i in r["missing"]]) for r in rows] == [(station_a, ["有活动记录"])]

    def test_states_of_one_station(self, staff, station_a, media):
        record(staff, station_a, name="有工作制度")
        states = sel.standard_states(station_a)
        assert [s["item"].name for s in states] == EIGHT
        assert [s["met"] for s in states] == [n == "有工作制度" for n in EIGHT]
