"""Time the reports on a seeded database: the annual work report's render time, size and pages, and the monthly
statistics snapshot's build time (issue targets: annual report under 5 s and 3 MB for a district-scale year; monthly
snapshot under 10 s on a city-scale database). Figures only; nothing is asserted and nothing is stored.

    DATABASE_URL=postgres://…/seed_district SECRET_KEY=x .venv/bin/python benchmarks/reports.py [YEAR] [repeats]

Seed the database first (`manage.py seed_demo --scale district`, or `benchmarks/seed_scales.sh`). YEAR defaults to the
demo data's busiest year (the year with most verified activities); the month is that year's busiest month."""
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "congress.settings")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.db.models.functions import ExtractMonth, ExtractYear  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from congress.lib import pdf  # noqa: E402
from congress.reports import services  # noqa: E402
from congress.reports.registry import month_bounds  # noqa: E402
from deputies.models import Deputy, DutyActivity  # noqa: E402


def busiest():
    row = (DutyActivity.objects.annotate(y=ExtractYear("date"), m=ExtractMonth("date")).values("y", "m")
           .annotate(n=Count("pk")).order_by("-n").first())
    return (row["y"], row["m"]) if row else (2026, 1)


def main():
    year, month = busiest()
    if len(sys.argv) > 1:
        year = int(sys.argv[1])
    repeats = int(sys.argv[2]) if len(sys.argv) > 2 else 3
    print(f"database {connection.settings_dict['NAME']}: {Deputy.objects.count()} deputies, "
          f"{DutyActivity.objects.count()} activities; year {year}, month {year}-{month:02d}")

    pdf.html_to_pdf("<p>预热</p>")  # WeasyPrint's import and font set-up (~2 s) happen once per worker, not per report
    # wall time, and the process's CPU time: on a shared machine the wall time is mostly the others' load
    times, cpu, size, pages = [], [], 0, 0
    for _ in range(repeats):
        start, start_cpu = time.perf_counter(), time.process_time()
        data, _ = services.annual_report_render(year)
        times.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
        size, pages = len(data), services.page_count(data)
    print(f"annual report {year}: median {statistics.median(times):.2f} s wall ({statistics.median(cpu):.2f} s CPU), "
          f"max {max(times):.2f} s, {size / 1024:.0f} KiB, {pages} pages")

    start_day, end_day = month_bounds(year, month)
    times, cpu = [], []
    for _ in range(repeats):
        with CaptureQueriesContext(connection) as queries:
            start, start_cpu = time.perf_counter(), time.process_time()
            snapshot = services.snapshot_build(start_day, end_day)
            times.append(time.perf_counter() - start)
            cpu.append(time.process_time() - start_cpu)
    print(f"monthly snapshot {year}-{month:02d}: median {statistics.median(times):.2f} s wall "
          f"({statistics.median(cpu):.2f} s CPU), max {max(times):.2f} s, "
          f"{len(queries.captured_queries)} queries, {len(snapshot['chapters'])} chapters")


if __name__ == "__main__":
    main()
