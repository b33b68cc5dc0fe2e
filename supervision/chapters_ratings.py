"""The annual report's chapter on the appointed officials' rating (任后监督), registered from SupervisionConfig.ready()."""
import datetime

from congress.reports.registry import ChapterData, Chart, Table
from supervision.models import RatedOfficial
from supervision.selectors_ratings import GRADE_ORDER, ratings_in

RATINGS = ("ratings", "任命干部履职评议", 21)


def ratings_chapter(start: datetime.date, end: datetime.date) -> ChapterData:
    done = ratings_in(start, end)
    labels = [RatedOfficial.Grade(g).label for g in GRADE_ORDER]
    figures = {"评议任命干部（名）": len(done["officials"])}
    figures.update({f"评为{label}": done["by_grade"][g] for g, label in zip(GRADE_ORDER, labels, strict=True)})
    figures["发出提醒函（份）"] = done["reminded"]
    table = Table(title="任命干部履职评议结果", headers=["年度", "姓名", "单位及职务", "满意", "基本满意", "不满意", "等次"],
                  rows=[[o.round.year, o.person_name, f"{o.organization.name}{o.position}", o.satisfied, o.basic,
                         o.unsatisfied, o.get_grade_display()] for o in done["officials"]])
    charts = [Chart(kind="bar", title="评议等次分布", labels=labels, values=[done["by_grade"][g] for g in GRADE_ORDER],
                    unit="名")] if done["officials"] else []
    return ChapterData(key=RATINGS[0], title=RATINGS[1], order=RATINGS[2], figures=figures, tables=[table], charts=charts)
