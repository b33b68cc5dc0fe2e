"""The figures of a period (a month, a year) for the reports (congress.reports): how many suggestions were registered,
assigned, answered, closed and rated in it, by category and by month, and the rates by unit for the year so far. Each
figure is one query; the rates are the ones defined once in rates.py."""
import datetime

from django.db.models import Count
from django.db.models.functions import ExtractMonth, ExtractYear

from proposals.models import Assignment, Evaluation, Reply, Suggestion
from proposals.selectors.rates import rates_table


def suggestion_period_counts(start: datetime.date, end: datetime.date) -> dict[str, int]:
    """registered: suggestions registered (numbered) in the period; assigned: suggestions assigned in it; replies:
    first replies given in it (件次); closed: suggestions closed in it; evaluations: evaluations given in it."""
    return {
        "registered": Suggestion.objects.filter(registered_at__date__range=(start, end)).count(),
        "assigned": Suggestion.objects.filter(assigned_on__range=(start, end)).count(),
        "replies": Reply.objects.filter(replied_on__range=(start, end), is_second_reply=False).count(),
        "closed": Suggestion.objects.filter(closed_at__date__range=(start, end)).count(),
        "evaluations": Evaluation.objects.filter(created_at__date__range=(start, end)).count(),
    }


def suggestions_by_category(start: datetime.date, end: datetime.date) -> list[tuple[str, int]]:
    """Suggestions registered in the period per category, largest first (uncategorised as 未分类)."""
    rows = (Suggestion.objects.filter(registered_at__date__range=(start, end)).values("category__name")
            .annotate(n=Count("id")).order_by("-n", "category__name"))
    return [(row["category__name"] or "未分类", row["n"]) for row in rows]


def suggestions_by_month(start: datetime.date, end: datetime.date) -> dict[tuple[int, int], int]:
    """{(year, month): suggestions registered in that month of the period}."""
    rows = (Suggestion.objects.filter(registered_at__date__range=(start, end))
            .annotate(y=ExtractYear("registered_at"), m=ExtractMonth("registered_at")).values("y", "m")
            .annotate(n=Count("id")).order_by())
    return {(row["y"], row["m"]): row["n"] for row in rows}


def unit_rates_year_to_date(end: datetime.date) -> list[dict]:
    """The five rates per handling unit over the assignments made from 1 January of `end`'s year to `end` (rates.py
    rates_table), each row with its 件次 (replying assignments)."""
    assignments = Assignment.objects.filter(assigned_on__gte=datetime.date(end.year, 1, 1), assigned_on__lte=end)
    rows = rates_table(group_by="unit", assignments=assignments)
    for row in rows:
        row["count"] = dict(row["rates"])["办结率"].denominator
    return [row for row in rows if row["key"] is not None]


def suggestion_pipeline(start: datetime.date, end: datetime.date, last_start: datetime.date,
                        last_end: datetime.date) -> dict:
    """The leaders' dashboard: the suggestions submitted in start..end by their state today ({status: n}, drafts never
    count: they are not submitted), how many were submitted, assigned and closed in the period and in the same period
    of last year, and how many were submitted in each month of both ({month number: n}). One query, grouped by state
    and month."""
    from django.db.models import Q
    from django.db.models.functions import ExtractMonth

    this = Q(submitted_at__date__range=(start, end))
    last = Q(submitted_at__date__range=(last_start, last_end))
    rows = (Suggestion.objects.filter(this | last).annotate(month=ExtractMonth("submitted_at")).values("status", "month")
            .annotate(n=Count("pk", filter=this), n_last=Count("pk", filter=last),
                      assigned=Count("pk", filter=this & Q(assigned_on__isnull=False)),
                      assigned_last=Count("pk", filter=last & Q(assigned_on__isnull=False)))
            .order_by())
    by_status, by_month, by_month_last = {}, {}, {}
    for row in rows:
        if row["n"]:
            by_status[row["status"]] = by_status.get(row["status"], 0) + row["n"]
        by_month[row["month"]] = by_month.get(row["month"], 0) + row["n"]
        by_month_last[row["month"]] = by_month_last.get(row["month"], 0) + row["n_last"]
    closed = Suggestion.Status.CLOSED
    return {"by_status": by_status, "submitted": sum(r["n"] for r in rows), "submitted_last": sum(r["n_last"] for r in rows),
            "assigned": sum(r["assigned"] for r in rows), "assigned_last": sum(r["assigned_last"] for r in rows),
            "closed": sum(r["n"] for r in rows if r["status"] == closed),
            "closed_last": sum(r["n_last"] for r in rows if r["status"] == closed),
            "by_month": by_month, "by_month_last": by_month_last}
