"""Files of the deputy portal and its admin through the pages people use: activity photos (portal form), the report to
voters (portal form and admin), the deputy's photo (admin). Hostile and over-size files are refused with a Chinese
message and leave no row and no file; photos are re-encoded JPEGs under random names; each file is served only to
whoever may see its object — town staff only within their towns."""
import datetime

import pytest
from django.contrib.messages import get_messages
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from conftest import client_for
from deputies import services
from deputies.models import ActivityPhoto, Deputy, DutyActivity, VoterReport
from deputies.tests.conftest import jpeg, make_deputy
from tests.files import HOSTILE, good, hostile, image_bytes, is_random_name, over_size, stored, upload
from tests.sample import sample_id_number

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
PHOTOS_ONLY = "照片只能是 JPG 或 PNG 图片"
REPORTS_ONLY = "述职报告文件只能是 PDF 或 Word 文件"


def _shown(response) -> str:
    return response.content.decode() + "".join(str(m) for m in get_messages(response.wsgi_request))


def _new_activity(client, inspection, *photos):
    return client.post(reverse("portal:activity_new"), {
        "activity_type": inspection.pk, "date": TODAY.isoformat(), "place": "城东联络站", "photos": list(photos)})


def _new_report(client, file):
    return client.post(reverse("portal:reports"), {
        "date": TODAY.isoformat(), "place": "城东联络站", "attendance": 30, "text": "", "file": file})


class TestTheActivityForm:
    @pytest.mark.parametrize("name", list(HOSTILE))
    def test_it_refuses_a_hostile_photo_and_stores_nothing(self, deputy, deputy_user, inspection, media, name):
        response = _new_activity(client_for(deputy_user), inspection, hostile(name))
        assert response.status_code == 200 and PHOTOS_ONLY in _shown(response)
        assert not DutyActivity.objects.exists() and not ActivityPhoto.objects.exists() and not stored(media)

    def test_a_jpg_that_is_html_is_refused(self, deputy, deputy_user, inspection, media):
        response = _new_activity(client_for(deputy_user), inspection, upload("现场.jpg", b"<script>alert(1)</script>"))
        assert "不是有效的 JPG 文件" in _shown(response) and not DutyActivity.objects.exists() and not stored(media)

    def test_it_refuses_an_over_size_photo(self, deputy, deputy_user, inspection, media, settings):
        settings.UPLOAD_MAX_MB_IMAGE = 1
        response = _new_activity(client_for(deputy_user), inspection, over_size("现场.jpg", 1))
        assert "文件不能超过 1 MB" in _shown(response) and not DutyActivity.objects.exists() and not stored(media)

    def test_good_photos_are_re_encoded_as_jpeg_under_random_names(self, deputy, deputy_user, inspection, media):
        response = _new_activity(client_for(deputy_user), inspection, good("jpg"), good("png"))
        assert response.status_code == 302
        photos = list(ActivityPhoto.objects.order_by("id"))
        assert len(photos) == 2 and len(stored(media)) == 2
        for photo in photos:
            assert is_random_name(photo.image.name, "deputies/activities", "jpg"), photo.image.name
            with Image.open(photo.image.path) as image:
                assert image.format == "JPEG"


class TestWhoSeesAnActivityPhoto:
    @pytest.fixture
    def photo(self, deputy, deputy_user, inspection):
        activity = services.activity_report(actor=deputy_user, activity_type=inspection, date=TODAY, photos=[jpeg(20, 20)])
        return activity.photos.get()

    def test_the_deputy_and_staff_of_the_town_see_it_inline(self, photo, deputy_user, staff, town_staff, leader):
        url = reverse("portal:photo", args=[photo.pk])
        for user in (deputy_user, staff, town_staff, leader):
            response = client_for(user).get(url)
            assert response.status_code == 200, user.username
            assert response["Content-Type"] == "image/jpeg" and response["Content-Disposition"].startswith("inline")
            assert response["X-Content-Type-Options"] == "nosniff"

    def test_another_towns_staff_and_other_people_get_not_found(self, photo, other_town_staff, other_deputy_user,
                                                               other_deputy, unit_user, outsider):
        url = reverse("portal:photo", args=[photo.pk])
        for user in (other_town_staff, other_deputy_user, unit_user, outsider):
            assert client_for(user).get(url).status_code == 404, user.username

    def test_anonymous_is_sent_to_log_in(self, photo):
        response = client_for(None).get(reverse("portal:photo", args=[photo.pk]))
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]

    def test_the_admin_shows_it_through_the_view(self, photo, staff):
        html = client_for(staff).get(reverse("admin:deputies_dutyactivity_change", args=[photo.activity_id])).content
        assert reverse("portal:photo", args=[photo.pk]).encode() in html and b"/media/" not in html


class TestTheReportForm:
    @pytest.mark.parametrize("name", list(HOSTILE))
    def test_it_refuses_a_hostile_file_and_stores_nothing(self, deputy, deputy_user, media, name):
        response = _new_report(client_for(deputy_user), hostile(name))
        assert response.status_code == 200 and REPORTS_ONLY in _shown(response)
        assert not VoterReport.objects.exists() and not stored(media)

    def test_it_refuses_an_over_size_file(self, deputy, deputy_user, media, settings):
        settings.UPLOAD_MAX_MB_DOCUMENT = 1
        response = _new_report(client_for(deputy_user), over_size("述职报告.pdf", 1))
        assert "文件不能超过 1 MB" in _shown(response) and not VoterReport.objects.exists() and not stored(media)

    def test_a_good_file_is_stored_under_a_random_name_and_linked_through_the_view(self, deputy, deputy_user, media):
        client = client_for(deputy_user)
        assert _new_report(client, good("docx")).status_code == 302
        report = VoterReport.objects.get()
        assert is_random_name(report.file.name, "deputies/reports", "docx")
        url = reverse("portal:report_file", args=[report.pk])
        assert f'href="{url}"' in client.get(reverse("portal:reports")).content.decode()


class TestWhoReadsAReportFile:
    @pytest.fixture
    def report(self, deputy, deputy_user):
        return services.voter_report_record(actor=deputy_user, date=TODAY, place="联络站", attendance=20, file=good("pdf"))

    def test_the_deputy_and_staff_of_the_town_download_it(self, report, deputy_user, staff, town_staff):
        url = reverse("portal:report_file", args=[report.pk])
        for user in (deputy_user, staff, town_staff):
            response = client_for(user).get(url)
            assert response.status_code == 200 and response["Content-Disposition"].startswith("attachment"), user.username
            assert response["Content-Type"] == "application/pdf"

    def test_outsiders_get_not_found_and_anonymous_logs_in(self, report, other_town_staff, other_deputy_user,
                                                           other_deputy, unit_user, outsider):
        url = reverse("portal:report_file", args=[report.pk])
        for user in (other_town_staff, other_deputy_user, unit_user, outsider):
            assert client_for(user).get(url).status_code == 404, user.username
        assert client_for(None).get(url).status_code == 302


def _deputy_form(town, **extra):
    return {"full_name": "新代表", "gender": "F", "ethnicity": "汉族", "party": "masses", "occupation": "other",
            "id_number": sample_id_number(777), "phone": "13900000000", "town": town.pk,
            "mandates-TOTAL_FORMS": 0, "mandates-INITIAL_FORMS": 0, **extra}


class TestTheAdminAddForms:
    @pytest.mark.parametrize("name", list(HOSTILE))
    def test_a_deputys_photo_must_be_an_image(self, staff, town_a, media, name):
        before = Deputy.objects.count()
        response = client_for(staff).post(reverse("admin:deputies_deputy_add"), _deputy_form(town_a, photo=hostile(name)))
        assert response.status_code == 200 and PHOTOS_ONLY in response.content.decode()
        assert Deputy.objects.count() == before and not stored(media)

    def test_an_over_size_photo_is_refused(self, staff, town_a, media, settings):
        settings.UPLOAD_MAX_MB_IMAGE = 1
        response = client_for(staff).post(reverse("admin:deputies_deputy_add"),
                                          _deputy_form(town_a, photo=over_size("照片.jpg", 1)))
        assert "文件不能超过 1 MB" in response.content.decode() and not Deputy.objects.exists() and not stored(media)

    def test_a_good_photo_is_re_encoded_and_the_change_form_links_the_view(self, staff, town_a, media):
        client = client_for(staff)
        photo = upload("证件照.png", image_bytes("PNG", (3000, 2000)))
        response = client.post(reverse("admin:deputies_deputy_add"), _deputy_form(town_a, photo=photo))
        assert response.status_code == 302, response.content.decode()[:3000]
        deputy = Deputy.objects.get(full_name="新代表")
        assert is_random_name(deputy.photo.name, "deputies/photos", "jpg")
        with Image.open(deputy.photo.path) as image:
            assert image.format == "JPEG" and max(image.size) == 1600
        html = client.get(reverse("admin:deputies_deputy_change", args=[deputy.pk])).content.decode()
        assert f'href="{reverse("portal:deputy_photo", args=[deputy.pk])}"' in html and "/media/" not in html

    def test_a_voter_report_file_must_be_pdf_or_word(self, staff, deputy, media):
        url = reverse("admin:deputies_voterreport_add")
        data = {"deputy": deputy.pk, "date": (TODAY - datetime.timedelta(days=1)).isoformat(), "place": "联络站",
                "attendance": 12, "text": ""}
        for name in HOSTILE:
            response = client_for(staff).post(url, {**data, "file": hostile(name)})
            assert response.status_code == 200 and REPORTS_ONLY in response.content.decode(), name
        assert not VoterReport.objects.exists() and not stored(media)
        assert client_for(staff).post(url, {**data, "file": good("doc")}).status_code == 302
        assert is_random_name(VoterReport.objects.get().file.name, "deputies/reports", "doc")


class TestWhoSeesADeputysPhoto:
    @pytest.fixture
    def pictured(self, deputy, media):
        deputy.photo.save("p.jpg", ContentFile(image_bytes()))
        return deputy

    def test_the_deputy_and_staff_of_the_town_see_it(self, pictured, deputy_user, staff, town_staff, leader):
        url = reverse("portal:deputy_photo", args=[pictured.pk])
        for user in (deputy_user, staff, town_staff, leader):
            response = client_for(user).get(url)
            assert response.status_code == 200 and response["Content-Type"] == "image/jpeg", user.username

    def test_outsiders_get_not_found(self, pictured, other_town_staff, other_deputy_user, other_deputy, unit_user,
                                     outsider, town_b, term):
        url = reverse("portal:deputy_photo", args=[pictured.pk])
        for user in (other_town_staff, other_deputy_user, unit_user, outsider):
            assert client_for(user).get(url).status_code == 404, user.username
        assert client_for(None).get(url).status_code == 302
        # and another town's deputy is out of this town's staff's reach the other way round
        far = make_deputy(555, town_b, term, name="远方代表")
        far.photo.save("q.jpg", ContentFile(image_bytes()))
        assert client_for(other_town_staff).get(reverse("portal:deputy_photo", args=[far.pk])).status_code == 200
