"""The 八有 and star-rating pages of the admin, driven over HTTP as the people who use them: town staff record a
standard with its photo and score their station's appraisal, committee staff confirm it; the photo only through its
permission-checked view; the list of stations missing an item and the lists' query counts."""
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from conftest import client_for
from stations import selectors_standards as sel
from stations import standards
from stations.models import RatingCriterion, RatingScheme, StandardItem, Station, StationAppraisal, StationStandard
from stations.tests.test_star_ratings import YEAR, make_scheme, scored
from tests.files import good, hostile, over_size, stored

pytestmark = pytest.mark.django_db
A = StationAppraisal.Status


def item(name="有组织架构") -> StandardItem:
    return StandardItem.objects.get(name=name)


def post_record(client, station, name="有组织架构", met=True, photo=None, **extra):
    data = {"station": station.pk, "item": item(name).pk, "note": "已上墙", **extra}
    if met:
        data["met"] = "on"
    if photo is not None:
        data["photo"] = photo
    return client.post(reverse("admin:stations_stationstandard_add"), data)


def queries(client, url) -> int:
    client.get(url)
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


class TestRecordingAStandard:
    def test_town_staff_record_it_with_a_photo_and_see_it_through_the_view(self, town_staff, other_town_staff, staff,
                                                                           leader, station_a, media):
        client = client_for(town_staff)
        response = post_record(client, station_a, photo=good("png"))
        state = StationStandard.objects.get()
        assert response.status_code == 302 and response.url == reverse("admin:stations_stationstandard_change",
                                                                         args=[state.pk])
        assert (state.met, state.updated_by, state.photo.name.endswith(".jpg")) == (True, town_staff, True)
        photo_url = reverse("admin:stations_stationstandard_photo", args=[state.pk])
        page = client.get(reverse("admin:stations_stationstandard_change", args=[state.pk])).content.decode()
        assert photo_url in page and "/media/" not in page
        shown = client.get(photo_url)
        assert shown.status_code == 200 and shown["Content-Type"] == "image/jpeg"
        assert "attachment" not in shown.get("Content-Disposition", "")
        for reader in (staff, leader):
            assert client_for(reader).get(photo_url).status_code == 200
        assert client_for(other_town_staff).get(photo_url).status_code == 404
        assert client_for(None).get(photo_url).status_code == 302
        assert client.post(photo_url).status_code == 405

    def test_the_station_page_shows_its_states(self, town_staff, station_a, media):
        client = client_for(town_staff)
        post_record(client, station_a, photo=good("jpg"))
        page = client.get(reverse("admin:stations_station_change", args=[station_a.pk])).content.decode()
        assert 'id="station-standards"' in page and "查看照片" in page
        table = page.split('id="station-standards"')[1].split("</table>")[0]
        assert table.count("未填报") == 7 and "<td>有组织架构</td><td>已达标</td>" in table

    @pytest.mark.parametrize("name", ["html", "svg", "pdf_that_is_html"])
    def test_a_wrong_type_is_a_form_error_and_nothing_is_stored(self, town_staff, station_a, media, name):
        response = post_record(client_for(town_staff), station_a, photo=hostile(name))
        assert response.status_code == 200 and "照片只能是 JPG 或 PNG 图片" in response.content.decode()
        assert not StationStandard.objects.exists() and not stored(media)

    def test_an_over_size_photo_is_a_form_error(self, town_staff, station_a, media, settings):
        settings.UPLOAD_MAX_MB_IMAGE = 1
        response = post_record(client_for(town_staff), station_a, photo=over_size("公示栏.jpg", 1))
        assert response.status_code == 200 and "文件不能超过 1 MB" in response.content.decode()
        assert not StationStandard.objects.exists() and not stored(media)

    def test_met_without_a_photo_is_a_form_error(self, town_staff, station_a, media):
        response = post_record(client_for(town_staff), station_a)
        assert response.status_code == 200 and "须上传一张照片作为佐证" in response.content.decode()
        assert not StationStandard.objects.exists()

    def test_another_towns_station_is_not_offered(self, other_town_staff, station_a, media):
        response = post_record(client_for(other_town_staff), station_a, photo=good("jpg"))
        assert response.status_code == 200 and not StationStandard.objects.exists()

    def test_leaders_may_not_record(self, leader, station_a):
        assert client_for(leader).get(reverse("admin:stations_stationstandard_add")).status_code == 403


class TestTheGapsPage:
    URL = "admin:stations_stationstandard_missing"

    def test_it_lists_the_missing_items_in_scope_and_filters(self, town_staff, staff, station_a, station_b, town_a,
                                                              media):
        for name in StandardItem.objects.values_list("name", flat=True):
            standards.standard_record(actor=staff, station_id=station_a.pk, item_id=item(name).pk, met=True,
                                      photo=good("jpg"))
        standards.standard_record(actor=staff, station_id=station_a.pk, item_id=item("有互动群").pk, met=False)
        page = client_for(town_staff).get(reverse(self.URL)).content.decode()
        assert station_a.name in page and "有互动群" in page and station_b.name not in page
        page = client_for(staff).get(reverse(self.URL), {"item": item("有工作制度").pk}).content.decode()
        assert station_b.name in page and station_a.name not in page
        page = client_for(staff).get(reverse(self.URL), {"town": town_a.pk}).content.decode()
        assert station_a.name in page and station_b.name not in page
        assert client_for(staff).post(reverse(self.URL)).status_code == 405

    def test_the_query_count_does_not_grow(self, staff, town_a):
        client = client_for(staff)

        def add(start, n):
            for i in range(start, start + n):
                Station.objects.create(name=f"测试站{i}", kind=Station.Kind.LIAISON, town=town_a, address="路")

        add(0, 3)
        small = queries(client, reverse(self.URL))
        add(3, 6)
        assert queries(client, reverse(self.URL)) == small

    def test_the_states_list_query_count_does_not_grow(self, staff, town_a, media):
        client, url = client_for(staff), reverse("admin:stations_stationstandard_changelist")

        def add(start, n):
            for i in range(start, start + n):
                station = Station.objects.create(name=f"测试站{i}", kind=Station.Kind.LIAISON, town=town_a, address="路")
                standards.standard_record(actor=staff, station_id=station.pk, item_id=item().pk, met=False)

        add(0, 3)
        small = queries(client, url)
        add(3, 6)
        assert queries(client, url) == small


class TestTheRatingPages:
    def test_town_staff_score_and_submit_committee_staff_confirm(self, town_staff, staff, station_a):
        criteria = make_scheme()
        town = client_for(town_staff)
        response = town.post(reverse("admin:stations_stationappraisal_add"), {"station": station_a.pk, "year": YEAR})
        appraisal = StationAppraisal.objects.get()
        assert response.status_code == 302 and appraisal.status == A.DRAFT
        score_url = reverse("admin:stations_stationappraisal_score", args=[appraisal.pk])
        too_much = {f"criterion_{c.pk}": c.max_points for c in criteria} | {f"criterion_{criteria[1].pk}": "25"}
        page = town.post(score_url, too_much)
        assert page.status_code == 200 and "“制度机制”的得分不能超过该项分值20分" in page.content.decode()
        points = {f"criterion_{criteria[0].pk}": "28", f"criterion_{criteria[1].pk}": "18",
                  f"criterion_{criteria[2].pk}": "26", f"criterion_{criteria[3].pk}": "18", "basis": "阵地规范，活动经常"}
        assert town.post(score_url, points).status_code == 302
        change = town.get(reverse("admin:stations_stationappraisal_change", args=[appraisal.pk])).content.decode()
        assert 'data-transition="submit"' in change and 'data-transition="confirm"' not in change
        assert town.post(reverse("admin:stations_stationappraisal_submit", args=[appraisal.pk])).status_code == 302
        appraisal.refresh_from_db()
        assert (appraisal.status, appraisal.score) == (A.SUBMITTED, 90)
        assert town.get(reverse("admin:stations_stationappraisal_confirm", args=[appraisal.pk])).status_code == 403
        committee = client_for(staff)
        change = committee.get(reverse("admin:stations_stationappraisal_change", args=[appraisal.pk])).content.decode()
        assert 'data-transition="confirm"' in change and 'data-transition="return"' in change
        assert committee.post(reverse("admin:stations_stationappraisal_confirm", args=[appraisal.pk]),
                              {"note": "同意"}).status_code == 302
        appraisal.refresh_from_db()
        assert (appraisal.status, appraisal.stars, appraisal.appraised_by) == (A.CONFIRMED, 5, staff)
        station_page = town.get(reverse("admin:stations_station_change", args=[station_a.pk])).content.decode()
        history = station_page.split('id="station-appraisals"')[1].split("</table>")[0]
        assert f"{YEAR}年</a></td><td>已确认</td><td>90.0</td><td>★★★★★</td>" in history

    def test_committee_staff_return_it_with_a_reason(self, town_staff, staff, station_a):
        make_scheme()
        appraisal = scored(town_staff, station_a)
        url = reverse("admin:stations_stationappraisal_return", args=[appraisal.pk])
        refused = client_for(staff).post(url, {"reason": ""})
        assert refused.status_code == 200 and StationAppraisal.objects.get().status == A.SUBMITTED
        assert client_for(staff).post(url, {"reason": "依据不足"}).status_code == 302
        assert StationAppraisal.objects.get().status == A.RETURNED

    def test_another_towns_staff_do_not_reach_it(self, town_staff, other_town_staff, station_a):
        make_scheme()
        appraisal = scored(town_staff, station_a)
        other = client_for(other_town_staff)
        assert other.get(reverse("admin:stations_stationappraisal_change", args=[appraisal.pk])).status_code == 302
        assert other.post(reverse("admin:stations_stationappraisal_score", args=[appraisal.pk]), {}).status_code == 404
        response = other.post(reverse("admin:stations_stationappraisal_add"), {"station": station_a.pk, "year": YEAR - 1})
        assert response.status_code == 200 and StationAppraisal.objects.count() == 1

    def test_the_list_query_count_does_not_grow(self, staff, town_a):
        make_scheme()
        client, url = client_for(staff), reverse("admin:stations_stationappraisal_changelist")

        def add(start, n):
            for i in range(start, start + n):
                station = Station.objects.create(name=f"测试站{i}", kind=Station.Kind.LIAISON, town=town_a, address="路")
                scored(staff, station)

        add(0, 3)
        small = queries(client, url)
        add(3, 6)
        assert queries(client, url) == small


class TestTheCriteriaPage:
    def _post(self, client, scheme, rows):
        data = {"year": scheme.year, "note": "", "criteria-TOTAL_FORMS": len(rows),
                "criteria-INITIAL_FORMS": sum(1 for r in rows if r.get("id")), "criteria-MIN_NUM_FORMS": 0,
                "criteria-MAX_NUM_FORMS": 1000}
        for n, row in enumerate(rows):
            data |= {f"criteria-{n}-{k}": v for k, v in row.items()} | {f"criteria-{n}-scheme": scheme.pk}
        return client.post(reverse("admin:stations_ratingscheme_change", args=[scheme.pk]), data)

    def test_points_must_sum_to_100(self, staff):
        scheme = RatingScheme.objects.create(year=YEAR)
        rows = [{"name": "阵地建设", "max_points": 60, "order": 1}, {"name": "活动开展", "max_points": 30, "order": 2}]
        response = self._post(client_for(staff), scheme, rows)
        assert "各评分项目的分值合计须为100分（现为90分）" in response.content.decode()
        rows[1]["max_points"] = 40
        assert self._post(client_for(staff), scheme, rows).status_code == 302
        assert RatingCriterion.objects.filter(scheme=scheme).count() == 2

    def test_locked_once_the_first_appraisal_of_the_year_is_confirmed(self, staff, town_staff, station_a):
        make_scheme()
        scheme = RatingScheme.objects.get(year=YEAR)
        appraisal = scored(town_staff, station_a)
        page = client_for(staff).get(reverse("admin:stations_ratingscheme_change", args=[scheme.pk])).content.decode()
        assert 'name="criteria-0-max_points"' in page
        standards.appraisal_confirm(actor=staff, appraisal_id=appraisal.pk)
        assert sel.scheme_locked(scheme)
        page = client_for(staff).get(reverse("admin:stations_ratingscheme_change", args=[scheme.pk])).content.decode()
        assert 'name="criteria-0-max_points"' not in page and "阵地建设" in page


    def test_the_page_warns_that_scored_appraisals_follow_an_edit_and_confirming_a_stale_one_is_refused(
            self, staff, town_staff, station_a):
        criteria = make_scheme()
        scheme = RatingScheme.objects.get(year=YEAR)
        client = client_for(staff)
        url = reverse("admin:stations_ratingscheme_change", args=[scheme.pk])
        assert "份未确认的星级评定录入了得分" not in client.get(url).content.decode()
        appraisal = scored(town_staff, station_a)  # 28 on 阵地建设
        assert f"{YEAR}年度已有1份未确认的星级评定录入了得分" in client.get(url).content.decode()
        rows = [{"id": c.pk, "name": c.name, "max_points": p, "order": c.order}
                for c, p in zip(criteria, (25, 25, 30, 20), strict=True)]
        assert self._post(client, scheme, rows).status_code == 302
        response = client.post(reverse("admin:stations_stationappraisal_confirm", args=[appraisal.pk]), {"note": ""},
                               follow=True)
        assert "“阵地建设”28.0分（现分值25分）" in response.content.decode()
        assert StationAppraisal.objects.get(pk=appraisal.pk).status == A.SUBMITTED


def test_the_schemes_list_shows_which_years_are_locked_in_the_same_queries_for_two_years_or_six(staff, town_staff,
                                                                                                station_a):
    make_scheme()  # YEAR's table, then an appraisal of YEAR confirmed: locked
    standards.appraisal_confirm(actor=staff, appraisal_id=scored(town_staff, station_a).pk)
    client = client_for(staff)
    url = reverse("admin:stations_ratingscheme_changelist")
    RatingScheme.objects.create(year=YEAR + 1)
    client.get(url)

    def shown():
        with CaptureQueriesContext(connection) as seen:
            page = client.get(url)
        return len(seen), page.context["cl"].result_list

    few, rows = shown()
    assert {s.year: sel.scheme_locked(s) for s in rows} == {YEAR: True, YEAR + 1: False}
    for year in range(YEAR + 2, YEAR + 6):
        RatingScheme.objects.create(year=year)
    many, rows = shown()
    assert len(rows) == 6 and few == many, (few, many)
