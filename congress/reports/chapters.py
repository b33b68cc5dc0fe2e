"""The institution's own chapter (meetings held, reports heard, appointments), registered from CongressConfig.ready()
like every app's."""
import datetime

from congress.models import AgendaItem, Appointment, Meeting
from congress.reports.registry import ChapterData, Chart, Table
from congress.selectors import meeting_period_counts

KEY = "meetings"
TITLE = "会议与人事任免"


def meetings_chapter(start: datetime.date, end: datetime.date) -> ChapterData:
    counts = meeting_period_counts(start, end)
    agenda = [(label, counts["agenda"].get(kind, 0)) for kind, label in AgendaItem.Kind.choices]
    appointments = [(label, counts["appointments"].get(kind, 0)) for kind, label in Appointment.Kind.choices]
    return ChapterData(key=KEY, title=TITLE, order=10, figures={
        "召开常委会会议（次）": counts["meetings"].get(Meeting.Kind.STANDING, 0),
        "召开主任会议（次）": counts["meetings"].get(Meeting.Kind.COUNCIL, 0),
        "听取审议工作报告（项）": counts["agenda"].get(AgendaItem.Kind.REPORT, 0),
        "专题询问（次）": counts["agenda"].get(AgendaItem.Kind.INQUIRY, 0),
        "人事任免（人次）": sum(counts["appointments"].values())},
        tables=[Table(title="会议议题分类", headers=["议题类型", "项数"], rows=[[a, n] for a, n in agenda]),
                Table(title="人事任免分类", headers=["任免类型", "人次"], rows=[[a, n] for a, n in appointments])],
        charts=[Chart(kind="bar", title="会议议题分类", labels=[a for a, _ in agenda], values=[n for _, n in agenda],
                      unit="项")])
