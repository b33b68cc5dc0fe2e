"""Where other apps plug into the deputy portal without deputies importing them (dependencies point one way:
proposals → deputies).

Two registries, filled from the other app's ``AppConfig.ready()``::

    from deputies import seams
    seams.duty_record_sources.append(suggestions_for_duty_record)
    seams.home_panels.append(replies_to_rate_panel)

``duty_record_sources``: callables ``(deputy, year) -> list[DutyItem | dict]``. Each item is one dated entry of
the deputy's duty record (履职档案) with the keys of ``DutyItem``: ``date`` (datetime.date), ``title``, ``kind``
(a short Chinese label such as "建议"), ``url`` (may be ""), ``points`` (a number counted into the yearly score,
0 if none) and ``checklist`` (a ``DutyActivityType.ChecklistItem`` value such as "suggestion" when the item
fulfils one of the "五个一", else ""). The duty record, the yearly score and the checklist merge them with the
deputy's own activities. A source must run a fixed number of queries whatever the deputy's volume.

``checklist_sources``: callables ``(deputy_ids, year) -> {deputy id: set of ChecklistItem values}``: which of the
"五个一" the other app's records fulfil for each of many deputies at once, in a fixed number of queries. A deputy's
checklist (the PDF) and the per-town table of the admin both ask ``deputies.selectors.checklist_done``, which asks
these: one computation for both (the portal home asks ``deputy_year_summary``, which a test keeps equal to it).

``points_sources``: callables ``(deputy_ids, year, until) -> {deputy id: Decimal}``: the points the other app's
records earn each of many deputies in ``year`` up to ``until`` (a date), in a fixed number of queries. The yearly score
and the published ranking add these (never the points of ``duty_record_sources`` items, which are for display and
must agree with them: a source that gives items points registers the same computation here).

``year_sources``: ``YearSource`` entries, for an app whose records give both: its grouped checklist and points
callables (the two signatures above, asked with the others for many deputies) and ``one``, ``(deputy, year, rules) ->
(set of ChecklistItem values, points of the whole year)``, which answers both for one deputy from one read, ``rules``
being ``deputies.selectors.point_rules()`` as the caller read it (the portal home reads its rules once). The three must
agree; the app's tests compare them.

``nav_tabs``: ``NavTab`` entries shown in the portal's top navigation after 登记活动 (the suggestion pages' 我的建议).

``home_panels``: callables ``(request, deputy) -> dict | None``. A dict has ``template`` (a template name) and
``context`` (a dict); the portal home renders each panel in registration order, after its own panels, by
``{% include panel.template %}``: the template sees ``panel`` (so ``panel.context.replies``), ``context``, ``request``
and ``deputy``. Return None to show nothing (e.g. no replies to rate).

The points of a suggestion come from the staff's rule table: the (inactive) activity type whose ``checklist_item``
is "suggestion" holds its PointRule, so the suggestion module reads the value from there rather than a literal.
"""
import datetime
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True)
class DutyItem:
    date: datetime.date
    title: str
    kind: str
    url: str = ""
    points: Decimal | int | float = 0
    checklist: str = ""
    status: str = ""


@dataclass(frozen=True)
class NavTab:
    """A tab of the portal's top navigation: its label, the URL name it opens, and the URL names ("ns:name", or a
    prefix ending in "*") for which it shows as the current one."""

    label: str
    url_name: str
    active: tuple[str, ...] = ()


@dataclass(frozen=True)
class YearSource:
    """What another app's records give deputies' years, grouped for many deputies (``checklist``: as a checklist
    source; ``points``: as a points source) and for one deputy from one read (``one``)."""

    checklist: Callable
    points: Callable
    one: Callable


nav_tabs: list[NavTab] = []
duty_record_sources: list[Callable] = []
checklist_sources: list[Callable] = []
points_sources: list[Callable] = []
home_panels: list[Callable] = []
year_sources: list[YearSource] = []


def as_item(item) -> DutyItem:
    return item if isinstance(item, DutyItem) else DutyItem(**item)


def external_items(deputy, year: int) -> list[DutyItem]:
    """Every registered source's items, asked once per deputy object and year (the home page needs them for both
    the score and the checklist)."""
    cache = deputy.__dict__.setdefault("_duty_items", {})
    if year not in cache:
        cache[year] = [as_item(item) for source in duty_record_sources for item in (source(deputy, year) or [])]
    return cache[year]


def _checklist(sources, ids: list, year: int) -> dict[int, set[str]]:
    done: dict[int, set[str]] = {}
    for source in sources:
        for pk, keys in source(ids, year).items():
            done.setdefault(pk, set()).update(keys)
    return done


def _points(sources, ids: list, year: int, until: datetime.date) -> dict[int, Decimal]:
    totals: dict[int, Decimal] = {}
    for source in sources:
        for pk, points in source(ids, year, until).items():
            totals[pk] = totals.get(pk, Decimal(0)) + Decimal(str(points or 0))
    return totals


def external_checklist(deputy_ids, year: int) -> dict[int, set[str]]:
    """Every registered source's checklist items per deputy (grouped queries, whatever the number of deputies)."""
    return _checklist([*checklist_sources, *(s.checklist for s in year_sources)], list(deputy_ids), year)


def external_points(deputy_ids, year: int, until: datetime.date) -> dict[int, Decimal]:
    """Every registered source's points per deputy (grouped queries, whatever the number of deputies)."""
    return _points([*points_sources, *(s.points for s in year_sources)], list(deputy_ids), year, until)


def external_year(deputy, year: int, rules: dict) -> tuple[set[str], Decimal]:
    """external_checklist and external_points to the year's end for one deputy, each year source asked once (its
    ``one``) instead of twice."""
    done = _checklist(checklist_sources, [deputy.pk], year).get(deputy.pk, set())
    total = _points(points_sources, [deputy.pk], year, datetime.date(year, 12, 31)).get(deputy.pk, Decimal(0))
    for source in year_sources:
        keys, points = source.one(deputy, year, rules)
        done.update(keys)
        total += Decimal(str(points or 0))
    return done, total
