"""The station's A4 poster: its name, address, hours, deputies, announced reception days and a QR code that is the
opinion form's address; from the admin, for those who may view the station (town staff: their own towns)."""
import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from conftest import client_for
from stations.models import ReceptionDay, StationDeputy
from stations.printables import qr_data_url, station_poster_pdf
from stations.tests.conftest import days_ahead, reception_row
from tests.pdfs import read_pdf

pytestmark = pytest.mark.django_db


def test_the_poster_says_what_a_voter_needs(station_a, deputy, other_deputy):
    StationDeputy.objects.create(station=station_a, deputy=deputy, is_resident=True)
    reception_row(station_a, [deputy], date=days_ahead(5), topic="老旧小区改造")
    reception_row(station_a, [other_deputy], date=days_ahead(-5), status=ReceptionDay.Status.HELD, topic="已经过去的接待")
    data = station_poster_pdf(station_a, opinion_url="http://renda.local/stations/1/opinion/",
                              today=days_ahead(0))
    document = read_pdf(data)
    day = days_ahead(5)
    for part in ("人大代表联络站", "城东街道代表联络站", "地址：人民路1号", "扫码反映社情民意", "周一至周五", "马站长",
                 "进站代表：周建华", "接待选民日安排", "老旧小区改造", f"{day.year}年{day.month}月{day.day}日"):
        assert part in document.text, part
    assert "已经过去的接待" not in document.text
    assert document.pages == 1
    # the QR code is drawn into the page (an embedded vector form or image), not fetched from anywhere
    page = PdfReader(io.BytesIO(data)).pages[0]
    assert page.get("/Resources", {}).get("/XObject") or b"re" in page.get_contents().get_data()


def test_the_qr_code_is_an_inline_svg():
    url = qr_data_url("http://renda.local/stations/1/opinion/", "联络站")
    assert url.startswith("data:image/svg+xml;base64,")


def test_admin_staff_and_the_stations_town_staff_print_it(station_a, station_b, staff, town_staff, leader, unit_user):
    url = reverse("admin:stations_station_poster", args=[station_a.pk])
    for user in (staff, town_staff, leader):
        response = client_for(user).get(url)
        assert response.status_code == 200, user
        assert response["Content-Type"] == "application/pdf"
        assert "城东街道代表联络站" in read_pdf(response.content).text
    # another town's station is not in the town staff's list; a unit account is not admin staff
    assert client_for(town_staff).get(reverse("admin:stations_station_poster", args=[station_b.pk])).status_code == 404
    assert client_for(unit_user).get(url).status_code == 302
    change = client_for(staff).get(reverse("admin:stations_station_change", args=[station_a.pk])).content.decode()
    assert url in change and "打印公示牌" in change
