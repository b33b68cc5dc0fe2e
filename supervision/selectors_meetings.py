"""Reads of 代表约见 (supervision/models/meetings.py): the portal's and the unit workspace's lists, the leaders' overdue
list, the deputies' duty record and the annual report's figures; each in a fixed number of queries."""
import datetime

from django.db.models import Count, Q
from django.http import Http404

from congress.lib.prepared import Prepared, year_days
from congress.predicates import unit_id
from supervision.models import MeetingRating, MeetingRequest

MS = MeetingRequest.Status


def _listed(qs):
    return qs.select_related("organization", "drafted_by").annotate(
        signer_count=Count("signers", distinct=True)).order_by("-created_at", "-id")


def portal_meeting_requests(deputy):
    """The requests this deputy drafted or signed."""
    return _listed(MeetingRequest.objects.filter(signers__deputy=deputy))


def open_drafts_for(deputy):
    """Drafts other deputies are collecting names for, which this deputy has not signed."""
    return _listed(MeetingRequest.objects.filter(status=MS.DRAFT).exclude(signers__deputy=deputy))


def unit_meeting_requests(user, *, everything: bool = False):
    """The organ's requests once agreed; by default those whose written reply it still owes or whose meeting is to
    come."""
    states = MeetingRequest.ORGAN_SEES if everything else (MS.APPROVED, MS.MET)
    return _listed(MeetingRequest.objects.filter(organization_id=unit_id(user), status__in=states))


def unit_meeting_request(user, pk) -> MeetingRequest:
    found = MeetingRequest.objects.filter(pk=pk, organization_id=unit_id(user),
                                          status__in=MeetingRequest.ORGAN_SEES).select_related("organization").first()
    if found is None:
        raise Http404("约见事项不存在或不属于本单位")
    return found


# -- the leaders' overdue list (congress.lib.dashboard.register_overdue) ---------------------------------------------

def overdue_meeting_replies(today):
    """Requests whose organ owes its written reply past the due date."""
    return MeetingRequest.objects.filter(status=MS.MET, reply_due__lt=today)


def overdue_meeting_reply_rows(pks, today) -> dict:
    """{pk: OverdueRow} for these requests; one query."""
    from django.urls import reverse

    from congress.lib.dashboard import OverdueRow

    rows = {}
    for request in MeetingRequest.objects.filter(pk__in=list(pks)).select_related("organization"):
        rows[request.pk] = OverdueRow(
            kind="代表约见", title=f"代表约见：{request.subject}", organization=request.organization.name,
            due_date=request.reply_due, days_overdue=(today - request.reply_due).days,
            url=reverse("admin:supervision_meetingrequest_change", args=[request.pk]),
            detail=f"约见日期 {request.met_on:%Y-%m-%d} · 待书面答复")
    return rows


# -- the deputies' duty record (deputies.seams.duty_record_sources) --------------------------------------------------

_record_meetings = Prepared(  # compiled once per process
    lambda deputy_id, first, last: MeetingRequest.objects.filter(attendees=deputy_id, met_on__range=(first, last))
    .select_related("organization").order_by("met_on", "pk"), params=("deputy_id", "first", "last"))


def meeting_duty_items(deputy, year: int) -> list[dict]:
    """A meeting the deputy attended is an item of their duty record on its date; one query."""
    from django.urls import reverse

    items = []
    first, last = year_days(year)
    for request in _record_meetings(deputy_id=deputy.pk, first=first, last=last):
        items.append({"date": request.met_on, "title": f"约见{request.organization.name}负责人：{request.subject}",
                      "kind": "代表约见", "url": reverse("supervision:meeting", args=[request.pk]),
                      "status": request.get_status_display()})
    return items


# -- the annual report's chapter (supervision.chapters) --------------------------------------------------------------

def meeting_figures(start: datetime.date, end: datetime.date) -> dict:
    """The period's 代表约见 work: requests put forward and decided, meetings held (and the deputies at them), written
    replies (on time or late, and still overdue at the period's end), the deputies' ratings, and a row per meeting."""
    base = MeetingRequest.objects.all()
    proposed = base.filter(proposed_at__date__range=(start, end)).count()
    decided = base.filter(decided_at__date__range=(start, end)).aggregate(
        rejected=Count("pk", filter=Q(status=MS.REJECTED)), all=Count("pk"))
    held = list(base.filter(met_on__range=(start, end)).select_related("organization")
                .annotate(n_attendees=Count("attendees", distinct=True)).order_by("met_on", "pk"))
    replies = list(base.filter(replied_at__date__range=(start, end)).values_list("replied_at", "reply_due"))
    from django.utils import timezone

    on_time = sum(1 for at, due in replies if timezone.localtime(at).date() <= due)
    overdue = base.filter(met_on__lte=end, reply_due__lt=end).filter(
        Q(replied_at__isnull=True) | Q(replied_at__date__gt=end)).count()
    ratings = dict(MeetingRating.objects.filter(rated_at__date__range=(start, end)).values_list("choice")
                   .annotate(n=Count("pk")).values_list("choice", "n"))
    C = MeetingRating.Choice
    return {
        "proposed": proposed, "agreed": decided["all"] - decided["rejected"], "rejected": decided["rejected"],
        "held": len(held), "attendances": sum(r.n_attendees for r in held),
        "replies": len(replies), "on_time": on_time, "late": len(replies) - on_time, "overdue": overdue,
        "ratings": {c: ratings.get(c, 0) for c in (C.SATISFIED, C.BASIC, C.UNSATISFIED)},
        "rows": [[r.met_on.isoformat(), r.organization.name, r.subject, r.n_attendees, r.get_status_display()]
                 for r in held],
    }
