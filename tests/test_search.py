"""全局搜索 (congress.lib.search and the apps' sources): every hit is one this user may see, ranked, highlighted with
the user's text escaped, at a cost that does not grow with the rows; on PostgreSQL the title search uses its trigram
index."""
import datetime

import pytest
from django.db import connection
from django.db.models import Q
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from conftest import client_for
from congress.lib import search
from congress.models import CongressSession, Organization
from deputies.models import DutyActivity, DutyActivityType
from proposals.models import Assignment, Cosignature, Reply, Suggestion
from proposals.selectors.search import reply_hits, suggestion_hits
from proposals.tests.conftest import make_deputy
from stations.models import Station, VoterOpinion
from tests.plans import seq_scans

pytestmark = pytest.mark.django_db


@pytest.fixture
def session(term):
    return CongressSession.objects.create(term=term, number=2, start_date=datetime.date(2026, 1, 5),
                                          end_date=datetime.date(2026, 1, 8))


@pytest.fixture
def mine(deputy_user, town_a):
    return make_deputy("周代表", town_a, 1, user=deputy_user)


@pytest.fixture
def other(town_b):
    return make_deputy("郑代表", town_b, 2)


def suggestion(session, deputy, title, status=Suggestion.Status.REGISTERED, content="内容", **kwargs):
    return Suggestion.objects.create(term=session.term, session=session, title=title, content=content,
                                     lead_deputy=deputy, status=status, **kwargs)


def titles(hits) -> list[str]:
    return [h.title for h in hits]


def kinds(groups) -> dict[str, list[str]]:
    return {g.kind: titles(g.hits) for g in groups}


class TestPermissions:
    def test_a_deputy_never_finds_another_deputys_draft(self, session, mine, other, deputy_user):
        suggestion(session, mine, "关于加装电梯的建议（本人草稿）", Suggestion.Status.DRAFT)
        theirs = suggestion(session, other, "关于加装电梯的建议（他人草稿）", Suggestion.Status.DRAFT)
        # even when invited to co-sign it, the other's draft stays out of the search
        Cosignature.objects.create(suggestion=theirs, deputy=mine, status=Cosignature.Status.INVITED)
        suggestion(session, other, "关于加装电梯的建议（他人已提交）")

        found = kinds(search.search(deputy_user, "加装电梯", limit=10, portal=True))
        assert found == {"我的建议": ["关于加装电梯的建议（本人草稿）"]}
        body = client_for(deputy_user).get(reverse("portal:search"), {"q": "加装电梯"}).content.decode()
        assert "本人草稿" in body and "他人草稿" not in body and "他人已提交" not in body

    def test_staff_never_find_a_deputys_draft(self, session, mine, staff):
        suggestion(session, mine, "关于加装电梯的建议（草稿）", Suggestion.Status.DRAFT)
        suggestion(session, mine, "关于加装电梯的建议（已立案）")
        assert titles(suggestion_hits(staff, "加装电梯", 10)) == ["关于加装电梯的建议（已立案）"]

    def test_town_staff_find_only_their_towns_opinions_and_activities(self, town_a, town_b, town_staff, staff):
        kind = DutyActivityType.objects.create(name="视察")
        for town in (town_a, town_b):
            station = Station.objects.create(name=f"{town.name}联络站", kind=Station.Kind.LIAISON, town=town, address="路1号")
            VoterOpinion.objects.create(tracking_code=f"T{town.pk:05d}", station=station, content=f"{town.name}路灯不亮了")
            DutyActivity.objects.create(title=f"{town.name}路灯整治视察", activity_type=kind, date=datetime.date(2026, 5, 1),
                                        organizer=town)

        found = kinds(search.search(town_staff, "路灯", limit=10))
        assert len(found["社情民意"]) == 1 and town_a.name in found["社情民意"][0]
        assert found["履职活动"] == [f"{town_a.name}路灯整治视察"]
        everything = kinds(search.search(staff, "路灯", limit=10))
        assert len(everything["社情民意"]) == 2 and len(everything["履职活动"]) == 2

    def test_a_unit_finds_only_its_assignments_suggestions(self, session, mine, unit_org, unit_user, staff):
        elsewhere = Organization.objects.create(name="区交通运输局", kind=Organization.Kind.DEPARTMENT, is_handling_unit=True)
        ours = suggestion(session, mine, "关于道路维修的建议（本单位）", Suggestion.Status.ASSIGNED)
        theirs = suggestion(session, mine, "关于道路维修的建议（其他单位）", Suggestion.Status.ASSIGNED)
        for item, unit in ((ours, unit_org), (theirs, elsewhere)):
            assignment = Assignment.objects.create(
                suggestion=item, unit=unit, role=Assignment.Role.LEAD, status=Assignment.Status.REPLIED,
                assigned_on=datetime.date(2026, 2, 1), due_date=datetime.date(2026, 5, 1),
                send_back_until=datetime.date(2026, 2, 10))
            Reply.objects.create(assignment=assignment, letter="suggestions/replies/x.pdf", result="A",
                                 summary=f"已完成道路维修（{unit.name}）", replied_on=datetime.date(2026, 4, 1),
                                 replied_by=staff)

        assert titles(suggestion_hits(unit_user, "道路维修", 10)) == ["关于道路维修的建议（本单位）"]
        assert [h.body for h in reply_hits(unit_user, "道路维修", 10)] == [f"已完成道路维修（{unit_org.name}）"]
        assert len(reply_hits(staff, "道路维修", 10)) == 2

    def test_the_three_administrators_and_outsiders_are_refused(self, system_admin, outsider):
        response = client_for(system_admin).get(reverse("congress:search"), {"q": "电梯"})
        assert response.status_code == 403
        assert client_for(outsider).get(reverse("congress:search"), {"q": "电梯"}).status_code == 403


class TestRankingAndHighlight:
    def test_title_matches_come_before_body_matches_then_the_newest(self, session, mine, staff):
        suggestion(session, mine, "关于公交线路的建议", content="建议增设电梯")
        suggestion(session, mine, "关于电梯维保的建议（早）")
        suggestion(session, mine, "关于电梯维保的建议（晚）")
        assert titles(suggestion_hits(staff, "电梯", 10)) == [
            "关于电梯维保的建议（晚）", "关于电梯维保的建议（早）", "关于公交线路的建议"]

    def test_hits_are_limited_per_kind(self, session, mine, staff):
        for i in range(5):
            suggestion(session, mine, f"关于电梯的建议{i}")
        assert len(suggestion_hits(staff, "电梯", 3)) == 3

    def test_highlighting_escapes_html_before_marking_the_match(self):
        assert search.highlight("<b>加装电梯</b>&", "电梯") == "&lt;b&gt;加装<mark>电梯</mark>&lt;/b&gt;&amp;"
        assert search.highlight("<mark>", "mark") == "&lt;<mark>mark</mark>&gt;"

    def test_the_page_shows_user_text_escaped_and_the_match_marked(self, session, mine, staff):
        suggestion(session, mine, "<script>alert(1)</script>关于电梯的建议")
        body = client_for(staff).get(reverse("congress:search"), {"q": "电梯"}).content.decode()
        assert "<script>alert(1)</script>" not in body
        assert "&lt;script&gt;alert(1)&lt;/script&gt;关于<mark>电梯</mark>的建议" in body

    def test_a_one_character_query_is_refused_in_chinese(self, session, mine, staff):
        suggestion(session, mine, "关于电梯的建议")
        response = client_for(staff).get(reverse("congress:search"), {"q": "梯"})
        assert response.status_code == 200
        body = response.content.decode()
        assert "请至少输入 2 个字再搜索。" in body and "关于电梯的建议" not in body

    def test_a_nul_or_control_character_in_the_query_is_dropped_not_a_server_error(self, session, mine, staff,
                                                                                     deputy_user):
        suggestion(session, mine, "关于电梯的建议")
        for client, url in ((client_for(staff), reverse("congress:search")), (client_for(deputy_user), reverse("portal:search"))):
            response = client.get(url, {"q": "电梯\x00\x07"})
            assert response.status_code == 200
            assert "<mark>电梯</mark>" in response.content.decode()

    def test_the_admin_index_links_the_search(self, staff):
        body = client_for(staff).get(reverse("admin:index")).content.decode()
        assert f'action="{reverse("congress:search")}"' in body


class TestCost:
    @staticmethod
    def world(session, town, n):
        kind, _ = DutyActivityType.objects.get_or_create(name="视察")
        station, _ = Station.objects.get_or_create(name="联络站", kind=Station.Kind.LIAISON, town=town, address="路1号")
        for i in range(n):
            deputy = make_deputy(f"电梯代表{Suggestion.objects.count()}", town, 50 + Suggestion.objects.count())
            suggestion(session, deputy, f"关于电梯的建议{i}")
            VoterOpinion.objects.create(tracking_code=f"C{VoterOpinion.objects.count():05d}", station=station,
                                        content="电梯坏了")
            DutyActivity.objects.create(title="电梯安全视察", activity_type=kind, date=datetime.date(2026, 5, 1), organizer=town)

    def queries(self, client, q="电梯") -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse("congress:search"), {"q": q}).status_code == 200
        return len(ctx.captured_queries)

    def test_the_query_count_does_not_grow_with_rows(self, session, town_a, staff):
        client = client_for(staff)
        self.world(session, town_a, 2)
        self.queries(client)  # the first request of a session writes it
        few = self.queries(client)
        self.world(session, town_a, 6)
        assert self.queries(client) == few

    def test_the_portal_query_count_does_not_grow_with_rows(self, session, mine, deputy_user):
        client = client_for(deputy_user)
        suggestion(session, mine, "关于电梯的建议")
        client.get(reverse("portal:search"), {"q": "电梯"})  # the first request of a session writes it
        with CaptureQueriesContext(connection) as ctx:
            client.get(reverse("portal:search"), {"q": "电梯"})
        few = len(ctx.captured_queries)
        for i in range(5):
            suggestion(session, mine, f"关于电梯的建议{i}")
        with CaptureQueriesContext(connection) as ctx:
            client.get(reverse("portal:search"), {"q": "电梯"})
        assert len(ctx.captured_queries) == few


@pytest.mark.skipif(connection.vendor != "postgresql", reason="EXPLAIN of PostgreSQL plans")
def test_a_title_search_uses_the_trigram_index(session, town_a, term):
    """With a few thousand suggestions of a realistic width (a few hundred characters each) and statistics gathered,
    `title icontains` (3+ characters) is answered by the GIN trigram index on UPPER(title), not a sequential scan."""
    deputies = [make_deputy(f"代表{i}", town_a, 100 + i) for i in range(20)]
    words = ["道路", "电梯", "学校", "医院", "公园", "排水", "路灯", "停车", "养老", "菜场"]
    Suggestion.objects.bulk_create(
        Suggestion(term=term, session=session, title=f"关于{words[i % 10]}{words[i // 10 % 10]}第{i}项的建议",
                   content=f"第{i}项建议的内容。" + "群众反映的情况和建议的办法" * 30, lead_deputy=deputies[i % 20],
                   status=Suggestion.Status.REGISTERED)
        for i in range(4000))
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE proposals_suggestion")
    plan = Suggestion.objects.filter(title__icontains="第1234项").explain()
    assert "proposals_suggestion_title_trgm" in plan, plan
    assert not seq_scans(plan, "proposals_suggestion"), plan


@pytest.mark.skipif(connection.vendor != "postgresql", reason="EXPLAIN of PostgreSQL plans")
def test_a_two_character_search_uses_the_bigram_indexes_and_finds_the_same_rows(session, town_a, term):
    """pg_trgm extracts no trigram from “电梯”: icontains scans the table (the control). The search's ``bigram`` lookup
    over title and content is answered by the two GIN bigram indexes and returns exactly the icontains rows."""
    from congress.lib.search import ranked, substring_lookup

    deputies = [make_deputy(f"代表{i}", town_a, 100 + i) for i in range(20)]
    words = ["道路", "学校", "医院", "公园", "排水", "路灯", "停车", "养老", "菜场", "绿化"]
    rows = [Suggestion(term=term, session=session, title=f"关于{words[i % 10]}第{i}项的建议",
                       content=f"第{i}项建议的内容。" + "群众反映的情况和建议的办法" * 30, lead_deputy=deputies[i % 20],
                       status=Suggestion.Status.REGISTERED) for i in range(4000)]
    rows[17].title, rows[2500].content = "关于加装电梯的建议", rows[2500].content + "老旧小区加装电梯"
    Suggestion.objects.bulk_create(rows)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE proposals_suggestion")
    control = Suggestion.objects.filter(Q(title__icontains="电梯") | Q(content__icontains="电梯")).explain()
    assert seq_scans(control, "proposals_suggestion"), control
    assert substring_lookup("电梯") == "bigram" and substring_lookup("加装电梯") == "icontains"
    found = ranked(Suggestion.objects.all(), "电梯", "title", ("content",), ("-id",), 10)
    plan = found.explain()
    assert "proposals_suggestion_title_bigram" in plan and "proposals_suggestion_content_bigram" in plan, plan
    assert not seq_scans(plan, "proposals_suggestion"), plan
    assert [(s.title, s.title_match) for s in found] == [("关于加装电梯的建议", 1), (rows[2500].title, 0)]
    # upper and lower case are one, as icontains has them
    Suggestion.objects.filter(pk=found[0].pk).update(title="关于AB门禁的建议")
    assert [s.pk for s in ranked(Suggestion.objects.all(), "ab", "title", (), ("-id",), 10)] == [found[0].pk]
