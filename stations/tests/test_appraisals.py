"""星级评定: the committee records one appraisal per station and year through the admin; the public station pages show
the latest stars; the change page shows the year's figures it weighed."""
import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from conftest import client_for
from congress.services import CongressError
from stations import services
from stations.models import ReceptionDay, Station, StationAppraisal, VoterOpinion

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
YEAR = TODAY.year - 1


def appraise(actor, station, **kwargs):
    values = {"year": YEAR, "stars": 5, "appraised_on": TODAY, "score": Decimal("92.5"), "basis": "阵地规范"} | kwargs
    return services.station_appraise(actor=actor, station_id=station.pk, **values)


class TestService:
    def test_staff_record_it_with_history(self, staff, station_a):
        appraisal = appraise(staff, station_a)
        assert (appraisal.stars, appraisal.appraised_by, appraisal.year) == (5, staff, YEAR)
        assert appraisal.history.get().history_user == staff

    @pytest.mark.parametrize("who", ["town_staff", "leader", "deputy_user", "unit_user", "audit_admin"])
    def test_others_may_not(self, who, request, station_a):
        with pytest.raises(CongressError):
            appraise(request.getfixturevalue(who), station_a)
        assert not StationAppraisal.objects.exists()

    def test_one_per_station_and_year(self, staff, station_a):
        appraise(staff, station_a)
        with pytest.raises(CongressError, match="已评定"):
            appraise(staff, station_a, stars=3)
        assert StationAppraisal.objects.get().stars == 5
        appraise(staff, station_a, year=YEAR - 1, appraised_on=TODAY)  # another year is fine

    @pytest.mark.parametrize("bad", [{"stars": 0}, {"stars": 6}, {"score": Decimal("101")},
                                     {"appraised_on": TODAY + datetime.timedelta(days=1)},
                                     {"year": TODAY.year + 1}])
    def test_bad_values_are_refused_in_chinese(self, staff, station_a, bad):
        with pytest.raises(CongressError) as caught:
            appraise(staff, station_a, **bad)
        assert any("\u4e00" <= ch <= "\u9fff" for ch in caught.value.messages[0])
        assert not StationAppraisal.objects.exists()


class TestAdmin:
    def test_staff_record_it_on_the_add_page(self, staff, station_a):
        response = client_for(staff).post(reverse("admin:stations_stationappraisal_add"), {
            "station": station_a.pk, "year": YEAR, "stars": 4, "score": "88", "basis": "活动经常",
            "appraised_on": TODAY.isoformat()})
        appraisal = StationAppraisal.objects.get()
        assert response.status_code == 302
        assert response.url == reverse("admin:stations_stationappraisal_change", args=[appraisal.pk])
        assert appraisal.stars == 4

    def test_a_refusal_is_shown_and_changes_nothing(self, staff, station_a):
        appraise(staff, station_a)
        response = client_for(staff).post(reverse("admin:stations_stationappraisal_add"), {
            "station": station_a.pk, "year": YEAR, "stars": 3, "appraised_on": TODAY.isoformat()})
        assert response.status_code == 200 and "已评定" in response.content.decode()
        assert StationAppraisal.objects.get().stars == 5

    def test_town_staff_read_but_may_not_add(self, town_staff, staff, station_a, station_b):
        appraise(staff, station_a)
        appraise(staff, station_b)
        client = client_for(town_staff)
        assert client.get(reverse("admin:stations_stationappraisal_add")).status_code == 403
        listed = client.get(reverse("admin:stations_stationappraisal_changelist")).context["cl"].result_list
        assert [a.station for a in listed] == [station_a]

    def test_the_change_page_shows_the_years_figures(self, staff, station_a):
        ReceptionDay.objects.create(station=station_a, date=datetime.date(YEAR, 5, 15), starts_at=datetime.time(9),
                                    ends_at=datetime.time(11), status=ReceptionDay.Status.HELD, visitor_count=17)
        opinion = VoterOpinion.objects.create(tracking_code="FIGURES234", station=station_a, content="路灯坏了很久没人修",
                                              status=VoterOpinion.Status.CLOSED, satisfaction="satisfied")
        VoterOpinion.objects.filter(pk=opinion.pk).update(created_at=timezone.make_aware(datetime.datetime(YEAR, 6, 1)))
        appraisal = appraise(staff, station_a)
        page = client_for(staff).get(reverse("admin:stations_stationappraisal_change", args=[appraisal.pk]))
        text = page.content.decode()
        assert "接待选民日 1 次，接待群众 17 人次；收到社情民意 1 条，办结率 100.0%，满意率 100.0%" in text

    def test_the_list_query_count_does_not_grow(self, staff, town_a):
        client, url = client_for(staff), reverse("admin:stations_stationappraisal_changelist")

        def add(start, n):
            for i in range(start, start + n):
                station = Station.objects.create(name=f"测试站{i}", kind=Station.Kind.LIAISON, town=town_a, address="路")
                appraise(staff, station, stars=1 + i % 5)

        def count():
            client.get(url)
            with CaptureQueriesContext(connection) as ctx:
                assert client.get(url).status_code == 200
            return len(ctx.captured_queries)

        add(0, 3)
        small = count()
        add(3, 6)
        assert count() == small


class TestPublic:
    def test_the_station_pages_show_the_latest_stars(self, staff, station_a, station_b):
        appraise(staff, station_a, year=YEAR - 1, stars=3)
        appraise(staff, station_a, year=YEAR, stars=5)
        detail = client_for(None).get(reverse("stations:public_detail", args=[station_a.pk])).content.decode()
        assert f"{YEAR}年5星级" in detail and "★★★★★" in detail
        listing = client_for(None).get(reverse("stations:public_list")).content.decode()
        assert listing.count("★★★★★") == 1 and "★★★" in listing.split(station_a.name)[1].split("</li>")[0]
        assert "★" not in listing.split(station_b.name)[1].split("</li>")[0]
