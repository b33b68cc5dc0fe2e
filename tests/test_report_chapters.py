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
from supervision.selectors_period import (
    appraisal_ranking_rows,
    appraisals_in,
    inquiries_held,
    review_opinion_handling,
    review_opinion_rows,
    work_reports_heard,
)
from tests import reports_fixture as fx

MARCH, YEAR = fx.MARCH, fx.YEAR


@pytest.fixture
def world(db, term, town_a, town_b, unit_org, staff):
    return fx.build(term=term, town_a=town_a, town_b=town_b, unit_org=unit_org, actor=staff)


def test_every_app_registers_its_chapter():
    assert {"meetings", "suggestions", "deputies", "stations", "supervision", "work_reports", "inquiries",
            "appraisals"} <= set(chapter_sources)


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


@pytest.fixture
def supervision_world(world, term, unit_org, staff):
    return {**world, **fx.build_supervision(term=term, unit_org=unit_org, unit2=world["unit2"], deputies=world["deputies"],
                                            actor=staff)}


class TestSupervisionWork:
    """The period's supervision work on tests/reports_fixture.py's build_supervision (its comments give the data)."""

    def test_work_reports_heard(self, supervision_world, django_assert_num_queries):
        with django_assert_num_queries(2):
            march = work_reports_heard(*MARCH)
        assert march["count"] == 2  # the planned one and April's are not heard in March
        assert march["by_organ"] == [("区住房和城乡建设局", 1), ("区教育局", 1)]
        assert [topic for _, _, topic in march["topics"]] == ["城市更新工作情况", "义务教育均衡发展情况"]
        year = work_reports_heard(*YEAR)  # November 2025's report belongs to last year
        assert year["count"] == 3 and year["by_organ"] == [("区住房和城乡建设局", 2), ("区教育局", 1)]
        assert year["topics"][-1] == (fx.D(2026, 4, 5), "区住房和城乡建设局", "保障性住房建设情况")

    def test_review_opinions_in_march(self, supervision_world, django_assert_num_queries):
        with django_assert_num_queries(4):
            march = review_opinion_handling(*MARCH)
        # sent: O1, O2; no handling report arrives in March; O2 (due March 25) is owed and late at March 31, O3 was
        # reported in January; O3's first poll (不满意) closed and its re-report was asked for on March 12
        assert march == {"sent": 2, "reports": 0, "on_time": 0, "late": 0, "overdue": 1, "polls": 1,
                         "poll_results": {"satisfied": 0, "basic": 0, "unsatisfied": 1}, "rereports_asked": 1,
                         "rereports": 0, "rereports_late": 0}

    def test_review_opinions_in_the_year(self, supervision_world):
        # O3's report on January 15 is late (due January 10), O1's on April 20 on time; O3 re-reported May 1 (due June 12)
        assert review_opinion_handling(*YEAR) == {
            "sent": 2, "reports": 2, "on_time": 1, "late": 1, "overdue": 1, "polls": 2,
            "poll_results": {"satisfied": 1, "basic": 0, "unsatisfied": 1}, "rereports_asked": 1, "rereports": 1,
            "rereports_late": 0}

    def test_review_opinion_rows_carry_the_latest_poll_by_the_period_s_end(self, supervision_world,
                                                                           django_assert_num_queries):
        with django_assert_num_queries(2):
            march = review_opinion_rows(*MARCH)
        assert [(row[0], row[-1]) for row in march] == [("食品安全工作情况", "不满意"), ("城市更新工作情况", "—"),
                                                         ("义务教育均衡发展情况", "—")]
        assert review_opinion_rows(*YEAR)[0][-1] == "满意"
        # closed in May: not under way in June
        assert [row[0] for row in review_opinion_rows(fx.D(2026, 6, 1), fx.D(2026, 6, 30))] == [
            "城市更新工作情况", "义务教育均衡发展情况"]

    def test_inquiries(self, supervision_world, django_assert_num_queries):
        with django_assert_num_queries(2):
            march = inquiries_held(*MARCH)
        assert (march["count"], march["questions"], march["follow_ups"], march["on_the_spot"]) == (1, 2, 1, 1)
        assert (march["commitments"], march["rectifications"], march["accepted"]) == (3, 2, 1)
        assert march["rows"][0]["organizations"] == "区住房和城乡建设局、区教育局"
        year = inquiries_held(*YEAR)  # the one still in preparation is not counted
        assert (year["count"], year["questions"], year["follow_ups"], year["on_the_spot"]) == (2, 4, 2, 1)
        assert (year["commitments"], year["rectifications"], year["accepted"]) == (4, 2, 1)
        # accepted on March 28: not yet by a period ending March 20
        assert inquiries_held(fx.D(2026, 3, 1), fx.D(2026, 3, 20))["accepted"] == 0

    def test_appraisals(self, supervision_world, django_assert_num_queries):
        with django_assert_num_queries(4):
            march = appraisals_in(*MARCH)
        # March 10: 住建局; the term so far: 水务局 (2025) and 住建局, of the five active departments
        assert march == {"departments": 1, "comprehensive": 1, "special": 0, "again": 0,
                         "coverage": {"term": 17, "appraised": 2, "departments": 5}}
        # the year: 住建局, 教育局 (专项), 民政局, and 民政局 again in June (a department counted once in coverage)
        assert appraisals_in(*YEAR) == {"departments": 3, "comprehensive": 2, "special": 1, "again": 1,
                                        "coverage": {"term": 17, "appraised": 4, "departments": 5}}

    def test_ranking_rows(self, supervision_world, django_assert_num_queries):
        with django_assert_num_queries(3):
            ranking = appraisal_ranking_rows(2026)
        assert ranking["headers"] == ["名次", "被评议部门", "问卷调查（30%）", "满意度测评（50%）", "整改落实（20%）", "总分", "等次"]
        assert ranking["rows"] == [[1, "区住房和城乡建设局", "90.00", "95.00", "80.00", "90.50", "优秀"],
                                   [1, "区民政局", "90.00", "95.00", "80.00", "90.50", "不合格"],
                                   [3, "区教育局", "80.00", "85.00", "70.00", "80.50", "良好"]]
        assert ranking["unscored"] == 1  # 水务局, still mobilizing

    def test_chapters(self, supervision_world):
        reports = chapter_sources["work_reports"].build(*YEAR)
        assert reports.figures["听取审议专项工作报告（项）"] == 3 and reports.figures["其中逾期报告"] == 1
        assert reports.figures["测评不满意"] == 1 and reports.figures["收到再次报告（份）"] == 1
        assert reports.charts[0].labels == ["区住房和城乡建设局", "区教育局"] and reports.charts[0].values == [2, 1]
        inquiries = chapter_sources["inquiries"].build(*MARCH)
        assert inquiries.figures["开展专题询问（次）"] == 1 and inquiries.figures["提出问题（个）"] == 4
        assert inquiries.tables[0].rows[0][3:] == [2, 1, 1, 3, 2, 1]
        appraisals = chapter_sources["appraisals"].build(*YEAR)
        assert appraisals.figures["评议政府部门（个）"] == 3 and appraisals.figures["届内评议覆盖率"] == "80.0%"
        assert appraisals.figures["第17届累计评议部门（个）"] == 4
        assert appraisals.charts[0].values == [90.5, 90.5, 80.5]
        for chapter in (reports, inquiries, appraisals):
            assert ChapterData.from_dict(chapter.as_dict()) == chapter

    def test_chapters_of_an_empty_period_draw_no_empty_chart(self, supervision_world):
        chapters = {key: chapter_sources[key].build(fx.D(2024, 1, 1), fx.D(2024, 1, 31))
                    for key in ("work_reports", "inquiries", "appraisals")}
        assert chapters["work_reports"].figures["听取审议专项工作报告（项）"] == 0 and not chapters["work_reports"].charts
        assert chapters["appraisals"].tables[0].rows == [] and not chapters["appraisals"].charts
