"""Deadlines counted as 民法典 Art. 201–203 count periods, on the real 2025/2026 holiday calendar."""
import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from congress.lib.workdays import add_months, add_working_days, is_working_day
from congress.models import CalendarDay

D = datetime.date
pytestmark = pytest.mark.django_db


class TestAddMonths:
    def test_it_ends_on_the_corresponding_day_of_the_last_month(self):
        deadline = add_months(D(2026, 9, 3), 3)
        assert deadline.date == D(2026, 12, 3)
        assert deadline.explanation == "交办日 2026-09-03，3个月，届满 2026-12-03（周四）"

    def test_a_month_without_the_day_ends_on_its_last_day(self):
        assert add_months(D(2027, 11, 30), 3).date == D(2028, 2, 29)  # leap year, a Tuesday
        assert add_months(D(2026, 8, 31), 1).date == D(2026, 9, 30)
        assert "无31日" in add_months(D(2026, 8, 31), 1).explanation

    def test_an_adjusted_working_saturday_is_a_working_day(self):
        # 30 Nov 2025 + 3 months → Sat 28 Feb 2026, which is a 春节调休上班 day
        assert add_months(D(2025, 11, 30), 3).date == D(2026, 2, 28)

    def test_a_period_ending_in_a_holiday_moves_to_the_next_working_day(self):
        deadline = add_months(D(2026, 7, 1), 3)
        assert deadline.date == D(2026, 10, 8)
        assert "国庆节假期" in deadline.explanation and "顺延至 2026-10-08（周四）" in deadline.explanation

    def test_a_period_ending_in_spring_festival_moves_past_it(self):
        assert add_months(D(2025, 11, 17), 3).date == D(2026, 2, 24)

    def test_a_period_ending_on_a_weekend_moves_to_monday(self):
        deadline = add_months(D(2026, 6, 5), 3)
        assert deadline.date == D(2026, 9, 7)
        assert "周末" in deadline.explanation

    def test_six_months_for_hard_items(self):
        assert add_months(D(2026, 3, 10), 6).date == D(2026, 9, 10)

    def test_it_reads_the_calendar_and_the_entered_years_in_two_queries(self):
        with CaptureQueriesContext(connection) as ctx:
            add_months(D(2026, 7, 1), 3)
        assert len(ctx.captured_queries) == 2

    def test_staff_edits_to_the_calendar_count(self):
        CalendarDay.objects.create(date=D(2026, 12, 3), kind=CalendarDay.Kind.HOLIDAY, name="区庆")
        assert add_months(D(2026, 9, 3), 3).date == D(2026, 12, 4)


class TestAddWorkingDays:
    def test_it_counts_from_the_next_day_and_skips_the_national_day_holiday(self):
        # 28 Sep 2025 (Sun) and 11 Oct 2025 (Sat) are adjusted working days; 1–8 Oct are holidays
        deadline = add_working_days(D(2025, 9, 26), 7)
        assert deadline.date == D(2025, 10, 13)
        assert "2025-09-28" in deadline.explanation and "2025-10-11" in deadline.explanation
        assert "国庆节、中秋节" in deadline.explanation

    def test_it_skips_spring_festival_2026_and_counts_its_working_saturdays(self):
        assert add_working_days(D(2026, 2, 12), 7).date == D(2026, 2, 28)

    def test_an_ordinary_week(self):
        assert add_working_days(D(2026, 11, 20), 7).date == D(2026, 12, 1)  # Fri + 7 → Tue

    def test_it_reads_the_calendar_and_the_entered_years_in_two_queries(self):
        with CaptureQueriesContext(connection) as ctx:
            add_working_days(D(2026, 2, 12), 7)
        assert len(ctx.captured_queries) == 2

    def test_it_refuses_a_period_of_no_days(self):
        with pytest.raises(ValueError):
            add_working_days(D(2026, 2, 12), 0)


def test_is_working_day_follows_the_calendar():
    assert is_working_day(D(2025, 9, 28)) and not is_working_day(D(2025, 10, 1)) and not is_working_day(D(2026, 11, 21))
