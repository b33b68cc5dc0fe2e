"""The admin index's to-do list (待办) and the headline figures: what waits for this staff member now, and how big
the roll is. Each app registers its sources from its AppConfig.ready(), so congress does not reach into the apps'
tables (import-linter's layers contract forbids it).

A to-do source is a callable (user, today) -> list of Todo, scoped to what the user may see (town staff: their towns)
and running a fixed number of queries. A figure source is a callable () -> dict[str, int] of named counts (the keys
the admin index, the public home page and the heartbeat task read, e.g. "deputies", "stations"). A unit-work source is
a callable () -> a query of Organization ids (``.values("unit_id")``) that have work waiting for them (open
assignments, referred opinions): congress counts those with no active account as 单位无账号."""
import datetime
from collections.abc import Callable
from dataclasses import dataclass


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
