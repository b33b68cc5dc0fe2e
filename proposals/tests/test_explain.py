"""PostgreSQL only: a deputy's own pages find their suggestions through indexes, whatever the size of the district.

With a few thousand suggestions of other deputies and statistics gathered (ANALYZE), the planner must answer the
deputy's list, the replies to rate and the duty record without a sequential scan of proposals_suggestion. The old
``Q(lead_deputy=…) | Exists(cosignature)`` form is explained too, as the control that shows the check can fail."""
import datetime
import json

import pytest
from django.db import connection
from django.db.models import Exists, OuterRef, Q
from django.test.utils import CaptureQueriesContext

from proposals.models import Cosignature, Suggestion
from proposals.selectors import duty_record_suggestions, replies_to_rate_for, suggestion_list_for
from proposals.tests.conftest import make_deputy
from tests.plans import seq_scans

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql", reason="EXPLAIN of PostgreSQL plans")



@pytest.fixture
def district(lead, town_a, term, session, category):
    """12,000 suggestions of 200 other deputies, 3,000 co-signatures among them, and 5 of the lead's own. (With 4,000 the
    planner's costs for a hash join over a sequential scan and for 21 primary-key lookups came within a few percent of
    each other and a CI run once chose the scan; at a district's real size the lookups win by far.)"""
    others = [make_deputy(f"代表{i}", town_a, 100 + i) for i in range(200)]
    submitted = datetime.datetime(2026, 3, 1, tzinfo=datetime.UTC)
    rows = [Suggestion(term=term, session=session, title=f"建议{i}", content="内容", category=category,
                       lead_deputy=others[i % len(others)], status=Suggestion.Status.REGISTERED, submitted_at=submitted,
                       batch_key="s", serial=i + 1, number=f"第{i + 1:04d}号")
            for i in range(12000)]
    rows += [Suggestion(term=term, session=session, title=f"本人建议{i}", content="内容", lead_deputy=lead,
                        status=Suggestion.Status.REGISTERED, submitted_at=submitted, batch_key="s")
             for i in range(5)]
    created = Suggestion.objects.bulk_create(rows)
    Cosignature.objects.bulk_create(
        Cosignature(suggestion=created[i], deputy=others[(i + 1) % len(others)], status=Cosignature.Status.CONFIRMED)
        for i in range(0, 12000, 4))
    Cosignature.objects.create(suggestion=created[7], deputy=lead, status=Cosignature.Status.CONFIRMED)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE proposals_suggestion; ANALYZE proposals_cosignature; ANALYZE deputies_deputy")
    return created


def plan(qs) -> str:
    return qs.explain()


def suggestion_rows_read(qs) -> int:
    """Rows of proposals_suggestion the executed plan touched (returned + removed by a filter), from EXPLAIN ANALYZE."""
    def walk(node):
        own = 0
        if node.get("Relation Name") == "proposals_suggestion":
            own = (node.get("Actual Rows", 0) + node.get("Rows Removed by Filter", 0)) * node.get("Actual Loops", 1)
        return own + sum(walk(child) for child in node.get("Plans", []))

    if isinstance(qs, str):  # the SQL of a query a selector ran
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN (ANALYZE, FORMAT JSON) " + qs)
            found = cursor.fetchone()[0]
        found = json.loads(found) if isinstance(found, str) else found
    else:
        found = json.loads(qs.explain(format="json", analyze=True))
    return walk(found[0]["Plan"])


def test_the_old_or_exists_form_reads_every_suggestion(district, lead):
    confirmed = Cosignature.objects.filter(suggestion=OuterRef("pk"), deputy=lead)
    old = Suggestion.objects.filter(Q(lead_deputy=lead) | Exists(confirmed))
    assert suggestion_rows_read(old) >= 12000


def test_the_deputys_suggestion_list_uses_indexes(district, lead, deputy_user):
    with CaptureQueriesContext(connection) as ids_read:
        qs = suggestion_list_for(user=deputy_user)
    assert qs.count() == 6  # 5 led + 1 co-signed
    assert not seq_scans(plan(qs), "proposals_suggestion"), plan(qs)
    assert suggestion_rows_read(qs) < 50
    # the ids were read first, by the UNION of the two indexed lookups
    (union,) = [q["sql"] for q in ids_read.captured_queries if "UNION" in q["sql"]]
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN " + union)
        shown = "\n".join(row[0] for row in cursor.fetchall())
    assert "proposals_suggestion_lead_deputy_id" in shown and not seq_scans(shown, "proposals_suggestion"), shown


def test_replies_to_rate_use_indexes(district, lead):
    qs = replies_to_rate_for(lead)
    assert not seq_scans(plan(qs), "proposals_suggestion"), plan(qs)
    assert suggestion_rows_read(qs) < 50
    # the portal home's read of them, compiled once per process (congress.lib.prepared): the same plan
    from proposals.selectors import home_replies_to_rate

    with CaptureQueriesContext(connection) as read:
        home_replies_to_rate(lead, limit=5)
    (home,) = [q["sql"] for q in read.captured_queries if "proposals_reply" in q["sql"]]
    assert "= ANY(" in home
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN " + home)
        shown = "\n".join(row[0] for row in cursor.fetchall())
    assert not seq_scans(shown, "proposals_suggestion"), shown
    assert suggestion_rows_read(home) < 50


def test_the_duty_record_uses_indexes(district, lead):
    with CaptureQueriesContext(connection) as read:
        assert len(duty_record_suggestions(lead, 2026)) == 6
    (union,) = [q["sql"] for q in read.captured_queries]  # one query: the UNION reads the rows themselves
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN " + union)
        shown = "\n".join(row[0] for row in cursor.fetchall())
    assert "UNION" in union and "proposals_suggestion_lead_deputy_id" in shown, shown
    assert not seq_scans(shown, "proposals_suggestion"), shown
    assert suggestion_rows_read(union) < 50


def test_the_public_replies_page_reads_its_first_page_from_an_index(district, unit_org, staff):
    """/replies/ lists published replies newest first: the first 20 come from the partial index on (replied_on, id)
    of published replies, not from sorting all of them (a sequential scan of proposals_reply)."""
    from proposals.models import Assignment, Reply
    from proposals.selectors import published_reply_list

    assignments = Assignment.objects.bulk_create(
        Assignment(suggestion=s, unit=unit_org, role=Assignment.Role.LEAD, status=Assignment.Status.REPLIED,
                   assigned_on=datetime.date(2026, 3, 10), due_date=datetime.date(2026, 6, 10),
                   send_back_until=datetime.date(2026, 3, 17))
        for s in district[:3000])
    Reply.objects.bulk_create(
        Reply(assignment=a, letter="suggestions/replies/x.pdf", result="A", replied_on=datetime.date(2026, 4, 1 + i % 28),
              replied_by=staff, published_at=datetime.datetime(2026, 5, 1, tzinfo=datetime.UTC) if i % 3 else None)
        for i, a in enumerate(assignments))
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE proposals_reply; ANALYZE proposals_assignment; ANALYZE proposals_suggestion")
    first_page = published_reply_list()[:20]
    shown = plan(first_page)
    assert "reply_published_newest_idx" in shown and not seq_scans(shown, "proposals_reply"), shown
    newest = list(first_page)
    assert len(newest) == 20 and all(r.published_at for r in newest)
    assert [r.replied_on for r in newest] == sorted((r.replied_on for r in newest), reverse=True)
