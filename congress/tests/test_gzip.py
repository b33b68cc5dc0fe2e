"""Pages travel compressed when the browser accepts gzip (PageGZipMiddleware); files do not."""
import gzip

import pytest
from django.urls import reverse

from conftest import client_for

pytestmark = pytest.mark.django_db


def test_an_admin_list_is_sent_gzipped_and_unpacks_to_the_same_page(staff):
    client = client_for(staff)
    url = reverse("admin:proposals_suggestion_changelist")
    plain = client.get(url)
    packed = client.get(url, HTTP_ACCEPT_ENCODING="gzip, deflate")
    assert "Content-Encoding" not in plain and packed["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in packed["Vary"]
    page = gzip.decompress(packed.content).decode()
    assert "代表建议" in page and len(packed.content) < len(plain.content) / 2
    # the page's CSP header and the security headers are still there
    assert "default-src" in packed["Content-Security-Policy"] and packed["X-Content-Type-Options"] == "nosniff"


def test_a_pdf_is_not_compressed_again(staff, settings, tmp_path):
    from congress.models import Organization
    from stations.models import Station

    town = Organization.objects.create(name="城东街道", kind=Organization.Kind.TOWN)
    station = Station.objects.create(name="城东代表联络站", kind=Station.Kind.LIAISON, town=town, address="路1号")
    response = client_for(staff).get(reverse("admin:stations_station_poster", args=[station.pk]),
                                     HTTP_ACCEPT_ENCODING="gzip")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert "Content-Encoding" not in response
