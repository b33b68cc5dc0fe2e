"""Reads of special work reports for the members' portal."""
import datetime

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from supervision.models import CommitteeMember, ReportSubmission, WorkReport

# the members see the reports of the meetings of the past month and the coming two
MEMBER_WINDOW = (datetime.timedelta(days=30), datetime.timedelta(days=60))


def member_work_reports(deputy) -> QuerySet[WorkReport] | list:
    """The reports heard (or to be heard) at the meetings around today of a term where `deputy` sits on the committee,
    each with its revised report (`revised`, a list) once the copies were sent."""
    if deputy is None:
        return []
    today = timezone.localdate()
    terms = CommitteeMember.objects.filter(deputy=deputy).serving_on(today).values("term_id")
    return (WorkReport.objects.filter(meeting__term_id__in=terms, meeting__date__gte=today - MEMBER_WINDOW[0],
                                      meeting__date__lte=today + MEMBER_WINDOW[1])
            .exclude(status=WorkReport.Status.CANCELLED).select_related("meeting__term", "organization")
            .prefetch_related(Prefetch("submissions", to_attr="revised", queryset=ReportSubmission.objects.filter(
                kind=ReportSubmission.Kind.REVISED).order_by("-submitted_at", "-id")))
            .order_by("meeting__date", "id")[:30])


# -- the organ's unit workspace: its own plan items and review opinions, 404 for another organ's

def unit_work_reports(user, *, everything: bool = False) -> QuerySet[WorkReport]:
    """The organ's plan items, by default those it still owes something on (before the meeting, or an opinion awaiting
    its report)."""
    from supervision.models import ReviewOpinion

    reports = (WorkReport.objects.filter(organization_id=user.organization_id)
               .select_related("meeting__term", "review_opinion").order_by("-year", "meeting__date", "id"))
    if not everything:
        reports = reports.filter(status__in=WorkReport.BEFORE_MEETING) | reports.filter(
            review_opinion__status__in=ReviewOpinion.AWAITING)
    return reports


def unit_work_report(user, pk) -> WorkReport:
    from django.http import Http404

    report = (WorkReport.objects.select_related("meeting__term", "working_body")
              .filter(pk=pk, organization_id=user.organization_id).first())
    if report is None:
        raise Http404("专项工作报告不存在")
    return report


def unit_review_opinion(user, pk):
    from django.http import Http404

    from supervision.models import ReviewOpinion

    opinion = (ReviewOpinion.objects.select_related("work_report__meeting__term")
               .filter(pk=pk, organization_id=user.organization_id).first())
    if opinion is None:
        raise Http404("审议意见不存在")
    return opinion


def report_submissions(report: WorkReport, kinds) -> QuerySet[ReportSubmission]:
    return report.submissions.filter(kind__in=list(kinds))
