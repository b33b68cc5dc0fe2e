"""The supervision chapter of the reports (congress.reports.registry), registered from SupervisionConfig.ready()."""
import datetime

from congress.reports.registry import ChapterData, Chart, Table, percent
from supervision.models import SatisfactionPoll
from supervision.selectors import polls_closed_in, rectification_period_counts, rectifications_by_organization
from supervision.selectors_period import (
    appraisal_ranking_rows,
    appraisals_in,
    inquiries_held,
    review_opinion_handling,
    review_opinion_rows,
    work_reports_heard,
)

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


# ------------------------------------------------ the work of the period, the way the seed articles report a year
WORK_REPORTS = ("work_reports", "听取审议专项工作报告与审议意见办理", 17)
INQUIRIES = ("inquiries", "专题询问", 18)
APPRAISALS = ("appraisals", "工作评议", 19)


def work_reports_chapter(start: datetime.date, end: datetime.date) -> ChapterData:
    heard = work_reports_heard(start, end)
    handling = review_opinion_handling(start, end)
    C = SatisfactionPoll.Choice
    results = handling["poll_results"]
    tables = [
        Table(title="听取审议的专项工作报告", headers=["会议日期", "报告机关", "议题"],
              rows=[[day.isoformat(), organ, topic] for day, organ, topic in heard["topics"]]),
        Table(title="审议意见研究处理情况", headers=["议题", "研究处理机关", "送交日期", "报告期限", "当前状态", "满意度测评"],
              rows=review_opinion_rows(start, end)),
    ]
    charts = [Chart(kind="bar", title="各机关专项工作报告", labels=[o for o, _ in heard["by_organ"]],
                    values=[n for _, n in heard["by_organ"]], unit="项")] if heard["by_organ"] else []
    return ChapterData(key=WORK_REPORTS[0], title=WORK_REPORTS[1], order=WORK_REPORTS[2], figures={
        "听取审议专项工作报告（项）": heard["count"], "送交审议意见（份）": handling["sent"],
        "收到研究处理情况报告（份）": handling["reports"], "其中按期报告": handling["on_time"],
        "其中逾期报告": handling["late"], "逾期尚未报告的审议意见": handling["overdue"],
        "对审议意见办理情况进行满意度测评（次）": handling["polls"], "测评满意": results[C.SATISFIED],
        "测评基本满意": results[C.BASIC], "测评不满意": results[C.UNSATISFIED],
        "要求再次报告（份）": handling["rereports_asked"], "收到再次报告（份）": handling["rereports"]},
        tables=tables, charts=charts)


def inquiries_chapter(start: datetime.date, end: datetime.date) -> ChapterData:
    held = inquiries_held(start, end)
    table = Table(title="专题询问情况", headers=["会议日期", "询问主题", "应询单位", "提问", "追问", "临时提问", "应询承诺",
                                           "交办整改事项", "已验收"],
                  rows=[[r["date"].isoformat(), r["topic"], r["organizations"], r["questions"], r["follow_ups"],
                         r["on_the_spot"], r["commitments"], r["rectifications"], r["accepted"]] for r in held["rows"]])
    return ChapterData(key=INQUIRIES[0], title=INQUIRIES[1], order=INQUIRIES[2], figures={
        "开展专题询问（次）": held["count"],
        "提出问题（个）": held["questions"] + held["follow_ups"] + held["on_the_spot"], "其中追问": held["follow_ups"],
        "其中临时提问": held["on_the_spot"], "应询单位作出承诺（项）": held["commitments"],
        "承诺交办为整改事项（项）": held["rectifications"], "整改事项已验收（项）": held["accepted"]},
        tables=[table])


def appraisals_chapter(start: datetime.date, end: datetime.date) -> ChapterData:
    done = appraisals_in(start, end)
    ranking = appraisal_ranking_rows(end.year)
    coverage = done["coverage"]
    share = percent(coverage["appraised"] * 100 / coverage["departments"]) if coverage["departments"] else "—"
    figures = {"评议政府部门（个）": done["departments"], "其中综合评议": done["comprehensive"],
               "其中专项评议": done["special"], "再次评议（次）": done["again"]}
    if coverage["term"] is not None:
        figures[f"第{coverage['term']}届累计评议部门（个）"] = coverage["appraised"]
        figures["政府部门（个）"] = coverage["departments"]
        figures["届内评议覆盖率"] = share
    tables = [Table(title=f"{end.year}年度工作评议测评排名", headers=ranking["headers"], rows=ranking["rows"])]
    charts = [Chart(kind="bar", title=f"{end.year}年度工作评议总分", labels=[row[1] for row in ranking["rows"]],
                    values=[float(row[-2]) for row in ranking["rows"]], unit="分")] if ranking["rows"] else []
    return ChapterData(key=APPRAISALS[0], title=APPRAISALS[1], order=APPRAISALS[2], figures=figures,
                       tables=tables, charts=charts)


# ------------------------------------------------ 代表约见国家机关负责人 (supervision/selectors_meetings.py)
MEETINGS = ("deputy_meetings", "代表约见国家机关负责人", 23)


def meetings_chapter(start: datetime.date, end: datetime.date) -> ChapterData:
    from supervision.models import MeetingRating
    from supervision.selectors_meetings import meeting_figures

    f = meeting_figures(start, end)
    C = MeetingRating.Choice
    table = Table(title="代表约见情况", headers=["约见日期", "被约见机关", "约见事项", "参加代表（人）", "当前状态"],
                  rows=f["rows"])
    return ChapterData(key=MEETINGS[0], title=MEETINGS[1], order=MEETINGS[2], figures={
        "代表联名提出约见（件）": f["proposed"], "主任会议同意约见": f["agreed"], "主任会议不同意约见": f["rejected"],
        "举行约见（次）": f["held"], "参加约见的代表（人次）": f["attendances"], "收到书面答复（件）": f["replies"],
        "其中按期答复": f["on_time"], "其中逾期答复": f["late"], "期末逾期尚未答复": f["overdue"],
        "代表评价满意": f["ratings"][C.SATISFIED], "代表评价基本满意": f["ratings"][C.BASIC],
        "代表评价不满意": f["ratings"][C.UNSATISFIED]}, tables=[table])
# 执法检查 (supervision/selectors_inspections.py)
INSPECTIONS = ("inspections", "执法检查", 21)


def inspections_chapter(start: datetime.date, end: datetime.date) -> ChapterData:
    from supervision.selectors_inspections import inspections_in

    done = inspections_in(start, end)
    table = Table(title="执法检查情况", headers=["执法检查", "承办工作机构", "检查时间", "检查组人数", "现场检查（次）",
                                           "发现问题", "交办整改事项", "已验收", "当前状态"],
                  rows=[[r["title"], r["working_body"], f"{r['start']:%Y-%m-%d}至{r['end']:%Y-%m-%d}", r["team"],
                         r["visits"], r["problems"], r["rectifications"], r["accepted"], r["status"]] for r in done["rows"]])
    charts = [Chart(kind="bar", title="各项执法检查发现的问题", labels=[r["law"] for r in done["rows"]],
                    values=[r["problems"] for r in done["rows"]], unit="个")] if done["rows"] else []
    return ChapterData(key=INSPECTIONS[0], title=INSPECTIONS[1], order=INSPECTIONS[2], figures={
        "开展执法检查（项）": done["count"], "现场检查（次）": done["visits"],
        "组成人员和代表参加现场检查（人次）": done["participations"], "参加现场检查（人）": done["people"],
        "审议执法检查报告（份）": done["deliberated"], "发现问题（个）": done["problems"],
        "交办整改事项（项）": done["rectifications"], "整改事项已验收（项）": done["accepted"]},
        tables=[table], charts=charts)
