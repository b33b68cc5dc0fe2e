"""The stations' chapter of the reports (congress.reports.registry), registered from StationsConfig.ready()."""
import datetime

from congress.reports.registry import ChapterData, Chart, Table, percent
from stations.selectors import opinions_by_category, receptions_by_town, station_period_counts, stations_by_kind

KEY = "stations"
TITLE = "家站点建设与联系群众"


def stations_chapter(start: datetime.date, end: datetime.date) -> ChapterData:
    counts = station_period_counts(start, end)
    by_kind = stations_by_kind()
    by_town = receptions_by_town(start, end)
    by_category = opinions_by_category(start, end)
    tables = [
        Table(title="家站点分类", headers=["类型", "数量"], rows=[[label, n] for label, n in by_kind]),
        Table(title="各镇街接待选民日", headers=["镇街", "接待次数", "接待群众（人次）"],
              rows=[[town, n, visitors] for town, n, visitors in by_town]),
        Table(title="社情民意分类", headers=["类别", "件数"], rows=[[label, n] for label, n in by_category]),
    ]
    charts = [Chart(kind="bar", title="各镇街接待群众人次", labels=[t for t, _, _ in by_town],
                    values=[v for _, _, v in by_town], unit="人次"),
              Chart(kind="bar", title="社情民意分类", labels=[c for c, _ in by_category],
                    values=[n for _, n in by_category], unit="件")]
    return ChapterData(key=KEY, title=TITLE, order=50, figures={
        "正常运行的家站点": counts["stations"], "接待选民日（次）": counts["receptions"],
        "接待群众（人次）": counts["visitors"], "接待中收集意见建议（条）": counts["reception_opinions"],
        "群众留言的社情民意（件）": counts["opinions"], "已办结或不予受理（件）": counts["opinions_done"],
        "社情民意办结率": percent(counts["closed_rate"]), "群众满意率": percent(counts["satisfied_rate"])},
        tables=tables, charts=charts)
