"""The reports' chapters (congress.reports.registry): every figure equals the one counted by hand on
tests/reports_fixture.py, for March 2026 and for the whole year."""
import pytest

from congress.lib import charts
from congress.reports.registry import ChapterData, build_chapters, chapter_sources, month_bounds, months_between
from congress.selectors import meeting_period_counts
from deputies.selectors import activities_by_type, activity_period_counts, checklist_totals, score_summary
from proposals.selectors.period import (
    suggestion_period_counts,
    suggestions_by_category,
    suggestions_by_month,
    unit_rates_year_to_date,
)
from stations.selectors import opinions_by_category, receptions_by_town, station_period_counts, stations_by_kind
from supervision.selectors import polls_closed_in, rectification_period_counts, rectifications_by_organization
from tests import reports_fixture as fx

MARCH, YEAR = fx.MARCH, fx.YEAR


@pytest.fixture
def world(db, term, town_a, town_b, unit_org, staff):
    return fx.build(term=term, town_a=town_a, town_b=town_b, unit_org=unit_org, actor=staff)


def test_every_app_registers_its_chapter():
    assert {"meetings", "suggestions", "deputies", "stations", "supervision"} <= set(chapter_sources)


def test_month_bounds_and_months():
    assert month_bounds(2026, 2) == (fx.D(2026, 2, 1), fx.D(2026, 2, 28))
    assert month_bounds(2026, 12) == (fx.D(2026, 12, 1), fx.D(2026, 12, 31))
    assert months_between(fx.D(2025, 11, 5), fx.D(2026, 2, 1)) == [(2025, 11), (2025, 12), (2026, 1), (2026, 2)]


class TestMeetings:
    def test_march(self, world):
        counts = meeting_period_counts(*MARCH)
        assert counts["meetings"] == {"standing": 1, "council": 1}
        assert counts["agenda"] == {"report": 2, "inquiry": 1}
        assert counts["appointments"] == {"appoint": 2}

    def test_year(self, world):
        counts = meeting_period_counts(*YEAR)
        assert counts["meetings"] == {"standing": 2, "council": 1}
        assert counts["agenda"] == {"report": 3, "inquiry": 1}
        assert counts["appointments"] == {"appoint": 2, "remove": 1}


class TestSuggestions:
    def test_march_counts(self, world):
        assert suggestion_period_counts(*MARCH) == {"registered": 2, "assigned": 2, "replies": 1, "closed": 1,
                                                    "evaluations": 1}
        assert suggestions_by_category(*MARCH) == [("城乡建设规划", 1), ("教育科技", 1)]

    def test_year_by_month_and_category(self, world):
        assert suggestion_period_counts(*YEAR)["registered"] == 3
        assert suggestions_by_category(*YEAR) == [("城乡建设规划", 2), ("教育科技", 1)]
        assert suggestions_by_month(*YEAR) == {(2026, 2): 1, (2026, 3): 2}

    def test_rates_by_unit_count_only_replying_assignments(self, world, unit_org):
        rows = {row["label"]: row for row in unit_rates_year_to_date(MARCH[1])}
        assert set(rows) == {"区住房和城乡建设局", "区教育局"}  # the assisting assignment is not a 件次
        housing, education = dict(rows["区住房和城乡建设局"]["rates"]), dict(rows["区教育局"]["rates"])
        assert rows["区住房和城乡建设局"]["count"] == 1 and rows["区教育局"]["count"] == 1
        assert (housing["按期答复率"].numerator, housing["按期答复率"].denominator) == (1, 1)
        assert (housing["满意率"].numerator, housing["满意率"].denominator) == (1, 1)
        assert (education["办结率"].numerator, education["办结率"].denominator) == (0, 1)
        assert education["按期答复率"].value is None  # not due, not answered: not counted either way

    def test_chapter(self, world):
        chapter = chapter_sources["suggestions"].build(*MARCH)
        assert chapter.figures["登记建议"] == 2 and chapter.figures["办结建议"] == 1
        table = chapter.tables[0]
        assert ["区住房和城乡建设局", 1, "100.0%", "100.0%", "100.0%", "100.0%", "—"] in table.rows
        assert ["区教育局", 1, "—", "0.0%", "—", "—", "—"] in table.rows
        assert [c.title for c in chapter.charts] == ["登记建议分类", "各承办单位满意率"]  # one month: no line
        year = chapter_sources["suggestions"].build(*YEAR)
        line = next(c for c in year.charts if c.kind == "line")
        assert line.values[:4] == [0, 1, 2, 0] and len(line.labels) == 12


class TestDeputies:
    def test_march(self, world):
        # 视察老旧小区改造 (2 present, 1 absent) and 走访社区选民 (1 present); the unverified one does not count
        assert activity_period_counts(*MARCH) == {"activities": 2, "attendances": 3, "deputies": 2}
        assert activities_by_type(*MARCH) == [("走访选民", 1), ("集中视察", 1)]

    def test_year(self, world):
        assert activity_period_counts(*YEAR) == {"activities": 3, "attendances": 4, "deputies": 3}
        # 一次监督活动: all three (王强 in February); 一次走访选民: 张建国 only
        assert checklist_totals(2026) == {"deputies": 3, "supervision": 3, "visit": 1}

    def test_points(self, world):
        # 张建国 2 + 1, 李秀英 2, 王强 -1 (absent) + 2 (February): average 6 / 3
        summary = score_summary(year=2026, until=MARCH[1])
        assert summary["deputies"] == 3 and summary["average"] == 2.0
        assert summary["top"] == [("张建国", "城东街道", 3.0), ("李秀英", "城东街道", 2.0), ("王强", "临江镇", 1.0)]

    def test_points_of_suggestions_count_as_in_each_deputy_s_duty_record(self, world):
        from deputies.models import DutyActivityType, PointRule
        from deputies.selectors import deputy_score
        from proposals.models import Suggestion

        good = DutyActivityType.objects.create(name="提出建议", is_active=False,
                                               checklist_item=DutyActivityType.ChecklistItem.SUGGESTION)
        PointRule.objects.create(activity_type=good, points_present=3, effective_from=fx.D(2020, 1, 1))
        # 张建国's closed suggestion counts (submitted in March); 李秀英's would too but is submitted in April
        Suggestion.objects.filter(lead_deputy=world["deputies"][0]).update(submitted_at=fx.at(fx.D(2026, 3, 2)))
        Suggestion.objects.filter(lead_deputy=world["deputies"][1]).update(submitted_at=fx.at(fx.D(2026, 4, 2)))
        summary = score_summary(year=2026, until=MARCH[1])
        assert summary["top"][0] == ("张建国", "城东街道", 6.0) and summary["average"] == 3.0
        for deputy in world["deputies"]:  # the bulk sum equals the portal's score of each deputy
            name = deputy.full_name
            assert float(deputy_score(deputy, 2026, MARCH[1])) == dict((n, s) for n, _, s in summary["top"])[name]

    def test_chapter(self, world):
        chapter = chapter_sources["deputies"].build(*MARCH)
        assert chapter.figures["履职活动（已核实）"] == 2 and chapter.figures["在任区人大代表（人）"] == 3
        assert ["一次监督活动", 3, "100.0%"] in chapter.tables[1].rows
        assert ["一次走访选民", 1, "33.3%"] in chapter.tables[1].rows


class TestStations:
    def test_march(self, world):
        assert station_period_counts(*MARCH) == {
            "stations": 2, "receptions": 2, "visitors": 20, "reception_opinions": 3, "opinions": 3,
            "opinions_done": 2, "closed_rate": 66.7, "satisfied_rate": 100.0}
        assert stations_by_kind() == [("代表之家", 1), ("代表联络站", 1)]
        assert opinions_by_category(*MARCH) == [("交通出行", 2), ("城乡建设", 1)]
        assert receptions_by_town(*MARCH) == [("城东街道", 1, 12), ("临江镇", 1, 8)]

    def test_year(self, world):
        counts = station_period_counts(*YEAR)
        assert (counts["receptions"], counts["visitors"], counts["opinions"]) == (3, 25, 4)
        assert counts["closed_rate"] == 50.0

    def test_chapter(self, world):
        chapter = chapter_sources["stations"].build(*MARCH)
        assert chapter.figures["社情民意办结率"] == "66.7%" and chapter.figures["接待群众（人次）"] == 20


class TestSupervision:
    def test_march(self, world):
        polls = polls_closed_in(*MARCH)
        assert [(p["title"], p["result_label"]) for p in polls] == [("对区住建局的满意度测评", "满意"),
                                                                     ("对区教育局的满意度测评", "基本满意")]
        # 整改甲 open and past due, 整改丙 open, 整改乙 accepted in March, 整改丁 made in April
        assert rectification_period_counts(*MARCH) == {"created": 2, "accepted": 1, "open": 2, "overdue": 1}
        assert rectifications_by_organization(MARCH[1]) == [("区住房和城乡建设局", 3, 1)]

    def test_chapter(self, world):
        chapter = chapter_sources["supervision"].build(*MARCH)
        assert chapter.figures["开展满意度测评（次）"] == 2 and chapter.figures["测评结果为满意"] == 1
        assert chapter.figures["其中超过整改期限"] == 1


def test_all_chapters_in_order_survive_json(world):
    seen = []
    chapters = build_chapters(*MARCH, progress=lambda done, total: seen.append((done, total)))
    assert [c.key for c in chapters] == sorted((c.key for c in chapters), key=lambda k: chapter_sources[k].order)
    assert seen[-1][0] == seen[-1][1] == len(chapters)
    for chapter in chapters:
        assert ChapterData.from_dict(chapter.as_dict()) == chapter


def test_charts_are_svg_with_tooltips_and_escaped_labels():
    svg = charts.bar_chart(["区住建局", "<script>"], [3, 1.5], title="各单位", unit="件")
    assert svg.startswith("<svg") and "<title>区住建局：3件</title>" in svg
    assert "<script>" not in svg and "&lt;script&gt;" in svg
    line = charts.line_chart(["1月", "2月", "3月"], [0, 1, 2], title="各月")
    assert line.count("<circle") == 3 and "<title>3月：2</title>" in line
    assert "暂无数据" in charts.bar_chart([], [], title="空")
