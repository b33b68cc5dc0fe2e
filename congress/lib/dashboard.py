"""The admin index's to-do list (待办) and the headline figures: what waits for this staff member now, and how big
the roll is. Each app registers its sources from its AppConfig.ready(), so congress does not reach into the apps'
tables (import-linter's layers contract forbids it).

A to-do source is a callable (user, today) -> list of Todo, scoped to what the user may see (town staff: their towns)
and running a fixed number of queries. A figure source is a callable () -> dict[str, int] of named counts (the keys
the admin index, the public home page and the heartbeat task read, e.g. "deputies", "stations"). A unit-work source is
a callable () -> a query of Organization ids (``.values("unit_id")``) that have work waiting for them (open
assignments, referred opinions): congress counts those with no active account as 单位无账号. An overdue source
(OverdueSource) gives an app's items past their due date to the leaders' list of every overdue item (逾期事项,
congress.views.overdue_list)."""
import datetime
from collections.abc import Callable
from dataclasses import dataclass, replace

from congress.lib.prepared import Prepared


@dataclass(frozen=True)
class Todo:
    label: str
    count: int
    url: str


todo_sources: list[Callable] = []


def todos_for(user, today: datetime.date) -> list[Todo]:
    return [todo for source in todo_sources for todo in source(user, today) if todo.count]


def register(source: Callable) -> None:
    if source not in todo_sources:
        todo_sources.append(source)


figure_sources: list[Callable] = []


def register_figures(source: Callable) -> None:
    if source not in figure_sources:
        figure_sources.append(source)


def figures() -> dict[str, int]:
    """Every registered app's counts merged; a key missing here means that app is not installed."""
    merged: dict[str, int] = {}
    for source in figure_sources:
        merged.update(source())
    return merged


unit_work_sources: list[Callable] = []


def register_unit_work(source: Callable) -> None:
    if source not in unit_work_sources:
        unit_work_sources.append(source)


# --- 逾期事项: the leaders' list of every overdue item across the apps ----------------------------------------------

@dataclass(frozen=True)
class OverdueRow:
    """One overdue item on the leaders' list (congress.views.overdue_list), drawn by the app that owns it."""

    kind: str             # the kind of work: 代表建议, 整改事项 …
    title: str            # what is overdue
    organization: str     # the organ that owes it
    due_date: datetime.date
    days_overdue: int
    url: str              # its admin page
    detail: str = ""      # what is owed or where it comes from (主办 · 待答复, 审议意见 · 整改中 …)


@dataclass(frozen=True)
class OverdueSource:
    """An app's overdue items. `items(today)` is a query of them (congress filters it by organ, merges the sources in
    one UNION ordered by due date and pages it in SQL); `due` and `organization` name its due-date field (or
    annotation) and its organ's id field; `rows(pks, today)` draws the page's items, {pk: OverdueRow}, in a fixed
    number of queries."""

    key: str
    items: Callable
    due: str
    organization: str
    rows: Callable


overdue_sources: list[OverdueSource] = []


def register_overdue(source: OverdueSource) -> None:
    if source.key not in {s.key for s in overdue_sources}:
        overdue_sources.append(source)


def overdue_query(today: datetime.date, organization_id: int | None = None):
    """Every source's overdue items as rows (o_kind, o_pk, o_due, o_org), the longest overdue first; a QuerySet to
    page (its count and a page are one query each), or None when no app registered a source."""
    from django.db.models import CharField, F, Value

    parts = []
    for source in overdue_sources:
        qs = source.items(today).order_by()
        if organization_id is not None:
            qs = qs.filter(**{source.organization: organization_id})
        parts.append(qs.values(o_kind=Value(source.key, output_field=CharField()), o_pk=F("pk"), o_due=F(source.due),
                               o_org=F(source.organization)))
    if not parts:
        return None
    merged = parts[0].union(*parts[1:], all=True) if len(parts) > 1 else parts[0]
    return merged.order_by("o_due", "o_kind", "o_pk")


# overdue_query's UNION compiled once per process and set of sources (congress.lib.prepared)
_merged_overdue = Prepared(lambda today, sources: overdue_query(today).order_by(), params=("today",))


def overdue_rows(page_items, today: datetime.date) -> list[OverdueRow]:
    """The rows of one page of overdue_query(), each drawn by its source: one batch per source."""
    by_kind: dict[str, list[int]] = {}
    for item in page_items:
        by_kind.setdefault(item["o_kind"], []).append(item["o_pk"])
    drawn = {s.key: s.rows(by_kind[s.key], today) for s in overdue_sources if s.key in by_kind}
    return [drawn[item["o_kind"]][item["o_pk"]] for item in page_items if item["o_pk"] in drawn[item["o_kind"]]]


@dataclass(frozen=True)
class MergedOverdue:
    """Every source's overdue items as one compiled UNION (overdue_query's SQL), built once and read twice by the
    overdue list: counted per organ (organs()) and paged, the whole list or one organ's (for_organization(); a page is
    a slice, merged[30:60], of dicts as overdue_query's values). Building and compiling the UNION of the sources' querysets
    costs some 3 ms; the organ's filter applies outside it, and PostgreSQL pushes it down into each source's query."""

    sql: str
    params: tuple
    organization_id: int | None = None

    @classmethod
    def of(cls, today: datetime.date) -> "MergedOverdue | None":
        """None when no app registered a source."""
        if not overdue_sources:
            return None
        sql, params = _merged_overdue.sql_with_params(today=today, sources=tuple(s.key for s in overdue_sources))
        return cls(sql, tuple(params))

    def for_organization(self, organization_id: int | None) -> "MergedOverdue":
        return replace(self, organization_id=organization_id)

    def organs(self) -> list[tuple[int | None, str, int]]:
        """(organ id, its name, its overdue items) for every organ that has any, the most first, then by name and id in
        code-point order: the list's filter, its total and each organ's count, in one query. Items whose organ is unset
        count under None with no name."""
        rows = self.per_organ(join="LEFT JOIN", order="")
        # sorted here, not in SQL: the production collation would order Chinese names otherwise than the list always has
        return sorted(((pk, name or "", n) for pk, name, n in rows), key=lambda o: (-o[2], o[1], o[0]))

    def per_organ(self, *, join: str, order: str) -> list[tuple]:
        from django.db import connection

        from congress.models import Organization

        organs = connection.ops.quote_name(Organization._meta.db_table)
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT overdue.o_org, o.name, COUNT(*) AS n FROM ({self.sql}) AS overdue {join} {organs} AS o "
                           f"ON o.id = overdue.o_org GROUP BY overdue.o_org, o.id, o.name {order}", self.params)
            return cursor.fetchall()

    def __getitem__(self, window: slice) -> list[dict]:
        """One page, ordered as overdue_query orders it (the longest overdue first)."""
        from django.db import connection

        if not isinstance(window, slice) or window.step is not None or window.start is None or window.stop is None:
            raise TypeError("MergedOverdue pages by a slice [start:stop]")
        where, params = ("", []) if self.organization_id is None else ("WHERE overdue.o_org = %s", [self.organization_id])
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT overdue.o_kind, overdue.o_pk, overdue.o_due, overdue.o_org FROM ({self.sql}) AS overdue "
                           f"{where} ORDER BY overdue.o_due, overdue.o_kind, overdue.o_pk LIMIT %s OFFSET %s",
                           (*self.params, *params, max(window.stop - window.start, 0), window.start))
            return [dict(zip(("o_kind", "o_pk", "o_due", "o_org"), row, strict=True)) for row in cursor.fetchall()]


# --- 领导驾驶舱: the leaders' dashboard (/dashboard/, congress.views.dashboard) ------------------------------------

@dataclass(frozen=True)
class Period:
    """This year to today and the same days of last year: every panel compares the two."""

    start: datetime.date
    end: datetime.date
    last_start: datetime.date
    last_end: datetime.date

    @classmethod
    def year_to_date(cls, today: datetime.date) -> "Period":
        # 29 February has no twin last year: the period ends on the 28th
        last_end = today.replace(year=today.year - 1, day=28) if (today.month, today.day) == (2, 29) \
            else today.replace(year=today.year - 1)
        return cls(datetime.date(today.year, 1, 1), today, datetime.date(today.year - 1, 1, 1), last_end)


def month_series(period: "Period", this: dict, last: dict, *, title: str, unit: str):
    """A line chart of a count per month of this year so far against the same months of last year, from two
    {month number: n} dicts (a selector's one grouped query)."""
    from congress.reports.registry import Chart

    months = range(1, period.end.month + 1)
    return Chart(kind="line", title=title, labels=[f"{m}月" for m in months], values=[this.get(m, 0) for m in months],
                 unit=unit, previous=[last.get(m, 0) for m in months])


@dataclass(frozen=True)
class Figure:
    """One headline figure: this year's value and, where it is a count over the period, the same period's last year
    (None: a figure of the moment, such as items open today, has no last year)."""

    label: str
    value: int | float | str | None
    last: int | float | str | None = None
    unit: str = ""
    url: str = ""

    @property
    def shown(self) -> str:
        return "—" if self.value is None else f"{self.value}{self.unit}"

    @property
    def last_shown(self) -> str:
        return "—" if self.last is None else f"{self.last}{self.unit}"


@dataclass
class Panel:
    """One app's part of the dashboard: figures as cards, tables (congress.reports.registry.Table: they scroll on a
    phone) and charts (registry Chart specifications, drawn by congress.lib.charts)."""

    key: str
    title: str
    figures: list = None
    tables: list = None
    charts: list = None

    def __post_init__(self):
        self.figures, self.tables, self.charts = self.figures or [], self.tables or [], self.charts or []


@dataclass(frozen=True)
class PanelSource:
    key: str
    order: int
    build: Callable  # (Period) -> Panel, from the app's selectors, in a fixed number of queries


panel_sources: dict[str, PanelSource] = {}


def register_panel(key: str, order: int, build: Callable) -> None:
    """An app's panel on the leaders' dashboard, registered from its AppConfig.ready() (again: ready() may run twice)."""
    panel_sources[key] = PanelSource(key, order, build)


def panels(period: Period) -> list[Panel]:
    return [source.build(period) for source in sorted(panel_sources.values(), key=lambda s: (s.order, s.key))]


def overdue_league(today: datetime.date) -> list[tuple[int, str, int]]:
    """(organ id, its name, its overdue items) for every organ that has any, the most first: every source's overdue
    items merged (overdue_query) and counted per organ with the organ's name, in one query."""
    merged = MergedOverdue.of(today)
    if merged is None:
        return []
    return [(pk, name, n) for pk, name, n in merged.per_organ(join="JOIN", order="ORDER BY n DESC, o.name, o.id")]
