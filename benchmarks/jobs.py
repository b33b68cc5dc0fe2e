"""Time the background jobs on a seeded database and print seconds and queries for each; every change is rolled back.

    DATABASE_URL=postgres://…/renda_city .venv/bin/python benchmarks/jobs.py

Jobs: the quarterly ranking (score table for every serving deputy), the hourly reminder scan run twice (the second
finds nothing new), similar suggestions (one suggestion's matches, a stored read, and the whole term's nightly
refresh). Figures only; nothing is asserted.
"""
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "congress.settings")
os.environ.setdefault("SECRET_KEY", "benchmark-only")

import django  # noqa: E402

django.setup()

from django.db import connection, transaction  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402


class Rollback(Exception):
    pass


def measure(label: str, job) -> None:
    try:
        with transaction.atomic():
            with CaptureQueriesContext(connection) as queries:
                started = time.perf_counter()
                result = job()
                elapsed = time.perf_counter() - started
            print(f"{label:<34}{elapsed:>9.3f} s{len(queries):>8} 条查询   {result}")
            raise Rollback
    except Rollback:
        pass


def ranking():
    from deputies.selectors import quarter_end, score_table

    today = timezone.localdate()
    year, quarter = (today.year, (today.month - 1) // 3) if today.month > 3 else (today.year - 1, 4)
    rows = score_table(year=year, until=quarter_end(year, quarter))
    return f"{len(rows)} 名代表"


def reminders_twice():
    from proposals.reminders import deadline_reminders_scan

    first = deadline_reminders_scan(today=timezone.localdate())
    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        second = deadline_reminders_scan(today=timezone.localdate())
        elapsed = time.perf_counter() - started
    return f"首次 {len(first)} 条；再次 {len(second)} 条，{elapsed:.3f} s，{len(queries)} 条查询"


def similar_one():
    from proposals.models import Suggestion
    from proposals.services.similar import similar_refresh

    s = Suggestion.objects.filter(term__is_current=True).exclude(status__in=("draft", "merged", "returned")).last()
    return f"{similar_refresh(suggestion_id=s.pk)} 行"


def similar_read():
    from proposals.models import SimilarMatch, Suggestion
    from proposals.selectors import stored_similar

    pk = SimilarMatch.objects.values_list("suggestion_id", flat=True).first()
    if pk is None:
        return "（尚未计算）"
    found = stored_similar(Suggestion.objects.get(pk=pk))
    return f"{len(found)} 条"


def similar_term():
    from congress.models import Term
    from proposals.services.similar import similar_refresh_term

    return f"{sum(similar_refresh_term(term_id=t) for t in Term.objects.filter(is_current=True).values_list('pk', flat=True))} 行"


if __name__ == "__main__":
    print(f"{'任务':<34}{'耗时':>11}{'查询':>8}")
    measure("季度积分排名（全部代表）", ranking)
    measure("交办件提醒扫描（两次）", reminders_twice)
    measure("相似建议：计算一件", similar_one)
    measure("相似建议：读取已存结果", similar_read)
    measure("相似建议：本届全部重算（每夜）", similar_term)
