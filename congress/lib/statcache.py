"""Figures over the whole district that a page shows alike to everybody allowed to see it (the leaders' dashboard,
the 办理率 table): computed at most once per STATS_CACHE_SECONDS and shown with the time they were taken.

At province scale the dashboard's activities by town join over a million participations (0.7 s) and the rates table
groups every assignment (0.4 s); neither changes meaningfully within minutes, and a leader looking at either wants
the page at once. The page says “数据截至 HH:MM” so nobody mistakes the figures for live ones.

Keys carry the database's name (each test worker and each deployment has its own) and a generation number, so
``clear()`` drops every stored figure without touching the rest of the cache (a background import's progress lives
there too). With STATS_CACHE_SECONDS = 0 nothing is stored."""
import datetime
import hashlib
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.utils import timezone


def database_key(kind: str, *parts) -> str:
    """A cache key of this database's (each test worker and each deployment has its own): congress:<kind>:<database
    name>[:part…]. Every value the project keeps in the shared cache about its rows is keyed so."""
    return ":".join(["congress", kind, connection.settings_dict["NAME"], *map(str, parts)])


def keeping() -> bool:
    """Whether figures are kept at all (STATS_CACHE_SECONDS > 0): a page says 数据截至 only then."""
    return settings.STATS_CACHE_SECONDS > 0


def _prefix() -> str:
    return database_key("stats")


def _generation() -> int:
    return cache.get(f"{_prefix()}:generation", 0)


def _key(name: str, parts: tuple) -> str:
    digest = hashlib.sha256(repr(parts).encode()).hexdigest()[:24]
    return f"{_prefix()}:{_generation()}:{name}:{digest}"


def cached(name: str, parts: tuple, compute: Callable[[], Any], seconds: int | None = None) -> tuple[Any, datetime.datetime]:
    """(compute()'s value, when it was computed), from the cache when it was computed less than `seconds` (default
    STATS_CACHE_SECONDS) ago for the same `name` and `parts` (the page's parameters: its date, its filters, a user)."""
    seconds = settings.STATS_CACHE_SECONDS if seconds is None else seconds
    if seconds <= 0:
        return compute(), timezone.now()
    key = _key(name, parts)
    hit = cache.get(key)
    if hit is not None and timezone.now() - hit[1] < datetime.timedelta(seconds=seconds):
        return hit  # (the age is checked here too: the cache's own expiry runs on its server's clock)
    value = (compute(), timezone.now())
    cache.set(key, value, seconds)
    return value


def forget(name: str, *many_parts: tuple) -> None:
    """Drop the figures stored under `name` for each of these `parts` (one call to the cache): a write by the person
    the figures are about (a deputy's report to voters) shows on their next page, not after the period."""
    cache.delete_many([_key(name, parts) for parts in many_parts])


def clear() -> None:
    """Forget every stored figure (the next visit computes afresh)."""
    key = f"{_prefix()}:generation"
    cache.set(key, _generation() + 1, None)
