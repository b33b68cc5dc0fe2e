"""The supervision chapter of the reports (congress.reports.registry), registered from SupervisionConfig.ready()."""
import datetime

from congress.reports.registry import ChapterData, Chart, Table
from supervision.models import SatisfactionPoll
from supervision.selectors import polls_closed_in, rectification_period_counts, rectifications_by_organization

KEY = "supervision"
TITLE = "满意度测评与整改落实"


def supervision_chapter(start: datetime.date, end: datetime.date) -> ChapterData:
    polls = polls_closed_in(start, end)
    rect = rectification_period_counts(start, end)
    by_organ = rectifications_by_organization(end)
    results = {choice: sum(1 for p in polls if p["result"] == choice) for choice, _ in SatisfactionPoll.Choice.choices}
    C = SatisfactionPoll.Choice
    tables = [
        Table(title="满意度测评结果", headers=["测评", "被测评单位", "满意（%）", "基本满意（%）", "结果"],
              rows=[[p["title"], p["organization"], p["weighted"].get(C.SATISFIED, "—"),
                     p["weighted"].get(C.BASIC, "—"), p["result_label"]] for p in polls]),
        Table(title=f"整改事项落实情况（截至{end.month}月{end.day}日）", headers=["责任单位", "整改事项", "已验收"],
              rows=[[organ, n, done] for organ, n, done in by_organ]),
    ]
    charts = [Chart(kind="bar", title="各单位整改事项", labels=[o for o, _, _ in by_organ],
                    values=[n for _, n, _ in by_organ], unit="项")]
    return ChapterData(key=KEY, title=TITLE, order=20, figures={
        "开展满意度测评（次）": len(polls), "测评结果为满意": results[C.SATISFIED],
        "测评结果为基本满意": results[C.BASIC], "测评结果为不满意": results[C.UNSATISFIED],
        "新交办整改事项": rect["created"], "验收整改事项": rect["accepted"],
        "尚未验收的整改事项": rect["open"], "其中超过整改期限": rect["overdue"]}, tables=tables, charts=charts)
