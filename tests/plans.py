"""Reading PostgreSQL plans in tests.

A plan names a table after ``Seq Scan on``; a plain substring test for ``proposals_suggestion`` also matches
``proposals_suggestioncategory`` (a one-row table the planner rightly scans), which once failed a clean-clone run on a
plan that used only indexes for the suggestions. These helpers match the whole table name."""
import re


def seq_scans(plan: str, table: str) -> bool:
    """True when the textual EXPLAIN output scans ``table`` itself sequentially (not a table whose name starts alike)."""
    return re.search(rf"Seq Scan on {re.escape(table)}(?![\w])", plan) is not None
