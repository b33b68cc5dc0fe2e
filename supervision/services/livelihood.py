"""民生实事项目票决制: the round's transitions (supervision.workflows.LIVELIHOOD). The counting rule itself is a pure
function, `tally`, so it can be checked by hand; `livelihood_count` applies it to the ballots and freezes the result."""
import datetime
import random
from collections.abc import Iterable

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone

from congress.models import CongressSession, Organization, User
from congress.predicates import deputy_id, unit_id
from congress.services import CongressError, notification_send, notification_send_many
from deputies.models import Deputy, Mandate
from supervision.models import (
    LivelihoodBallot,
    LivelihoodProject,
    LivelihoodReport,
    LivelihoodRound,
    LivelihoodVoter,
    PollGroup,
)
from supervision.predicates import is_committee_staff, is_livelihood_owner
from supervision.services.polls import poll_create
from supervision.workflows import LIVELIHOOD

Source = LivelihoodProject.Source


def _lock(round_: LivelihoodRound) -> LivelihoodRound:
    return LivelihoodRound.objects.select_for_update(of=("self",)).select_related("session__term").get(pk=round_.pk)


def _too_many(marked: int, places: int) -> str:
    return f"您勾选了{marked}个项目，超过本次票决的名额{places}个，这样的选票无效。请减少到{places}个以内后再提交。"


@transaction.atomic
def livelihood_round_create(*, actor: User, session: CongressSession, year: int, places: int,
                            title: str = "") -> LivelihoodRound:
    """A year's round, tied to the session that will vote; the call for candidates starts."""
    if not is_committee_staff(actor):
        raise CongressError("只有常委会机关工作人员可以组织民生实事项目票决")
    if not 2000 <= int(year) <= 2100:
        raise CongressError("实施年度须在2000至2100之间")
    if not 1 <= int(places) <= 100:
        raise CongressError("票决项目数须在1至100之间")
    if LivelihoodRound.objects.filter(session=session).exists():
        raise CongressError(f"{session}已有民生实事项目票决")
    round_ = LivelihoodRound(session=session, year=year, places=places, created_by=actor,
                             title=(title or "").strip() or f"{year}年度民生实事项目票决")
    round_._history_user = actor
    round_.save()
    LIVELIHOOD.record_created(round_, actor=actor, reason=f"{session}，名额{places}个")
    return round_


@transaction.atomic
def livelihood_propose(*, actor: User, round_: LivelihoodRound, title: str, description: str = "",
                       organization: Organization | None = None, source_note: str = "") -> LivelihoodProject:
    """A candidate proposed by a deputy (portal), an organ (unit workspace) or staff from voters' opinions (admin); the
    source is who proposes it."""
    round_ = _lock(round_)
    step = ("propose_opinion" if is_committee_staff(actor) else "propose_unit" if unit_id(actor) is not None
            else "propose")
    LIVELIHOOD.check(actor, round_, step)
    title, description, source_note = (title or "").strip(), (description or "").strip(), (source_note or "").strip()
    if not title:
        raise CongressError("请填写项目名称")
    project = LivelihoodProject(round=round_, title=title[:200], description=description[:5000], created_by=actor,
                                source_note=source_note[:300], organization=organization)
    if step == "propose":
        project.source, project.proposed_by_deputy_id = Source.DEPUTY, deputy_id(actor)
    elif step == "propose_unit":
        project.source, project.proposed_by_organization_id = Source.UNIT, unit_id(actor)
        project.organization_id = project.organization_id or unit_id(actor)
    else:
        if not source_note:
            raise CongressError("请写明选民意见的来源（如联络站、意见编号）")
        project.source = Source.OPINION
    project._history_user = actor
    project.save()
    LIVELIHOOD.apply(round_, step, actor=actor, reason=f"{project.get_source_display()}：{project.title}")
    return project


@transaction.atomic
def livelihood_shortlist(*, actor: User, round_: LivelihoodRound, projects: Iterable[LivelihoodProject],
                         places: int | None = None, owners: dict | None = None) -> LivelihoodRound:
    """Staff fix the candidates (numbered in the order given) and the places: more candidates than places, each with
    its owner organ (the ballot names it; `owners` {project pk: Organization} sets or changes them)."""
    round_ = _lock(round_)
    LIVELIHOOD.check(actor, round_, "shortlist")
    places = round_.places if places is None else int(places)
    if not 1 <= places <= 100:
        raise CongressError("票决项目数须在1至100之间")
    ids = list(dict.fromkeys(p.pk for p in projects))
    chosen = {p.pk: p for p in LivelihoodProject.objects.filter(round=round_, pk__in=ids)}
    if len(chosen) != len(ids):
        raise CongressError("所选项目中有不属于本次票决的项目")
    if len(ids) <= places:
        raise CongressError(f"候选项目数（{len(ids)}个）须多于票决项目数（{places}个），才能差额票决")
    for pk, organ in (owners or {}).items():
        if pk in chosen and organ is not None:
            chosen[pk].organization = organ
    missing = [chosen[pk].title for pk in ids if chosen[pk].organization_id is None]
    if missing:
        raise CongressError(f"以下候选项目尚未确定牵头实施单位：{'、'.join(missing)}")
    for number, pk in enumerate(ids, start=1):
        chosen[pk].number = number
    LivelihoodProject.objects.bulk_update(list(chosen.values()), ["number", "organization"])
    round_.places = places
    LIVELIHOOD.apply(round_, "shortlist", actor=actor, fields=["places"],
                     reason=f"候选项目{len(ids)}个，票决产生{places}个")
    return round_


def _voters(round_: LivelihoodRound) -> list[int]:
    """The district deputies serving in the session's term: they vote."""
    return list(Mandate.objects.filter(term=round_.session.term, level=Mandate.Level.DISTRICT,
                                       status=Mandate.Status.SERVING).values_list("deputy_id", flat=True).distinct())


@transaction.atomic
def livelihood_open(*, actor: User, round_: LivelihoodRound) -> LivelihoodRound:
    """Voting starts: the list of deputies is frozen now, and they are told."""
    round_ = _lock(round_)
    LIVELIHOOD.check(actor, round_, "open")
    ids = _voters(round_)
    if not ids:
        raise CongressError("本届没有在任的区人大代表：请先维护代表名册")
    LivelihoodVoter.objects.bulk_create([LivelihoodVoter(round=round_, deputy_id=d) for d in ids])
    round_.opened_at = timezone.now()
    LIVELIHOOD.apply(round_, "open", actor=actor, fields=["opened_at"], reason=f"参加票决的代表{len(ids)}人")
    notification_send(recipients=list(User.objects.filter(deputy__pk__in=ids, is_active=True)), kind="livelihood_open",
                      title=f"请参加{round_.title}", link=("supervision:livelihood_round", round_.pk))
    return round_


def _candidates(round_: LivelihoodRound) -> dict[int, LivelihoodProject]:
    return {p.pk: p for p in round_.projects.filter(number__isnull=False)}


@transaction.atomic
def livelihood_vote(*, actor: User, round_: LivelihoodRound, projects: Iterable[int]) -> None:
    """A deputy votes on the phone: the candidates marked 赞成 (none to all of the places). A ballot marking more than
    the places would be invalid: it is refused, so the deputy may correct it. Nothing returned about the ballot."""
    round_ = _lock(round_)
    LIVELIHOOD.check(actor, round_, "vote")
    ids = set(int(p) for p in projects)
    candidates = _candidates(round_)
    if ids - set(candidates):
        raise CongressError("所选项目不是本次票决的候选项目")
    if len(ids) > round_.places:
        raise CongressError(_too_many(len(ids), round_.places))
    voter = LivelihoodVoter.objects.select_for_update().get(round=round_, deputy_id=deputy_id(actor))
    if voter.channel:
        raise CongressError("您已经投过票")
    voter.channel = LivelihoodVoter.Channel.ONLINE
    voter.save(update_fields=["channel"])
    ballot = LivelihoodBallot.objects.create(round=round_, valid=True)
    ballot.marks.set(ids)
    # the history says that somebody voted, never who or what
    LIVELIHOOD.apply(round_, "vote", actor=None, reason="网上投票一张")


def parse_paper_ballots(text: str) -> list[list[int]]:
    """The paper ballots as staff type them: one line per ballot, the candidate numbers marked 赞成 separated by spaces
    or commas; "无" (or "0") for a ballot with no mark."""
    ballots = []
    for n, line in enumerate((text or "").splitlines(), start=1):
        line = line.strip()
        if not line:
            continue
        if line in ("无", "0"):
            ballots.append([])
            continue
        parts = [p for p in line.replace("，", ",").replace("、", ",").replace(",", " ").split() if p]
        try:
            ballots.append([int(p) for p in parts])
        except ValueError:
            raise CongressError(f"第{n}行“{line[:20]}”不是候选序号，请只填写数字，未划任何项目的填写“无”")
    return ballots


@transaction.atomic
def livelihood_enter_paper(*, actor: User, round_: LivelihoodRound, voters: Iterable[Deputy],
                           ballots: list[list[int]]) -> tuple[int, int]:
    """The paper ballots from the box, with who voted on paper (the sign-in sheet): one ballot per voter, none of whom
    has voted. A ballot marking more candidates than the places is recorded as invalid. Returns (valid, invalid)."""
    round_ = _lock(round_)
    LIVELIHOOD.check(actor, round_, "enter_paper")
    ids = sorted({d.pk for d in voters})
    if not ballots:
        raise CongressError("请录入纸质选票")
    if len(ids) != len(ballots):
        raise CongressError(f"纸质选票{len(ballots)}张，与勾选的纸质投票代表{len(ids)}人不符")
    rows = list(LivelihoodVoter.objects.select_for_update().filter(round=round_, deputy_id__in=ids))
    if len(rows) != len(ids):
        raise CongressError("勾选的代表中有人不在本次票决的代表名单中")
    twice = [r.deputy_id for r in rows if r.channel]
    if twice:
        names = "、".join(Deputy.objects.filter(pk__in=twice).values_list("full_name", flat=True))
        raise CongressError(f"以下代表已经投过票，不能再计纸质票：{names}")
    by_number = {p.number: p.pk for p in _candidates(round_).values()}
    for n, marks in enumerate(ballots, start=1):
        unknown = sorted(set(marks) - set(by_number))
        if unknown:
            raise CongressError(f"第{n}张选票的序号{'、'.join(map(str, unknown))}不是候选项目")
    for row in rows:
        row.channel = LivelihoodVoter.Channel.PAPER
    LivelihoodVoter.objects.bulk_update(rows, ["channel"])
    made = [(LivelihoodBallot(round=round_, valid=len(set(m)) <= round_.places), sorted(set(m))) for m in ballots]
    random.SystemRandom().shuffle(made)
    LivelihoodBallot.objects.bulk_create([b for b, _ in made])
    Through = LivelihoodBallot.marks.through
    Through.objects.bulk_create([Through(livelihoodballot_id=b.pk, livelihoodproject_id=by_number[m])
                                 for b, marks in made if b.valid for m in marks])
    invalid = sum(1 for b, _ in made if not b.valid)
    LIVELIHOOD.apply(round_, "enter_paper", actor=actor,
                     reason=f"纸质票{len(made)}张（有效{len(made) - invalid}，无效{invalid}）")
    return len(made) - invalid, invalid


def tally(*, places: int, votes: dict, valid: int, majority_percent: int) -> dict:
    """The counting rule, on numbers alone: `votes` {candidate: 赞成 votes on the valid ballots}. Candidates are ranked
    by votes (equal votes share a rank: 1, 2, 2, 4); a candidate needs more than `majority_percent` % of the valid
    ballots (0: none); the chosen are the top `places` of those. When candidates with equal votes straddle the last
    place, none of them is chosen here: they are the tie (with the places left), which staff resolve.

    Returns {"ranks": {c: rank}, "passing": [c…], "chosen": [c…], "tie": [c…], "tie_places": n}."""
    order = sorted(votes, key=lambda c: -votes[c])
    ranks, previous = {}, None
    for i, c in enumerate(order, start=1):
        ranks[c] = ranks[previous] if previous is not None and votes[previous] == votes[c] else i
        previous = c
    passing = [c for c in order if votes[c] * 100 > valid * majority_percent] if majority_percent else list(order)
    if len(passing) <= places:
        return {"ranks": ranks, "passing": passing, "chosen": passing, "tie": [], "tie_places": 0}
    cutoff = votes[passing[places - 1]]
    above = [c for c in passing if votes[c] > cutoff]
    level = [c for c in passing if votes[c] == cutoff]
    if len(above) + len(level) == places:
        return {"ranks": ranks, "passing": passing, "chosen": above + level, "tie": [], "tie_places": 0}
    return {"ranks": ranks, "passing": passing, "chosen": above, "tie": level, "tie_places": places - len(above)}


@transaction.atomic
def livelihood_count(*, actor: User, round_: LivelihoodRound) -> LivelihoodRound:
    """Voting ends: the ballots are counted by the rule of `tally`, the figures frozen on the round and on each
    candidate, the ballots written anew in random order; a tie at the last place is reported, never decided here."""
    round_ = _lock(round_)
    LIVELIHOOD.check(actor, round_, "count")
    candidates = _candidates(round_)
    ballots = round_.ballots.aggregate(cast=Count("pk"), valid=Count("pk", filter=Q(valid=True)))
    if not ballots["cast"]:
        raise CongressError("还没有任何选票，不能计票")
    votes = dict.fromkeys(candidates, 0)
    Through = LivelihoodBallot.marks.through
    for project_id, n in (Through.objects.filter(livelihoodballot__round=round_, livelihoodballot__valid=True)
                          .values_list("livelihoodproject_id").annotate(n=Count("pk"))):
        votes[project_id] = n
    percent = settings.CONGRESS_RULES["LIVELIHOOD_MAJORITY_PERCENT"]
    result = tally(places=round_.places, votes=votes, valid=ballots["valid"], majority_percent=percent)
    for pk, project in candidates.items():
        project.votes, project.rank, project.chosen = votes[pk], result["ranks"][pk], pk in result["chosen"]
    LivelihoodProject.objects.bulk_update(list(candidates.values()), ["votes", "rank", "chosen"])
    # the ballots' order and keys told the order they were cast in: write them anew, shuffled
    kept = [(b.valid, sorted(m.pk for m in b.marks.all())) for b in round_.ballots.prefetch_related("marks")]
    round_.ballots.all().delete()
    random.SystemRandom().shuffle(kept)
    fresh = LivelihoodBallot.objects.bulk_create([LivelihoodBallot(round=round_, valid=v) for v, _ in kept])
    Through.objects.bulk_create([Through(livelihoodballot_id=b.pk, livelihoodproject_id=m)
                                 for b, (_, marks) in zip(fresh, kept, strict=True) for m in marks])
    voted = round_.voters.exclude(channel="").count()
    round_.figures = {"eligible": round_.voters.count(), "voted": voted, "cast": ballots["cast"],
                      "valid": ballots["valid"], "invalid": ballots["cast"] - ballots["valid"],
                      "majority_percent": percent, "places": round_.places, "candidates": len(candidates),
                      "chosen": len(result["chosen"]),
                      "tie": [candidates[c].number for c in result["tie"]], "tie_places": result["tie_places"]}
    round_.tie_pending, round_.counted_at = bool(result["tie"]), timezone.now()
    reason = f"收回选票{ballots['cast']}张（有效{ballots['valid']}），确定项目{len(result['chosen'])}个"
    if result["tie"]:
        reason += (f"；第{len(result['chosen']) + 1}名起{len(result['tie'])}个候选项目得票相同（各"
                   f"{votes[result['tie'][0]]}票），争{result['tie_places']}个名额，待决定")
    LIVELIHOOD.apply(round_, "count", actor=actor, fields=["figures", "tie_pending", "counted_at"], reason=reason)
    return round_


@transaction.atomic
def livelihood_resolve_tie(*, actor: User, round_: LivelihoodRound, projects: Iterable[LivelihoodProject],
                           reason: str) -> LivelihoodRound:
    """The tie at the last place, resolved by staff as decided (a run-off's result, the presidium's decision): exactly
    the places left, from the tied candidates, with the decision recorded."""
    round_ = _lock(round_)
    LIVELIHOOD.check(actor, round_, "resolve_tie")
    reason = (reason or "").strip()
    if not reason:
        raise CongressError("请写明处理方式和依据（如重新投票的结果、主席团的决定）")
    tied = {p.pk: p for p in round_.projects.filter(number__in=round_.figures.get("tie", []))}
    picked = {p.pk for p in projects}
    if picked - set(tied):
        raise CongressError("只能从得票相同的候选项目中确定")
    need = round_.figures.get("tie_places", 0)
    if len(picked) != need:
        raise CongressError(f"须从得票相同的候选项目中确定{need}个（现选{len(picked)}个）")
    LivelihoodProject.objects.filter(pk__in=picked).update(chosen=True)
    names = "、".join(tied[pk].title for pk in sorted(picked, key=lambda pk: tied[pk].number))
    round_.tie_pending, round_.tie_decision = False, f"确定：{names}。{reason}"
    LIVELIHOOD.apply(round_, "resolve_tie", actor=actor, fields=["tie_pending", "tie_decision"], reason=round_.tie_decision)
    return round_


def quarter_end(year: int, quarter: int) -> datetime.date:
    return datetime.date(year, 3 * quarter, 1).replace(day=[31, 30, 30, 31][quarter - 1])


@transaction.atomic
def livelihood_implement(*, actor: User, round_: LivelihoodRound) -> LivelihoodRound:
    """The chosen projects go to their owner organs: each owes a progress report for every quarter of the year from the
    session on, due LIVELIHOOD_REPORT_DAYS after the quarter ends."""
    round_ = _lock(round_)
    LIVELIHOOD.check(actor, round_, "implement")
    days = settings.CONGRESS_RULES["LIVELIHOOD_REPORT_DAYS"]
    quarters = [q for q in range(1, 5) if quarter_end(round_.year, q) >= round_.session.start_date] or [1, 2, 3, 4]
    projects = list(round_.projects.filter(chosen=True).select_related("organization"))
    LivelihoodReport.objects.bulk_create([
        LivelihoodReport(project=p, year=round_.year, quarter=q,
                         due_date=quarter_end(round_.year, q) + datetime.timedelta(days=days))
        for p in projects for q in quarters])
    LIVELIHOOD.apply(round_, "implement", actor=actor, reason=f"确定项目{len(projects)}个交付实施")
    from congress.selectors import unit_accounts

    accounts = unit_accounts({p.organization_id for p in projects})  # the organs' 承办单位 accounts, one query
    notification_send_many({"recipients": accounts[p.organization_id], "kind": "livelihood_implement",
                            "title": f"民生实事项目交由本单位牵头实施：{p.title}",
                            "link": ("supervision_livelihood_unit:project", p.pk)}
                           for p in projects if accounts.get(p.organization_id))
    return round_


@transaction.atomic
def livelihood_report(*, actor: User, report: LivelihoodReport, progress: int, text: str) -> LivelihoodReport:
    """The owner organ reports a quarter's progress (once the quarter has begun; replaced until staff read it is not
    offered: a report is submitted once)."""
    report = LivelihoodReport.objects.select_for_update().select_related("project").get(pk=report.pk)
    round_ = _lock(report.project.round)
    LIVELIHOOD.check(actor, round_, "report")
    if not is_livelihood_owner(actor, report.project):
        raise CongressError("只有项目牵头实施单位可以报送季度进展")
    if report.submitted_at is not None:
        raise CongressError(f"{report}已经报送")
    if datetime.date(report.year, 3 * report.quarter - 2, 1) > timezone.localdate():
        raise CongressError(f"第{report.quarter}季度尚未开始，不能报送")
    text = (text or "").strip()
    least = settings.CONGRESS_RULES["LIVELIHOOD_REPORT_MIN_CHARS"]
    if len(text) < least:
        raise CongressError(f"进展情况过短（至少{least}个字），请写明本季度完成的工作、资金使用和存在的问题")
    if progress is None or not 0 <= int(progress) <= 100:
        raise CongressError("完成进度须在0至100之间")
    report.progress, report.text, report.submitted_at, report.submitted_by = int(progress), text, timezone.now(), actor
    report._history_user = actor
    report.save(update_fields=["progress", "text", "submitted_at", "submitted_by"])
    LIVELIHOOD.apply(round_, "report", actor=actor,
                     reason=f"{report.project.title}：{report}，完成{report.progress}%")
    return report


@transaction.atomic
def livelihood_poll(*, actor: User, round_: LivelihoodRound, session: CongressSession) -> list:
    """At the next session the deputies rate each project: one satisfaction poll per project (supervision's polls, the
    project as source), opened, voted and closed on the poll's own pages."""
    round_ = _lock(round_)
    LIVELIHOOD.check(actor, round_, "poll")
    if session is None or session.pk == round_.session_id or session.start_date <= round_.session.start_date:
        raise CongressError("满意度测评在票决之后的人代会会议上进行，请选择之后的会议")
    polls = []
    for project in round_.projects.filter(chosen=True, poll__isnull=True).select_related("organization"):
        project.poll = poll_create(actor=actor, term=session.term, title=f"民生实事项目“{project.title}”实施情况满意度测评",
                                   organization=project.organization, groups=((PollGroup.Kind.DEPUTIES, 100),),
                                   source=project)
        project.save(update_fields=["poll"])
        polls.append(project.poll)
    round_.evaluation_session = session
    LIVELIHOOD.apply(round_, "poll", actor=actor, fields=["evaluation_session"], reason=f"{session}，测评{len(polls)}项")
    return polls


@transaction.atomic
def livelihood_conclude(*, actor: User, round_: LivelihoodRound) -> LivelihoodRound:
    """Every project's poll has closed: the results are recorded on the projects and the round is evaluated."""
    round_ = _lock(round_)
    LIVELIHOOD.check(actor, round_, "conclude")
    projects = list(round_.projects.filter(chosen=True).select_related("poll"))
    for project in projects:
        project.result = project.poll.result
    LivelihoodProject.objects.bulk_update(projects, ["result"])
    counts = {label: sum(1 for p in projects if p.result == value) for value, label in
              (("satisfied", "满意"), ("basic", "基本满意"), ("unsatisfied", "不满意"))}
    LIVELIHOOD.apply(round_, "conclude", actor=actor, reason="；".join(f"{k}{v}项" for k, v in counts.items()))
    return round_
