"""Reads of supervision work: a poll's figures and result (the rule, defined once), the lists each party sees."""
from fractions import Fraction

from django.db.models import Count, QuerySet

from congress.lib.prepared import Prepared
from supervision.models import PollBallot, PollVoter, Rectification, SatisfactionPoll

CHOICES = [c for c, _ in SatisfactionPoll.Choice.choices]
HALF = Fraction(1, 2)


def _percent(share: Fraction | None) -> float | None:
    return None if share is None else round(float(share) * 100, 1)


def poll_figures(poll: SatisfactionPoll) -> dict:
    """Every figure of a poll, counted from its ballots (two queries), and its result by the rule of 监督法 practice:

    - in each group, an option's share is its ballots over the group's base: everybody who may vote (`basis` "all":
      all members, not those present) or those present ("present": the number entered, else those who voted);
    - with several groups, an option's share is the groups' shares weighted by their weights (which sum to 100);
    - 满意 when 满意 reaches half; else 基本满意 when 满意 and 基本满意 together reach half; else 不满意.

    Shares are exact fractions, so "exactly half" is half. Invalid ballots (no mark or several) count as cast and in
    the base, never for an option. Returns JSON-ready numbers (percentages rounded to 0.1)."""
    groups = list(poll.groups.all())
    counts = {(row["group"], row["choice"]): row["n"] for row in
              PollBallot.objects.filter(poll=poll).values("group", "choice").annotate(n=Count("id")).order_by()}
    voted = {row["group"]: row["n"] for row in PollVoter.objects.filter(poll=poll).exclude(channel="")
             .values("group").annotate(n=Count("id")).order_by()}
    weighted = {c: Fraction(0) for c in CHOICES}
    rows, total_weight = [], sum(g.weight for g in groups)
    for group in groups:
        tallies = {c: counts.get((group.pk, c), 0) for c in CHOICES}
        invalid = counts.get((group.pk, ""), 0)
        cast = sum(tallies.values()) + invalid
        if poll.basis == SatisfactionPoll.Basis.ALL:
            base = group.eligible
        else:
            base = group.present if group.present is not None else cast
        shares = {c: (Fraction(tallies[c], base) if base else None) for c in CHOICES}
        for c in CHOICES:
            if shares[c] is not None and total_weight:
                weighted[c] += shares[c] * Fraction(group.weight, total_weight)
        rows.append({"group": group.get_kind_display(), "kind": group.kind, "weight": group.weight,
                     "eligible": group.eligible, "present": group.present, "voted": voted.get(group.pk, 0),
                     "cast": cast, "valid": cast - invalid, "invalid": invalid, "base": base,
                     "counts": tallies, "shares": {c: _percent(shares[c]) for c in CHOICES}})
    result = poll_result(weighted) if any(r["base"] for r in rows) else ""
    return {"basis": poll.basis, "groups": rows, "weighted": {c: _percent(weighted[c]) for c in CHOICES},
            "result": result,
            "totals": {key: sum(r[key] for r in rows) for key in ("eligible", "voted", "cast", "valid", "invalid")}}


def poll_result(shares: dict) -> str:
    """The rule on the (weighted) shares of 满意 and 基本满意."""
    C = SatisfactionPoll.Choice
    if shares[C.SATISFIED] >= HALF:
        return C.SATISFIED
    if shares[C.SATISFIED] + shares[C.BASIC] >= HALF:
        return C.BASIC
    return C.UNSATISFIED


def open_polls_for(deputy) -> QuerySet[SatisfactionPoll]:
    """The open polls a deputy is on the list of and has not voted in (the portal)."""
    return _open_polls(deputy.pk)


def _open_polls(deputy_id):
    return (SatisfactionPoll.objects.filter(status=SatisfactionPoll.Status.OPEN, voters__deputy_id=deputy_id,
                                            voters__channel="")
            .select_related("organization", "meeting__term").order_by("-opened_at", "-id"))


_open_poll_titles = Prepared(lambda deputy_id, limit: _open_polls(deputy_id).select_related(None).only("title")[:limit],
                             params=("deputy_id",))


def any_poll_offered_to_deputies() -> bool:
    """Whether any poll is in a state where the portal offers its voters the ballot (POLL.states_offering), as the
    workflow keeps the fact for every deputy's home (Workflow.kept)."""
    from supervision.workflows import POLL

    return POLL.kept("offered_in_portal", lambda: SatisfactionPoll.objects.filter(
        status__in=POLL.states_offering("portal")).exists())


def open_poll_titles_for(deputy, limit: int = 10) -> list[SatisfactionPoll]:
    """open_polls_for as the portal home's panel shows them: each poll's title (and key, for its link)."""
    return _open_poll_titles(deputy_id=deputy.pk, limit=limit)  # compiled once per process (congress.lib.prepared)


def published_polls_for(deputy) -> QuerySet[SatisfactionPoll]:
    """Published polls the deputy was on the list of (their results in the portal)."""
    return (SatisfactionPoll.objects.filter(status=SatisfactionPoll.Status.PUBLISHED, voters__deputy=deputy)
            .select_related("organization").order_by("-published_at", "-id"))


def rectification_list_for_unit(*, unit_id: int, open_only: bool = True) -> QuerySet[Rectification]:
    qs = Rectification.objects.filter(organization_id=unit_id)
    if open_only:
        qs = qs.open()
    return qs.select_related("organization").order_by("due_date", "id")


def polls_closed_in(start, end) -> list[dict]:
    """For the reports: satisfaction polls whose voting closed in the period (closed or published), oldest first, with
    the rated organ and the result stored when the poll closed (poll_result). One query."""
    polls = (SatisfactionPoll.objects.filter(closed_at__date__range=(start, end),
                                             status__in=(SatisfactionPoll.Status.CLOSED, SatisfactionPoll.Status.PUBLISHED))
             .select_related("organization").order_by("closed_at", "id"))
    return [{"title": p.title, "organization": p.organization.name if p.organization else "",
             "result": p.result, "result_label": p.get_result_display() if p.result else "—",
             "weighted": (p.figures or {}).get("weighted", {})} for p in polls]


def rectification_period_counts(start, end) -> dict[str, int]:
    """Rectification items: made in the period, accepted in the period, still open at its end (made by then, not
    accepted by then), and of those the ones past their deadline at the end."""
    from django.db.models import Q

    made = Rectification.objects.filter(created_at__date__lte=end)
    still_open = made.filter(Q(accepted_at__isnull=True) | Q(accepted_at__date__gt=end))
    return {"created": Rectification.objects.filter(created_at__date__range=(start, end)).count(),
            "accepted": Rectification.objects.filter(accepted_at__date__range=(start, end)).count(),
            "open": still_open.count(), "overdue": still_open.filter(due_date__lt=end).count()}


def rectifications_by_organization(end) -> list[tuple[str, int, int]]:
    """(organ, items made by `end`, items accepted by `end`) per responsible organ, by name."""
    from django.db.models import Count, Q

    rows = (Rectification.objects.filter(created_at__date__lte=end).values("organization__name")
            .annotate(n=Count("pk"), done=Count("pk", filter=Q(accepted_at__date__lte=end)))
            .order_by("organization__name"))
    return [(row["organization__name"], row["n"], row["done"]) for row in rows]
def overdue_rectifications(today):
    """Supervision's items on the leaders' list of overdue items (congress.lib.dashboard.register_overdue):
    rectification items past their due date and not accepted."""
    return Rectification.objects.overdue(today)


def overdue_rectification_rows(pks, today) -> dict:
    """The leaders' list's rows for these rectification items, {pk: OverdueRow}; one query."""
    from django.urls import reverse

    from congress.lib.dashboard import OverdueRow

    rows = {}
    for item in Rectification.objects.filter(pk__in=list(pks)).select_related("organization"):
        rows[item.pk] = OverdueRow(
            kind="整改事项", title=item.title, organization=item.organization.name, due_date=item.due_date,
            days_overdue=(today - item.due_date).days, url=reverse("admin:supervision_rectification_change", args=[item.pk]),
            detail=" · ".join(p for p in (item.source_label, item.get_status_display()) if p))
    return rows


def overdue_review_opinions(today):
    """Review opinions whose organ owes its handling report (or its re-report after a 不满意 poll) past the due date:
    on the leaders' list of overdue items beside rectification items and suggestions."""
    from django.db.models import Case, F, When

    from supervision.models import ReviewOpinion

    current = Case(When(status=ReviewOpinion.Status.REREPORT_DUE, then=F("rereport_due_date")), default=F("due_date"))
    return (ReviewOpinion.objects.filter(status__in=ReviewOpinion.AWAITING).annotate(current_due=current)
            .filter(current_due__lt=today))


def overdue_review_opinion_rows(pks, today) -> dict:
    """The leaders' list's rows for these review opinions, {pk: OverdueRow}; one query."""
    from django.urls import reverse

    from congress.lib.dashboard import OverdueRow
    from supervision.models import ReviewOpinion

    rows = {}
    for opinion in ReviewOpinion.objects.filter(pk__in=list(pks)).select_related("organization", "work_report"):
        due = opinion.current_due_date
        rows[opinion.pk] = OverdueRow(
            kind="审议意见", title=f"关于{opinion.work_report.topic}的审议意见", organization=opinion.organization.name,
            due_date=due, days_overdue=(today - due).days,
            url=reverse("admin:supervision_reviewopinion_change", args=[opinion.pk]),
            detail=opinion.get_status_display())
    return rows


def units_with_open_rectifications():
    """Organization ids with a rectification item to work on (congress.lib.dashboard.register_unit_work): counted as
    单位无账号 on the admin index while the organ has no active account (its reminders wait for one)."""
    return Rectification.objects.filter(status=Rectification.Status.OPEN).values("organization_id")
# ---------------------------------------------------------------- 工作评议: totals, grades, the year's ranking
from decimal import ROUND_HALF_UP, Decimal  # noqa: E402

from django.conf import settings  # noqa: E402

from supervision.models import Appraisal, AppraisalAspect  # noqa: E402

CENT = Decimal("0.01")


def appraisal_total(scores_and_weights) -> Decimal:
    """Σ score × weight ÷ 100 over (score, weight %) pairs, in exact decimals, rounded half up to 0.01 once at the end."""
    return (sum((Decimal(s) * w for s, w in scores_and_weights), Decimal(0)) / 100).quantize(CENT, rounding=ROUND_HALF_UP)


def appraisal_grade(total: Decimal, result: str = "") -> str:
    """等次 by the total (APPRAISAL_GRADE_* settings); a department whose meeting poll ended 不满意 is 不合格."""
    rules = settings.CONGRESS_RULES
    if result == SatisfactionPoll.Choice.UNSATISFIED:
        return "不合格"
    if total >= rules["APPRAISAL_GRADE_EXCELLENT"]:
        return "优秀"
    if total >= rules["APPRAISAL_GRADE_GOOD"]:
        return "良好"
    if total >= rules["APPRAISAL_GRADE_PASS"]:
        return "合格"
    return "不合格"


def appraisal_ranking(year: int) -> dict:
    """The year's ranking of the departments appraised (re-appraisals aside): every department whose scores on all the
    year's aspects are in, by total, highest first; equal totals share a rank and the next rank skips (1, 2, 2, 4).
    Returns {"aspects": [...], "rows": [{rank, appraisal, organization, scores (per aspect, in order), total, grade}],
    "unscored": [appraisals still missing a score]}. Three queries whatever the number of departments."""
    aspects = list(AppraisalAspect.objects.filter(scheme__year=year).order_by("order", "id"))
    appraisals = list(Appraisal.objects.regular().filter(year=year).select_related("organization")
                      .prefetch_related("scores").order_by("organization__sort_order", "organization__name", "id"))
    rows, unscored = [], []
    for appraisal in appraisals:
        by_aspect = {s.aspect_id: s.score for s in appraisal.scores.all()}
        if not aspects or any(a.pk not in by_aspect for a in aspects):
            unscored.append(appraisal)
            continue
        total = appraisal_total([(by_aspect[a.pk], a.weight) for a in aspects])
        rows.append({"appraisal": appraisal, "organization": appraisal.organization, "total": total,
                     "scores": [by_aspect[a.pk] for a in aspects], "grade": appraisal_grade(total, appraisal.result)})
    rows.sort(key=lambda r: -r["total"])  # stable: departments with equal totals keep their usual order
    for i, row in enumerate(rows):
        row["rank"] = rows[i - 1]["rank"] if i and row["total"] == rows[i - 1]["total"] else i + 1
    return {"year": year, "aspects": aspects, "rows": rows, "unscored": unscored}


def appraisal_years() -> list[int]:
    return list(Appraisal.objects.order_by("-year").values_list("year", flat=True).distinct())


def appraisal_coverage(term) -> dict:
    """届内全覆盖: the departments appraised this term (their meeting has given a result; a re-appraisal counts once)
    against the departments there are now (active, of the kind 政府部门及直属单位)."""
    from congress.models import Organization

    departments = Organization.objects.filter(kind=Organization.Kind.DEPARTMENT, is_active=True)
    appraised = (Appraisal.objects.concluded().filter(term=term, organization__in=departments)
                 .values("organization").distinct().count())
    return {"appraised": appraised, "departments": departments.count()}


def supervision_figures(today, start, end, last_start, last_end) -> dict:
    """The leaders' dashboard: polls open for voting; rectification items open today, overdue today, and assigned in
    start..end and in last_start..last_end (one query); review opinions whose organ owes a report. Two queries."""
    from django.db.models import CharField, Q, Value

    from supervision.models import ReviewOpinion

    is_open, this, last = Q(status__in=Rectification.OPEN), Q(created_at__date__range=(start, end)), \
        Q(created_at__date__range=(last_start, last_end))
    rect = Rectification.objects.aggregate(
        open=Count("pk", filter=is_open), overdue=Count("pk", filter=is_open & Q(due_date__lt=today)),
        created=Count("pk", filter=this), created_last=Count("pk", filter=last))
    # the open polls and the opinions owed a report: two counts in one query
    polls = (SatisfactionPoll.objects.filter(status=SatisfactionPoll.Status.OPEN).order_by()
             .values(k=Value("open_polls", output_field=CharField())).annotate(n=Count("pk")))
    awaiting = (ReviewOpinion.objects.filter(status__in=ReviewOpinion.AWAITING).order_by()
                .values(k=Value("awaiting_reports", output_field=CharField())).annotate(n=Count("pk")))
    counts = {"open_polls": 0, "awaiting_reports": 0} | {row["k"]: row["n"] for row in polls.union(awaiting, all=True)}
    return {**counts, **rect}
