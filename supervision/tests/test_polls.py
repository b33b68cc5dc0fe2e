"""满意度测评 on hand-computed cases: exactly half, invalid ballots, a second vote on either channel, weighted groups,
the all-members rule with absentees; each transition's wrong state and wrong person; and secrecy."""
import uuid

import pytest
from django.apps import apps
from django.db import models

from congress.models import StateChange
from congress.services import CongressError
from supervision import selectors, services
from supervision.models import PollBallot, PollGroup, PollVoter, SatisfactionPoll
from supervision.tests.conftest import make_member

pytestmark = pytest.mark.django_db
C, K = SatisfactionPoll.Choice, PollGroup.Kind


def opened(staff, term, meeting=None, **kwargs):
    poll = services.poll_create(actor=staff, term=term, title="对区住建局审议意见办理情况的满意度测评", meeting=meeting,
                                **kwargs)
    return services.poll_open(actor=staff, poll=poll)


def vote_all(poll, members, marks):
    for deputy, mark in zip(members, marks, strict=False):
        services.poll_vote(actor=deputy.user, poll=poll, choice=mark)


class TestTheRule:
    def test_exactly_half_satisfied_is_satisfied(self, staff, term, members):
        poll = opened(staff, term)
        vote_all(poll, members, [C.SATISFIED] * 5 + [C.UNSATISFIED] * 5)
        poll = services.poll_close(actor=staff, poll=poll)
        assert poll.result == C.SATISFIED and poll.figures["weighted"][C.SATISFIED] == 50.0

    def test_just_under_half_satisfied_falls_to_basic_when_both_reach_half(self, staff, term, members):
        poll = opened(staff, term)
        vote_all(poll, members, [C.SATISFIED] * 4 + [C.BASIC] * 1 + [C.UNSATISFIED] * 5)
        assert services.poll_close(actor=staff, poll=poll).result == C.BASIC

    def test_counted_against_all_members_the_absent_count_against(self, staff, term, members):
        """10 members, 7 vote (6 满意): 6/10 = 60% 满意. With 3 voting 满意 and 7 absent it is 30%: 不满意 although
        everyone who voted was satisfied."""
        poll = opened(staff, term)
        vote_all(poll, members[:3], [C.SATISFIED] * 3)
        poll = services.poll_close(actor=staff, poll=poll)
        assert poll.result == C.UNSATISFIED
        group = poll.figures["groups"][0]
        assert (group["eligible"], group["voted"], group["cast"], group["base"]) == (10, 3, 3, 10)
        assert group["shares"][C.SATISFIED] == 30.0

    def test_against_those_present_the_same_votes_are_satisfied(self, staff, term, members):
        poll = opened(staff, term, basis=SatisfactionPoll.Basis.PRESENT)
        vote_all(poll, members[:3], [C.SATISFIED] * 3)
        group = poll.groups.get()
        poll = services.poll_close(actor=staff, poll=poll, present={group.pk: 4})
        assert poll.result == C.SATISFIED and poll.figures["groups"][0]["base"] == 4  # 3 of 4 present

    def test_invalid_ballots_are_counted_apart_and_in_the_base(self, staff, term, members):
        poll = opened(staff, term)
        group = poll.groups.get()
        vote_all(poll, members[:4], [C.SATISFIED] * 4)
        services.poll_enter_paper(actor=staff, poll=poll, group=group, voters=members[4:8], satisfied=1, basic=1,
                                  invalid=2)
        poll = services.poll_close(actor=staff, poll=poll)
        g = poll.figures["groups"][0]
        assert (g["cast"], g["valid"], g["invalid"], g["counts"][C.SATISFIED], g["counts"][C.BASIC]) == (8, 6, 2, 5, 1)
        assert poll.result == C.SATISFIED  # 5 of 10

    def test_weighted_groups(self, staff, term, members, town_a):
        """Deputies 70%, members 15%, the public 15%. Deputies (the 10 members are also district deputies, plus 10 more:
        the members vote in their own group): 6 of 10 satisfied → 60%; members 2 of 10 → 20%; public 10 of 20 → 50%.
        满意 = 0.7×60 + 0.15×20 + 0.15×50 = 52.5% → 满意."""
        deputies = [make_member(term, town_a, 100 + n) for n in range(10)]
        from supervision.models import CommitteeMember

        CommitteeMember.objects.filter(deputy__in=deputies).delete()  # deputies, not members
        poll = opened(staff, term, groups=[(K.DEPUTIES, 70), (K.MEMBERS, 15), (K.PUBLIC, 15)], public_eligible=20)
        by_kind = {g.kind: g for g in poll.groups.all()}
        assert (by_kind[K.MEMBERS].eligible, by_kind[K.DEPUTIES].eligible, by_kind[K.PUBLIC].eligible) == (10, 10, 20)
        vote_all(poll, deputies, [C.SATISFIED] * 6 + [C.UNSATISFIED] * 4)
        vote_all(poll, members, [C.SATISFIED] * 2 + [C.BASIC] * 8)
        services.poll_enter_paper(actor=staff, poll=poll, group=by_kind[K.PUBLIC], satisfied=10, unsatisfied=10)
        poll = services.poll_close(actor=staff, poll=poll)
        assert poll.figures["weighted"][C.SATISFIED] == 52.5 and poll.result == C.SATISFIED

    def test_the_public_paper_ballots_cannot_exceed_their_number(self, staff, term, members):
        poll = opened(staff, term, groups=[(K.MEMBERS, 80), (K.PUBLIC, 20)], public_eligible=5)
        public = poll.groups.get(kind=K.PUBLIC)
        with pytest.raises(CongressError, match="超过应参评人数5人"):
            services.poll_enter_paper(actor=staff, poll=poll, group=public, satisfied=6)
        assert not PollBallot.objects.exists()


class TestNobodyCountedTwice:
    def test_online_then_paper_is_refused(self, staff, term, members):
        poll = opened(staff, term)
        services.poll_vote(actor=members[0].user, poll=poll, choice=C.SATISFIED)
        with pytest.raises(CongressError, match="已经投过票"):
            services.poll_enter_paper(actor=staff, poll=poll, group=poll.groups.get(), voters=[members[0]], satisfied=1)
        assert PollBallot.objects.count() == 1

    def test_paper_then_online_is_refused(self, staff, term, members):
        poll = opened(staff, term)
        services.poll_enter_paper(actor=staff, poll=poll, group=poll.groups.get(), voters=[members[0], members[1]],
                                  satisfied=2)
        with pytest.raises(CongressError, match="已经投过票"):
            services.poll_vote(actor=members[0].user, poll=poll, choice=C.UNSATISFIED)
        assert PollBallot.objects.count() == 2

    def test_a_second_online_vote_is_refused(self, staff, term, members):
        poll = opened(staff, term)
        services.poll_vote(actor=members[0].user, poll=poll, choice=C.SATISFIED)
        with pytest.raises(CongressError, match="已经投过票"):
            services.poll_vote(actor=members[0].user, poll=poll, choice=C.SATISFIED)
        assert PollBallot.objects.count() == 1

    def test_the_paper_count_must_match_those_marked(self, staff, term, members):
        poll = opened(staff, term)
        with pytest.raises(CongressError, match="与勾选的纸质投票人数2人不符"):
            services.poll_enter_paper(actor=staff, poll=poll, group=poll.groups.get(), voters=members[:2], satisfied=3)
        assert not PollVoter.objects.exclude(channel="").exists()


class TestTransitions:
    def test_only_staff_create_open_close_and_publish(self, staff, term, members, leader):
        with pytest.raises(CongressError, match="机关工作人员"):
            services.poll_create(actor=leader, term=term, title="测评")
        poll = services.poll_create(actor=staff, term=term, title="测评")
        with pytest.raises(CongressError, match="常委会机关工作人员"):
            services.poll_open(actor=members[0].user, poll=poll)
        poll = services.poll_open(actor=staff, poll=poll)
        services.poll_vote(actor=members[0].user, poll=poll, choice=C.SATISFIED)
        with pytest.raises(CongressError, match="常委会机关工作人员"):
            services.poll_close(actor=leader, poll=poll)
        services.poll_close(actor=staff, poll=poll)
        with pytest.raises(CongressError, match="常委会机关工作人员"):
            services.poll_publish(actor=members[0].user, poll=poll)
        assert services.poll_publish(actor=staff, poll=poll).status == SatisfactionPoll.Status.PUBLISHED
        actions = [c.action for c in poll.state_changes]
        assert actions == ["create", "open", "vote", "close", "publish"]

    def test_wrong_states_are_refused(self, staff, term, members):
        poll = services.poll_create(actor=staff, term=term, title="测评")
        with pytest.raises(CongressError, match="须为“投票中”"):
            services.poll_vote(actor=members[0].user, poll=poll, choice=C.SATISFIED)
        with pytest.raises(CongressError, match="须为“投票中”"):
            services.poll_close(actor=staff, poll=poll)
        poll = services.poll_open(actor=staff, poll=poll)
        with pytest.raises(CongressError, match="须为“准备中”"):
            services.poll_open(actor=staff, poll=poll)
        with pytest.raises(CongressError, match="还没有任何选票"):
            services.poll_close(actor=staff, poll=poll)
        with pytest.raises(CongressError, match="须为“已结束”"):
            services.poll_publish(actor=staff, poll=poll)

    def test_somebody_not_on_the_list_cannot_vote(self, staff, term, members, deputy_user, town_a):
        poll = opened(staff, term)
        latecomer = make_member(term, town_a, 77)  # joined after the list was frozen
        for user in (latecomer.user, deputy_user, staff):
            with pytest.raises(CongressError, match="不在本次测评的参评人员名单中"):
                services.poll_vote(actor=user, poll=poll, choice=C.SATISFIED)

    def test_weights_must_add_up_and_the_public_needs_its_number(self, staff, term):
        with pytest.raises(CongressError, match="合计100%"):
            services.poll_create(actor=staff, term=term, title="测评", groups=[(K.DEPUTIES, 70), (K.MEMBERS, 20)])
        with pytest.raises(CongressError, match="群众代表的应参评人数"):
            services.poll_create(actor=staff, term=term, title="测评", groups=[(K.MEMBERS, 80), (K.PUBLIC, 20)])
        assert not SatisfactionPoll.objects.exists()

    def test_an_unsatisfied_result_runs_the_follow_up_of_its_source(self, staff, term, members, monkeypatch):
        from congress.models import Organization

        source = Organization.objects.create(name="区审计局", kind=Organization.Kind.DEPARTMENT, is_handling_unit=True)
        seen = []
        monkeypatch.setitem(services.RESULT_HOOKS, "organization", lambda poll, actor: seen.append((poll.pk, actor)))
        poll = opened(staff, term, source=source)
        vote_all(poll, members[:2], [C.UNSATISFIED] * 2)
        poll = services.poll_close(actor=staff, poll=poll)
        assert poll.result == C.UNSATISFIED and seen == [(poll.pk, staff)]


class TestSecrecy:
    """The ballots cannot be joined to the voters: not by a key, an order, a time, a history row or an export."""

    def test_the_ballot_table_has_nothing_that_points_at_a_voter_or_a_time(self):
        fields = {f.name: f for f in PollBallot._meta.get_fields() if getattr(f, "concrete", False)}
        assert set(fields) == {"id", "poll", "group", "choice"}
        assert isinstance(fields["id"], models.UUIDField)
        assert not any(isinstance(f, models.DateField | models.DateTimeField) for f in PollVoter._meta.get_fields()
                       if getattr(f, "concrete", False))
        assert {f.name for f in PollVoter._meta.get_fields() if getattr(f, "concrete", False)} == {
            "id", "poll", "group", "deputy", "channel"}

    def test_neither_keeps_a_history_nor_is_listed_in_the_admin(self):
        from django.contrib import admin

        names = {m.__name__ for m in apps.get_models()}
        assert "HistoricalPollBallot" not in names and "HistoricalPollVoter" not in names
        assert PollBallot not in admin.site._registry

    def test_neither_the_order_nor_the_keys_nor_the_history_tell_who_voted_what(self, staff, term, members):
        poll = opened(staff, term)
        marks = [C.SATISFIED, C.UNSATISFIED, C.BASIC, C.SATISFIED, C.UNSATISFIED, C.BASIC, C.SATISFIED, C.BASIC]
        vote_all(poll, members, marks)
        before = set(PollBallot.objects.values_list("id", flat=True))
        services.poll_close(actor=staff, poll=poll)
        after = list(PollBallot.objects.values_list("id", "choice"))
        assert sorted(c for _, c in after) == sorted(marks)
        assert not before & {i for i, _ in after}  # new keys: the casting order's keys are gone
        assert all(isinstance(i, uuid.UUID) for i, _ in after)
        votes = StateChange.objects.filter(workflow="poll", object_id=poll.pk, action="vote")
        assert votes.count() == len(marks) and not votes.exclude(actor=None).exists()
        assert not votes.exclude(reason="网上投票一张").exists()  # no mark, no name in the history
        # the voters' rows say only that they voted, and on which channel
        assert set(PollVoter.objects.filter(poll=poll).exclude(channel="").values_list("channel", flat=True)) == {"online"}
        # the poll's own history has the figures, never a ballot
        for row in poll.history.all():
            assert "deputy" not in str(row.figures)


def test_the_figures_of_an_open_poll_are_counted_from_the_ballots(staff, term, members):
    poll = opened(staff, term)
    vote_all(poll, members[:2], [C.SATISFIED, C.BASIC])
    figures = selectors.poll_figures(poll)
    assert figures["totals"] == {"eligible": 10, "voted": 2, "cast": 2, "valid": 2, "invalid": 0}
