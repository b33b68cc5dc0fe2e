"""The rates the institution reports, each defined once (按期答复率, 办结率, 满意率, A类占比, 续办落实率), and the batches
(sessions and recess years) they are grouped by.

The rates count 件次 — one replying assignment (a 主办 or 分办 unit of one suggestion; 协办 units do not reply and
assignments sent back are not counted) — so one definition serves both a unit and a session. Each rate function
returns {group key: Rate}; group by "unit" (Organization id) or "batch" (Suggestion.batch_key, one session or one
recess year), or None for one overall figure under the key None."""
import datetime
from dataclasses import dataclass

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet
from django.db.models.functions import Coalesce
from django.utils import timezone

from proposals.models import (
    Assignment,
    Evaluation,
    Reply,
    Suggestion,
)
from proposals.selectors.lists import REPLYING


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
        labels, opened = _batches(keys)
        keys = batches_newest_first(keys, opened)
    empty = Rate(0, 0)
    return [{"key": k, "label": labels.get(k, str(k)), "rates": [(name, results[name].get(k, empty)) for name, _ in RATES]}
            for k in keys]


def batch_labels(keys) -> dict:
    """batch_key → "区十七届人大二次会议" / "区十七届人大常委会2026年闭会期间", read from the keys themselves ("s<session
    id>", "r<term id>-<year>") and the sessions' and terms' small tables: at most two queries, whatever the number of
    suggestions (sampling one suggestion per batch sorted every suggestion of the district: 59 ms at province)."""
    return _batches(keys)[0]


def _batches(keys) -> tuple[dict, dict]:
    """The labels of batch keys (see batch_labels) and the opening day of each session they name, by session id: the
    sessions with their terms in one query, and the terms of recess years in a second only when those sessions did not
    bring them already (a term's recess years and its sessions usually go together)."""
    from congress.models import CongressSession, Term

    sessions, recesses = {}, {}
    for key in keys:
        parsed = Suggestion.parse_batch_key(key)
        if parsed and parsed[0] == "session":
            sessions[key] = parsed[1]
        elif parsed:
            recesses[key] = parsed[1:]
    found_sessions = CongressSession.objects.select_related("term").in_bulk(set(sessions.values())) if sessions else {}
    found_terms = {session.term_id: session.term for session in found_sessions.values()}
    missing_terms = {t for t, _ in recesses.values()} - found_terms.keys()
    if missing_terms:
        found_terms.update(Term.objects.in_bulk(missing_terms))
    labels = {}
    for key, pk in sessions.items():
        if pk in found_sessions:
            session = found_sessions[pk]
            labels[key] = Suggestion(session=session, term=session.term).batch_label()
    for key, (term_id, year) in recesses.items():
        if term_id in found_terms:
            labels[key] = Suggestion(term=found_terms[term_id], recess_year=year).batch_label()
    return labels, {pk: session.start_date for pk, session in found_sessions.items()}


def batches_newest_first(keys, opened: dict | None = None) -> list:
    """Batch keys by date, newest first (one query, none when `opened` gives the sessions' opening days by id): a
    session by its opening day, a recess year after that year's session. Sorting the keys as text put 三次 before 二次,
    一次, 六次 …"""
    from congress.models import CongressSession

    keys = [k for k in keys if k]
    if opened is None:
        opened = dict(CongressSession.objects.filter(pk__in=[int(k[1:]) for k in keys if k.startswith("s")])
                      .values_list("pk", "start_date"))

    def when(key: str) -> datetime.date:
        if key.startswith("s"):
            return opened.get(int(key[1:]), datetime.date.min)
        return datetime.date(int(key.rsplit("-", 1)[1]), 12, 31)

    return sorted(keys, key=when, reverse=True)


def batch_keys() -> list[str]:
    """The batch keys that suggestions have, in text order: a skip scan of the batch_key index, one probe per batch,
    where a DISTINCT reads the whole index (34,000 entries at province scale, 2 ms, and growing with every
    suggestion; the 13 probes take 0.3 ms)."""
    from django.db import connection

    table = connection.ops.quote_name(Suggestion._meta.db_table)
    column = connection.ops.quote_name(Suggestion._meta.get_field("batch_key").column)
    with connection.cursor() as cursor:
        cursor.execute(batch_keys_sql(table, column))
        return [key for (key,) in cursor.fetchall()]


def batch_keys_sql(table: str, column: str) -> str:
    """The skip scan, in SQL that PostgreSQL and SQLite (the demo) both read: each step a scalar subquery (SQLite
    refuses a parenthesised SELECT with its own ORDER BY as a member of the UNION), the first one past the NULLs
    (which SQLite sorts first)."""
    return (f"WITH RECURSIVE batch(k) AS ("
            f"  SELECT (SELECT {column} FROM {table} WHERE {column} IS NOT NULL ORDER BY {column} LIMIT 1)"
            f"  UNION ALL"
            f"  SELECT (SELECT {column} FROM {table} WHERE {column} > batch.k ORDER BY {column} LIMIT 1)"
            f"  FROM batch WHERE batch.k IS NOT NULL"
            f") SELECT k FROM batch WHERE k IS NOT NULL")


def batch_choices() -> list[tuple[str, str]]:
    """(batch key, label) of every batch that has suggestions, newest first: the change list's 批次 filter and the
    rates page. Two or three small queries (the keys, the sessions, the terms of recess years), asked on every page of
    the suggestion list: kept by the suggestion workflow until its next creation or transition commits
    (Workflow.kept; a new batch comes with a suggestion's creation)."""
    from proposals.workflows import SUGGESTION

    return SUGGESTION.kept("batch_choices", _batch_choices)


def _batch_choices() -> list[tuple[str, str]]:
    keys = batch_keys()
    labels, opened = _batches(keys)
    return [(k, labels.get(k, k)) for k in batches_newest_first(keys, opened)]
