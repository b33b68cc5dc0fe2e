"""Time a large deputy-roster import on a seeded database and print seconds, queries and rows per second for the check
(dry run) and the import; the import is rolled back, so the database is left as it was.

    DATABASE_URL=postgres://…/renda_district .venv/bin/python benchmarks/imports.py [ROWS]

ROWS defaults to 100,000 (issue target: a 100,000-row roster imported in under 60 s). The rows are made up: valid
18-digit ID numbers not in the roster, the seeded towns in turn, 区人大代表 with no constituency. The file's reading
(openpyxl) is timed apart, from an .xlsx written here, and so is the JSON copy of the parsed rows the check keeps
for the import (congress.lib.importjobs.rows_dump / rows_load). The resource runs as the background job runs it (no per-row
preview diff). Memory is the process's peak resident size (getrusage), not tracemalloc, which slowed the run it
measured about threefold. Figures only; nothing is asserted.
"""
import io
import os
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "congress.settings")
os.environ.setdefault("SECRET_KEY", "benchmark-only")

import django  # noqa: E402

django.setup()

import tablib  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from congress.lib.idcard import check_digit  # noqa: E402
from congress.models import Organization, User  # noqa: E402
from deputies.models import Deputy  # noqa: E402
from deputies.resources import DeputyRosterResource  # noqa: E402


class Rollback(Exception):
    pass


def roster(rows: int) -> tablib.Dataset:
    columns = DeputyRosterResource().column_names()
    towns = list(Organization.objects.filter(kind=Organization.Kind.TOWN).values_list("name", flat=True))
    taken = set(Deputy.objects.values_list("id_number", flat=True))
    data = tablib.Dataset(headers=columns)
    n = 0
    for i in range(rows):
        while True:
            block = n // 999
            first17 = f"3301{block % 100:02d}1980{block // 100 % 12 + 1:02d}{block // 1200 % 28 + 1:02d}{n % 999 + 1:03d}"
            n += 1
            number = first17 + check_digit(first17)
            if number not in taken:
                break
        row = {"姓名": f"测试代表{i}", "民族": "汉族", "政治面貌": "群众", "学历": "大学本科", "工作单位": "某某公司",
               "职务职称": "职员", "代表构成": "专业技术人员", "手机号码": f"139{i:08d}", "身份证号码": number,
               "所属镇街": towns[i % len(towns)], "代表层级": "区人大代表"}
        data.append([row.get(c, "") for c in columns])
    return data


def run(label, data, user, *, dry_run):
    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        result = DeputyRosterResource(user=user).without_preview().import_data(data, dry_run=dry_run)
        elapsed = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024  # Linux: KiB
    problems = DeputyRosterResource(user=user).row_messages(result)[:3]
    print(f"{label:<22}{elapsed:>8.1f} s {len(queries):>8} 条查询 {len(data) / elapsed:>9.0f} 行/秒 "
          f"进程峰值内存 {peak / 2**20:>6.0f} MiB  {'有错误：' + '；'.join(problems) if problems else '无错误'}")


def main():
    rows = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    user = User.objects.filter(is_superuser=True).first() or User.objects.get(username="staff")
    started = time.perf_counter()
    data = roster(rows)
    print(f"{rows} 行名册（{connection.vendor}），生成数据 {time.perf_counter() - started:.1f} s")
    buffer = io.BytesIO(data.export("xlsx"))
    started = time.perf_counter()
    read = tablib.Dataset().load(buffer.getvalue(), format="xlsx")
    print(f"读取 xlsx（{buffer.getbuffer().nbytes / 2**20:.1f} MiB）{time.perf_counter() - started:>8.1f} s，{len(read)} 行"
          "（后台校验时读一次）")
    from congress.lib.importjobs import rows_dump, rows_load

    started = time.perf_counter()
    kept = rows_dump(read)
    dumped = time.perf_counter() - started
    started = time.perf_counter()
    rows_load(kept)
    print(f"校验通过后保存解析结果（{len(kept) / 2**20:.1f} MiB JSON）{dumped:.1f} s，导入时读回 "
          f"{time.perf_counter() - started:.1f} s")
    run("校验（不写入）", data, user, dry_run=True)
    try:
        with transaction.atomic():
            run("导入（写入后回滚）", data, user, dry_run=False)
            print(f"写入代表 {Deputy.objects.count()} 人（含原有）")
            raise Rollback
    except Rollback:
        pass


if __name__ == "__main__":
    main()
