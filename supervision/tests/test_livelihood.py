"""民生实事项目票决制 through its services: the counting rule computed by hand (too many marks make a ballot invalid, a
ballot with no mark is valid, a tie at the last place is reported and resolved by staff, exactly the places marked), the
secret ballot, and every transition with the right person, in the wrong state and by the wrong person."""
import datetime

import pytest

from congress.models import StateChange
from congress.services import CongressError
from supervision import services
from supervision.models import LivelihoodBallot, LivelihoodProject, LivelihoodReport, LivelihoodVoter, SatisfactionPoll
from supervision.services.livelihood import parse_paper_ballots, tally
from supervision.tests.livelihood_helpers import S, make_round, make_session, numbered

pytestmark = pytest.mark.django_db


def steps(round_):
    return list(StateChange.objects.filter(workflow="livelihood", object_id=round_.pk).values_list("action", flat=True))


class TestTheCountingRule:
    """`tally` on numbers alone, every figure worked out by hand."""

    def test_the_top_places_with_more_than_half_are_chosen(self):
        # valid 5, more than half is 3 or more: d (2 votes) fails, a, b, c fill the 3 places
        r = tally(places=3, votes={"a": 5, "b": 4, "c": 3, "d": 2}, valid=5, majority_percent=50)
        assert (r["chosen"], r["tie"], r["ranks"]) == (["a", "b", "c"], [], {"a": 1, "b": 2, "c": 3, "d": 4})

    def test_a_tie_straddling_the_last_place_is_reported_not_decided(self):
        # places 3: a, b are above; c and d tie at 7 for the one place left; e fails the majority (3 of 10)
        r = tally(places=3, votes={"a": 9, "b": 8, "c": 7, "d": 7, "e": 3}, valid=10, majority_percent=50)
        assert r["chosen"] == ["a", "b"] and sorted(r["tie"]) == ["c", "d"] and r["tie_places"] == 1
        assert r["ranks"] == {"a": 1, "b": 2, "c": 3, "d": 3, "e": 5}

    def test_a_tie_that_fits_the_places_is_no_tie(self):
        r = tally(places=3, votes={"a": 9, "b": 7, "c": 7, "d": 2}, valid=10, majority_percent=50)
        assert (sorted(r["chosen"]), r["tie"]) == (["a", "b", "c"], [])

    def test_exactly_half_is_not_more_than_half(self):
        # valid 10: 5 votes is half, not more; only a is chosen, a place stays empty
        r = tally(places=2, votes={"a": 6, "b": 5, "c": 5}, valid=10, majority_percent=50)
        assert (r["chosen"], r["tie"]) == (["a"], [])

    def test_without_a_majority_rule_the_ranking_alone_decides(self):
        r = tally(places=2, votes={"a": 3, "b": 2, "c": 1}, valid=10, majority_percent=0)
        assert r["chosen"] == ["a", "b"]

    def test_paper_ballots_are_read_one_line_each(self):
        assert parse_paper_ballots("1 2 3\n无\n\n4，5、6\n0") == [[1, 2, 3], [], [4, 5, 6], []]
        with pytest.raises(CongressError, match="不是候选序号"):
            parse_paper_ballots("1 二")


@pytest.fixture
def voting(staff, term, unit_org, members):
    """Five candidates, three places, the ten members (district deputies) on the list."""
    return make_round(staff, term, unit_org, status=S.VOTING)


class TestTheVote:
    def test_online_and_paper_ballots_counted_by_hand(self, staff, voting, members):
        c = numbered(voting)
        services.livelihood_vote(actor=members[0].user, round_=voting, projects=[c[1].pk, c[2].pk, c[3].pk])
        # four marks for three places: refused, nothing recorded, the deputy may vote again
        with pytest.raises(CongressError, match="勾选了4个项目，超过本次票决的名额3个，这样的选票无效"):
            services.livelihood_vote(actor=members[1].user, round_=voting, projects=[c[n].pk for n in (1, 2, 3, 4)])
        assert LivelihoodVoter.objects.get(round=voting, deputy=members[1]).channel == ""
        # on paper: one ballot with too many marks (invalid), one with none (valid), three others
        valid, invalid = services.livelihood_enter_paper(actor=staff, round_=voting, voters=members[1:6],
                                                         ballots=[[1, 2, 3, 4], [], [1, 2], [1, 3, 5], [2, 3, 4]])
        assert (valid, invalid) == (4, 1)
        assert LivelihoodBallot.objects.filter(round=voting).count() == 6
        round_ = services.livelihood_count(actor=staff, round_=voting)
        # 1: online + [1,2] + [1,3,5] = 3; 2: online + [1,2] + [2,3,4] = 3; 3: online + [1,3,5] + [2,3,4] = 3;
        # 4: [2,3,4] = 1 (the invalid ballot's marks count for nothing); 5: [1,3,5] = 1. Valid 5: more than half is 3.
        votes = {n: (p.votes, p.rank, p.chosen) for n, p in numbered(round_).items()}
        assert votes == {1: (3, 1, True), 2: (3, 1, True), 3: (3, 1, True), 4: (1, 4, False), 5: (1, 4, False)}
        f = round_.figures
        assert (f["eligible"], f["voted"], f["cast"], f["valid"], f["invalid"], f["chosen"]) == (10, 6, 6, 5, 1, 3)
        assert round_.status == S.COUNTED and not round_.tie_pending
        assert steps(round_)[-1] == "count"

    def test_a_tie_at_the_last_place_waits_for_staff(self, staff, voting, members):
        c = numbered(voting)
        # valid 5: 1 has 5, 2 has 4, 3 and 4 have 3 each for the last place (more than half is 3: both pass)
        services.livelihood_enter_paper(actor=staff, round_=voting, voters=members[:5],
                                        ballots=[[1, 2, 3], [1, 2, 4], [1, 2, 3], [1, 2, 4], [1, 3, 4]])
        round_ = services.livelihood_count(actor=staff, round_=voting)
        assert round_.tie_pending and round_.figures["tie"] == [3, 4] and round_.figures["tie_places"] == 1
        assert [p.chosen for p in numbered(round_).values()] == [True, True, False, False, False]
        assert "得票相同" in StateChange.objects.filter(workflow="livelihood", action="count").get().reason
        with pytest.raises(CongressError, match="末位候选项目得票相同"):
            services.livelihood_implement(actor=staff, round_=round_)
        with pytest.raises(CongressError, match="须从得票相同的候选项目中确定1个"):
            services.livelihood_resolve_tie(actor=staff, round_=round_, projects=[c[3], c[4]], reason="重新投票")
        with pytest.raises(CongressError, match="只能从得票相同的候选项目中确定"):
            services.livelihood_resolve_tie(actor=staff, round_=round_, projects=[c[5]], reason="重新投票")
        with pytest.raises(CongressError, match="请写明处理方式"):
            services.livelihood_resolve_tie(actor=staff, round_=round_, projects=[c[4]], reason=" ")
        round_ = services.livelihood_resolve_tie(actor=staff, round_=round_, projects=[c[4]],
                                                 reason="对同票项目重新投票，4号项目得票多")
        assert not round_.tie_pending and "重新投票" in round_.tie_decision
        assert sorted(p.number for p in round_.projects.filter(chosen=True)) == [1, 2, 4]
        with pytest.raises(CongressError, match="没有待决定的末位同票"):
            services.livelihood_resolve_tie(actor=staff, round_=round_, projects=[c[3]], reason="再次")

    def test_the_ballots_keep_no_voter_and_are_rewritten_when_counted(self, staff, voting, members):
        assert {f.name for f in LivelihoodBallot._meta.get_fields()} == {"id", "round", "valid", "marks"}
        assert {f.name for f in LivelihoodVoter._meta.get_fields()} == {"id", "round", "deputy", "channel"}
        services.livelihood_vote(actor=members[0].user, round_=voting, projects=[numbered(voting)[1].pk])
        before = set(LivelihoodBallot.objects.values_list("pk", flat=True))
        services.livelihood_count(actor=staff, round_=voting)
        assert before.isdisjoint(LivelihoodBallot.objects.values_list("pk", flat=True))
        assert StateChange.objects.filter(workflow="livelihood", action="vote").get().actor is None

    def test_one_ballot_per_deputy_across_the_two_channels(self, staff, voting, members):
        services.livelihood_vote(actor=members[0].user, round_=voting, projects=[])
        with pytest.raises(CongressError, match="不在本次票决的代表名单中，或已经投过票"):
            services.livelihood_vote(actor=members[0].user, round_=voting, projects=[])
        with pytest.raises(CongressError, match="已经投过票，不能再计纸质票：委员1"):
            services.livelihood_enter_paper(actor=staff, round_=voting, voters=members[:1], ballots=[[1]])
        with pytest.raises(CongressError, match="纸质选票2张，与勾选的纸质投票代表1人不符"):
            services.livelihood_enter_paper(actor=staff, round_=voting, voters=members[1:2], ballots=[[1], [2]])
        with pytest.raises(CongressError, match="序号9不是候选项目"):
            services.livelihood_enter_paper(actor=staff, round_=voting, voters=members[1:2], ballots=[[9]])


class TestTheRoundsTransitions:
    def test_proposals_keep_their_source(self, staff, term, unit_org, unit_user, members):
        round_ = make_round(staff, term, unit_org, candidates=0, status=S.COLLECTING)
        by_deputy = services.livelihood_propose(actor=members[0].user, round_=round_, title="社区食堂")
        by_unit = services.livelihood_propose(actor=unit_user, round_=round_, title="口袋公园")
        assert (by_deputy.source, by_deputy.proposed_by_deputy, by_deputy.organization) == ("deputy", members[0], None)
        assert (by_unit.source, by_unit.proposed_by_organization, by_unit.organization) == ("unit", unit_org, unit_org)
        with pytest.raises(CongressError, match="请写明选民意见的来源"):
            services.livelihood_propose(actor=staff, round_=round_, title="路灯")
        with pytest.raises(CongressError, match="请填写项目名称"):
            services.livelihood_propose(actor=unit_user, round_=round_, title=" ")

    def test_the_shortlist_needs_more_candidates_than_places(self, staff, term, unit_org):
        round_ = make_round(staff, term, unit_org, candidates=3, places=3, status=S.COLLECTING)
        projects = list(round_.projects.all())
        with pytest.raises(CongressError, match=r"候选项目数（3个）须多于票决项目数（3个），才能差额票决"):
            services.livelihood_shortlist(actor=staff, round_=round_, projects=projects)
        LivelihoodProject.objects.filter(pk=projects[0].pk).update(organization=None)
        with pytest.raises(CongressError, match="尚未确定牵头实施单位"):
            services.livelihood_shortlist(actor=staff, round_=round_, projects=projects, places=2)
        round_ = services.livelihood_shortlist(actor=staff, round_=round_, projects=projects[::-1], places=2,
                                               owners={projects[0].pk: unit_org})
        assert round_.status == S.SHORTLISTED and round_.places == 2
        assert [p.pk for p in round_.projects.order_by("number")] == [p.pk for p in projects[::-1]]

    def test_from_implementation_to_evaluation(self, staff, term, unit_org, unit_user, other_unit_user, members):
        round_ = make_round(staff, term, unit_org, status=S.VOTING)
        services.livelihood_enter_paper(actor=staff, round_=round_, voters=members[:4],
                                        ballots=[[1, 2, 3], [1, 2, 3], [1, 2, 3], [4]])
        round_ = services.livelihood_count(actor=staff, round_=round_)
        round_ = services.livelihood_implement(actor=staff, round_=round_)
        assert round_.status == S.IMPLEMENTING
        reports = LivelihoodReport.objects.filter(project__round=round_)
        assert reports.count() % 3 == 0 and reports.count() >= 3
        report = reports.order_by("year", "quarter", "project__number").first()
        with pytest.raises(CongressError, match="只有项目牵头实施单位可以报送季度进展"):
            services.livelihood_report(actor=other_unit_user, report=report, progress=30, text="已完成选址和设计工作。")
        with pytest.raises(CongressError, match="进展情况过短"):
            services.livelihood_report(actor=unit_user, report=report, progress=30, text="在做")
        services.livelihood_report(actor=unit_user, report=report, progress=30, text="已完成选址和设计工作，正在招标。")
        with pytest.raises(CongressError, match="已经报送"):
            services.livelihood_report(actor=unit_user, report=report, progress=40, text="已完成选址和设计工作，正在招标。")
        with pytest.raises(CongressError, match="请先为每个项目组织满意度测评"):
            services.livelihood_conclude(actor=staff, round_=round_)
        with pytest.raises(CongressError, match="请选择之后的会议"):
            services.livelihood_poll(actor=staff, round_=round_, session=round_.session)
        later = make_session(term, number=2, start=round_.session.start_date + datetime.timedelta(days=360))
        polls = services.livelihood_poll(actor=staff, round_=round_, session=later)
        assert len(polls) == 3 and {(p.source_workflow, p.organization_id) for p in polls} == {("livelihoodproject", unit_org.pk)}
        assert SatisfactionPoll.objects.count() == 3  # supervision's one kind of poll
        with pytest.raises(CongressError, match="尚未结束投票"):
            services.livelihood_conclude(actor=staff, round_=round_)
        for poll in polls:
            poll = services.poll_open(actor=staff, poll=poll)
            for deputy in members[:6]:  # (the poll's own rule: over half of all ten deputies satisfied)
                services.poll_vote(actor=deputy.user, poll=poll, choice="satisfied")
            services.poll_close(actor=staff, poll=poll)
        round_ = services.livelihood_conclude(actor=staff, round_=round_)
        assert round_.status == S.EVALUATED
        assert set(round_.projects.filter(chosen=True).values_list("result", flat=True)) == {"satisfied"}
        assert steps(round_)[-4:] == ["implement", "report", "poll", "conclude"]

    def test_the_shortest_progress_report_is_the_setting(self, settings, staff, term, unit_org, unit_user, members):
        round_ = make_round(staff, term, unit_org, status=S.VOTING)
        services.livelihood_enter_paper(actor=staff, round_=round_, voters=members[:3], ballots=[[1, 2, 3]] * 3)
        round_ = services.livelihood_implement(actor=staff, round_=services.livelihood_count(actor=staff, round_=round_))
        report = LivelihoodReport.objects.filter(project__round=round_).order_by("year", "quarter", "project__number").first()
        short, longer = "已完成选址", "已完成选址和设计工作，正在招标。"
        with pytest.raises(CongressError, match=r"进展情况过短（至少10个字）"):
            services.livelihood_report(actor=unit_user, report=report, progress=30, text=short)
        settings.CONGRESS_RULES = {**settings.CONGRESS_RULES, "LIVELIHOOD_REPORT_MIN_CHARS": len(longer) + 1}
        with pytest.raises(CongressError, match=rf"进展情况过短（至少{len(longer) + 1}个字）"):
            services.livelihood_report(actor=unit_user, report=report, progress=30, text=longer)
        settings.CONGRESS_RULES = {**settings.CONGRESS_RULES, "LIVELIHOOD_REPORT_MIN_CHARS": len(short)}
        services.livelihood_report(actor=unit_user, report=report, progress=30, text=short)
        report.refresh_from_db()
        assert report.submitted_at is not None and report.text == short


# every transition: (the state to set up, the call, the wrong person's fixture name)
def _call(name, staff, r, c, actor):
    calls = {
        "propose": lambda: services.livelihood_propose(actor=actor, round_=r, title="新项目", source_note="来信"),
        "shortlist": lambda: services.livelihood_shortlist(actor=actor, round_=r, projects=list(c.values())),
        "open": lambda: services.livelihood_open(actor=actor, round_=r),
        "vote": lambda: services.livelihood_vote(actor=actor, round_=r, projects=[]),
        "enter_paper": lambda: services.livelihood_enter_paper(actor=actor, round_=r, voters=[], ballots=[[1]]),
        "count": lambda: services.livelihood_count(actor=actor, round_=r),
        "implement": lambda: services.livelihood_implement(actor=actor, round_=r),
        "poll": lambda: services.livelihood_poll(actor=actor, round_=r, session=r.session),
        "conclude": lambda: services.livelihood_conclude(actor=actor, round_=r),
    }
    return calls[name]


WRONG_STATE = {  # a state in which each transition is refused, and the right person's fixture
    "propose": (S.SHORTLISTED, "staff"), "shortlist": (S.VOTING, "staff"), "open": (S.COLLECTING, "staff"),
    "vote": (S.SHORTLISTED, "deputy"), "enter_paper": (S.SHORTLISTED, "staff"), "count": (S.SHORTLISTED, "staff"),
    "implement": (S.VOTING, "staff"), "poll": (S.VOTING, "staff"), "conclude": (S.VOTING, "staff"),
}
RIGHT_STATE = {"propose": S.COLLECTING, "shortlist": S.COLLECTING, "open": S.SHORTLISTED, "vote": S.VOTING,
               "enter_paper": S.VOTING, "count": S.VOTING}


class TestWrongStateAndWrongPerson:
    @pytest.mark.parametrize("name", sorted(WRONG_STATE))
    def test_it_refuses_the_wrong_state(self, name, staff, term, unit_org, members):
        state, who = WRONG_STATE[name]
        r = make_round(staff, term, unit_org, status=state)
        actor = staff if who == "staff" else members[0].user
        with pytest.raises(CongressError, match="民生实事项目票决当前为"):
            _call(name, staff, r, numbered(r), actor)()

    @pytest.mark.parametrize(("name", "wrong"), [(n, w) for n in sorted(RIGHT_STATE)
                                                for w in ("outsider", "unit_user", "leader", "town_staff")
                                                if (n, w) != ("propose", "unit_user")])  # (organs do propose)
    def test_it_refuses_the_wrong_person(self, name, wrong, request, staff, term, unit_org, members):
        r = make_round(staff, term, unit_org, status=RIGHT_STATE[name])
        before = steps(r)
        with pytest.raises(CongressError):
            _call(name, staff, r, numbered(r), request.getfixturevalue(wrong))()
        assert steps(r) == before

    def test_a_deputy_cannot_run_the_round(self, staff, term, unit_org, members):
        r = make_round(staff, term, unit_org, status=S.SHORTLISTED)
        with pytest.raises(CongressError, match="只有常委会机关工作人员可以开始投票"):
            services.livelihood_open(actor=members[0].user, round_=r)

    def test_only_staff_create_a_round_and_one_per_session(self, staff, term, unit_user):
        session = make_session(term)
        with pytest.raises(CongressError, match="只有常委会机关工作人员"):
            services.livelihood_round_create(actor=unit_user, session=session, year=2026, places=10)
        services.livelihood_round_create(actor=staff, session=session, year=2026, places=10)
        with pytest.raises(CongressError, match="已有民生实事项目票决"):
            services.livelihood_round_create(actor=staff, session=session, year=2026, places=10)


class TestTheLaterTransitionsRefuseTheWrongStateAndPerson:
    """resolve_tie, implement, report, poll and conclude, on a counted round with a tie or an implemented one."""

    @pytest.fixture
    def tied(self, staff, term, unit_org, members):
        r = make_round(staff, term, unit_org, status=S.VOTING)
        services.livelihood_enter_paper(actor=staff, round_=r, voters=members[:5],
                                        ballots=[[1, 2, 3], [1, 2, 4], [1, 2, 3], [1, 2, 4], [1, 3, 4]])
        return services.livelihood_count(actor=staff, round_=r)

    @pytest.fixture
    def implemented(self, staff, term, unit_org, members):
        r = make_round(staff, term, unit_org, status=S.VOTING, session=make_session(term, 2))
        services.livelihood_enter_paper(actor=staff, round_=r, voters=members[:3], ballots=[[1, 2, 3]] * 3)
        return services.livelihood_implement(actor=staff, round_=services.livelihood_count(actor=staff, round_=r))

    @pytest.mark.parametrize("wrong", ["unit_user", "leader", "deputy_user", "outsider"])
    def test_only_staff_resolve_a_tie(self, wrong, request, tied):
        with pytest.raises(CongressError, match="只有常委会机关工作人员可以决定末位同票"):
            services.livelihood_resolve_tie(actor=request.getfixturevalue(wrong), round_=tied,
                                            projects=[numbered(tied)[3]], reason="决定")
        assert tied.projects.filter(chosen=True).count() == 2

    def test_a_tie_is_resolved_only_once_counted(self, staff, term, unit_org, members):
        r = make_round(staff, term, unit_org, status=S.VOTING)
        with pytest.raises(CongressError, match="当前为“投票中”，不能决定末位同票"):
            services.livelihood_resolve_tie(actor=staff, round_=r, projects=[], reason="决定")

    @pytest.mark.parametrize("wrong", ["unit_user", "leader", "deputy_user"])
    def test_only_staff_hand_over_poll_and_conclude(self, wrong, request, staff, term, tied, implemented):
        actor = request.getfixturevalue(wrong)
        services.livelihood_resolve_tie(actor=staff, round_=tied, projects=[numbered(tied)[3]], reason="主席团决定")
        later = make_session(term, number=9, start=implemented.session.start_date + datetime.timedelta(days=300))
        for call in (lambda: services.livelihood_implement(actor=actor, round_=tied),
                     lambda: services.livelihood_poll(actor=actor, round_=implemented, session=later),
                     lambda: services.livelihood_conclude(actor=actor, round_=implemented)):
            with pytest.raises(CongressError, match="只有常委会机关工作人员"):
                call()
        assert not implemented.projects.filter(poll__isnull=False).exists()

    def test_reports_only_while_under_way_and_only_by_the_owner(self, staff, unit_user, other_unit_user, deputy_user,
                                                               implemented):
        report = LivelihoodReport.objects.filter(project__round=implemented).order_by("quarter").first()
        for actor in (other_unit_user, deputy_user, staff):
            with pytest.raises(CongressError, match="只有项目牵头实施单位可以报送季度进展"):
                services.livelihood_report(actor=actor, report=report, progress=10, text="已完成前期准备工作。")
        type(implemented).objects.filter(pk=implemented.pk).update(status=S.EVALUATED)
        with pytest.raises(CongressError, match="当前为“已评价”，不能报送季度进展"):
            services.livelihood_report(actor=unit_user, report=report, progress=10, text="已完成前期准备工作。")
        report.refresh_from_db()
        assert report.submitted_at is None


def test_handing_over_tells_each_owner_organs_unit_accounts_once_per_project(staff, term, unit_org, unit_user,
                                                                            members):
    """Only the organ's active 承办单位 accounts are told (another account of the organ, e.g. a deputy working there,
    is not), one notification per chosen project, the organs' accounts read once."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from congress.models import Notification, User

    other = User.objects.create(username="organ-clerk", organization=unit_org, is_active=True)
    r = make_round(staff, term, unit_org, status=S.VOTING, session=make_session(term, 2))
    services.livelihood_enter_paper(actor=staff, round_=r, voters=members[:3], ballots=[[1, 2, 3]] * 3)
    r = services.livelihood_count(actor=staff, round_=r)
    with CaptureQueriesContext(connection) as seen:
        services.livelihood_implement(actor=staff, round_=r)
    told = Notification.objects.filter(kind="livelihood_implement")
    chosen = LivelihoodProject.objects.filter(round=r, chosen=True)
    assert sorted(told.values_list("title", flat=True)) == sorted(f"民生实事项目交由本单位牵头实施：{p.title}" for p in chosen)
    assert set(told.values_list("recipient", flat=True)) == {unit_user.pk} and not told.filter(recipient=other).exists()
    assert sum('"congress_user"' in q["sql"] and "congress_user_groups" in q["sql"] for q in seen.captured_queries) == 1
