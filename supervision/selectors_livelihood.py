"""Reads of the livelihood projects by vote: the portal's and the workspace's lists (each a fixed number of queries),
the overdue quarterly reports for the leaders' list, and the figures of the annual report's chapter."""
import datetime

from django.db.models import Count, Exists, IntegerField, OuterRef, Q, Value
from django.utils import timezone

from congress.lib.prepared import Prepared, year_days, year_instants
from supervision.models import LivelihoodProject, LivelihoodReport, LivelihoodRound, LivelihoodVoter

LR = LivelihoodRound.Status
COUNTED_STATES = (LR.COUNTED, LR.IMPLEMENTING, LR.EVALUATED)


def open_ballots(deputy_id: int):
    """The rounds' frozen voter rows of this deputy not yet used on either channel: who may still vote (the one
    definition can_vote_livelihood and the portal list's annotation share)."""
    return LivelihoodVoter.objects.filter(deputy_id=deputy_id, channel="")


def any_round_offered_to_deputies() -> bool:
    """Whether any round is in a state where the portal offers deputies something (LIVELIHOOD.states_offering: 征集,
    投票), as the workflow keeps the fact for every deputy's home until its next change (Workflow.kept)."""
    from supervision.workflows import LIVELIHOOD

    return LIVELIHOOD.kept("offered_in_portal", lambda: LivelihoodRound.objects.filter(
        status__in=LIVELIHOOD.states_offering("portal")).exists())


def portal_rounds(deputy):
    """Every round (the latest first), whether this deputy may still vote in it: `may_vote`, for the deputy named by
    `may_vote_of`, is what can_vote_livelihood reads instead of asking once per row."""
    open_vote = open_ballots(deputy.pk).filter(round=OuterRef("pk"))
    return list(LivelihoodRound.objects.select_related("session__term")
                .annotate(may_vote=Exists(open_vote), may_vote_of=Value(deputy.pk, output_field=IntegerField()))
                .order_by("-year", "-id")[:30])


def candidates(round_):
    return list(round_.projects.filter(number__isnull=False).select_related("organization").order_by("number"))


def has_voted(round_, deputy) -> bool:
    return round_.voters.filter(deputy=deputy).exclude(channel="").exists()


def proposed_by_deputy(round_, deputy):
    return list(round_.projects.filter(proposed_by_deputy=deputy).order_by("id"))


def collecting_rounds():
    return list(LivelihoodRound.objects.filter(status=LR.COLLECTING).select_related("session__term").order_by("-year"))


def unit_projects(unit_id: int):
    """The organ's chosen projects, with their reports submitted and still owed."""
    return list(LivelihoodProject.objects.filter(organization_id=unit_id, chosen=True)
                .select_related("round__session__term")
                .annotate(submitted=Count("reports", filter=Q(reports__submitted_at__isnull=False)),
                          owed=Count("reports", filter=Q(reports__submitted_at__isnull=True,
                                                         reports__due_date__lt=timezone.localdate())))
                .order_by("-round__year", "number"))


def livelihood_project(pk) -> LivelihoodProject | None:
    """One project with what its workspace page shows; whether the reader may see it is is_livelihood_owner's to say."""
    return (LivelihoodProject.objects.filter(pk=pk)
            .select_related("round__session__term", "organization", "poll").first())


def unit_proposals(unit_id: int):
    return list(LivelihoodProject.objects.filter(proposed_by_organization_id=unit_id)
                .select_related("round__session__term").order_by("-round__year", "-id")[:50])


def next_owed_report(reports, today: datetime.date | None = None):
    """The first report not yet submitted whose quarter has begun."""
    today = today or timezone.localdate()
    for report in reports:
        if report.submitted_at is None and datetime.date(report.year, 3 * report.quarter - 2, 1) <= today:
            return report
    return None


def overdue_livelihood_reports(today):
    """Quarterly progress reports of projects under way, past their date and not submitted (the leaders' overdue list)."""
    return LivelihoodReport.objects.filter(submitted_at__isnull=True, due_date__lt=today,
                                           project__round__status=LR.IMPLEMENTING)


def overdue_livelihood_report_rows(pks, today) -> dict:
    """The leaders' list's rows for these reports, {pk: OverdueRow}; one query."""
    from django.urls import reverse

    from congress.lib.dashboard import OverdueRow

    rows = {}
    for report in LivelihoodReport.objects.filter(pk__in=list(pks)).select_related("project__organization"):
        project = report.project
        rows[report.pk] = OverdueRow(
            kind="民生实事项目", title=f"{project.title}：{report}", organization=project.organization.name,
            due_date=report.due_date, days_overdue=(today - report.due_date).days,
            url=reverse("admin:supervision_livelihoodproject_change", args=[project.pk]), detail="季度进展报告 · 未报送")
    return rows


def rounds_in(start: datetime.date, end: datetime.date) -> list[dict]:
    """The rounds voted at sessions that opened in the period, with their chosen projects (the chapter's rows)."""
    rounds = (LivelihoodRound.objects.filter(session__start_date__range=(start, end), status__in=COUNTED_STATES)
              .select_related("session__term").order_by("session__start_date"))
    projects = {}
    for p in (LivelihoodProject.objects.filter(round__in=rounds, chosen=True).select_related("organization")
              .annotate(submitted=Count("reports", filter=Q(reports__submitted_at__isnull=False)),
                        reports_due=Count("reports", filter=Q(reports__due_date__lte=end)))
              .order_by("rank", "number")):
        projects.setdefault(p.round_id, []).append(p)
    return [{"round": r, "projects": projects.get(r.pk, [])} for r in rounds]


def livelihood_duty_items(deputy, year: int) -> list[dict]:
    """The deputy's duty record (deputies.seams.duty_record_sources): candidates they proposed, and the votes they took
    part in (that they voted is known, what they voted is not); two queries."""
    from django.urls import reverse

    start, end = year_instants(year)
    items = [{"date": timezone.localtime(p.created_at).date(), "title": f"提出民生实事候选项目：{p.title}", "kind": "民生实事",
              "url": reverse("supervision:livelihood_round", args=[p.round_id])}
             for p in _record_proposed(deputy_id=deputy.pk, start=start, end=end)]
    first, last = year_days(year)
    items += [{"date": v.round.session.start_date, "title": f"参加{v.round.title}", "kind": "民生实事",
               "url": reverse("supervision:livelihood_round", args=[v.round_id])}
              for v in _record_votes(deputy_id=deputy.pk, first=first, last=last)]
    return items


# the two reads of livelihood_duty_items, compiled once per process
_record_proposed = Prepared(
    lambda deputy_id, start, end: LivelihoodProject.objects.filter(
        proposed_by_deputy_id=deputy_id, created_at__gte=start, created_at__lt=end).order_by("id"),
    params=("deputy_id", "start", "end"))
_record_votes = Prepared(
    lambda deputy_id, first, last: LivelihoodVoter.objects.filter(
        deputy_id=deputy_id, round__session__start_date__range=(first, last)).exclude(channel="")
    .select_related("round__session"), params=("deputy_id", "first", "last"))
