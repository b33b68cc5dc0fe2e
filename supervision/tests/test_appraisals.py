"""工作评议 through its services: each phase with the right person and state, refused in the wrong state and for the
wrong person; the questionnaires, the meeting's poll (its source the appraisal; 不满意 opens a re-appraisal), the
rectification items, the scores; the year's ranking computed by hand (exact decimals, a tie sharing its rank)."""
import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from congress.models import Notification, StateChange
from congress.services import CongressError
from supervision import selectors, services
from supervision.models import Appraisal, AppraisalScore, AppraisalSurvey
from supervision.tests.appraisal_helpers import YEAR, A, C, appraisal_in, make_department, make_scheme, score

pytestmark = pytest.mark.django_db
R = AppraisalSurvey.Respondents


@pytest.fixture
def scheme(db):
    return make_scheme()


def steps(appraisal):
    return list(StateChange.objects.filter(workflow="appraisal", object_id=appraisal.pk).values_list("action", flat=True))


class TestThePhases:
    def test_an_appraisal_from_mobilization_to_its_end(self, staff, term, unit_org, unit_user, members, scheme):
        a = services.appraisal_create(actor=staff, term=term, year=YEAR, organization=unit_org)
        assert a.status == A.MOBILIZING and str(a) == f"{YEAR}年度对区住房和城乡建设局的综合评议"
        a = services.appraisal_start_survey(actor=staff, appraisal=a, note="召开动员会")
        services.appraisal_record_survey(actor=staff, appraisal=a, respondents=R.DEPUTIES, sent=50, returned=46, score="88.5")
        services.appraisal_record_survey(actor=staff, appraisal=a, respondents=R.VOTERS, sent=200, returned=150, score=79)
        # counted again: the later count replaces the earlier one
        services.appraisal_record_survey(actor=staff, appraisal=a, respondents=R.VOTERS, sent=200, returned=160, score=80)
        assert sorted(a.surveys.values_list("respondents", "returned", "score")) == [
            (R.DEPUTIES, 46, Decimal("88.50")), (R.VOTERS, 160, Decimal("80.00"))]
        a = services.appraisal_start_self_check(actor=staff, appraisal=a)
        assert Notification.objects.filter(recipient=unit_user, kind="appraisal_self_check").exists()
        a = services.appraisal_submit_self_check(actor=unit_user, appraisal=a, report="自查发现审批时限过长等问题三项。")
        assert a.self_check_at is not None
        assert Notification.objects.filter(recipient=staff, kind="appraisal_self_check_submitted").exists()
        from congress.models import Meeting

        meeting = Meeting.objects.create(term=term, kind=Meeting.Kind.STANDING, number=41, date=datetime.date.today())
        a = services.appraisal_convene(actor=staff, appraisal=a, meeting=meeting)
        assert a.status == A.MEETING and (a.poll.source_workflow, a.poll.source_id) == ("appraisal", a.pk)
        assert a.poll.meeting == meeting and a.poll.organization == unit_org
        with pytest.raises(CongressError, match="满意度测评尚未结束投票"):
            services.appraisal_conclude(actor=staff, appraisal=a, opinion="意见")
        poll = services.poll_open(actor=staff, poll=a.poll)
        for deputy in members[:6]:
            services.poll_vote(actor=deputy.user, poll=poll, choice=C.SATISFIED)
        services.poll_close(actor=staff, poll=poll)
        a = services.appraisal_conclude(actor=staff, appraisal=a, opinion="审批服务效率有待提高。")
        assert (a.status, a.result) == (A.RECTIFYING, C.SATISFIED)
        item = services.appraisal_assign(actor=staff, appraisal=a, title="压缩建设工程审批时限",
                                         due_date=services.appraisals.rectification_due())
        assert (item.source_workflow, item.source_id, item.organization) == ("appraisal", a.pk, unit_org)
        assert item.source_label.startswith("工作评议：")
        a = services.appraisal_start_review(actor=staff, appraisal=a)
        with pytest.raises(CongressError, match="还有1项整改事项未验收"):
            services.appraisal_close(actor=staff, appraisal=a)
        services.rectification_report(actor=unit_user, rectification=item, text="审批时限压缩至15个工作日", final=True)
        services.rectification_accept(actor=staff, rectification=item)
        with pytest.raises(CongressError, match="请先录入各测评项目的得分"):
            services.appraisal_close(actor=staff, appraisal=a)
        total = services.appraisal_record_scores(actor=staff, appraisal=a, scores={
            asp: v for asp, v in zip(scheme.aspects.order_by("order"), ["84.2", "90", "75"], strict=True)})
        assert total == Decimal("85.26")  # 84.2×30% + 90×50% + 75×20% = 25.26 + 45 + 15
        a = services.appraisal_close(actor=staff, appraisal=a, note="回头看完成")
        assert a.status == A.CLOSED
        assert steps(a) == ["create", "survey", "record_survey", "record_survey", "record_survey", "self_check",
                            "report_self_check", "convene", "conclude", "assign", "review", "record_scores", "close"]

    def test_a_special_appraisal_names_its_work(self, staff, term, unit_org):
        with pytest.raises(CongressError, match="专项评议须写明所评议的工作"):
            services.appraisal_create(actor=staff, term=term, year=YEAR, organization=unit_org, kind="special")
        a = services.appraisal_create(actor=staff, term=term, year=YEAR, organization=unit_org, kind="special",
                                      subject="老旧小区改造")
        assert str(a) == f"{YEAR}年度对区住房和城乡建设局的老旧小区改造专项评议"

    def test_one_appraisal_per_department_and_year_and_only_departments(self, staff, term, unit_org, town_a):
        services.appraisal_create(actor=staff, term=term, year=YEAR, organization=unit_org)
        with pytest.raises(CongressError, match=f"区住房和城乡建设局{YEAR}年度已有工作评议"):
            services.appraisal_create(actor=staff, term=term, year=YEAR, organization=unit_org)
        with pytest.raises(CongressError, match="不是现有的政府部门"):
            services.appraisal_create(actor=staff, term=term, year=YEAR, organization=town_a)
        assert Appraisal.objects.count() == 1

    def test_a_poll_that_ends_unsatisfied_opens_a_re_appraisal(self, staff, term, unit_org, unit_user, members, scheme):
        a = appraisal_in(A.RECTIFYING, staff=staff, term=term, organization=unit_org, unit_user=unit_user,
                         members=members, marks=[C.UNSATISFIED] * 10)
        assert a.result == C.UNSATISFIED
        again = a.follow_ups.get()
        assert again.status == A.MOBILIZING and again.year == YEAR and again.due_date > datetime.date.today()
        assert str(again).startswith("再次评议：")
        # the ranking counts the year's own appraisal only, graded 不合格 whatever its score
        score(a, 95, 95, 95)
        rows = selectors.appraisal_ranking(YEAR)["rows"]
        assert [(r["appraisal"], r["grade"]) for r in rows] == [(a, "不合格")]


class TestWrongStateAndWrongPerson:
    def test_a_phase_cannot_be_skipped(self, staff, term, unit_org, unit_user, scheme):
        a = services.appraisal_create(actor=staff, term=term, year=YEAR, organization=unit_org)
        with pytest.raises(CongressError, match="工作评议当前为“动员部署”，不能部署自查自纠"):
            services.appraisal_start_self_check(actor=staff, appraisal=a)
        with pytest.raises(CongressError, match="不能录入问卷调查"):
            services.appraisal_record_survey(actor=staff, appraisal=a, respondents=R.VOTERS, sent=1, returned=1, score=1)
        with pytest.raises(CongressError, match="不能提交自查报告"):
            services.appraisal_submit_self_check(actor=unit_user, appraisal=a, report="自查报告内容足够长了吧。")
        with pytest.raises(CongressError, match="不能录入测评得分"):
            services.appraisal_record_scores(actor=staff, appraisal=a, scores={})
        a = services.appraisal_start_survey(actor=staff, appraisal=a)
        with pytest.raises(CongressError, match="请先录入代表问卷或选民问卷"):
            services.appraisal_start_self_check(actor=staff, appraisal=a)
        with pytest.raises(CongressError, match="不能开展调查研究"):
            services.appraisal_start_survey(actor=staff, appraisal=a)
        assert steps(a) == ["create", "survey"]

    def test_the_meeting_waits_for_the_self_check_report(self, staff, term, unit_org, unit_user, scheme):
        a = appraisal_in(A.SELF_CHECK, staff=staff, term=term, organization=unit_org)
        from congress.models import Meeting

        meeting = Meeting.objects.create(term=term, kind=Meeting.Kind.STANDING, number=41, date=datetime.date.today())
        with pytest.raises(CongressError, match="被评议部门尚未提交自查报告"):
            services.appraisal_convene(actor=staff, appraisal=a, meeting=meeting)
        assert a.poll_id is None

    def test_only_staff_run_the_appraisal(self, staff, leader, unit_org, unit_user, deputy_user, term, scheme):
        with pytest.raises(CongressError, match="只有常委会机关工作人员可以确定评议对象"):
            services.appraisal_create(actor=leader, term=term, year=YEAR, organization=unit_org)
        a = services.appraisal_create(actor=staff, term=term, year=YEAR, organization=unit_org)
        for actor in (leader, unit_user, deputy_user):
            with pytest.raises(CongressError, match="常委会机关工作人员"):
                services.appraisal_start_survey(actor=actor, appraisal=a)
        assert Appraisal.objects.get().status == A.MOBILIZING

    def test_only_the_appraised_department_submits_its_self_check(self, staff, term, unit_org, unit_user,
                                                                  other_unit_user, scheme):
        a = appraisal_in(A.SELF_CHECK, staff=staff, term=term, organization=unit_org)
        for actor in (staff, other_unit_user):
            with pytest.raises(CongressError, match="只有被评议部门可以提交自查报告"):
                services.appraisal_submit_self_check(actor=actor, appraisal=a, report="这是一份足够长的自查报告。")
        with pytest.raises(CongressError, match="自查报告过短（至少10个字）"):
            services.appraisal_submit_self_check(actor=unit_user, appraisal=a, report="无")
        assert Appraisal.objects.get().self_check_at is None

    def test_the_shortest_self_check_report_is_the_setting(self, staff, term, unit_org, unit_user, scheme, settings):
        a = appraisal_in(A.SELF_CHECK, staff=staff, term=term, organization=unit_org)
        settings.CONGRESS_RULES = {**settings.CONGRESS_RULES, "APPRAISAL_SELF_CHECK_MIN_CHARS": 20}
        with pytest.raises(CongressError, match="自查报告过短（至少20个字）"):
            services.appraisal_submit_self_check(actor=unit_user, appraisal=a, report="这是一份足够长的自查报告。")
        settings.CONGRESS_RULES = {**settings.CONGRESS_RULES, "APPRAISAL_SELF_CHECK_MIN_CHARS": 5}
        services.appraisal_submit_self_check(actor=unit_user, appraisal=a, report="这是一份足够长的自查报告。")
        assert Appraisal.objects.get().self_check_at is not None

    def test_survey_counts_are_checked(self, staff, term, unit_org, scheme):
        a = appraisal_in(A.SURVEYING, staff=staff, term=term, organization=unit_org)
        with pytest.raises(CongressError, match="收回份数（60）不能多于发出份数（50）"):
            services.appraisal_record_survey(actor=staff, appraisal=a, respondents=R.VOTERS, sent=50, returned=60, score=80)
        with pytest.raises(CongressError, match="问卷得分须为0至100之间的数"):
            services.appraisal_record_survey(actor=staff, appraisal=a, respondents=R.VOTERS, sent=50, returned=40, score=101)
        assert not a.surveys.exists()


class TestScores:
    def test_weights_that_do_not_sum_to_100_refuse_the_scores(self, staff, term, unit_org, unit_user, members):
        scheme = make_scheme(weights=(("问卷调查", 30), ("满意度测评", 50)))
        a = appraisal_in(A.RECTIFYING, staff=staff, term=term, organization=unit_org, unit_user=unit_user, members=members)
        with pytest.raises(CongressError, match="权重合计须为100%（现为80%）"):
            services.appraisal_record_scores(actor=staff, appraisal=a, scores={asp: 80 for asp in scheme.aspects.all()})
        assert not AppraisalScore.objects.exists()

    def test_no_aspects_for_the_year(self, staff, term, unit_org, unit_user, members):
        a = appraisal_in(A.RECTIFYING, staff=staff, term=term, organization=unit_org, unit_user=unit_user, members=members)
        with pytest.raises(CongressError, match=f"{YEAR}年度的测评项目和权重尚未设置"):
            services.appraisal_record_scores(actor=staff, appraisal=a, scores={})

    def test_every_aspect_scored_between_0_and_100(self, staff, term, unit_org, unit_user, members, scheme):
        a = appraisal_in(A.RECTIFYING, staff=staff, term=term, organization=unit_org, unit_user=unit_user, members=members)
        survey, poll, rectify = scheme.aspects.order_by("order")
        with pytest.raises(CongressError, match="请填写以下测评项目的得分：整改落实"):
            services.appraisal_record_scores(actor=staff, appraisal=a, scores={survey: 80, poll: 80})
        with pytest.raises(CongressError, match="“满意度测评”的得分须为0至100之间的数"):
            services.appraisal_record_scores(actor=staff, appraisal=a, scores={survey: 80, poll: "100.01", rectify: 80})
        with pytest.raises(CongressError, match="“问卷调查”的得分须为0至100之间的数"):
            services.appraisal_record_scores(actor=staff, appraisal=a, scores={survey: "很好", poll: 80, rectify: 80})
        assert not AppraisalScore.objects.exists()
        assert services.appraisal_record_scores(actor=staff, appraisal=a, scores={survey: 0, poll: 100, rectify: 100}) == 70


class TestRanking:
    def test_the_years_ranking_by_hand(self, staff, term, scheme):
        """Weights 30 / 50 / 20. Totals (Σ score × weight ÷ 100, rounded half up once at the end):
        交通 95×.3 + 92×.5 + 90×.2 = 28.5 + 46 + 18 = 92.50 优秀
        民政 88.33×.3 + 91.67×.5 + 75.5×.2 = 26.499 + 45.835 + 15.1 = 87.434 → 87.43 良好
        住建 90×.3 + 80×.5 + 100×.2 = 27 + 40 + 20 = 87.00 良好 ┐ tie: both third
        教育 80×.3 + 90×.5 + 90×.2 = 24 + 45 + 18 = 87.00 良好 ┘
        水务 70.05×.3 + 80×.5 + 90×.2 = 21.015 + 40 + 18 = 79.015 → 79.02 合格 (in binary floats 79.01)
        商务 60×.3 + 50×.5 + 70×.2 = 18 + 25 + 14 = 57.00 不合格 — sixth, not fifth: the tie took two places
        文旅 has no scores yet: not ranked."""
        cases = [("区住建局", (90, 80, 100)), ("区教育局", (80, 90, 90)), ("区交通局", (95, 92, 90)),
                 ("区民政局", ("88.33", "91.67", "75.5")), ("区水务局", ("70.05", 80, 90)), ("区商务局", (60, 50, 70)),
                 ("区文旅局", None)]
        for n, (name, values) in enumerate(cases):
            a = services.appraisal_create(actor=staff, term=term, year=YEAR, organization=make_department(name, n))
            if values:
                score(a, *values)
        ranking = selectors.appraisal_ranking(YEAR)
        got = [(r["rank"], r["organization"].name, r["total"], r["grade"]) for r in ranking["rows"]]
        assert got == [(1, "区交通局", Decimal("92.50"), "优秀"), (2, "区民政局", Decimal("87.43"), "良好"),
                       (3, "区住建局", Decimal("87.00"), "良好"), (3, "区教育局", Decimal("87.00"), "良好"),
                       (5, "区水务局", Decimal("79.02"), "合格"), (6, "区商务局", Decimal("57.00"), "不合格")]
        assert [a.organization.name for a in ranking["unscored"]] == ["区文旅局"]
        assert [a.name for a in ranking["aspects"]] == ["问卷调查", "满意度测评", "整改落实"]

    def test_another_years_appraisals_and_aspects_stay_out(self, staff, term, scheme):
        make_scheme(year=YEAR - 1, weights=(("综合", 100),))
        old = services.appraisal_create(actor=staff, term=term, year=YEAR - 1, organization=make_department("区审计局"))
        score(old, 99)
        assert selectors.appraisal_ranking(YEAR)["rows"] == []
        assert [r["total"] for r in selectors.appraisal_ranking(YEAR - 1)["rows"]] == [Decimal("99.00")]

    def test_the_terms_coverage_counts_departments_with_a_result_once(self, staff, term, unit_org, unit_user, members,
                                                                       scheme, town_a):
        a = appraisal_in(A.RECTIFYING, staff=staff, term=term, organization=unit_org, unit_user=unit_user,
                         members=members, marks=[C.UNSATISFIED] * 10)
        Appraisal.objects.filter(pk=a.follow_ups.get().pk).update(result=C.SATISFIED)  # the re-appraisal concluded too
        services.appraisal_create(actor=staff, term=term, year=YEAR, organization=make_department("区审计局"))  # no result yet
        make_department("区统计局")
        gone = make_department("区粮食局")
        gone.is_active = False
        gone.save()
        # 住建 (once, though appraised twice) of 住建, 审计, 统计: neither the town nor the closed department counts
        assert selectors.appraisal_coverage(term) == {"appraised": 1, "departments": 3}

    def test_the_rankings_queries_do_not_grow_with_the_departments(self, staff, term, scheme):
        def add(n, start):
            for i in range(start, start + n):
                a = services.appraisal_create(actor=staff, term=term, year=YEAR, organization=make_department(f"部门{i}"))
                score(a, 80, 80, 80)

        add(2, 0)
        with CaptureQueriesContext(connection) as few:
            assert len(selectors.appraisal_ranking(YEAR)["rows"]) == 2
        add(4, 2)
        with CaptureQueriesContext(connection) as many:
            assert len(selectors.appraisal_ranking(YEAR)["rows"]) == 6
        assert len(few) == len(many)

