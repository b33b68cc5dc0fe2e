"""Reads of the proposals app: the lists each party may see (explicit ownership filters), the timeline, the
rates the institution reports (each defined once, here), and similar suggestions for 并案.

The rates count 件次 — one replying assignment (a 主办 or 分办 unit of one suggestion; 协办 units do not reply and
assignments sent back are not counted) — so one definition serves both a unit and a session. Each rate function
returns {group key: Rate}; group by "unit" (Organization id) or "batch" (Suggestion.batch_key, one session or one
recess year), or None for one overall figure under the key None."""
import datetime
import math
from collections import Counter, defaultdict
from dataclasses import dataclass

from django.db.models import Count, Exists, F, OuterRef, Prefetch, Q, QuerySet
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone

from congress import roles
from congress.models import StateChange
from congress.selectors import towns_for
from proposals.models import (
    Assignment,
    AssistOpinion,
    Cosignature,
    Evaluation,
    Reply,
    Suggestion,
    current_due_expression,
)

REPLYING = (Assignment.Role.LEAD, Assignment.Role.SEPARATE)


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
    names = _roles(user)
    if user.is_superuser or names & {roles.COMMITTEE_STAFF, roles.LEADER}:
        qs = qs.exclude(status=Suggestion.Status.DRAFT)  # a deputy's draft is theirs until they submit it
    elif roles.HANDLING_UNIT in names and user.organization_id:
        qs = qs.filter(Exists(Assignment.objects.filter(suggestion=OuterRef("pk"), unit_id=user.organization_id)))
    elif roles.DEPUTY in names and hasattr(user, "deputy"):
        deputy = user.deputy
        qs = qs.filter(Q(lead_deputy=deputy) | Exists(Cosignature.objects.filter(
            suggestion=OuterRef("pk"), deputy=deputy).exclude(status=Cosignature.Status.DECLINED)))
    elif roles.TOWN_STAFF in names:
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


def assignment_timeline(assignment: Assignment) -> list[dict]:
    """The assignment's own steps, oldest first (the admin's assignment page)."""
    from congress.lib.workflow import timeline_rows
    from proposals.workflows import ASSIGNMENT

    return timeline_rows(ASSIGNMENT.history(assignment))


def replies_for(suggestion: Suggestion) -> QuerySet[Reply]:
    """Replies with their evaluations (a deputy sees the second reply after a 不满意 here)."""
    return Reply.objects.filter(assignment__suggestion=suggestion).select_related("assignment__unit").prefetch_related(
        Prefetch("evaluations", queryset=Evaluation.objects.select_related("deputy"))).order_by("assignment_id", "id")


def suggestion_admin_queryset(qs: QuerySet[Suggestion]) -> QuerySet[Suggestion]:
    """The staff change list: lead deputy, units and the nearest current deadline of an open replying assignment (the
    second deadline while re-handling), in a fixed number of queries."""
    from django.db.models import Min

    next_due = Min(current_due_expression("assignments__"),
                   filter=Q(assignments__status__in=Assignment.OPEN, assignments__role__in=REPLYING))
    return qs.select_related("lead_deputy", "category", "term", "session").prefetch_related(
        Prefetch("assignments", queryset=Assignment.objects.filter(status__in=Assignment.ACTIVE).select_related("unit"),
                 to_attr="active_assignments"),
    ).annotate(next_due=next_due)


def is_overdue(assignment: Assignment, today: datetime.date | None = None) -> bool:
    today = today or timezone.localdate()
    return assignment.is_open and assignment.current_due_date < today


# ---------------------------------------------------------------- rates

@dataclass(frozen=True)
class Rate:
    numerator: int
    denominator: int

    @property
    def value(self) -> float | None:
        return None if not self.denominator else self.numerator / self.denominator

    def __str__(self):
        return "—" if self.value is None else f"{self.value * 100:.1f}%（{self.numerator}/{self.denominator}）"


GROUPS = {"unit": "unit_id", "batch": "suggestion__batch_key", None: None}


def _replying(assignments: QuerySet | None) -> QuerySet[Assignment]:
    qs = assignments if assignments is not None else Assignment.objects.all()
    return qs.filter(role__in=REPLYING).exclude(status__in=(Assignment.Status.SENT_BACK,
                                                             Assignment.Status.SEND_BACK_REQUESTED))


def _grouped(qs: QuerySet, group_by: str | None, numerator: Q, denominator: Q | None = None) -> dict:
    key = GROUPS[group_by]
    counts = {"num": Count("id", filter=numerator), "den": Count("id", filter=denominator) if denominator else Count("id")}
    if key is None:
        row = qs.aggregate(**counts)
        return {None: Rate(row["num"], row["den"])}
    return {row["k"]: Rate(row["num"], row["den"]) for row in
            qs.annotate(k=F(key)).values("k").order_by("k").annotate(**counts)}


def rate_on_time_reply(*, assignments: QuerySet | None = None, group_by: str | None = None,
                       today: datetime.date | None = None) -> dict:
    """按期答复率: replying assignments whose first reply came on or before the reply deadline (an approved
    extension included), over replying assignments that have replied or whose deadline has passed (an item not yet
    due and not yet answered is not counted either way)."""
    today = today or timezone.localdate()
    due = Coalesce("extended_due_date", "due_date")
    qs = _replying(assignments).annotate(deadline=due)
    return _grouped(qs, group_by, numerator=Q(first_replied_on__isnull=False, first_replied_on__lte=F("deadline")),
                    denominator=Q(first_replied_on__isnull=False) | Q(deadline__lt=today))


def rate_closed(*, assignments: QuerySet | None = None, group_by: str | None = None) -> dict:
    """办结率: replying assignments of suggestions that are closed (办结), over all replying assignments."""
    return _grouped(_replying(assignments), group_by, numerator=Q(suggestion__status=Suggestion.Status.CLOSED))


def rate_satisfied(*, assignments: QuerySet | None = None, group_by: str | None = None) -> dict:
    """满意率: evaluations 满意 or 基本满意, over all evaluations, counting for each replying assignment only the
    evaluations of its latest reply (after a second reply the first one's evaluations no longer count)."""
    qs = _replying(assignments)
    later = Reply.objects.filter(assignment=OuterRef("reply__assignment"), id__gt=OuterRef("reply_id"))
    evaluations = Evaluation.objects.filter(reply__assignment__in=qs.values("pk")).exclude(Exists(later))
    key = {"unit": "reply__assignment__unit_id", "batch": "reply__assignment__suggestion__batch_key", None: None}[group_by]
    good = Q(rating__in=(Evaluation.Rating.SATISFIED, Evaluation.Rating.BASICALLY))
    counts = {"num": Count("id", filter=good), "den": Count("id")}
    if key is None:
        row = evaluations.aggregate(**counts)
        return {None: Rate(row["num"], row["den"])}
    return {row["k"]: Rate(row["num"], row["den"])
            for row in evaluations.annotate(k=F(key)).values("k").order_by("k").annotate(**counts)}


def rate_category_a(*, assignments: QuerySet | None = None, group_by: str | None = None) -> dict:
    """A类占比 (解决率): replying assignments whose latest result is A, over replying assignments that have replied."""
    return _grouped(_replying(assignments).exclude(result=""), group_by, numerator=Q(result="A"))


def rate_followup_done(*, assignments: QuerySet | None = None, group_by: str | None = None) -> dict:
    """续办落实率: replying assignments answered B or C whose unit has since reported them solved, over all replying
    assignments answered B or C."""
    return _grouped(_replying(assignments).filter(result__in=("B", "C")), group_by, numerator=Q(followup_solved=True))


RATES = [("按期答复率", rate_on_time_reply), ("办结率", rate_closed), ("满意率", rate_satisfied),
         ("A类占比", rate_category_a), ("续办落实率", rate_followup_done)]


def rates_table(*, group_by: str, assignments: QuerySet | None = None) -> list[dict]:
    """All five rates per unit or per batch, for the admin's rates page and the reports (one query per rate)."""
    from congress.models import Organization

    results = {name: fn(assignments=assignments, group_by=group_by) for name, fn in RATES}
    keys = {k for r in results.values() for k in r}
    if group_by == "unit":
        labels = dict(Organization.objects.filter(pk__in=[k for k in keys if k]).values_list("pk", "name"))
        keys = sorted(keys, key=lambda k: (k is None, labels.get(k, "")))
    else:
        labels = batch_labels(keys)
        keys = batches_newest_first(keys)
    empty = Rate(0, 0)
    return [{"key": k, "label": labels.get(k, str(k)), "rates": [(name, results[name].get(k, empty)) for name, _ in RATES]}
            for k in keys]


def batch_labels(keys) -> dict:
    """batch_key → "区十七届人大二次会议" / "区十七届人大常委会2026年闭会期间" with one query."""
    samples = {}
    for s in Suggestion.objects.filter(batch_key__in=list(keys)).select_related("term", "session", "session__term") \
            .order_by("batch_key", "id").distinct("batch_key") if _distinct_on() else []:
        samples[s.batch_key] = s.batch_label()
    if not samples:
        for key in keys:
            s = Suggestion.objects.filter(batch_key=key).select_related("term", "session", "session__term").first()
            if s is not None:
                samples[key] = s.batch_label()
    return samples


def _distinct_on() -> bool:
    from django.db import connection

    return connection.features.can_distinct_on_fields


def batches_newest_first(keys) -> list:
    """Batch keys by date, newest first (one query): a session by its opening day, a recess year after that year's
    session. Sorting the keys as text put 三次 before 二次, 一次, 六次 …"""
    import datetime

    from congress.models import CongressSession

    keys = [k for k in keys if k]
    opened = dict(CongressSession.objects.filter(pk__in=[int(k[1:]) for k in keys if k.startswith("s")])
                  .values_list("pk", "start_date"))

    def when(key: str) -> datetime.date:
        if key.startswith("s"):
            return opened.get(int(key[1:]), datetime.date.min)
        return datetime.date(int(key.rsplit("-", 1)[1]), 12, 31)

    return sorted(keys, key=when, reverse=True)


def batch_choices() -> list[tuple[str, str]]:
    keys = list(Suggestion.objects.order_by().values_list("batch_key", flat=True).distinct())
    labels = batch_labels(keys)
    return [(k, labels.get(k, k)) for k in batches_newest_first(keys)]


# ---------------------------------------------------------------- similar suggestions (并案)

def bigrams(text: str) -> Counter:
    """Chinese character bigrams of the text's CJK/alphanumeric runs (punctuation and spaces split runs)."""
    grams: Counter = Counter()
    run = []
    for ch in text + " ":
        if ch.isalnum():
            run.append(ch)
            continue
        for i in range(len(run) - 1):
            grams[run[i] + run[i + 1]] += 1
        run = []
    return grams


def _vector(suggestion) -> Counter:
    # the title says what the item is about: count it three times against the content
    grams = bigrams(suggestion.title)
    for g in grams:
        grams[g] *= 3
    grams.update(bigrams(suggestion.content))
    return grams


def cosine(a: Counter, b: Counter, idf: dict | None = None) -> float:
    if not a or not b:
        return 0.0
    w = idf or {}
    dot = sum(v * b[g] * w.get(g, 1.0) ** 2 for g, v in a.items() if g in b)
    na = math.sqrt(sum((v * w.get(g, 1.0)) ** 2 for g, v in a.items()))
    nb = math.sqrt(sum((v * w.get(g, 1.0)) ** 2 for g, v in b.items()))
    return dot / (na * nb) if na and nb else 0.0


def similar_suggestions(suggestion: Suggestion, limit: int = 5, candidates=None) -> list[tuple[Suggestion, float]]:
    """The suggestions of the same term most like this one (bigram cosine over title and content, weighted by
    inverse document frequency so words every suggestion uses, like 建议 or 加强, count little). No network."""
    if candidates is None:
        candidates = Suggestion.objects.filter(term_id=suggestion.term_id).exclude(pk=suggestion.pk).exclude(
            status__in=(Suggestion.Status.DRAFT, Suggestion.Status.MERGED, Suggestion.Status.RETURNED)).only(
            "id", "title", "content", "number", "status", "term_id")
    candidates = [c for c in candidates if c.pk != suggestion.pk]
    vectors = {c.pk: _vector(c) for c in candidates}
    mine = _vector(suggestion)
    df: defaultdict = defaultdict(int)
    for v in [mine, *vectors.values()]:
        for g in v:
            df[g] += 1
    n = len(vectors) + 1
    idf = {g: math.log((n + 1) / (d + 0.5)) for g, d in df.items()}
    scored = [(c, cosine(mine, vectors[c.pk], idf)) for c in candidates]
    scored.sort(key=lambda pair: (-pair[1], pair[0].pk))
    return [(c, round(s, 4)) for c, s in scored[:limit] if s > 0]


# ---------------------------------------------------------------- the three parties' pages (portal, unit, public)

def deadline_light(assignment: Assignment, today: datetime.date, amber_days: int) -> str:
    """The unit inbox's traffic light: red overdue, amber due within `amber_days`, green later, "" when the unit
    owes nothing (replied, opinion sent, sent back)."""
    if not assignment.is_open:
        return ""
    left = (assignment.current_due_date - today).days
    if left < 0:
        return "red"
    return "amber" if left <= amber_days else "green"


def pending_invitations_for(deputy) -> QuerySet[Cosignature]:
    """附议 invitations the deputy has not answered, on suggestions still open to co-signing."""
    return (Cosignature.objects.filter(deputy=deputy, status=Cosignature.Status.INVITED)
            .exclude(suggestion__status__in=(Suggestion.Status.RETURNED, Suggestion.Status.MERGED,
                                             Suggestion.Status.CLOSED))
            .select_related("suggestion__lead_deputy", "suggestion__category").order_by("-invited_at", "-id"))


def replies_to_rate_for(deputy) -> QuerySet[Reply]:
    """Latest replies of replied assignments on suggestions the deputy leads or has confirmed, not yet rated by
    them (the evaluation service accepts exactly these)."""
    confirmed = Cosignature.objects.filter(suggestion=OuterRef("assignment__suggestion"), deputy=deputy,
                                           status=Cosignature.Status.CONFIRMED)
    rated = Evaluation.objects.filter(reply=OuterRef("pk"), deputy=deputy)
    later = Reply.objects.filter(assignment=OuterRef("assignment"), is_second_reply=True)
    return (Reply.objects.filter(assignment__status=Assignment.Status.REPLIED)
            .filter(Q(assignment__suggestion__lead_deputy=deputy) | Exists(confirmed))
            .exclude(Exists(rated)).exclude(Q(is_second_reply=False) & Exists(later))
            .select_related("assignment__unit", "assignment__suggestion").order_by("-replied_on", "-id"))


def deputy_search(*, query: str, exclude_ids=(), limit: int = 20):
    """Deputies to invite as co-signers, by name (serving mandates of the current term first)."""
    from deputies.models import Deputy, Mandate

    query = (query or "").strip()
    if not query:
        return Deputy.objects.none()
    serving = Exists(Mandate.objects.filter(deputy=OuterRef("pk"), status=Mandate.Status.SERVING))
    return (Deputy.objects.filter(full_name__icontains=query).exclude(pk__in=list(exclude_ids)).filter(user__isnull=False)
            .annotate(serving=serving).select_related("town").order_by("-serving", "full_name", "id")[:limit])


def published_reply_list(*, filters: dict | None = None) -> QuerySet[Reply]:
    """The public page: published replies only. filters: q (title, number or summary), unit, category, year."""
    filters = filters or {}
    qs = Reply.objects.filter(published_at__isnull=False).select_related(
        "assignment__unit", "assignment__suggestion__category", "assignment__suggestion__lead_deputy")
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
    found = published_reply_list().filter(pk=pk).first()
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


def good_suggestion_checklist(deputy_ids, year: int) -> dict[int, set[str]]:
    """deputies.seams.checklist_sources: {lead deputy id: {"suggestion"}} for those with a counted suggestion of `year`
    (one query for any number of deputies)."""
    from deputies.models import DutyActivityType

    led = (Suggestion.objects.filter(lead_deputy_id__in=list(deputy_ids), submitted_at__year=year, status__in=COUNTED)
           .values_list("lead_deputy_id", flat=True).distinct())
    return {pk: {DutyActivityType.ChecklistItem.SUGGESTION} for pk in led}


def duty_record_suggestions(deputy, year: int) -> list[tuple[Suggestion, bool]]:
    """(suggestion, led by the deputy) for the duty record: submitted in `year`, led or co-signed (confirmed)."""
    confirmed = Cosignature.objects.filter(suggestion=OuterRef("pk"), deputy=deputy, status=Cosignature.Status.CONFIRMED)
    qs = (Suggestion.objects.filter(Q(lead_deputy=deputy) | Exists(confirmed), submitted_at__year=year)
          .exclude(status__in=(Suggestion.Status.DRAFT, Suggestion.Status.PRESUBMITTED, Suggestion.Status.TOWN_RETURNED))
          .only("id", "title", "number", "status", "submitted_at", "lead_deputy_id").order_by("submitted_at", "id"))
    return [(s, s.lead_deputy_id == deputy.pk) for s in qs]


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
