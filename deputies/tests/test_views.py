"""Portal pages: each view for its deputy, the wrong user refused, POST-only actions, and query counts that do not
grow with the deputy's records."""
import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from conftest import client_for
from deputies import services
from deputies.models import ActivityPhoto, DutyActivity, DutyActivityParticipant, LeaveRequest, VoterReport
from deputies.tests.conftest import jpeg

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
PAGES = ["portal:home", "portal:activity_new", "portal:record", "portal:points", "portal:leave", "portal:reports"]


class TestWhoGetsIn:
    @pytest.mark.parametrize("name", PAGES)
    def test_the_deputy_gets_each_page(self, deputy, deputy_user, name):
        response = client_for(deputy_user).get(reverse(name))
        assert response.status_code == 200
        assert "代表履职" in response.content.decode()

    @pytest.mark.parametrize("name", PAGES)
    def test_staff_and_unlinked_deputies_are_refused(self, staff, deputy_user, name):
        assert client_for(staff).get(reverse(name)).status_code == 403
        assert client_for(deputy_user).get(reverse(name)).status_code == 403  # no Deputy linked

    def test_anonymous_goes_to_the_login(self, db):
        response = client_for(None).get(reverse("portal:home"))
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")

    def test_login_lands_a_deputy_on_the_portal(self, deputy, deputy_user):
        from conftest import PASSWORD

        client = client_for(None)
        client.post("/accounts/login/", {"username": "deputy", "password": PASSWORD})
        assert client.get("/go/")["Location"] == "/portal/"

    def test_the_deputy_comes_with_the_requests_user_in_one_query(self, deputy, deputy_user):
        """congress.backends: the user and the linked deputy (with the town the header shows) are one query."""
        client = client_for(deputy_user)
        client.get(reverse("portal:home"))
        with CaptureQueriesContext(connection) as seen:
            assert client.get(reverse("portal:record")).status_code == 200
        deputy_reads = [q["sql"] for q in seen.captured_queries if 'FROM "deputies_deputy"' in q["sql"]]
        user_reads = [q["sql"] for q in seen.captured_queries if 'FROM "congress_user"' in q["sql"]]
        assert len(user_reads) == 1 and 'JOIN "deputies_deputy"' in user_reads[0]
        assert not [sql for sql in deputy_reads if sql not in user_reads]

    def test_a_deputy_unlinked_later_is_refused_on_the_next_page(self, deputy, deputy_user):
        client = client_for(deputy_user)
        assert client.get(reverse("portal:home")).status_code == 200
        deputy.user = None
        deputy.save()
        assert client.get(reverse("portal:home")).status_code == 403


class TestActivityPages:
    def test_logging_an_activity_with_a_photo(self, deputy, deputy_user, inspection, other_deputy):
        response = client_for(deputy_user).post(reverse("portal:activity_new"), {
            "activity_type": inspection.pk, "date": TODAY.isoformat(), "place": "城东联络站", "description": "察看",
            "photos": [jpeg(800, 600)], "co_deputies": [other_deputy.pk]})
        assert response.status_code == 302, response.context["form"].errors
        activity = DutyActivity.objects.get()
        assert response.status_code == 302 and response["Location"] == reverse("portal:activity_detail", args=[activity.pk])
        assert activity.photos.count() == 1 and activity.participations.count() == 2
        page = client_for(deputy_user).get(response["Location"])
        assert "待审核" in page.content.decode()
        photo = activity.photos.get()
        assert client_for(deputy_user).get(reverse("portal:photo", args=[photo.pk])).status_code == 200

    def test_a_bad_photo_shows_the_error_and_keeps_the_form(self, deputy, deputy_user, inspection):
        from django.core.files.uploadedfile import SimpleUploadedFile

        response = client_for(deputy_user).post(reverse("portal:activity_new"), {
            "activity_type": inspection.pk, "date": TODAY.isoformat(),
            "photos": [SimpleUploadedFile("a.jpg", b"xx", content_type="image/jpeg")]})
        assert response.status_code == 200 and not DutyActivity.objects.exists()

    def test_another_deputy_cannot_see_the_activity_or_its_photos(self, deputy, deputy_user, inspection,
                                                                   other_deputy_user, other_deputy):
        activity = services.activity_report(actor=deputy_user, activity_type=inspection, date=TODAY,
                                            photos=[jpeg(10, 10)])
        other = client_for(other_deputy_user)
        assert other.get(reverse("portal:activity_detail", args=[activity.pk])).status_code == 404
        photo = ActivityPhoto.objects.get()
        assert other.get(reverse("portal:photo", args=[photo.pk])).status_code == 404

    def test_confirm_is_post_only_and_repeating_changes_nothing(self, deputy, deputy_user, inspection,
                                                                other_deputy, other_deputy_user):
        activity = services.activity_report(actor=deputy_user, activity_type=inspection, date=TODAY,
                                            co_deputies=[other_deputy])
        url = reverse("portal:activity_confirm", args=[activity.pk])
        client = client_for(other_deputy_user)
        assert client.get(url).status_code == 405
        response = client.post(url, headers={"HX-Request": "true"})
        assert response.status_code == 200 and "已确认" in response.content.decode()
        first = DutyActivityParticipant.objects.get(deputy=other_deputy).confirmed_at
        client.post(url)
        assert DutyActivityParticipant.objects.get(deputy=other_deputy).confirmed_at == first

    def test_staff_cannot_confirm_for_a_deputy(self, deputy, deputy_user, inspection, staff):
        activity = services.activity_report(actor=deputy_user, activity_type=inspection, date=TODAY)
        assert client_for(staff).post(reverse("portal:activity_confirm", args=[activity.pk])).status_code == 403


class TestSigninPage:
    @pytest.fixture
    def event(self, inspection, staff):
        event = DutyActivity.objects.create(title="调研农村污水治理", activity_type=inspection, date=TODAY)
        return services.signin_open(actor=staff, activity_id=event.pk)

    def test_scan_and_confirm(self, event, deputy, deputy_user):
        client = client_for(deputy_user)
        url = reverse("portal:signin", args=[event.signin_token])
        assert "确认签到" in client.get(url).content.decode()
        assert client.post(url).status_code == 302
        assert DutyActivityParticipant.objects.filter(activity=event, deputy=deputy, confirmed_at__isnull=False).exists()
        again = client.post(url, follow=True)
        assert "您已签到" in again.content.decode()

    @pytest.mark.parametrize("days", [-1, 1])
    def test_the_code_signs_in_on_the_events_day_only(self, event, deputy, deputy_user, days):
        import datetime

        DutyActivity.objects.filter(pk=event.pk).update(date=TODAY + datetime.timedelta(days=days))
        client = client_for(deputy_user)
        page = client.post(reverse("portal:signin", args=[event.signin_token]), follow=True).content.decode()
        assert "扫码签到只在活动当天" in page
        assert not DutyActivityParticipant.objects.filter(activity=event, deputy=deputy).exists()

    def test_an_unknown_code_is_not_found(self, deputy, deputy_user):
        import uuid

        assert client_for(deputy_user).get(reverse("portal:signin", args=[uuid.uuid4()])).status_code == 404

    def test_staff_print_the_qr_code_deputies_cannot(self, event, staff, deputy, deputy_user):
        response = client_for(staff).get(reverse("portal:event_qr", args=[event.pk]))
        assert response.status_code == 200 and response["Content-Type"] == "image/svg+xml"
        assert b"<svg" in response.content
        assert client_for(deputy_user).get(reverse("portal:event_qr", args=[event.pk])).status_code == 403

    def test_town_staff_print_the_codes_of_their_towns_events_only(self, event, deputy, town_staff, other_town_staff):
        DutyActivityParticipant.objects.create(activity=event, deputy=deputy)  # the deputy of town A
        url = reverse("portal:event_qr", args=[event.pk])
        assert client_for(town_staff).get(url).status_code == 200
        refused = client_for(other_town_staff).get(url)
        assert refused.status_code == 403 and refused["Content-Type"] != "image/svg+xml"


class TestLeaveAndReportPages:
    def test_a_deputy_asks_for_leave(self, deputy, deputy_user, term):
        from congress.models import Meeting

        meeting = Meeting.objects.create(term=term, kind=Meeting.Kind.STANDING, number=30,
                                         date=TODAY + datetime.timedelta(days=5))
        response = client_for(deputy_user).post(reverse("portal:leave"), {"meeting": f"m{meeting.pk}", "reason": "出差"})
        assert response.status_code == 302
        assert LeaveRequest.objects.get().meeting == meeting

    def test_a_deputy_records_a_report_to_voters(self, deputy, deputy_user):
        response = client_for(deputy_user).post(reverse("portal:reports"), {
            "date": TODAY.isoformat(), "place": "城东联络站", "attendance": 30, "text": "一年来的履职情况"})
        assert response.status_code == 302 and VoterReport.objects.get().deputy == deputy


class TestTheKeptYearSummary:
    """The home's 积分 and “五个一” are kept per deputy for STATS_CACHE_SECONDS (the page says 数据截至); the deputy's
    own report to voters and the staff's verification show at once, other changes within the period."""

    @pytest.fixture(autouse=True)
    def kept(self, settings):
        settings.STATS_CACHE_SECONDS = 300

    @staticmethod
    def home(client):
        import re

        page = client.get(reverse("portal:home")).content.decode()
        assert "数据截至" in page
        return re.search(r"<strong>(\d+)/5</strong>“五个一”", page).group(1), re.search(
            r'id="score"><strong>([\d.]+)</strong>', page).group(1)

    def test_a_report_to_voters_shows_at_once(self, deputy, deputy_user, django_capture_on_commit_callbacks):
        client = client_for(deputy_user)
        assert self.home(client) == ("0", "0")
        VoterReport.objects.create(deputy=deputy, date=TODAY, place="直接写入", attendance=1, text="x")
        assert self.home(client) == ("0", "0")  # not through the service: kept until the period ends
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(reverse("portal:reports"), {
                "date": TODAY.isoformat(), "place": "城东联络站", "attendance": 30, "text": "一年来的履职情况"})
        assert response.status_code == 302
        assert self.home(client) == ("1", "0")

    def test_the_staffs_verification_shows_at_once_for_every_participant(
            self, deputy, deputy_user, other_deputy, staff, inspection, django_capture_on_commit_callbacks):
        from deputies.models import PointRule

        PointRule.objects.create(activity_type=inspection, points_present=5, points_absent=0,
                                 effective_from=datetime.date(TODAY.year, 1, 1))
        activity = DutyActivity.objects.create(title="视察", activity_type=inspection, date=TODAY)
        for d in (deputy, other_deputy):
            DutyActivityParticipant.objects.create(activity=activity, deputy=d)
        client = client_for(deputy_user)
        assert self.home(client) == ("0", "0")
        with django_capture_on_commit_callbacks(execute=True):
            services.activity_verify(actor=staff, activity_id=activity.pk)
        assert self.home(client) == ("1", "5")

    def test_a_rolled_back_verification_leaves_the_kept_figures(self, deputy, deputy_user, staff, inspection,
                                                                django_capture_on_commit_callbacks):
        activity = DutyActivity.objects.create(title="视察", activity_type=inspection, date=TODAY)
        DutyActivityParticipant.objects.create(activity=activity, deputy=deputy)
        client = client_for(deputy_user)
        assert self.home(client) == ("0", "0")
        with django_capture_on_commit_callbacks(execute=False):
            services.activity_verify(actor=staff, activity_id=activity.pk)
        assert self.home(client) == ("0", "0")

    def test_without_keeping_the_page_says_nothing_of_a_time(self, deputy, deputy_user, settings):
        settings.STATS_CACHE_SECONDS = 0
        assert "数据截至" not in client_for(deputy_user).get(reverse("portal:home")).content.decode()


class TestDutyRecordPage:
    def test_it_lists_the_years_records_and_marks_their_days_on_the_month_grids(self, deputy, deputy_user, inspection):
        import re

        a = DutyActivity.objects.create(title="视察城东污水处理厂", activity_type=inspection, date=datetime.date(2024, 3, 5),
                                        status="verified")
        DutyActivityParticipant.objects.create(activity=a, deputy=deputy)
        for day in (datetime.date(2024, 3, 5), datetime.date(2024, 7, 1), datetime.date(2025, 3, 9)):
            VoterReport.objects.create(deputy=deputy, date=day, place="城东联络站", attendance=10, text="述职")
        page = client_for(deputy_user).get(reverse("portal:record"), {"year": 2024}).content.decode()
        months = dict(re.findall(r'<table class="month"><caption>(\d+)月.*?</caption>(.*?)</table>', page, re.S))
        assert len(months) == 12
        marked = {m: re.findall(r'<td class="on">(\d+)</td>', grid) for m, grid in months.items()}
        assert {m: days for m, days in marked.items() if days} == {"3": ["5"], "7": ["1"]}
        assert "<caption>3月 · 2</caption>" in page and "<caption>7月 · 1</caption>" in page and "<caption>1月</caption>" in page
        assert f'<a href="/portal/activities/{a.pk}/">视察城东污水处理厂</a>' in page and "已核实" in page
        assert "2024年共 3 项" in page
        # March 2024 begins on a Friday: the grid's first row is four empty cells, then 1 to 3
        assert months["3"].startswith("\n<tr><td></td><td></td><td></td><td></td><td>1</td><td>2</td><td>3</td></tr>")


def _activities(deputy, kind, n, start=0):
    for i in range(start, start + n):
        a = DutyActivity.objects.create(title=f"活动{i}", activity_type=kind, date=TODAY - datetime.timedelta(days=i % 200),
                                        status="verified" if i % 2 else "submitted")
        DutyActivityParticipant.objects.create(activity=a, deputy=deputy, confirmed_at=None if i % 3 else timezone.now())
        ActivityPhoto.objects.create(activity=a, image="x.jpg")
        VoterReport.objects.create(deputy=deputy, date=a.date, place="站", attendance=1, text="t")


class TestQueryCounts:
    @pytest.mark.parametrize("name", PAGES)
    def test_the_count_does_not_grow_with_the_records(self, deputy, deputy_user, inspection, name):
        client = client_for(deputy_user)
        _activities(deputy, inspection, 4)
        client.get(reverse(name))
        with CaptureQueriesContext(connection) as small:
            assert client.get(reverse(name)).status_code == 200
        _activities(deputy, inspection, 12, start=4)
        with CaptureQueriesContext(connection) as large:
            assert client.get(reverse(name)).status_code == 200
        assert len(large) == len(small), [q["sql"] for q in large.captured_queries]
