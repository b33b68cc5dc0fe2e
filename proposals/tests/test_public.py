"""The public page of published replies (/replies/): no login, only published replies, search by keyword, unit,
category and year, a detail page and the letter; a list whose query count does not grow."""
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from conftest import client_for
from proposals import services
from proposals.models import SuggestionCategory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def published(flow, unit, unit_user, staff, title, publish=True, **kwargs):
    s, a, reply = flow.replied(unit, unit_user, title=title, **kwargs)
    if publish:
        services.reply_publish(actor=staff, reply=reply)
    return reply


class TestList:
    def test_only_published_replies_show_to_anyone(self, flow, unit_org, unit_user, staff):
        published(flow, unit_org, unit_user, staff, "关于加装电梯的建议")
        published(flow, unit_org, unit_user, staff, "关于尚未公开的建议", publish=False)
        page = client_for(None).get(reverse("proposals:public_list")).content.decode()
        assert "关于加装电梯的建议" in page and "关于尚未公开的建议" not in page and "共 1 件" in page

    def test_search_by_keyword_unit_category_and_year(self, flow, unit_org, unit_user, unit2, unit2_user, staff):
        other = SuggestionCategory.objects.create(name="交通出行")
        published(flow, unit_org, unit_user, staff, "关于加装电梯的建议")
        reply = published(flow, unit2, unit2_user, staff, "关于增设公交站点的建议")
        s = reply.assignment.suggestion
        s.category = other
        s.save(update_fields=["category"])
        client = client_for(None)

        def titles(**params):
            page = client.get(reverse("proposals:public_list"), params).content.decode()
            return [t for t in ("关于加装电梯的建议", "关于增设公交站点的建议") if t in page]

        assert titles(q="电梯") == ["关于加装电梯的建议"]
        assert titles(unit=unit2.pk) == ["关于增设公交站点的建议"]
        assert titles(category=other.pk) == ["关于增设公交站点的建议"]
        assert titles(year=reply.replied_on.year) == ["关于加装电梯的建议", "关于增设公交站点的建议"]
        assert titles(year=reply.replied_on.year - 1) == []

    def test_the_count_is_kept_per_search_for_the_statistics_period(self, flow, unit_org, unit_user, unit2, unit2_user,
                                                                     staff, settings):
        from congress.lib import statcache

        settings.STATS_CACHE_SECONDS = 300
        statcache.clear()
        published(flow, unit_org, unit_user, staff, "关于加装电梯的建议")
        client, url = client_for(None), reverse("proposals:public_list")
        assert "共 1 件" in client.get(url).content.decode()
        assert "共 0 件" in client.get(url, {"unit": unit2.pk}).content.decode()
        published(flow, unit2, unit2_user, staff, "关于增设公交站点的建议")
        assert "共 1 件" in client.get(url).content.decode()  # kept
        assert "共 1 件" in client.get(url, {"q": "公交"}).content.decode()  # another search: counted now
        statcache.clear()
        assert "共 2 件" in client.get(url).content.decode()
        assert "共 1 件" in client.get(url, {"unit": unit2.pk}).content.decode()

    def test_the_count_does_not_grow_with_the_rows(self, flow, unit_org, unit_user, staff):
        client = client_for(None)
        for i in range(2):
            published(flow, unit_org, unit_user, staff, f"建议{i}")
        client.get(reverse("proposals:public_list"))
        with CaptureQueriesContext(connection) as small:
            client.get(reverse("proposals:public_list"))
        for i in range(2, 6):
            published(flow, unit_org, unit_user, staff, f"建议{i}")
        with CaptureQueriesContext(connection) as large:
            client.get(reverse("proposals:public_list"))
        assert len(large) == len(small), [q["sql"] for q in large.captured_queries]


class TestDetailAndLetter:
    def test_a_published_reply_and_its_letter_are_public(self, flow, unit_org, unit_user, staff):
        reply = published(flow, unit_org, unit_user, staff, "关于加装电梯的建议")
        client = client_for(None)
        page = client.get(reverse("proposals:public_detail", args=[reply.pk])).content.decode()
        assert "关于加装电梯的建议" in page and unit_org.name in page and "A类" in page
        letter = client.get(reverse("proposals:reply_letter", args=[reply.pk]))
        assert letter.status_code == 200 and letter.getvalue().startswith(b"%PDF-")
        assert letter["Content-Disposition"].startswith("attachment")

    def test_an_unpublished_reply_is_not_found(self, flow, unit_org, unit_user, staff):
        reply = published(flow, unit_org, unit_user, staff, "关于尚未公开的建议", publish=False)
        client = client_for(None)
        assert client.get(reverse("proposals:public_detail", args=[reply.pk])).status_code == 404
        assert client.get(reverse("proposals:reply_letter", args=[reply.pk])).status_code == 404

    def test_the_pages_take_only_get(self, flow, unit_org, unit_user, staff):
        reply = published(flow, unit_org, unit_user, staff, "关于加装电梯的建议")
        assert client_for(None).post(reverse("proposals:public_list")).status_code == 405
        assert client_for(None).post(reverse("proposals:public_detail", args=[reply.pk])).status_code == 405
