"""Time the busiest admin change lists on a seeded database and print ms per page and queries per page.

    DATABASE_URL=postgres://…/seed_city SECRET_KEY=x .venv/bin/python benchmarks/admin_lists.py [repeats]

Seed the database first (`manage.py seed_demo --scale city`). Figures only; nothing is asserted."""
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "congress.settings")
os.environ.setdefault("ALLOWED_HOSTS", "testserver")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from congress.models import User  # noqa: E402
from deputies.models import Deputy, DutyActivity  # noqa: E402

PAGES = [
    "/admin/deputies/deputy/",
    "/admin/deputies/deputy/?q=王",
    "/admin/deputies/deputy/?mandates__level__exact=district",
    "/admin/deputies/mandate/",
    "/admin/deputies/dutyactivity/",
    "/admin/stations/station/",
    "/admin/deputies/dutyactivityparticipant/",
    "/admin/stations/station/?reception_month=none",
    "/admin/stations/receptionday/",
    "/admin/stations/voteropinion/",
    "/admin/stations/voteropinion/?status__exact=received",
]


def main():
    repeats = int(sys.argv[1]) if len(sys.argv) > 1 else 10
    print(f"database {connection.settings_dict['NAME']}: {Deputy.objects.count()} deputies, "
          f"{DutyActivity.objects.count()} activities")
    for username in ["staff", "town"]:
        client = Client()
        client.force_login(User.objects.get(username=username))
        print(f"-- as {username}")
        for url in PAGES:
            client.get(url)  # warm
            times = []
            for _ in range(repeats):
                with CaptureQueriesContext(connection) as ctx:
                    start = time.perf_counter()
                    response = client.get(url)
                    times.append((time.perf_counter() - start) * 1000)
            print(f"{url:60s} {response.status_code} median {statistics.median(times):7.1f} ms  "
                  f"max {max(times):7.1f} ms  {len(ctx.captured_queries):3d} queries")


if __name__ == "__main__":
    main()
