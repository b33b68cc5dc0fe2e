"""Load the State Council's holiday schedules for 2025 and 2026 (congress/data), which staff extend each year."""
import csv
import datetime
from pathlib import Path

from django.db import migrations

CSV = Path(__file__).resolve().parent.parent / "data" / "cn-holidays-2025-2026.csv"


def load(apps, schema_editor):
    CalendarDay = apps.get_model("congress", "CalendarDay")
    with CSV.open(encoding="utf-8") as f:
        rows = [CalendarDay(date=datetime.date.fromisoformat(r["date"]), kind=r["kind"], name=r["name"])
                for r in csv.DictReader(f)]
    CalendarDay.objects.bulk_create(rows, ignore_conflicts=True)


def unload(apps, schema_editor):
    apps.get_model("congress", "CalendarDay").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("congress", "0004_notification_calendar")]
    operations = [migrations.RunPython(load, unload)]
