"""Admin lists at scale: a 年度 filter instead of date_hierarchy, and the headline figures cached for a minute."""
import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from conftest import client_for
from congress.models import Meeting
from congress.selectors import system_counts


def test_the_year_filter_lists_years_without_a_query_and_filters_by_range(staff, term):
    Meeting.objects.create(term=term, kind=Meeting.Kind.STANDING, number=1, date=datetime.date(2025, 3, 2))
    Meeting.objects.create(term=term, kind=Meeting.Kind.STANDING, number=2, date=datetime.date(2026, 3, 2))
    client = client_for(staff)
    url = reverse("admin:congress_meeting_changelist")
    with CaptureQueriesContext(connection) as queries:
        page = client.get(url).content.decode()
    assert 'data-filter-title="年度"' in page and "2025年" in page
    # no DISTINCT over the dates of the whole table (what date_hierarchy asks)
    assert not any("DISTINCT" in q["sql"] and "meeting" in q["sql"] and "date" in q["sql"] for q in queries.captured_queries)
    filtered = client.get(url, {"date_year": "2025"}).content.decode()
    assert "第一次会议" in filtered and "第二次会议" not in filtered
    refused = client.get(url, {"date_year": "abc"})
    assert refused.status_code in (200, 302) and "第二次会议" not in refused.content.decode()


def test_headline_figures_are_cached_for_a_minute(term):
    first = system_counts()
    with CaptureQueriesContext(connection) as queries:
        again = system_counts()
    assert again == first
    assert len(queries) == 0


def test_no_facet_counts_are_offered(staff, term):
    page = client_for(staff).get(reverse("admin:congress_meeting_changelist"), {"_facets": "True"}).content.decode()
    assert "显示计数" not in page and "隐藏计数" not in page
