"""The admin index's to-do list (待办): what waits for this staff member now. Each app registers sources from its
AppConfig.ready(), so congress does not reach into the apps' tables. A source is a callable (user, today) -> list of
Todo, scoped to what the user may see (town staff: their towns) and running a fixed number of queries."""
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
