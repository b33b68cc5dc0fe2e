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
