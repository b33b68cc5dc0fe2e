"""The stations' panel on the leaders' dashboard (congress.lib.dashboard.register_panel), from StationsConfig.ready()."""
from congress.lib.dashboard import Figure, Panel, Period
from stations.selectors import station_dashboard_figures

KEY = "stations"


def stations_panel(period: Period) -> Panel:
    counts = station_dashboard_figures(period.start, period.end, period.last_start, period.last_end)
    now, before = counts["opinions"], counts["opinions_last"]
    return Panel(key=KEY, title="家站点接待与社情民意", figures=[
        Figure("接待选民日", counts["receptions"], counts["receptions_last"], "次"),
        Figure("接待群众", counts["visitors"], counts["visitors_last"], "人次"),
        Figure("社情民意", now["total"], before["total"], "件"),
        Figure("办结率", now["closed_rate"], before["closed_rate"], "%"),
        Figure("群众满意率", now["satisfied_rate"], before["satisfied_rate"], "%")])
