"""The suggestions' panel on the leaders' dashboard (congress.lib.dashboard.register_panel), from ProposalsConfig.ready()."""
from congress.lib.dashboard import Figure, Panel, Period, month_series
from congress.reports.registry import Chart, Table
from proposals.models import Suggestion
from proposals.selectors.period import suggestion_pipeline

KEY = "suggestions"


def suggestions_panel(period: Period) -> Panel:
    counts = suggestion_pipeline(period.start, period.end, period.last_start, period.last_end)
    states = [(label, counts["by_status"].get(status, 0)) for status, label in Suggestion.Status.choices
              if status != Suggestion.Status.DRAFT]
    return Panel(key=KEY, title="代表建议办理进度", figures=[
        Figure("提交建议", counts["submitted"], counts["submitted_last"], "件"),
        Figure("已交办", counts["assigned"], counts["assigned_last"], "件"),
        Figure("已办结", counts["closed"], counts["closed_last"], "件")],
        tables=[Table(title="今年提交的建议目前所处环节", headers=["环节", "件数"], rows=[[a, n] for a, n in states])],
        charts=[month_series(period, counts["by_month"], counts["by_month_last"], title="每月提交的建议（今年与去年同期）",
                             unit="件"),
                Chart(kind="bar", title="今年提交的建议所处环节", labels=[a for a, n in states if n],
                      values=[n for _, n in states if n], unit="件")])
