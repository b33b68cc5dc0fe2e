"""One search box across the apps (全局搜索): each app registers its search sources from its AppConfig.ready(), so
congress never reads the apps' tables (import-linter's layers contract forbids it), as in congress.lib.dashboard.

A source is a ``Source(kind, find)``: ``kind`` is the group's Chinese heading (建议, 答复, 社情民意 …) and ``find`` a
callable (user, query, limit) -> list[Hit], scoped by the app's own list selectors to what this user may see, ranked
(title matches before body matches, newest first), at most ``limit`` hits, in a fixed number of queries.
``staff_sources`` feed the admin's search page (congress.views.search); ``portal_sources`` the deputy portal's search
of the deputy's own items (deputies.views.search).

Chinese text has no spaces between words, so a query is matched as a substring (``icontains``). On PostgreSQL the
searched columns carry GIN trigram indexes on ``UPPER(column)`` (pg_trgm; ``trigram_index_operations``), which the
planner uses for ``icontains`` with three or more characters; a two-character query is still answered (a scan limited
per kind), a one-character one is refused with a message. SQLite (the demo) answers the same lookups with LIKE."""
import re
from collections.abc import Callable
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

MIN_QUERY = 2
MAX_QUERY = 50
SNIPPET_CHARS = 60
PER_KIND = 10          # hits shown per kind


@dataclass(frozen=True)
class Hit:
    title: str             # the item's name (plain text; highlighted when drawn)
    url: str               # its admin or portal page
    body: str = ""         # the passage of its text around the match (plain text)
    meta: str = ""         # status, date, organ … (plain text)
    title_match: bool = True


@dataclass(frozen=True)
class Source:
    kind: str
    find: Callable
    order: int = 50        # the group's place on the page (smaller first)


staff_sources: list[Source] = []
portal_sources: list[Source] = []


def register(source: Source, *, portal: bool = False) -> None:
    registry = portal_sources if portal else staff_sources
    if all(s.find is not source.find for s in registry):
        registry.append(source)
        registry.sort(key=lambda s: s.order)


def clean_query(raw: str) -> tuple[str, str]:
    """(query, error): control characters (a NUL the database refuses) dropped, whitespace collapsed and cut to
    MAX_QUERY characters; an error (Chinese) when too short."""
    import unicodedata

    raw = "".join(" " if unicodedata.category(ch) == "Cc" else ch for ch in (raw or ""))
    query = " ".join(raw.split())[:MAX_QUERY]
    if query and len(query) < MIN_QUERY:
        return query, f"请至少输入 {MIN_QUERY} 个字再搜索。"
    return query, ""


@dataclass(frozen=True)
class Group:
    kind: str
    hits: list


def search(user, query: str, *, limit: int, portal: bool = False) -> list[Group]:
    """Every registered source's hits for `query`, grouped by kind in registration order; kinds without hits left out."""
    groups = []
    for source in (portal_sources if portal else staff_sources):
        hits = source.find(user, query, limit)
        if hits:
            groups.append(Group(source.kind, hits))
    return groups


def highlight(text: str, query: str) -> SafeString:
    """`text` escaped, then each occurrence of `query` (case-insensitive) wrapped in <mark>: user text never reaches the
    page unescaped."""
    text = text or ""
    if not query:
        return escape(text)
    parts = re.split(f"({re.escape(query)})", text, flags=re.IGNORECASE)
    return mark_safe("".join(f"<mark>{escape(p)}</mark>" if i % 2 else str(escape(p)) for i, p in enumerate(parts)))


def excerpt(text: str, query: str, width: int = SNIPPET_CHARS) -> str:
    """About `width` characters of `text` around the first occurrence of `query` (plain text, with … where cut)."""
    text = " ".join((text or "").split())
    at = text.lower().find(query.lower()) if query else -1
    if len(text) <= width:
        return text
    if at < 0:
        return text[:width] + "…"
    start = max(0, at - width // 3)
    end = min(len(text), start + width)
    return ("…" if start else "") + text[start:end] + ("…" if end < len(text) else "")


def ranked(qs, query: str, title: str, body: tuple[str, ...], newest: tuple[str, ...], limit: int):
    """`qs` narrowed to rows whose `title` or any `body` field contains `query`, title matches first, then newest by
    `newest`; the first `limit` rows, with ``title_match`` annotated (1 or 0)."""
    from django.db.models import Case, IntegerField, Q, Value, When

    match = Q(**{f"{title}__icontains": query})
    for field in body:
        match |= Q(**{f"{field}__icontains": query})
    return (qs.filter(match)
            .annotate(title_match=Case(When(Q(**{f"{title}__icontains": query}), then=Value(1)), default=Value(0),
                                       output_field=IntegerField()))
            .order_by("-title_match", *newest)[:limit])


# --- the trigram indexes (migrations of the apps call this) ---------------------------------------------------------

def trigram_index_operations(table: str, columns: list[str]) -> list:
    """Migration operations: pg_trgm, and per column a GIN trigram index on ``UPPER(column::text)`` — the expression
    Django's ``icontains`` compares on PostgreSQL — named ``<table>_<column>_trgm``. Nothing on other databases."""
    from django.contrib.postgres.operations import TrigramExtension
    from django.db import migrations

    def names(column):
        return f"{table}_{column}_trgm"[:63]

    def forwards(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        for column in columns:
            schema_editor.execute(f'CREATE INDEX IF NOT EXISTS "{names(column)}" ON "{table}" '
                                  f'USING gin ((UPPER("{column}"::text)) gin_trgm_ops)')

    def backwards(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        for column in columns:
            schema_editor.execute(f'DROP INDEX IF EXISTS "{names(column)}"')

    return [TrigramExtension(), migrations.RunPython(forwards, backwards, elidable=False)]
