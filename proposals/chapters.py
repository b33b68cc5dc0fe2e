"""The suggestions chapter of the reports (congress.reports.registry), registered from ProposalsConfig.ready()."""
import datetime

from congress.reports.registry import ChapterData, Chart, Table, months_between, percent
from proposals.selectors.period import (
    suggestion_period_counts,
    suggestions_by_category,
    suggestions_by_month,
    unit_rates_year_to_date,
)

KEY = "suggestions"
TITLE = "代表建议办理"


def _rate(rate) -> str:
    return percent(None if rate.value is None else rate.value * 100)


def suggestions_chapter(start: datetime.date, end: datetime.date) -> ChapterData:
    counts = suggestion_period_counts(start, end)
    rates = unit_rates_year_to_date(end)
    names = [name for name, _ in rates[0]["rates"]] if rates else ["按期答复率", "办结率", "满意率", "A类占比", "续办落实率"]
    table = Table(title=f"{end.year}年交办建议分单位办理情况（截至{end.month}月{end.day}日）",
                  headers=["承办单位", "件次", *names],
                  rows=[[row["label"], row["count"], *[_rate(rate) for _, rate in row["rates"]]] for row in rates])
    by_category = suggestions_by_category(start, end)
    charts = [Chart(kind="bar", title="登记建议分类", labels=[n for n, _ in by_category],
                    values=[v for _, v in by_category], unit="件")]
    months = months_between(start, end)
    if len(months) > 1:
        per_month = suggestions_by_month(start, end)
        charts.append(Chart(kind="line", title="各月登记建议件数", labels=[f"{m}月" for _, m in months],
                            values=[per_month.get(key, 0) for key in months], unit="件"))
    satisfied = [(row["label"], dict(row["rates"])["满意率"]) for row in rates]
    satisfied = [(label, rate.value * 100) for label, rate in satisfied if rate.value is not None]
    if satisfied:
        charts.append(Chart(kind="bar", title="各承办单位满意率", labels=[label for label, _ in satisfied],
                            values=[round(value, 1) for _, value in satisfied], unit="%"))
    return ChapterData(key=KEY, title=TITLE, order=30, figures={
        "登记建议": counts["registered"], "交办建议": counts["assigned"], "承办单位首次答复（件次）": counts["replies"],
        "办结建议": counts["closed"], "代表评价（人次）": counts["evaluations"]},
        tables=[table], charts=charts)
