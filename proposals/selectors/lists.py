"""The lists each party may see (explicit ownership filters), one object for a user or 404, the timeline and the
staff change list's shape."""
import datetime

from django.db.models import CharField, DateTimeField, Exists, OuterRef, Prefetch, Q, QuerySet, Value
from django.http import Http404
from django.utils import timezone

from congress import roles
from congress.lib.prepared import Prepared
from congress.models import StateChange
from congress.selectors import towns_for
from proposals.models import (
    Assignment,
    Cosignature,
    Evaluation,
    Reply,
    Suggestion,
    current_due_expression,
)

REPLYING = (Assignment.Role.LEAD, Assignment.Role.SEPARATE)


def deputy_suggestion_ids(deputy, cosignature_statuses) -> list[int]:
    """The ids of the suggestions `deputy` leads or co-signs (in one of `cosignature_statuses`), read at once by a
    UNION of two indexed lookups (lead_deputy_id; cosignature.deputy_id).

    The ``Q(lead_deputy=…) | Exists(cosignature)`` this replaced made PostgreSQL scan every suggestion of the district
    for one deputy's page. Left as a subquery, the UNION was still joined by a plan chosen on the planner's estimate of
    one deputy's rows (the district's average), and where that average is high against the table's size a hash join over
    a sequential scan of all suggestions won. Read first, the page's query filters on a handful of literal primary
    keys, which every plan answers from the primary-key index: one more small query for a plan that does not depend
    on statistics."""
    led = Suggestion.objects.filter(lead_deputy=deputy).order_by().values_list("pk", flat=True)
    cosigned = (Cosignature.objects.filter(deputy=deputy, status__in=list(cosignature_statuses))
                .order_by().values_list("suggestion_id", flat=True))
    return list(led.union(cosigned))


LEADS = "lead"


def remembered_suggestions(deputy) -> list[tuple]:
    """Every suggestion `deputy` leads or has a cosignature on, as (id, "lead" or the cosignature's status, and for a
    led one its status and submitted_at), for a page that asks several questions of them (the portal home: the
    suggestions the deputy may see, those whose replies they rate, the counted ones of the year): one UNION of the
    two indexed lookups of deputy_suggestion_ids, read once per deputy object (fresh per request). Only for the reads
    of a page, not for a request that changes the deputy's suggestions or cosignatures after it read them (it would
    answer from before)."""
    rows = deputy.__dict__.get("_suggestions_read")
    if rows is None:
        rows = deputy.__dict__["_suggestions_read"] = _remembered(deputy_id=deputy.pk)
    return rows


def _suggestions_with_relation(deputy_id):
    led = (Suggestion.objects.filter(lead_deputy_id=deputy_id).order_by()
           .values_list("pk", Value(LEADS), "status", "submitted_at"))
    cosigned = (Cosignature.objects.filter(deputy_id=deputy_id).order_by()
                .values_list("suggestion_id", "status", Value(None, CharField()), Value(None, DateTimeField())))
    return led.union(cosigned, all=True)


_remembered = Prepared(_suggestions_with_relation, params=("deputy_id",))  # compiled once per process


def remembered_suggestion_ids(deputy, cosignature_statuses) -> list[int]:
    """deputy_suggestion_ids from the page's one read (remembered_suggestions)."""
    wanted = {LEADS, *cosignature_statuses}
    return list(dict.fromkeys(pk for pk, relation, _, _ in remembered_suggestions(deputy) if relation in wanted))


NOT_DECLINED = (Cosignature.Status.INVITED, Cosignature.Status.CONFIRMED)


def _roles(user) -> frozenset[str]:
    from congress.predicates import role_names

    return role_names(user)


# ---------------------------------------------------------------- lists

def suggestion_list_for(*, user, filters: dict | None = None) -> QuerySet[Suggestion]:
    """Suggestions `user` may see: staff and leaders all but deputies' drafts; a unit those assigned to it (sent
    back included, so it keeps its record); a deputy their own and those they co-sign (confirmed or invited); town staff the
    pre-submissions of their towns; anybody else nothing. `filters`: status, batch_key, unit, category, q."""
    filters = filters or {}
    qs = Suggestion.objects.select_related("lead_deputy", "category", "term", "session", "town")
    party = _party(user)
    if party == "committee":
        qs = qs.exclude(status=Suggestion.Status.DRAFT)  # a deputy's draft is theirs until they submit it
    elif party == "unit":
        qs = qs.filter(Exists(Assignment.objects.filter(suggestion=OuterRef("pk"), unit_id=user.organization_id)))
    elif party == "deputy":
        qs = qs.filter(pk__in=deputy_suggestion_ids(user.deputy, NOT_DECLINED))
    elif party == "town":
        towns = towns_for(user)
        qs = qs.filter(status__in=(Suggestion.Status.PRESUBMITTED, Suggestion.Status.TOWN_RETURNED))
        if towns is not None:
            qs = qs.filter(town__in=towns)
    else:
        return qs.none()
    if filters.get("status"):
        qs = qs.filter(status=filters["status"])
    if filters.get("batch_key"):
        qs = qs.filter(batch_key=filters["batch_key"])
    if filters.get("unit"):
        qs = qs.filter(Exists(Assignment.objects.filter(suggestion=OuterRef("pk"), unit=filters["unit"])))
    if filters.get("category"):
        qs = qs.filter(category=filters["category"])
    if filters.get("q"):
        qs = qs.filter(Q(title__icontains=filters["q"]) | Q(number__icontains=filters["q"]))
    return qs.order_by("-id")


def _party(user) -> str:
    """As whom suggestion_list_for reads for `user`: the first of its parties that applies."""
    names = _roles(user)
    if user.is_superuser or names & {roles.COMMITTEE_STAFF, roles.LEADER}:
        return "committee"
    if roles.HANDLING_UNIT in names and user.organization_id:
        return "unit"
    if roles.DEPUTY in names and hasattr(user, "deputy"):
        return "deputy"
    if roles.TOWN_STAFF in names:
        return "town"
    return ""


def suggestion_count_for(*, user) -> int:
    """suggestion_list_for(user=user).count(); for a deputy the length of the same ids (every id is a suggestion's,
    and the list has no other filter), read once per request (remembered_suggestion_ids) rather than counted again."""
    if _party(user) == "deputy":
        return len(remembered_suggestion_ids(user.deputy, NOT_DECLINED))
    return suggestion_list_for(user=user).count()


def get_suggestion_for_user(user, pk) -> Suggestion:
    found = suggestion_list_for(user=user).filter(pk=pk).first()
    if found is None:
        raise Http404("建议不存在或无权查看")
    return found


def assignment_list_for_unit(*, unit, filters: dict | None = None) -> QuerySet[Assignment]:
    """A unit's assignments (its workspace), nearest deadline first. filters: status, open (bool), role."""
    filters = filters or {}
    qs = Assignment.objects.filter(unit=unit).select_related(
        "suggestion", "suggestion__lead_deputy", "suggestion__category", "unit")
    if filters.get("status"):
        qs = qs.filter(status=filters["status"])
    if filters.get("role"):
        qs = qs.filter(role=filters["role"])
    if filters.get("open"):
        qs = qs.open()
    return qs.with_current_due().order_by("current_due", "id")


def get_assignment_for_unit(user, pk) -> Assignment:
    found = assignment_list_for_unit(unit=user.organization_id).filter(pk=pk).first() if user.organization_id else None
    if found is None:
        raise Http404("交办不存在或无权查看")
    return found


def timeline_for(suggestion: Suggestion) -> list[dict]:
    """Every step of the suggestion, of its assignments and of its co-signers, oldest first (two queries): each row
    is the history record with its Chinese labels and, for an assignment's step, the unit."""
    from congress.lib.workflow import timeline_rows

    changes = list(StateChange.objects.filter(thread=f"suggestion:{suggestion.pk}").select_related("actor").order_by("id"))
    ids = {c.object_id for c in changes if c.workflow == "assignment"}
    units = dict(Assignment.objects.filter(pk__in=ids).values_list("pk", "unit__name")) if ids else {}
    return timeline_rows(changes, subject=lambda c: units.get(c.object_id, "") if c.workflow == "assignment" else "")


def replies_for(suggestion: Suggestion) -> QuerySet[Reply]:
    """Replies with their evaluations (a deputy sees the second reply after a 不满意 here)."""
    return Reply.objects.filter(assignment__suggestion=suggestion).select_related("assignment__unit").prefetch_related(
        Prefetch("evaluations", queryset=Evaluation.objects.select_related("deputy"))).order_by("assignment_id", "id")


def suggestion_admin_queryset(qs: QuerySet[Suggestion]) -> QuerySet[Suggestion]:
    """The staff change list: lead deputy, units and the nearest current deadline of an open replying assignment (the
    second deadline while re-handling), in a fixed number of queries."""
    from django.db.models import Subquery

    # a subquery, not Min() over a join: the page's COUNT then drops it (Django strips unused annotations) instead of
    # grouping every suggestion with its assignments (22 ms of the list's 98 at province scale)
    nearest = (Assignment.objects.filter(suggestion=OuterRef("pk"), status__in=Assignment.OPEN, role__in=REPLYING)
               .annotate(current_due=current_due_expression()).order_by("current_due").values("current_due")[:1])
    next_due = Subquery(nearest)
    return qs.select_related("lead_deputy", "category", "term", "session").prefetch_related(
        Prefetch("assignments", queryset=Assignment.objects.filter(status__in=Assignment.ACTIVE).select_related("unit"),
                 to_attr="active_assignments"),
    ).annotate(next_due=next_due)


def is_overdue(assignment: Assignment, today: datetime.date | None = None) -> bool:
    today = today or timezone.localdate()
    return assignment.is_open and assignment.current_due_date < today


def admin_todos(user, today):
    """The admin index's to-do items of the proposals app (congress.lib.dashboard): suggestions to register for the
    committee, pre-submitted ones to review for town staff."""
    from congress.lib.dashboard import Todo

    if not user.has_perm("proposals.change_suggestion") and not user.has_perm("proposals.view_suggestion"):
        return []
    names = _roles(user)
    if roles.TOWN_STAFF in names:
        count = suggestion_list_for(user=user).filter(status=Suggestion.Status.PRESUBMITTED).count()
        return [Todo("预提交建议待镇街审核", count, "/admin/proposals/suggestion/?status__exact=presubmitted")]
    if user.has_perm("proposals.change_suggestion"):
        count = Suggestion.objects.filter(status=Suggestion.Status.SUBMITTED).count()
        return [Todo("代表建议待登记", count, "/admin/proposals/suggestion/?status__exact=submitted")]
    return []


def units_with_open_assignments():
    """Organization ids with an assignment waiting for them (congress.lib.dashboard.register_unit_work): counted as
    单位无账号 on the admin index while the unit has no active account."""
    return Assignment.objects.open().values("unit_id")


def overdue_assignments(today: datetime.date):
    """The proposals app's items on the leaders' list of overdue items (congress.lib.dashboard.register_overdue): each
    assignment still open past its current deadline (`current_due`)."""
    return Assignment.objects.overdue(today)


def overdue_assignment_rows(pks, today: datetime.date) -> dict:
    """The leaders' list's rows for these assignments, {pk: OverdueRow}; one query."""
    from django.urls import reverse

    from congress.lib.dashboard import OverdueRow

    rows = {}
    # what a row shows, not the suggestion's text and the unit's contacts; into a dict, so in no order
    found = (Assignment.objects.with_current_due().filter(pk__in=list(pks)).select_related("suggestion", "unit")
             .only("role", "status", "suggestion__title", "suggestion__number", "unit__name").order_by())
    for a in found:
        owed = "会办意见" if a.role == Assignment.Role.ASSISTING else (
            "再次答复" if a.status == Assignment.Status.REHANDLING else "答复")
        rows[a.pk] = OverdueRow(
            kind="代表建议", title=a.suggestion.title, organization=a.unit.name, due_date=a.current_due,
            days_overdue=(today - a.current_due).days, url=reverse("admin:proposals_assignment_change", args=[a.pk]),
            detail=f"{a.suggestion.number or '（未编号）'} · {a.get_role_display()} · 待{owed}")
    return rows
