"""The deputies' chapter of the reports (congress.reports.registry), registered from DeputiesConfig.ready()."""
import datetime

from congress.reports.registry import ChapterData, Chart, Table, percent
from deputies.models import DutyActivityType
from deputies.selectors import activities_by_type, activity_period_counts, checklist_totals, score_summary

KEY = "deputies"
TITLE = "代表履职"


def _number(value: float) -> float | int:
    return int(value) if value == int(value) else value


def deputies_chapter(start: datetime.date, end: datetime.date) -> ChapterData:
    counts = activity_period_counts(start, end)
    by_type = activities_by_type(start, end)
    checklist = checklist_totals(end.year)
    scores = score_summary(year=end.year, until=end)
    serving = checklist["deputies"]
    checklist_rows = [[label, checklist.get(key, 0), percent(100 * checklist.get(key, 0) / serving if serving else None)]
                      for key, label in DutyActivityType.ChecklistItem.choices]
    tables = [
        Table(title="履职活动分类", headers=["活动类型", "活动次数"], rows=[[name, n] for name, n in by_type]),
        Table(title=f"{end.year}年区人大代表“五个一”完成情况（截至{end.month}月{end.day}日）",
              headers=["项目", "已完成代表", "完成比例"], rows=checklist_rows),
        Table(title=f"{end.year}年履职积分前{len(scores['top'])}名", headers=["代表", "镇街", "积分"],
              rows=[[name, town, _number(score)] for name, town, score in scores["top"]]),
    ]
    charts = [Chart(kind="bar", title="履职活动分类", labels=[n for n, _ in by_type], values=[v for _, v in by_type],
                    unit="次")]
    return ChapterData(key=KEY, title=TITLE, order=40, figures={
        "履职活动（已核实）": counts["activities"], "代表参加活动（人次）": counts["attendances"],
        "参加活动的代表（人）": counts["deputies"], "在任区人大代表（人）": serving,
        "代表平均积分": "—" if scores["average"] is None else scores["average"]}, tables=tables, charts=charts)
