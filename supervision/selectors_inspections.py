"""Reads of law enforcement inspections (执法检查): the portal's list of a deputy's inspections, what the site visits
give the deputies' duty record, checklist and points (deputies.seams), the leaders' overdue list, and the figures of
the annual report's chapter. Each runs a fixed number of queries whatever the volume."""
import datetime
from decimal import Decimal

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from congress.lib.prepared import Prepared, year_days
from supervision.models import Inspection, InspectionMember, InspectionVisit

Participation = InspectionVisit.participants.through
SUPERVISION = "supervision"  # deputies.models.DutyActivityType.ChecklistItem.SUPERVISION: 一次监督活动


def any_inspection_under_way() -> bool:
    """Whether any inspection is not closed, as the workflow keeps the fact for every deputy's home (Workflow.kept)."""
    from supervision.workflows import INSPECTION

    return INSPECTION.kept("under_way", lambda: Inspection.objects.exclude(status=Inspection.Status.CLOSED).exists())


def open_team_inspections(deputy, limit: int = 5) -> list:
    """The portal home's panel: the deputy's inspections still under way, earliest first."""
    return list(Inspection.objects.filter(team__deputy=deputy).exclude(status=Inspection.Status.CLOSED)
                .order_by("start_date", "id")[:limit])


def team_inspections(deputy) -> QuerySet[Inspection]:
    """The inspections `deputy` is on the team of, newest first, each with its visits (`went`: whether the deputy went)
    and the deputy's own place in the team (`mine`, a list of one). Three queries."""
    went = Exists(Participation.objects.filter(inspectionvisit_id=OuterRef("pk"), deputy_id=deputy.pk))
    visits = InspectionVisit.objects.select_related("organization").annotate(went=went).order_by("date", "id")
    return (Inspection.objects.filter(team__deputy=deputy).select_related("working_body", "meeting")
            .prefetch_related(Prefetch("visits", queryset=visits),
                              Prefetch("team", queryset=InspectionMember.objects.filter(deputy=deputy), to_attr="mine"))
            .order_by("-year", "-start_date", "-id")[:50])


# -- deputies.seams: each site visit a deputy went to is a duty activity of theirs ------------------------------------

def _done_visits(deputy_ids, year: int, until: datetime.date):
    """(deputy id, visit date, activity type id, visit id, inspection) rows of visits held in `year` up to `until`."""
    until = min(until, timezone.localdate())
    return (Participation.objects.filter(deputy_id__in=list(deputy_ids), inspectionvisit__date__year=year,
                                         inspectionvisit__date__lte=until))


def visit_points(deputy_ids, year: int, until: datetime.date) -> dict[int, Decimal]:
    """deputies.seams.points_sources: the points each deputy's site visits earn under the rule of the inspection's
    activity type in force on the visit's day (none without a type). Two queries."""
    rows = list(_done_visits(deputy_ids, year, until).filter(inspectionvisit__inspection__activity_type__isnull=False)
                .values_list("deputy_id", "inspectionvisit__date", "inspectionvisit__inspection__activity_type_id"))
    if not rows:
        return {}
    from deputies.models import DutyActivityParticipant
    from deputies.selectors import point_rules, rule_points

    rules = point_rules(type_id for _, _, type_id in rows)
    present = DutyActivityParticipant.Attendance.PRESENT
    totals: dict[int, Decimal] = {}
    for deputy_id, day, type_id in rows:
        totals[deputy_id] = totals.get(deputy_id, Decimal(0)) + rule_points(rules, type_id, day, present)
    return totals


_record_visits = Prepared(  # compiled once per process
    lambda deputy_id, first, last, today: InspectionVisit.objects.filter(
        participants=deputy_id, date__range=(first, last), date__lte=today).select_related("inspection")
    .order_by("date", "id"), params=("deputy_id", "first", "last", "today"))


def visits_for_duty_record(deputy, year: int) -> list:
    """deputies.seams.duty_record_sources: the site visits the deputy went to in `year` (held by today). Two queries."""
    from deputies.seams import DutyItem

    first, last = year_days(year)
    visits = _record_visits(deputy_id=deputy.pk, first=first, last=last, today=timezone.localdate())
    if not visits:
        return []
    from deputies.models import DutyActivityParticipant
    from deputies.selectors import point_rules, rule_points

    rules = point_rules(v.inspection.activity_type_id for v in visits)
    present = DutyActivityParticipant.Attendance.PRESENT
    url = reverse("supervision:inspections")
    return [DutyItem(date=v.date, title=f"{v.inspection}：{v.place}", kind="执法检查", url=url,
                     points=rule_points(rules, v.inspection.activity_type_id, v.date, present), checklist=SUPERVISION,
                     status=v.inspection.get_status_display()) for v in visits]


def visit_year(deputy, year: int, rules: dict) -> tuple[set[str], Decimal]:
    """deputies.seams.YearSource.one: what visit_checklist and visit_points (to the year's end) say of one deputy, from
    one read of their visits and the rules the caller read (deputies.selectors.point_rules()). One query."""
    rows = list(_done_visits([deputy.pk], year, datetime.date(year, 12, 31))
                .values_list("inspectionvisit__date", "inspectionvisit__inspection__activity_type_id"))
    if not rows:
        return set(), Decimal(0)
    from deputies.models import DutyActivityParticipant
    from deputies.selectors import rule_points

    present = DutyActivityParticipant.Attendance.PRESENT
    return {SUPERVISION}, sum((rule_points(rules, type_id, day, present) for day, type_id in rows if type_id is not None),
                              Decimal(0))


def visit_checklist(deputy_ids, year: int) -> dict[int, set[str]]:
    """deputies.seams.checklist_sources: a site visit in `year` is the year's 一次监督活动. One query."""
    ids = _done_visits(deputy_ids, year, datetime.date(year, 12, 31)).values_list("deputy_id", flat=True).distinct()
    return {pk: {SUPERVISION} for pk in ids}


# -- the leaders' overdue list: a team's report not submitted by its date -------------------------------------------

def overdue_inspections(today: datetime.date):
    return Inspection.objects.filter(status__in=Inspection.REPORT_OWED, report_due__lt=today)


def overdue_inspection_rows(pks, today: datetime.date) -> dict:
    """The overdue list's rows for these inspections, {pk: OverdueRow}; one query."""
    from congress.lib.dashboard import OverdueRow

    return {i.pk: OverdueRow(kind="执法检查", title=str(i), organization=i.working_body.name, due_date=i.report_due,
                             days_overdue=(today - i.report_due).days,
                             url=reverse("admin:supervision_inspection_change", args=[i.pk]),
                             detail=f"执法检查报告未提交 · {i.get_status_display()}")
            for i in Inspection.objects.filter(pk__in=list(pks)).select_related("working_body")}


# -- the annual report's chapter ---------------------------------------------------------------------------------------

def inspections_in(start: datetime.date, end: datetime.date) -> dict:
    """执法检查 of the period: those with a site visit in it or whose report was deliberated at a meeting in it. Per
    inspection its team, its visits in the period, the problems found, the rectification items made of them and those
    accepted by the end; and the totals: visits, participations (人次) and distinct people in the period, reports
    deliberated. Four queries."""
    S = Inspection.Status
    heard = Q(meeting__date__range=(start, end), status__in=[S.DELIBERATED, S.RECTIFYING, S.POLLING, S.CLOSED])
    in_period = Q(visits__date__range=(start, end))
    inspections = list(
        Inspection.objects.filter(pk__in=Inspection.objects.filter(in_period | heard).values("pk"))
        .select_related("working_body")
        .annotate(team_n=Count("team", distinct=True),
                  visit_n=Count("visits", filter=in_period, distinct=True),
                  problem_n=Count("problems", distinct=True),
                  assigned_n=Count("problems", filter=Q(problems__rectification__isnull=False), distinct=True),
                  accepted_n=Count("problems", filter=Q(problems__rectification__accepted_at__date__lte=end),
                                   distinct=True))
        .order_by("start_date", "id"))
    ids = [i.pk for i in inspections]
    went = Participation.objects.filter(inspectionvisit__inspection_id__in=ids, inspectionvisit__date__range=(start, end))
    people = went.aggregate(times=Count("pk"), people=Count("deputy_id", distinct=True))
    deliberated = Inspection.objects.filter(heard).count()
    rows = [{"title": str(i), "law": i.law, "working_body": i.working_body.name, "start": i.start_date, "end": i.end_date,
             "team": i.team_n, "visits": i.visit_n, "problems": i.problem_n, "rectifications": i.assigned_n,
             "accepted": i.accepted_n, "status": i.get_status_display()} for i in inspections]
    return {"count": len(rows), "rows": rows, "deliberated": deliberated, "participations": people["times"],
            "people": people["people"],
            **{key: sum(r[key] for r in rows) for key in ("visits", "problems", "rectifications", "accepted")}}

