"""全局搜索 over supervision work (supervision/selectors_search.py): each kind is found by a word of its title and by a
word of its text, with the match marked; only users holding the admin's view permission find it; the page's cost does
not grow with the items; on PostgreSQL a two-character search of rectification items uses their bigram indexes."""
import datetime
import importlib
import itertools

import pytest
from django.db import connection
from django.db.models import Q
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from conftest import client_for
from congress.lib import search
from deputies.models import Deputy
from supervision.models import (
    Appraisal,
    Inquiry,
    Inspection,
    InspectionProblem,
    LivelihoodProject,
    LivelihoodRound,
    MeetingRequest,
    Rectification,
    ReviewOpinion,
    WorkReport,
)
from supervision.selectors_search import SEARCHED, SOURCES, meeting_request_hits
from supervision.tests.livelihood_helpers import make_session
from tests.plans import seq_scans
from tests.sample import sample_id_number

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 6, 1)
TITLE_WORD = "电梯"          # two characters: the bigram lookup on PostgreSQL
BODY_WORD = "停车难问题"      # five: icontains (the trigram indexes on PostgreSQL)
FINDERS = {kind: finder for kind, finder, _ in SOURCES}


class World:
    """What the items hang on: an organ, a working body, a meeting, a deputy, a livelihood round; `make(kind, title,
    body)` adds one item of a kind, `title` in its title column and `body` in its text."""

    def __init__(self, term, unit_org, working_body, meeting, staff, town):
        self.term, self.unit, self.body_org, self.meeting, self.staff = term, unit_org, working_body, meeting, staff
        self.deputy = Deputy.objects.create(full_name="吴代表", gender="M", id_number=sample_id_number(901), town=town)
        self.round = LivelihoodRound.objects.create(session=make_session(term), year=2026, title="2026年民生实事项目票决",
                                                    places=3)
        self.n = itertools.count(1)

    def report(self, topic, deliberation=""):
        return WorkReport.objects.create(year=2026, topic=topic, organization=self.unit, working_body=self.body_org,
                                         deliberation=deliberation)

    def inspection(self, law, plan="检查方案"):
        return Inspection.objects.create(year=2026, law=law, working_body=self.body_org, plan=plan, start_date=TODAY,
                                         end_date=TODAY, report_due=TODAY)

    def make(self, kind, title, body):
        n = next(self.n)
        if kind == "专项工作报告":
            return self.report(title, body)
        if kind == "审议意见":
            return ReviewOpinion.objects.create(work_report=self.report(f"关于某项工作的报告{n}"), organization=self.unit,
                                                text=f"{title}{body}", sent_on=TODAY, sent_by=self.staff, due_date=TODAY)
        if kind == "专题询问":
            return Inquiry.objects.create(meeting=self.meeting, topic=title, description=body)
        if kind == "工作评议":
            return Appraisal.objects.create(term=self.term, year=2000 + n, organization=self.unit,
                                            kind=Appraisal.Kind.SPECIAL, subject=title, opinion=body)
        if kind == "执法检查":
            return self.inspection(title, body)
        if kind == "执法检查发现的问题":
            return InspectionProblem.objects.create(inspection=self.inspection(f"《某法》{n}"), number=1, organization=self.unit,
                                                    title=title, detail=body, due_date=TODAY)
        if kind == "整改事项":
            return Rectification.objects.create(organization=self.unit, title=title, description=body, due_date=TODAY)
        if kind == "代表约见":
            return MeetingRequest.objects.create(subject=title, content=body or "理由", organization=self.unit,
                                                 drafted_by=self.deputy, status=MeetingRequest.Status.PROPOSED)
        if kind == "民生实事项目":
            return LivelihoodProject.objects.create(round=self.round, title=title, description=body,
                                                    source=LivelihoodProject.Source.UNIT, organization=self.unit)
        raise AssertionError(kind)


@pytest.fixture
def world(term, unit_org, working_body, meeting, staff, town_a):
    return World(term, unit_org, working_body, meeting, staff, town_a)


# a review opinion has no title of its own (its work report's topic names it): only its text is searched
TITLED = [kind for kind in FINDERS if kind != "审议意见"]


class TestFound:
    @pytest.mark.parametrize("kind", TITLED)
    def test_it_finds_an_item_by_a_word_of_its_title_marked_first(self, kind, world, staff):
        world.make(kind, "有关其他事项", f"其中也提到{TITLE_WORD}")
        world.make(kind, f"关于老旧小区加装{TITLE_WORD}的事项", "正文内容")
        hits = FINDERS[kind](staff, TITLE_WORD, 10)
        assert [h.title_match for h in hits] == [True, False]
        assert TITLE_WORD in hits[0].title and TITLE_WORD in hits[1].body
        assert f"<mark>{TITLE_WORD}</mark>" in search.highlight(hits[0].title, TITLE_WORD)

    @pytest.mark.parametrize("kind", FINDERS)
    def test_it_finds_an_item_by_a_word_of_its_text_with_the_passage_marked(self, kind, world, staff):
        item = world.make(kind, "关于某项工作的事项", "群众反映" * 30 + f"小区{BODY_WORD}突出" + "有关情况" * 30)
        world.make(kind, "关于另一项工作的事项", "无关的内容")
        [hit] = FINDERS[kind](staff, BODY_WORD, 10)
        assert not hit.title_match
        assert f"<mark>{BODY_WORD}</mark>" in search.highlight(hit.body, BODY_WORD)
        assert len(hit.body) < 70  # the passage around the match, not the whole text
        target = item.inspection if isinstance(item, InspectionProblem) else item
        assert hit.url == reverse(f"admin:supervision_{target._meta.model_name}_change", args=[target.pk])
        assert client_for(staff).get(hit.url).status_code == 200

    @pytest.mark.parametrize("kind", FINDERS)
    def test_the_page_shows_the_kinds_heading_and_the_marked_match_to_staff(self, kind, world, staff):
        world.make(kind, f"关于加装{TITLE_WORD}的事项", f"正文：{TITLE_WORD}")
        body = client_for(staff).get(reverse("congress:search"), {"q": TITLE_WORD}).content.decode()
        assert f"<h2>{kind}（1）</h2>" in body
        assert f"<mark>{TITLE_WORD}</mark>" in body


class TestPermissions:
    @pytest.mark.parametrize("kind", FINDERS)
    def test_users_without_the_view_permission_find_nothing(self, kind, world, staff, leader, deputy_user, unit_user,
                                                             outsider, town_staff):
        world.make(kind, f"关于加装{TITLE_WORD}的事项", f"正文：{TITLE_WORD}")
        assert len(FINDERS[kind](staff, TITLE_WORD, 10)) == len(FINDERS[kind](leader, TITLE_WORD, 10)) == 1
        for user in (deputy_user, unit_user, outsider, town_staff):
            assert FINDERS[kind](user, TITLE_WORD, 10) == [], user
        # town staff may use the search page, and see no supervision group there
        body = client_for(town_staff).get(reverse("congress:search"), {"q": TITLE_WORD}).content.decode()
        assert f"<h2>{kind}（" not in body

    def test_staff_never_find_a_deputys_draft_meeting_request(self, world, staff):
        world.make("代表约见", f"关于{TITLE_WORD}维保的约见（已提出）", "理由")
        MeetingRequest.objects.create(subject=f"关于{TITLE_WORD}维保的约见（草稿）", content="理由", organization=world.unit,
                                      drafted_by=world.deputy, status=MeetingRequest.Status.DRAFT)
        assert [h.title for h in meeting_request_hits(staff, TITLE_WORD, 10)] == [f"关于{TITLE_WORD}维保的约见（已提出）"]

    def test_every_source_is_registered_after_the_other_apps(self):
        registered = {s.kind: s.order for s in search.staff_sources}
        assert {kind: registered.get(kind) for kind in FINDERS} == {kind: order for kind, _, order in SOURCES}
        assert min(order for _, _, order in SOURCES) > 50


class TestCost:
    @staticmethod
    def fill(world, n):
        for kind in FINDERS:
            for _ in range(n):
                world.make(kind, f"关于{TITLE_WORD}的事项", f"正文：{TITLE_WORD}")

    @staticmethod
    def queries(client) -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse("congress:search"), {"q": TITLE_WORD}).status_code == 200
        return len(ctx.captured_queries)

    def test_the_page_query_count_does_not_grow_with_supervision_items(self, world, staff):
        client = client_for(staff)
        self.fill(world, 3)
        self.queries(client)  # the first request of a session writes it
        few = self.queries(client)
        self.fill(world, 9)
        body = client.get(reverse("congress:search"), {"q": TITLE_WORD}).content.decode()
        assert all(f"<h2>{kind}（10，仅显示前 10 条）</h2>" in body for kind in FINDERS)
        assert self.queries(client) == few


def test_the_migration_indexes_every_searched_column():
    migration = importlib.import_module("supervision.migrations.0009_search_indexes")
    searched = {model._meta.db_table: sorted(filter(None, [title, *body])) for model, (title, body) in SEARCHED.items()}
    assert {table: sorted(columns) for table, columns in migration.COLUMNS.items()} == searched


@pytest.mark.skipif(connection.vendor != "postgresql", reason="EXPLAIN of PostgreSQL plans")
def test_a_two_character_rectification_search_uses_the_bigram_indexes(unit_org):
    """pg_trgm extracts no trigram from “电梯”: icontains scans the table (the control). The rectification source's
    query over title and description is answered by the two GIN bigram indexes and finds the same rows."""
    from congress.lib.search import ranked

    words = ["道路", "学校", "医院", "公园", "排水", "路灯", "停车", "养老", "菜场", "绿化"]
    rows = [Rectification(organization=unit_org, title=f"{words[i % 10]}问题第{i}项整改", due_date=TODAY,
                          description=f"第{i}项整改的要求。" + "检查中发现的问题和整改的办法" * 30) for i in range(4000)]
    rows[17].title, rows[2500].description = "老旧小区电梯维保整改", rows[2500].description + "加装电梯"
    Rectification.objects.bulk_create(rows)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE supervision_rectification")
    control = Rectification.objects.filter(Q(title__icontains="电梯") | Q(description__icontains="电梯")).explain()
    assert seq_scans(control, "supervision_rectification"), control
    found = ranked(Rectification.objects.all(), "电梯", "title", ("description",), ("-created_at", "-id"), 10)
    plan = found.explain()
    assert "supervision_rectification_title_bigram" in plan and "supervision_rectification_description_bigram" in plan, plan
    assert not seq_scans(plan, "supervision_rectification"), plan
    assert [(r.title, r.title_match) for r in found] == [("老旧小区电梯维保整改", 1), (rows[2500].title, 0)]
