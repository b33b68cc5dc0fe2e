"""The deputies' panel on the leaders' dashboard (congress.lib.dashboard.register_panel), from DeputiesConfig.ready()."""
from congress.lib.dashboard import Figure, Panel, Period, month_series
from congress.reports.registry import Chart, Table
from deputies.selectors import activities_by_town, activity_totals

KEY = "activities"


def activities_panel(period: Period) -> Panel:
    totals = activity_totals(period.start, period.end, period.last_start, period.last_end)
    this, last = totals["activities"], totals["activities_last"]
    by_town = activities_by_town(period.start, period.end, period.last_start, period.last_end)
    return Panel(key=KEY, title="代表活动（分镇街）", figures=[Figure("已核实的履职活动", this, last, "次")],
                 tables=[Table(title="各镇街代表参加的履职活动", headers=["镇街", "今年（次）", "去年同期（次）"],
                               rows=[[town, n, n_last] for town, n, n_last in by_town])],
                 charts=[month_series(period, totals["by_month"], totals["by_month_last"],
                                      title="每月已核实的履职活动（今年与去年同期）", unit="次"),
                         Chart(kind="bar", title="各镇街代表参加的履职活动", labels=[t for t, _, _ in by_town],
                               values=[n for _, n, _ in by_town], unit="次")])
