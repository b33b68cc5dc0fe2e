"""The supervision panel on the leaders' dashboard (congress.lib.dashboard.register_panel), from
SupervisionConfig.ready()."""
from congress.lib.dashboard import Figure, Panel, Period
from supervision.selectors import supervision_figures

KEY = "supervision"


def supervision_panel(period: Period) -> Panel:
    counts = supervision_figures(period.end, period.start, period.end, period.last_start, period.last_end)
    return Panel(key=KEY, title="监督工作", figures=[
        Figure("正在投票的满意度测评", counts["open_polls"], unit="次"),
        Figure("未验收的整改事项", counts["open"], unit="项"),
        Figure("其中超过整改期限", counts["overdue"], unit="项"),
        Figure("今年新交办整改事项", counts["created"], counts["created_last"], "项"),
        Figure("待报告研究处理情况的审议意见", counts["awaiting_reports"], unit="件")])
