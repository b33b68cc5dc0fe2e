"""Reads of the three parties' pages: the portal (invitations, replies to rate, co-signer search, the duty record and
the "五个一"), the unit workspace (the traffic light) and the public replies; who may read a file."""
import datetime

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from congress.lib.prepared import Prepared, year_instants
from proposals.models import (
    Assignment,
    AssistOpinion,
    Cosignature,
    Evaluation,
    Reply,
    Suggestion,
)
from proposals.selectors.lists import (
    LEADS,
    deputy_suggestion_ids,
    get_suggestion_for_user,
    remembered_suggestion_ids,
    remembered_suggestions,
)


def deadline_light(assignment: Assignment, today: datetime.date, amber_days: int) -> str:
    """The unit inbox's traffic light: red overdue, amber due within `amber_days`, green later, "" when the unit
    owes nothing (replied, opinion sent, sent back)."""
    return _light(assignment.is_open, assignment.current_due_date, today, amber_days)


def _light(is_open: bool, due: datetime.date, today: datetime.date, amber_days: int) -> str:
    if not is_open:
        return ""
    left = (due - today).days
    if left < 0:
        return "red"
    return "amber" if left <= amber_days else "green"


def unit_inbox_values(assignments: QuerySet[Assignment]) -> QuerySet[dict]:
    """The values a row of the unit inbox shows of these assignments (assignment_list_for_unit, filtered), for
    unit_inbox_rows: no model instances for a page that only shows them. Count the assignments, not these: the
    suggestion's and deputy's columns join their tables, and a COUNT keeps those joins (9.5 ms for 916 replied items)."""
    return assignments.values("pk", "role", "status", "current_due", "suggestion__title", "suggestion__number",
                              "suggestion__lead_deputy__full_name")


def unit_inbox_rows(items, today: datetime.date, amber_days: int) -> list[dict]:
    """One page of unit_inbox_values as the rows proposals/unit/inbox.html shows: labels, the deadline (the current one,
    Assignment.current_due_date computed in SQL) and its traffic light (deadline_light), read once here so the template
    looks up plain keys, not a chain through the assignment, its suggestion and its deputy (1.5 of its 5 ms)."""
    role, status = dict(Assignment.Role.choices), dict(Assignment.Status.choices)
    rows = []
    for item in items:
        due = item["current_due"]
        rows.append({
            "pk": item["pk"], "title": item["suggestion__title"], "number": item["suggestion__number"],
            "role": role.get(item["role"], item["role"]), "deputy": item["suggestion__lead_deputy__full_name"],
            "status": status.get(item["status"], item["status"]), "due": due,
            "light": _light(item["status"] in Assignment.OPEN, due, today, amber_days),
            "left": (due - today).days, "late": (today - due).days})
    return rows


def _pending_invitations(deputy_id):
    return (Cosignature.objects.filter(deputy_id=deputy_id, status=Cosignature.Status.INVITED)
            .exclude(suggestion__status__in=(Suggestion.Status.RETURNED, Suggestion.Status.MERGED,
                                             Suggestion.Status.CLOSED))
            .select_related("suggestion__lead_deputy")
            # what an invitation shows (proposals/portal/snippets/invite_item.html), on the home and the invitations page
            .only("invited_at", "suggestion__title", "suggestion__lead_deputy__full_name")
            .order_by("-invited_at", "-id"))


def pending_invitations_for(deputy) -> QuerySet[Cosignature]:
    """附议 invitations the deputy has not answered, on suggestions still open to co-signing."""
    return _pending_invitations(deputy.pk)


_home_invitations = Prepared(lambda deputy_id, limit: _pending_invitations(deputy_id)[:limit], params=("deputy_id",))


def home_invitations(deputy, limit: int) -> list[Cosignature]:
    """The first `limit` of pending_invitations_for, for the portal home (compiled once per process: congress.lib.prepared)."""
    return _home_invitations(deputy_id=deputy.pk, limit=limit)


def _replies_to_rate(deputy_id, suggestion_ids):
    rated = Evaluation.objects.filter(reply=OuterRef("pk"), deputy_id=deputy_id)
    later = Reply.objects.filter(assignment=OuterRef("assignment"), is_second_reply=True)
    return (Reply.objects.filter(assignment__status=Assignment.Status.REPLIED)
            .filter(assignment__suggestion_id__any_of=suggestion_ids)
            .exclude(Exists(rated)).exclude(Q(is_second_reply=False) & Exists(later))
            .select_related("assignment__unit", "assignment__suggestion")
            # what the home panel shows (proposals/portal/snippets/panel_to_rate.html), not the letters and texts
            .only("replied_on", "is_second_reply", "assignment__unit__name", "assignment__suggestion__title")
            .order_by("-replied_on", "-id"))


def replies_to_rate_for(deputy) -> QuerySet[Reply]:
    """Latest replies of replied assignments on suggestions the deputy leads or has confirmed, not yet rated by
    them (the evaluation service accepts exactly these)."""
    return _replies_to_rate(deputy.pk, deputy_suggestion_ids(deputy, [Cosignature.Status.CONFIRMED]))


_home_replies_to_rate = Prepared(lambda deputy_id, suggestion_ids, limit: _replies_to_rate(deputy_id, suggestion_ids)[:limit],
                                 params=("deputy_id", "suggestion_ids"))


def home_replies_to_rate(deputy, limit: int) -> list[Reply]:
    """The first `limit` of replies_to_rate_for, for the portal home: of the suggestions as the page already read them
    (remembered_suggestion_ids, which the home also counts), compiled once per process (congress.lib.prepared)."""
    ids = remembered_suggestion_ids(deputy, [Cosignature.Status.CONFIRMED])
    return _home_replies_to_rate(deputy_id=deputy.pk, suggestion_ids=ids, limit=limit)


def deputy_search(*, query: str, exclude_ids=(), limit: int = 20):
    """Deputies to invite as co-signers, by name (serving mandates of the current term first)."""
    from deputies.models import Deputy, Mandate

    query = (query or "").strip()
    if not query:
        return Deputy.objects.none()
    serving = Exists(Mandate.objects.filter(deputy=OuterRef("pk"), status=Mandate.Status.SERVING))
    return (Deputy.objects.filter(full_name__icontains=query).exclude(pk__in=list(exclude_ids)).filter(user__isnull=False)
            .annotate(serving=serving).select_related("town").order_by("-serving", "full_name", "id")[:limit])


def _published_replies() -> QuerySet[Reply]:
    """What the public may read: published replies only (the list and one reply's page)."""
    return Reply.objects.filter(published_at__isnull=False)


def published_reply_list(*, filters: dict | None = None) -> QuerySet[Reply]:
    """The public page: published replies only. filters: q (title, number or summary), unit, category, year."""
    filters = filters or {}
    # what the list shows (proposals/public/list.html): two joins fewer than the detail page's rows, which PostgreSQL
    # took 1.5 ms to plan (six tables) for a 0.24 ms read at province scale
    qs = (_published_replies().select_related("assignment__unit", "assignment__suggestion")
          .only("replied_on", "result", "assignment__unit__name", "assignment__suggestion__title",
                "assignment__suggestion__number"))
    if filters.get("q"):
        q = filters["q"]
        qs = qs.filter(Q(assignment__suggestion__title__icontains=q) | Q(assignment__suggestion__number__icontains=q)
                       | Q(summary__icontains=q))
    if filters.get("unit"):
        qs = qs.filter(assignment__unit=filters["unit"])
    if filters.get("category"):
        qs = qs.filter(assignment__suggestion__category=filters["category"])
    if filters.get("year"):
        qs = qs.filter(replied_on__year=filters["year"])
    return qs.order_by("-replied_on", "-id")


def get_published_reply(pk) -> Reply:
    found = (_published_replies().filter(pk=pk).select_related(
        "assignment__unit", "assignment__suggestion__category", "assignment__suggestion__lead_deputy").first())
    if found is None:
        raise Http404("答复不存在或尚未公开")
    return found


def reply_letter_for(user, pk) -> Reply:
    """A reply whose letter `user` may read: any published one, or one on a suggestion the user may see."""
    reply = Reply.objects.select_related("assignment").filter(pk=pk).first()
    if reply is None:
        raise Http404("答复不存在")
    if reply.published_at is None:
        if not user.is_authenticated:
            raise Http404("答复不存在或尚未公开")
        get_suggestion_for_user(user, reply.assignment.suggestion_id)
    return reply


def get_assist_opinion_for_user(user, pk) -> AssistOpinion:
    """A 会办意见 (and its attachment) is between the units and the committee: staff and leaders who see the suggestion
    and the units assigned to it read it; deputies do not."""
    from proposals.predicates import can_see_assist_opinion

    opinion = AssistOpinion.objects.select_related("assignment__suggestion").filter(pk=pk).first()
    if opinion is None or not can_see_assist_opinion(user, opinion):
        raise Http404("会办意见不存在或无权查看")
    return opinion


# A suggestion counts as its lead deputy's "一件好建议" of the year it was submitted in once staff have registered it
# (merged into another still counts; returned does not). The duty record's tag and the checklist both use this.
COUNTED = (Suggestion.Status.REGISTERED, Suggestion.Status.ASSIGNED, Suggestion.Status.HANDLING, Suggestion.Status.MERGED,
           Suggestion.Status.REPLIED, Suggestion.Status.REHANDLING, Suggestion.Status.CLOSED)


def counted_led_suggestions(deputy_ids, year: int):
    """(lead deputy id, submitted_at) of every counted suggestion of `year` led by one of `deputy_ids`: one query."""
    return (Suggestion.objects.filter(lead_deputy_id__in=list(deputy_ids), submitted_at__year=year, status__in=COUNTED)
            .order_by().values_list("lead_deputy_id", "submitted_at"))


def remembered_counted_led(deputy, year: int) -> list[tuple[int, datetime.datetime]]:
    """counted_led_suggestions([deputy.pk], year) from the page's one read of the deputy's suggestions
    (remembered_suggestions; the year in the current time zone, as the query's __year)."""
    return [(deputy.pk, submitted_at) for _, relation, status, submitted_at in remembered_suggestions(deputy)
            if relation == LEADS and status in COUNTED and submitted_at is not None
            and timezone.localtime(submitted_at).year == year]


def good_suggestion_checklist(deputy_ids, year: int) -> dict[int, set[str]]:
    """deputies.seams.checklist_sources: {lead deputy id: {"suggestion"}} for those with a counted suggestion of `year`
    (one query for any number of deputies)."""
    from deputies.models import DutyActivityType

    led = (Suggestion.objects.filter(lead_deputy_id__in=list(deputy_ids), submitted_at__year=year, status__in=COUNTED)
           .values_list("lead_deputy_id", flat=True).distinct())
    return {pk: {DutyActivityType.ChecklistItem.SUGGESTION} for pk in led}


def duty_record_suggestions(deputy, year: int) -> list[tuple[Suggestion, bool]]:
    """(suggestion, led by the deputy) for the duty record: submitted in `year`, led or co-signed (confirmed). One
    query: the UNION of the two indexed lookups of deputy_suggestion_ids (lead_deputy_id; cosignature.deputy_id), each
    reading its suggestions' rows itself, so no plan joins the deputy's ids against the district's suggestions and no
    first query reads the ids."""
    start, end = year_instants(year)
    return [(s, s.lead_deputy_id == deputy.pk) for s in _record_suggestions(deputy_id=deputy.pk, start=start, end=end)]


def _suggestions_of_record(deputy_id, start, end):
    hidden = (Suggestion.Status.DRAFT, Suggestion.Status.PRESUBMITTED, Suggestion.Status.TOWN_RETURNED)
    columns = ("id", "title", "number", "status", "submitted_at", "lead_deputy_id")
    submitted = {"submitted_at__gte": start, "submitted_at__lt": end}
    led = Suggestion.objects.filter(lead_deputy_id=deputy_id, **submitted).exclude(status__in=hidden)
    cosigned = Suggestion.objects.filter(cosignatures__deputy_id=deputy_id,
                                         cosignatures__status=Cosignature.Status.CONFIRMED, **submitted
                                         ).exclude(status__in=hidden)
    return led.only(*columns).order_by().union(cosigned.only(*columns).order_by()).order_by("submitted_at", "id")


_record_suggestions = Prepared(_suggestions_of_record, params=("deputy_id", "start", "end"))  # once per process


def session_archive_for(user, pk: int):
    """A built session archive for the committee's staff and leaders; 403 for everybody else, 404 when not built."""
    from django.core.exceptions import PermissionDenied
    from django.http import Http404

    from congress.predicates import is_committee_staff, is_leader
    from proposals.models import SessionArchive

    if not (is_committee_staff(user) or is_leader(user)):
        raise PermissionDenied("只有常委会机关工作人员和领导可以查看会议建议档案")
    archive = SessionArchive.objects.select_related("session__term").filter(pk=pk).first()
    if archive is None or not archive.file:
        raise Http404("档案不存在或尚未生成")
    return archive
