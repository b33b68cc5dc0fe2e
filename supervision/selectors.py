"""Reads of supervision work: a poll's figures and result (the rule, defined once), the lists each party sees."""
from fractions import Fraction

from django.db.models import Count, QuerySet

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
    return (SatisfactionPoll.objects.filter(status=SatisfactionPoll.Status.OPEN, voters__deputy=deputy,
                                            voters__channel="")
            .select_related("organization", "meeting__term").order_by("-opened_at", "-id"))


def published_polls_for(deputy) -> QuerySet[SatisfactionPoll]:
    """Published polls the deputy was on the list of (their results in the portal)."""
    return (SatisfactionPoll.objects.filter(status=SatisfactionPoll.Status.PUBLISHED, voters__deputy=deputy)
            .select_related("organization").order_by("-published_at", "-id"))


def rectification_list_for_unit(*, unit_id: int, open_only: bool = True) -> QuerySet[Rectification]:
    qs = Rectification.objects.filter(organization_id=unit_id)
    if open_only:
        qs = qs.open()
    return qs.select_related("organization").order_by("due_date", "id")


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


def units_with_open_rectifications():
    """Organization ids with a rectification item to work on (congress.lib.dashboard.register_unit_work): counted as
    单位无账号 on the admin index while the organ has no active account (its reminders wait for one)."""
    return Rectification.objects.filter(status=Rectification.Status.OPEN).values("organization_id")
