"""满意度测评: create, open (the voters frozen), vote online, enter the paper ballots, close (counted, frozen, the ballots
shuffled), publish. A poll made by a piece of supervision work names it as its source; when a poll of that source closes
不满意, the hook its module registered in RESULT_HOOKS opens the follow-up (a re-report with its due date …)."""
import random
from collections.abc import Callable, Iterable

from django.db import transaction
from django.utils import timezone

from congress.models import Meeting, Organization, Term, User
from congress.services import CongressError, notification_send
from deputies.models import Deputy, Mandate
from supervision.models import CommitteeMember, PollBallot, PollGroup, PollVoter, SatisfactionPoll
from supervision.predicates import is_committee_staff
from supervision.selectors import poll_figures
from supervision.workflows import POLL

C = SatisfactionPoll.Choice
K = PollGroup.Kind

# source workflow name → callable(poll, actor) run in the closing transaction when the poll's result is 不满意
RESULT_HOOKS: dict[str, Callable] = {}


def _lock(poll: SatisfactionPoll) -> SatisfactionPoll:
    return SatisfactionPoll.objects.select_for_update().get(pk=poll.pk)


@transaction.atomic
def poll_create(*, actor: User, term: Term, title: str, organization: Organization | None = None,
                meeting: Meeting | None = None, basis: str = SatisfactionPoll.Basis.ALL,
                groups: Iterable[tuple[str, int]] = ((K.MEMBERS, 100),), public_eligible: int = 0,
                source=None) -> SatisfactionPoll:
    """A poll in preparation. `groups`: (kind, weight %) pairs, e.g. ((deputies, 70), (members, 15), (public, 15));
    `public_eligible` the number of public voters (paper ballots) when there is such a group; `source` the supervision
    object the poll rates (its workflow's follow-up runs on a 不满意 result)."""
    if not is_committee_staff(actor):
        raise CongressError("只有常委会机关工作人员可以组织满意度测评")
    if not title.strip():
        raise CongressError("请填写测评名称")
    if basis not in SatisfactionPoll.Basis.values:
        raise CongressError("计算基数无效")
    groups = list(groups)
    kinds = [k for k, _ in groups]
    if not groups or len(set(kinds)) != len(kinds) or any(k not in K.values for k in kinds):
        raise CongressError("参评人员组须为组成人员、人大代表、群众代表中的一个或几个，不能重复")
    if sum(w for _, w in groups) != 100 or any(w <= 0 for _, w in groups):
        raise CongressError(f"各参评人员组的权重须为正数，合计100%（现为{sum(w for _, w in groups)}%）")
    if K.PUBLIC in kinds and public_eligible <= 0:
        raise CongressError("请填写群众代表的应参评人数")
    poll = SatisfactionPoll(term=term, title=title.strip(), organization=organization, meeting=meeting, basis=basis,
                            created_by=actor)
    if source is not None:
        from congress.lib.workflow import workflow_of

        flow = workflow_of(source)
        poll.source_workflow, poll.source_id = (flow.name if flow else source._meta.model_name), source.pk
    poll._history_user = actor
    poll.save()
    PollGroup.objects.bulk_create([PollGroup(poll=poll, kind=k, weight=w, eligible=public_eligible if k == K.PUBLIC else 0)
                                   for k, w in groups])
    POLL.record_created(poll, actor=actor)
    return poll


def _voters_of(kind: str, poll: SatisfactionPoll) -> list[int]:
    """The deputies a group of the poll is made of, on the poll's day (its meeting's, else today)."""
    day = poll.meeting.date if poll.meeting_id else timezone.localdate()
    if kind == K.MEMBERS:
        return list(CommitteeMember.objects.filter(term=poll.term).serving_on(day)
                    .values_list("deputy_id", flat=True).distinct())
    if kind == K.DEPUTIES:
        return list(Mandate.objects.filter(term=poll.term, level=Mandate.Level.DISTRICT, status=Mandate.Status.SERVING)
                    .values_list("deputy_id", flat=True).distinct())
    return []


@transaction.atomic
def poll_open(*, actor: User, poll: SatisfactionPoll) -> SatisfactionPoll:
    """Voting starts: the list of voters of each group is frozen now (who joins or leaves later changes nothing), and the
    voters are told. A deputy in two groups votes in the first (members before deputies)."""
    poll = _lock(poll)
    POLL.check(actor, poll, "open")
    groups = sorted(poll.groups.all(), key=lambda g: [K.MEMBERS, K.DEPUTIES, K.PUBLIC].index(g.kind))
    seen, rows = set(), []
    for group in groups:
        if group.kind == K.PUBLIC:
            continue
        ids = [d for d in _voters_of(group.kind, poll) if d not in seen]
        if not ids:
            raise CongressError(f"“{group.get_kind_display()}”没有可参评的人员：请先维护常委会组成人员或代表名册")
        seen.update(ids)
        rows += [PollVoter(poll=poll, group=group, deputy_id=d) for d in ids]
        group.eligible = len(ids)
    PollVoter.objects.bulk_create(rows)
    PollGroup.objects.bulk_update([g for g in groups if g.kind != K.PUBLIC], ["eligible"])
    poll.opened_at = timezone.now()
    POLL.apply(poll, "open", actor=actor, fields=["opened_at"],
               reason="；".join(f"{g.get_kind_display()}{g.eligible}人（权重{g.weight}%）" for g in groups))
    users = list(User.objects.filter(deputy__pk__in=seen, is_active=True))
    notification_send(recipients=users, kind="poll_open", title=f"请参加满意度测评：{poll.title}",
                      link=("supervision:poll_vote", poll.pk))
    return poll


@transaction.atomic
def poll_vote(*, actor: User, poll: SatisfactionPoll, choice: str) -> None:
    """A voter votes online: marked as voted, and one ballot with no link to them. Returns nothing about the ballot."""
    from congress.predicates import deputy_id

    poll = _lock(poll)
    POLL.check(actor, poll, "vote")
    if choice not in C.values:
        raise CongressError("请选择满意、基本满意或不满意")
    voter = PollVoter.objects.select_for_update().get(poll=poll, deputy_id=deputy_id(actor))
    if voter.channel:  # (checked again on the locked row: two phones of one voter at once)
        raise CongressError("您已经投过票")
    voter.channel = PollVoter.Channel.ONLINE
    voter.save(update_fields=["channel"])
    PollBallot.objects.create(poll=poll, group_id=voter.group_id, choice=choice)
    # the history says that somebody voted, never who: the count is the only trace
    POLL.apply(poll, "vote", actor=None, reason="网上投票一张")


@transaction.atomic
def poll_enter_paper(*, actor: User, poll: SatisfactionPoll, group: PollGroup, voters: Iterable[Deputy] = (),
                     satisfied: int = 0, basic: int = 0, unsatisfied: int = 0, invalid: int = 0) -> int:
    """The paper ballots of one group, counted together from the ballot box: how many of each mark and how many invalid
    (no mark or several), and — for members and deputies — who voted on paper (from the sign-in sheet), so nobody is
    counted twice across the two channels: the number of ballots must equal the number of those voters, none of whom
    may have voted already. The public group has no list; its ballots may not exceed its number."""
    poll = _lock(poll)
    POLL.check(actor, poll, "enter_paper")
    group = PollGroup.objects.select_for_update().filter(pk=group.pk, poll=poll).first()
    if group is None:
        raise CongressError("参评人员组不属于本次测评")
    numbers = {C.SATISFIED: satisfied, C.BASIC: basic, C.UNSATISFIED: unsatisfied, "": invalid}
    if any(n is None or n < 0 for n in numbers.values()):
        raise CongressError("票数须为不小于0的整数")
    total = sum(numbers.values())
    if total == 0:
        raise CongressError("请填写各项票数")
    if group.kind == K.PUBLIC:
        already = group.ballots.count()
        if already + total > group.eligible:
            raise CongressError(f"群众代表的纸质票共{already + total}张，超过应参评人数{group.eligible}人")
    else:
        ids = sorted({d.pk for d in voters})
        if len(ids) != total:
            raise CongressError(f"纸质票{total}张，与勾选的纸质投票人数{len(ids)}人不符")
        rows = list(PollVoter.objects.select_for_update().filter(poll=poll, group=group, deputy_id__in=ids))
        if len(rows) != len(ids):
            raise CongressError("勾选的人员中有人不在本组参评名单中")
        twice = [r for r in rows if r.channel]
        if twice:
            names = "、".join(Deputy.objects.filter(pk__in=[r.deputy_id for r in twice]).values_list("full_name", flat=True))
            raise CongressError(f"以下人员已经投过票，不能再计纸质票：{names}")
        for row in rows:
            row.channel = PollVoter.Channel.PAPER
        PollVoter.objects.bulk_update(rows, ["channel"])
    ballots = [PollBallot(poll=poll, group=group, choice=choice) for choice, n in numbers.items() for _ in range(n)]
    random.SystemRandom().shuffle(ballots)
    PollBallot.objects.bulk_create(ballots)
    POLL.apply(poll, "enter_paper", actor=actor, reason=f"{group.get_kind_display()}纸质票{total}张")
    return total


@transaction.atomic
def poll_close(*, actor: User, poll: SatisfactionPoll, present: dict[int, int] | None = None) -> SatisfactionPoll:
    """Voting ends: (with basis "present", the numbers present per group id) the ballots are counted, the figures and the
    result frozen on the poll, and the ballots written anew in random order with new keys; a 不满意 result runs the
    follow-up of the poll's source."""
    poll = _lock(poll)
    POLL.check(actor, poll, "close")
    groups = list(poll.groups.select_for_update())
    for group in groups:
        if present and group.pk in present:
            if not 0 <= int(present[group.pk]) <= group.eligible:
                raise CongressError(f"{group.get_kind_display()}的实到人数须在0至{group.eligible}之间")
            group.present = int(present[group.pk])
    PollGroup.objects.bulk_update(groups, ["present"])
    figures = poll_figures(poll)
    if not figures["totals"]["cast"]:
        raise CongressError("还没有任何选票，不能结束投票")
    # the ballots' order (and their keys) told the order they were cast in: write them anew, shuffled
    kept = list(poll.ballots.values_list("group_id", "choice"))
    poll.ballots.all().delete()
    random.SystemRandom().shuffle(kept)
    PollBallot.objects.bulk_create([PollBallot(poll=poll, group_id=g, choice=c) for g, c in kept])
    poll.figures, poll.result, poll.closed_at = figures, figures["result"], timezone.now()
    label = C(poll.result).label if poll.result else "无法计算"
    POLL.apply(poll, "close", actor=actor, fields=["figures", "result", "closed_at"],
               reason=f"测评结果：{label}（满意{figures['weighted'][C.SATISFIED]}%，"
                      f"基本满意{figures['weighted'][C.BASIC]}%，不满意{figures['weighted'][C.UNSATISFIED]}%）")
    if poll.result == C.UNSATISFIED and poll.source_workflow in RESULT_HOOKS:
        RESULT_HOOKS[poll.source_workflow](poll, actor)
    return poll


@transaction.atomic
def poll_publish(*, actor: User, poll: SatisfactionPoll) -> SatisfactionPoll:
    poll = _lock(poll)
    poll.published_at = timezone.now()
    POLL.apply(poll, "publish", actor=actor, fields=["published_at"])
    return poll
