"""One search box across the apps (全局搜索): each app registers its search sources from its AppConfig.ready(), so
congress never reads the apps' tables (import-linter's layers contract forbids it), as in congress.lib.dashboard.

A source is a ``Source(kind, find)``: ``kind`` is the group's Chinese heading (建议, 答复, 社情民意 …) and ``find`` a
callable (user, query, limit) -> list[Hit], scoped by the app's own list selectors to what this user may see, ranked
(title matches before body matches, newest first), at most ``limit`` hits, in a fixed number of queries.
``staff_sources`` feed the admin's search page (congress.views.search); ``portal_sources`` the deputy portal's search
of the deputy's own items (deputies.views.search).

Chinese text has no spaces between words, so a query is matched as a substring (``icontains``). On PostgreSQL the
searched columns carry GIN trigram indexes on ``UPPER(column)`` (pg_trgm; ``trigram_index_operations``), which the
planner uses for ``icontains`` with three or more characters. pg_trgm finds no trigram in a two-character query (the
commonest Chinese word length: 电梯, 停车, 养老), so each column also carries a GIN index of its character bigrams
(``renda_bigrams(UPPER(column))``, a text array; ``bigram_index_operations``), and a two-character query asks
``renda_bigrams(UPPER(column)) @> ARRAY[UPPER(query)]`` — the same rows as the substring, found through the index. A
one-character query is refused with a message. SQLite (the demo) answers the same lookups with LIKE."""
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


def passage(query: str, *texts: str) -> str:
    """The excerpt around the match from the first of `texts` that holds `query` (an item searched over several
    bodies: an opinion and its reply, a plan and its report); without a match in any, the first text's start."""
    for text in texts:
        if text and query.lower() in text.lower():
            return excerpt(text, query)
    return excerpt(next((t for t in texts if t), ""), query)


def ranked(qs, query: str, title: str, body: tuple[str, ...], newest: tuple[str, ...], limit: int):
    """`qs` narrowed to rows whose `title` or any `body` field contains `query`, title matches first, then newest by
    `newest`; the first `limit` rows, with ``title_match`` annotated (1 or 0)."""
    from django.db.models import Case, IntegerField, Q, Value, When

    lookup = substring_lookup(query)
    match = Q(**{f"{title}__{lookup}": query})
    for field in body:
        match |= Q(**{f"{field}__{lookup}": query})
    return (qs.filter(match)
            .annotate(title_match=Case(When(Q(**{f"{title}__{lookup}": query}), then=Value(1)), default=Value(0),
                                       output_field=IntegerField()))
            .order_by("-title_match", *newest)[:limit])


def substring_lookup(query: str) -> str:
    """The lookup that finds `query` as a substring through an index: ``bigram`` for two characters on PostgreSQL,
    ``icontains`` otherwise (trigram indexes from three characters; LIKE on SQLite)."""
    from django.db import connection

    return "bigram" if len(query) == 2 and connection.vendor == "postgresql" else "icontains"


def _register_bigram_lookup():
    from django.db.models import CharField, Lookup, TextField

    class Bigram(Lookup):
        """``column__bigram="电梯"``: the column's character bigrams (upper-cased, as icontains compares) contain the
        two-character query. PostgreSQL only (substring_lookup never asks for it elsewhere)."""

        lookup_name = "bigram"

        def as_sql(self, compiler, connection):
            lhs, lhs_params = self.process_lhs(compiler, connection)
            rhs, rhs_params = self.process_rhs(compiler, connection)
            return f"renda_bigrams(UPPER(({lhs})::text)) @> ARRAY[UPPER({rhs})]::text[]", [*lhs_params, *rhs_params]

    CharField.register_lookup(Bigram)
    TextField.register_lookup(Bigram)


_register_bigram_lookup()


# --- the trigram and bigram indexes (migrations of the apps call these) ---------------------------------------------

BIGRAM_FUNCTION = """
CREATE OR REPLACE FUNCTION renda_bigrams(value text) RETURNS text[]
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
    SELECT COALESCE(array_agg(DISTINCT substr(value, i, 2)), '{}')
    FROM generate_series(1, char_length(value) - 1) AS i
$$"""


def bigram_index_operations(table: str, columns: list[str]) -> list:
    """Migration operations: the ``renda_bigrams`` function and per column a GIN index on
    ``renda_bigrams(UPPER(column::text))``, named ``<table>_<column>_bigram``. Nothing on other databases."""
    from django.db import migrations

    def names(column):
        return f"{table}_{column}_bigram"[:63]

    def forwards(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        schema_editor.execute(BIGRAM_FUNCTION)
        for column in columns:
            schema_editor.execute(f'CREATE INDEX IF NOT EXISTS "{names(column)}" ON "{table}" '
                                  f'USING gin ((renda_bigrams(UPPER("{column}"::text))))')

    def backwards(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        for column in columns:
            schema_editor.execute(f'DROP INDEX IF EXISTS "{names(column)}"')

    return [migrations.RunPython(forwards, backwards, elidable=False)]


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
