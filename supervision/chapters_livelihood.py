"""The annual report's chapter on the livelihood projects by vote (congress.reports.registry)."""
import datetime

from congress.reports.registry import ChapterData, Chart, Table
from supervision.selectors_livelihood import rounds_in

CHAPTER = ("livelihood", "民生实事项目票决", 21)


def livelihood_chapter(start: datetime.date, end: datetime.date) -> ChapterData:
    rounds = rounds_in(start, end)
    projects = [p for r in rounds for p in r["projects"]]
    tables = [Table(title=f"{r['round'].title}（{r['round'].session}）",
                    headers=["名次", "项目", "牵头实施单位", "赞成票", "季度进展报告（已报/应报）", "满意度测评"],
                    rows=[[p.rank, p.title, p.organization.name if p.organization else "—", p.votes,
                           f"{p.submitted}/{p.reports_due}", p.get_result_display() or "—"] for p in r["projects"]])
              for r in rounds]
    charts = [Chart(kind="bar", title="民生实事项目赞成票", labels=[p.title for p in projects],
                    values=[p.votes or 0 for p in projects], unit="票")] if projects else []
    figures = {"票决（次）": len(rounds),
               "候选项目（个）": sum(r["round"].figures.get("candidates", 0) for r in rounds),
               "票决确定项目（个）": len(projects),
               "收回选票（张）": sum(r["round"].figures.get("cast", 0) for r in rounds),
               "其中无效票": sum(r["round"].figures.get("invalid", 0) for r in rounds),
               "报送季度进展报告（份）": sum(p.submitted for p in projects),
               "测评满意的项目": sum(1 for p in projects if p.result == "satisfied")}
    return ChapterData(key=CHAPTER[0], title=CHAPTER[1], order=CHAPTER[2], figures=figures, tables=tables, charts=charts)
