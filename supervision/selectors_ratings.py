"""Reads of the appointed officials' rating (任后监督): who is still in office, the grade rule (defined once, on the
poll's figures), the organ's officials in its workspace, the overdue duty reports, the year's figures for the reports."""
import datetime
from fractions import Fraction

from django.conf import settings
from django.db.models import F, QuerySet

from congress.models import Appointment
from supervision.models import RatedOfficial, RatingRound, SatisfactionPoll

C = SatisfactionPoll.Choice
G = RatedOfficial.Grade
TAKING_OFFICE = (Appointment.Kind.APPOINT, Appointment.Kind.ELECT, Appointment.Kind.APPROVE)
LEAVING_OFFICE = (Appointment.Kind.REMOVE, Appointment.Kind.RESIGN)
# best first: "below the threshold" means later in this list
GRADE_ORDER = [G.EXCELLENT, G.COMPETENT, G.BASIC, G.INCOMPETENT]


def appointments_in_office(on: datetime.date | None = None) -> list[Appointment]:
    """The committee's appointments whose holder is still in office on `on`: appointed (任命, 选举, 批准任命) by then,
    and not removed nor resigned since (a 免职 or 辞职 record of the same person and organization on or after the
    appointment's date ends it); a person appointed twice counts once, by the latest appointment. Two queries."""
    from django.utils import timezone

    on = on or timezone.localdate()
    taking = list(Appointment.objects.filter(kind__in=TAKING_OFFICE, decided_on__lte=on)
                  .select_related("organization").order_by("-decided_on", "-id"))
    leaving: dict[tuple[str, int], datetime.date] = {}
    for name, org, day in Appointment.objects.filter(kind__in=LEAVING_OFFICE, decided_on__lte=on).values_list(
            "person_name", "organization_id", "decided_on"):
        leaving[(name, org)] = max(day, leaving.get((name, org), day))
    seen, found = set(), []
    for a in taking:
        key = (a.person_name, a.organization_id)
        if key in seen:
            continue
        seen.add(key)
        left = leaving.get(key)
        if left is None or left < a.decided_on:
            found.append(a)
    return sorted(found, key=lambda a: (a.organization.sort_order, a.organization.name, a.person_name))


def rating_shares(figures: dict) -> dict[str, Fraction]:
    """The exact weighted shares of 满意 and 满意 + 基本满意 from a closed poll's frozen figures (each group's counts
    over its base, weighted as the poll weighted them: supervision.selectors.poll_figures)."""
    groups = figures.get("groups") or []
    total_weight = sum(g["weight"] for g in groups)
    satisfied, basic = Fraction(0), Fraction(0)
    for g in groups:
        if not g["base"] or not total_weight:
            continue
        share = Fraction(g["weight"], total_weight) / g["base"]
        satisfied += g["counts"][C.SATISFIED] * share
        basic += g["counts"][C.BASIC] * share
    return {"satisfied": satisfied, "approval": satisfied + basic}


def rating_grade(satisfied: Fraction, approval: Fraction) -> str:
    """优秀 when 满意 reaches RATING_EXCELLENT_SATISFIED %; else 称职 / 基本称职 when 满意 + 基本满意 reaches
    RATING_COMPETENT_APPROVAL % / RATING_BASIC_APPROVAL %; else 不称职. Exactly at a line is reaching it."""
    rules = settings.CONGRESS_RULES
    if satisfied >= Fraction(rules["RATING_EXCELLENT_SATISFIED"], 100):
        return G.EXCELLENT
    if approval >= Fraction(rules["RATING_COMPETENT_APPROVAL"], 100):
        return G.COMPETENT
    if approval >= Fraction(rules["RATING_BASIC_APPROVAL"], 100):
        return G.BASIC
    return G.INCOMPETENT


def rating_needs_reminder(grade: str) -> bool:
    """Below RATING_REMINDER_BELOW_GRADE (a grade's Chinese name): such an official gets a 提醒函."""
    threshold = next(g for g in GRADE_ORDER if G(g).label == settings.CONGRESS_RULES["RATING_REMINDER_BELOW_GRADE"])
    return bool(grade) and GRADE_ORDER.index(grade) > GRADE_ORDER.index(threshold)


def rated_officials_for_unit(unit_id: int) -> QuerySet[RatedOfficial]:
    """The organ's officials in every round, the newest round first (its workspace)."""
    return (RatedOfficial.objects.filter(organization_id=unit_id).select_related("round", "organization")
            .order_by("-round__year", "person_name", "id"))


def rated_official(pk) -> RatedOfficial | None:
    """One official with what the organ's page shows; whether the reader may see it is can_see_rated_official's to say."""
    return RatedOfficial.objects.filter(pk=pk).select_related("round", "organization", "reminder_letter").first()


def round_officials(rnd: RatingRound) -> QuerySet[RatedOfficial]:
    return (rnd.officials.select_related("organization", "poll", "reminder_letter")
            .order_by("organization__sort_order", "organization__name", "person_name", "id"))


def overdue_rating_reports(today):
    """Duty reports not submitted by the round's due date (the leaders' overdue list)."""
    return (RatedOfficial.objects.filter(status=RatedOfficial.Status.AWAITING, round__status=RatingRound.Status.REPORTING,
                                         round__report_due__lt=today)
            .annotate(report_due=F("round__report_due")))


def overdue_rating_report_rows(pks, today) -> dict:
    """The leaders' list's rows for these officials, {pk: OverdueRow}; one query."""
    from django.urls import reverse

    from congress.lib.dashboard import OverdueRow

    rows = {}
    for official in RatedOfficial.objects.filter(pk__in=list(pks)).select_related("organization", "round"):
        due = official.round.report_due
        rows[official.pk] = OverdueRow(
            kind="述职报告", title=f"{official.person_name}（{official.position}）的述职报告",
            organization=official.organization.name, due_date=due, days_overdue=(today - due).days,
            url=reverse("admin:supervision_ratinground_change", args=[official.round_id]), detail=official.round.title)
    return rows


def units_owing_rating_reports():
    """Organs with a duty report to submit now (congress.lib.dashboard.register_unit_work)."""
    return (RatedOfficial.objects.filter(status=RatedOfficial.Status.AWAITING, round__status=RatingRound.Status.REPORTING)
            .values("organization_id"))


def ratings_in(start: datetime.date, end: datetime.date) -> dict:
    """For the annual report: the officials whose round's results were confirmed in the period (the grades are set
    then), with the counts by grade and the letters sent. Two queries."""
    from congress.models import StateChange

    rounds = list(StateChange.objects.filter(workflow="rating_round", action="confirm", at__date__range=(start, end))
                  .values_list("object_id", flat=True))
    officials = list(RatedOfficial.objects.filter(round_id__in=rounds).select_related("organization", "round")
                     .order_by("round__year", "organization__sort_order", "person_name", "id"))
    by_grade = {g: sum(1 for o in officials if o.grade == g) for g in GRADE_ORDER}
    return {"officials": officials, "by_grade": by_grade,
            "reminded": sum(1 for o in officials if o.reminder_letter_id)}
