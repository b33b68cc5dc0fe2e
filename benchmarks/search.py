"""Time the search (全局搜索, congress.lib.search) on a seeded database: for a committee staff member, a town staff
member and a deputy, each query's median time over the repeats, its queries and its hits per kind. Target (issue 10):
a search < 200 ms at province scale. Figures only; nothing is asserted or written.

    DATABASE_URL=postgres://…/renda_city .venv/bin/python benchmarks/search.py [repeats]
"""
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "congress.settings")
os.environ.setdefault("SECRET_KEY", "benchmark-only")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from congress import roles  # noqa: E402
from congress.lib import search  # noqa: E402
from congress.models import User  # noqa: E402

# two characters (no trigram: a scan limited per kind), three and more (the trigram indexes), a deputy's surname
QUERIES = ["电梯", "停车位", "老旧小区", "道路改造", "张"]


def someone(role: str):
    return User.objects.filter(groups__name=role, is_active=True).order_by("pk").first()


def run(label: str, user, portal: bool, repeats: int) -> None:
    if user is None:
        print(f"{label}: 没有这个角色的账号，跳过")
        return
    for query in QUERIES:
        cleaned, error = search.clean_query(query)
        if error:
            print(f"{label:<8}{query:<8}  {error}")
            continue
        times = []
        for _ in range(repeats):
            with CaptureQueriesContext(connection) as queries:
                started = time.perf_counter()
                groups = search.search(user, cleaned, limit=search.PER_KIND, portal=portal)
                times.append(time.perf_counter() - started)
        found = "，".join(f"{g.kind} {len(g.hits)}" for g in groups) or "无结果"
        median = statistics.median(times) * 1000
        flag = "" if median < 200 else "  ← 超过 200 ms"
        print(f"{label:<8}{query:<8}{median:>9.1f} ms（中位数）{max(times) * 1000:>9.1f} ms（最慢）"
              f"{len(queries):>5} 条查询   {found}{flag}")


def main() -> None:
    repeats = int(sys.argv[1]) if len(sys.argv) > 1 else 5
    print(f"数据库：{connection.vendor}，每个查询重复 {repeats} 次；每类最多 {search.PER_KIND} 条")
    run("机关", someone(roles.COMMITTEE_STAFF), False, repeats)
    run("镇街", someone(roles.TOWN_STAFF), False, repeats)
    deputy = User.objects.filter(groups__name=roles.DEPUTY, is_active=True, deputy__isnull=False).order_by("pk").first()
    run("代表", deputy, True, repeats)


if __name__ == "__main__":
    main()
