"""专项工作报告和审议意见: a plan item (staff), its meeting, the organ's draft and revised report (the unit workspace),
the copies to the members, the deliberation, the review opinion sent to the organ, the organ's handling report, the
poll on it (supervision.services.polls, source=the opinion), a 不满意 result's re-report (RESULT_HOOKS), closing; and
the reminder scan of the dates before the meeting and of the reports owed (each reminder claimed once)."""
import datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from congress.lib import uploads, workdays
from congress.models import Meeting, Organization, Term, User
from congress.services import CongressError, notification_send
from supervision.models import ReportSubmission, ReviewOpinion, SatisfactionPoll, WorkReport
from supervision.predicates import is_committee_staff
from supervision.services.polls import RESULT_HOOKS, poll_create
from supervision.services.rectification import _staff_users, _unit_users, rectification_create
from supervision.workflows import REVIEW_OPINION, WORK_REPORT

WS = WorkReport.Status
OS = ReviewOpinion.Status
K = ReportSubmission.Kind


def _rules(name: str) -> int:
    return settings.CONGRESS_RULES[name]


def _working_body_staff(report: WorkReport) -> list[User]:
    """The staff of the working body in charge; all staff when it has none."""
    from congress import roles

    users = list(User.objects.filter(organization_id=report.working_body_id, groups__name=roles.COMMITTEE_STAFF,
                                     is_active=True))
    return users or _staff_users()


def _lock_report(report: WorkReport) -> WorkReport:
    return WorkReport.objects.select_for_update(of=("self",)).select_related("meeting", "organization").get(pk=report.pk)


def _lock_opinion(opinion: ReviewOpinion) -> ReviewOpinion:
    return ReviewOpinion.objects.select_for_update(of=("self",)).select_related("work_report", "organization").get(pk=opinion.pk)


def _check_meeting(meeting: Meeting) -> None:
    if meeting.kind != Meeting.Kind.STANDING:
        raise CongressError("专项工作报告只能提请常委会会议审议")
    if meeting.date < timezone.localdate():
        raise CongressError(f"{meeting}已于{meeting.date:%Y年%m月%d日}举行，请选择尚未举行的会议")


def _timeline_text(report: WorkReport) -> str:
    dates = report.timeline_dates()
    if not dates:
        return ""
    return (f"会议{report.meeting.date:%Y-%m-%d}；初稿{dates['draft']:%Y-%m-%d}前，修改稿{dates['revised']:%Y-%m-%d}前，"
            f"印发组成人员{dates['copies']:%Y-%m-%d}前")


# -- the work report -------------------------------------------------------------------------------------------------

@transaction.atomic
def work_report_create(*, actor: User, year: int, topic: str, organization: Organization, working_body: Organization,
                       meeting: Meeting | None = None) -> WorkReport:
    """A topic of the year's supervision plan: the organ that reports, the working body in charge, (the meeting)."""
    if not is_committee_staff(actor):
        raise CongressError("只有常委会机关工作人员可以编列监督工作计划")
    if not topic.strip():
        raise CongressError("请填写议题")
    if not 2000 <= int(year) <= 2100:
        raise CongressError("计划年度无效")
    if not organization.is_handling_unit or not organization.is_active:
        raise CongressError(f"{organization.name}不是可以报告工作的机关")
    if working_body.kind != Organization.Kind.WORKING_BODY:
        raise CongressError(f"{working_body.name}不是常委会工作机构")
    if meeting is not None:
        _check_meeting(meeting)
    report = WorkReport(year=year, topic=topic.strip(), organization=organization, working_body=working_body,
                        meeting=meeting, created_by=actor)
    report._history_user = actor
    report.save()
    WORK_REPORT.record_created(report, actor=actor, reason=_timeline_text(report) or f"{year}年监督工作计划")
    notification_send(recipients=_unit_users(organization.pk), kind="work_report_planned",
                      title=f"列入{year}年监督工作计划：听取审议{organization.name}关于{report.topic}的专项工作报告",
                      body=_timeline_text(report), link=("supervision_unit_reports:work_report", report.pk))
    return report


@transaction.atomic
def work_report_schedule(*, actor: User, report: WorkReport, meeting: Meeting) -> WorkReport:
    """Set (or move) the meeting the report goes to; the dates before it follow."""
    report = _lock_report(report)
    WORK_REPORT.check(actor, report, "schedule")
    _check_meeting(meeting)
    if meeting.pk == report.meeting_id:
        raise CongressError("已安排在该次会议")
    report.meeting = meeting
    report._history_user = actor
    WORK_REPORT.apply(report, "schedule", actor=actor, reason=_timeline_text(report), fields=["meeting"])
    notification_send(recipients=_unit_users(report.organization_id), kind="work_report_scheduled",
                      title=f"专项工作报告“{report.topic}”提请{meeting}审议", body=_timeline_text(report),
                      link=("supervision_unit_reports:work_report", report.pk))
    return report


@transaction.atomic
def work_report_submit(*, actor: User, report: WorkReport, file, note: str = "") -> ReportSubmission:
    """The organ sends its draft (to the working body) or, after it, the revised report (to the committee): a PDF."""
    report = _lock_report(report)
    name, kind = ("submit_draft", K.DRAFT) if report.status == WS.PLANNED else ("submit_revised", K.REVISED)
    WORK_REPORT.check(actor, report, name)
    if not file:
        raise CongressError("请上传报告文件（PDF）")
    uploads.check(file, "pdf")
    row = ReportSubmission.objects.create(work_report=report, kind=kind, file=file, note=note.strip(),
                                          submitted_by=actor)
    report._history_user = actor
    WORK_REPORT.apply(report, name, actor=actor, reason=note.strip()[:200])
    notification_send(recipients=_working_body_staff(report), kind="work_report_submitted",
                      title=f"{report.organization.name}报送{row.get_kind_display()}：{report.topic}",
                      link=("admin:supervision_workreport_change", report.pk))
    return row


@transaction.atomic
def work_report_distribute(*, actor: User, report: WorkReport) -> WorkReport:
    """The office sends the revised report to the members (监督法 Art. 15: 7 days before): recorded, no new state."""
    report = _lock_report(report)
    WORK_REPORT.check(actor, report, "distribute")
    report.copies_sent_at = timezone.now()
    report._history_user = actor
    WORK_REPORT.apply(report, "distribute", actor=actor, fields=["copies_sent_at"])
    return report


@transaction.atomic
def work_report_deliberate(*, actor: User, report: WorkReport, deliberation: str) -> WorkReport:
    """After the meeting: what the members said (the review opinion is drawn from it)."""
    report = _lock_report(report)
    WORK_REPORT.check(actor, report, "deliberate")
    if not deliberation.strip():
        raise CongressError("请填写审议情况")
    report.deliberation = deliberation.strip()
    report._history_user = actor
    WORK_REPORT.apply(report, "deliberate", actor=actor, fields=["deliberation"])
    return report


@transaction.atomic
def work_report_cancel(*, actor: User, report: WorkReport, reason: str) -> WorkReport:
    report = _lock_report(report)
    WORK_REPORT.check(actor, report, "cancel")
    if not reason.strip():
        raise CongressError("请填写调整出计划的理由")
    report._history_user = actor
    WORK_REPORT.apply(report, "cancel", actor=actor, reason=reason.strip())
    notification_send(recipients=_unit_users(report.organization_id), kind="work_report_cancelled",
                      title=f"专项工作报告“{report.topic}”已调整出监督工作计划", body=reason.strip(),
                      link=("supervision_unit_reports:work_report", report.pk))
    return report


# -- the review opinion ----------------------------------------------------------------------------------------------

@transaction.atomic
def review_opinion_send(*, actor: User, report: WorkReport, text: str, letter=None,
                        sent_on: datetime.date | None = None) -> ReviewOpinion:
    """The meeting's review opinion goes to the organ; it reports how it handled it within REVIEW_OPINION_REPORT_MONTHS."""
    report = _lock_report(report)
    WORK_REPORT.check(actor, report, "send_opinion")
    if not text.strip():
        raise CongressError("请填写审议意见")
    if letter:
        uploads.check(letter, "pdf")
    sent_on = sent_on or timezone.localdate()
    if sent_on > timezone.localdate() or sent_on < report.meeting.date:
        raise CongressError("送交日期须在会议之后、不晚于今天")
    due = workdays.add_months(sent_on, _rules("REVIEW_OPINION_REPORT_MONTHS"), event="审议意见送交日")
    opinion = ReviewOpinion(work_report=report, organization=report.organization, text=text.strip(), letter=letter or "",
                            sent_on=sent_on, sent_by=actor, due_date=due.date, due_explanation=due.explanation[:300])
    opinion._history_user = actor
    opinion.save()
    report._history_user = actor
    WORK_REPORT.apply(report, "send_opinion", actor=actor, reason=f"研究处理情况报告期限{due.date:%Y-%m-%d}")
    REVIEW_OPINION.record_created(opinion, actor=actor, reason=due.explanation)
    notification_send(recipients=_unit_users(report.organization_id), kind="review_opinion_sent",
                      title=f"请研究处理审议意见：{report.topic}",
                      body=f"请于{due.date:%Y年%m月%d日}前报告研究处理情况",
                      link=("supervision_unit_reports:review_opinion", opinion.pk))
    return opinion


@transaction.atomic
def review_opinion_report(*, actor: User, opinion: ReviewOpinion, file, note: str = "") -> ReportSubmission:
    """The organ reports how it handled the opinion (or, after a 不满意 poll, reports again): a PDF and a note."""
    opinion = _lock_opinion(opinion)
    name, kind = ("rereport", K.REREPORT) if opinion.status == OS.REREPORT_DUE else ("report", K.HANDLING)
    REVIEW_OPINION.check(actor, opinion, name)
    if not file:
        raise CongressError("请上传研究处理情况报告（PDF）")
    uploads.check(file, "pdf")
    row = ReportSubmission.objects.create(work_report_id=opinion.work_report_id, kind=kind, file=file,
                                          note=note.strip(), submitted_by=actor)
    opinion._history_user = actor
    REVIEW_OPINION.apply(opinion, name, actor=actor, reason=note.strip()[:200])
    notification_send(recipients=_working_body_staff(opinion.work_report), kind="review_opinion_reported",
                      title=f"{opinion.organization.name}报送{row.get_kind_display()}：{opinion.work_report.topic}",
                      link=("admin:supervision_reviewopinion_change", opinion.pk))
    return row


@transaction.atomic
def review_opinion_poll(*, actor: User, opinion: ReviewOpinion, term: Term, meeting: Meeting | None = None,
                        basis: str = SatisfactionPoll.Basis.ALL) -> SatisfactionPoll:
    """A poll of the members on the organ's (re-)report, in preparation: staff open it at the meeting in the poll's
    own pages. Its result comes back through RESULT_HOOKS["review_opinion"]."""
    opinion = _lock_opinion(opinion)
    REVIEW_OPINION.check(actor, opinion, "poll")
    again = "再次" if opinion.status == OS.REREPORTED else ""
    poll = poll_create(actor=actor, term=term, meeting=meeting, basis=basis, organization=opinion.organization,
                       title=f"对{opinion.organization.name}关于“{opinion.work_report.topic}”审议意见{again}研究处理情况的满意度测评",
                       source=opinion)
    opinion._history_user = actor
    REVIEW_OPINION.apply(opinion, "poll", actor=actor, reason=poll.title)
    return poll


def _poll_unsatisfied(poll: SatisfactionPoll, actor: User) -> None:
    """RESULT_HOOKS: a 不满意 result asks for a re-report (due REVIEW_OPINION_REREPORT_MONTHS after the poll); a second
    one ends the opinion's course ("escalated": the 主任会议 decides what the law allows next)."""
    opinion = ReviewOpinion.objects.select_for_update(of=("self",)).filter(pk=poll.source_id).select_related("work_report").first()
    if opinion is None or opinion.status != OS.POLLING:
        return
    opinion._history_user = actor
    if opinion.rereport_requested_on is None:
        day = timezone.localdate()
        due = workdays.add_months(day, _rules("REVIEW_OPINION_REREPORT_MONTHS"), event="满意度测评日")
        opinion.rereport_requested_on, opinion.rereport_due_date = day, due.date
        opinion.rereport_explanation = due.explanation[:300]
        REVIEW_OPINION.apply(opinion, "require_rereport", actor=actor, reason=due.explanation,
                             fields=["rereport_requested_on", "rereport_due_date", "rereport_explanation"])
        notification_send(recipients=_unit_users(opinion.organization_id), kind="review_opinion_rereport",
                          title=f"审议意见研究处理情况测评不满意，请再次报告：{opinion.work_report.topic}",
                          body=f"请于{due.date:%Y年%m月%d日}前再次报告", link=("supervision_unit_reports:review_opinion", opinion.pk))
    else:
        REVIEW_OPINION.apply(opinion, "escalate", actor=actor, reason="再次报告的满意度测评结果仍为不满意，提请主任会议研究")
        notification_send(recipients=_staff_users(), kind="review_opinion_escalated",
                          title=f"审议意见再次测评仍不满意：{opinion.work_report.topic}",
                          link=("admin:supervision_reviewopinion_change", opinion.pk))


RESULT_HOOKS["review_opinion"] = _poll_unsatisfied


@transaction.atomic
def review_opinion_close(*, actor: User, opinion: ReviewOpinion, note: str = "") -> ReviewOpinion:
    opinion = _lock_opinion(opinion)
    REVIEW_OPINION.check(actor, opinion, "close")
    opinion.closed_at = timezone.now()
    opinion._history_user = actor
    REVIEW_OPINION.apply(opinion, "close", actor=actor, reason=note.strip(), fields=["closed_at"])
    notification_send(recipients=_unit_users(opinion.organization_id), kind="review_opinion_closed",
                      title=f"审议意见已办结：{opinion.work_report.topic}",
                      link=("supervision_unit_reports:review_opinion", opinion.pk))
    return opinion


@transaction.atomic
def review_opinion_rectify(*, actor: User, opinion: ReviewOpinion, title: str, due_date: datetime.date,
                           description: str = ""):
    """A problem the opinion names, assigned to the organ as a rectification item (listed on the opinion's page)."""
    opinion = _lock_opinion(opinion)
    REVIEW_OPINION.check(actor, opinion, "rectify")
    item = rectification_create(actor=actor, organization=opinion.organization, title=title, due_date=due_date,
                                description=description, source=opinion, source_label=str(opinion))
    REVIEW_OPINION.apply(opinion, "rectify", actor=actor, reason=item.title)
    return item


def review_opinion_deadlines_recompute(actor, year: int) -> int:
    """congress.lib.workdays.schedule_hooks: once `year`'s holiday schedule is entered, recount the report dates still
    owed that fell in it (they were provisional)."""
    changed = 0
    for opinion in ReviewOpinion.objects.filter(status__in=ReviewOpinion.AWAITING).select_for_update():
        fields = []
        if opinion.status == OS.SENT and opinion.due_date.year == year:
            due = workdays.add_months(opinion.sent_on, _rules("REVIEW_OPINION_REPORT_MONTHS"), event="审议意见送交日")
            opinion.due_date, opinion.due_explanation = due.date, due.explanation[:300]
            fields = ["due_date", "due_explanation"]
        elif opinion.status == OS.REREPORT_DUE and opinion.rereport_due_date and opinion.rereport_due_date.year == year:
            due = workdays.add_months(opinion.rereport_requested_on, _rules("REVIEW_OPINION_REREPORT_MONTHS"),
                                      event="满意度测评日")
            opinion.rereport_due_date, opinion.rereport_explanation = due.date, due.explanation[:300]
            fields = ["rereport_due_date", "rereport_explanation"]
        if fields:
            opinion._history_user = actor
            REVIEW_OPINION.apply(opinion, "recompute_deadline", actor=actor, reason=due.explanation, fields=fields)
            changed += 1
    return changed


# -- reminders -------------------------------------------------------------------------------------------------------

def _threshold(days_left: int) -> int | None:
    """The reminder due for a date `days_left` away: the smallest REMINDER_DAYS_BEFORE it has reached (a scan that
    missed a day still sends it), or None when it is further off than all of them."""
    reached = [d for d in _rules("REMINDER_DAYS_BEFORE") if days_left <= d]
    return min(reached) if reached else None


def _remind(key: str, recipients, title: str, link: tuple) -> bool:
    from congress.services import reminder_claim

    with transaction.atomic():  # the claim and the notifications commit together, or neither does
        if not reminder_claim(key):
            return False
        notification_send(recipients=recipients, kind="work_report_reminder", title=title, link=link)
    return True


def work_report_reminders_send(*, today: datetime.date) -> list[str]:
    """Remind the organ of the draft and revised report before the meeting, the working body's staff of the copies
    to the members, and the organ of a review opinion's (re-)report owed: at each of REMINDER_DAYS_BEFORE and once
    when overdue; each reminder once (congress.services.reminder_claim). Returns the claim keys sent."""
    sent = []
    steps = {"draft": ("报送报告初稿", (WS.PLANNED,)), "revised": ("报送报告修改稿", (WS.PLANNED, WS.DRAFT)),
             "copies": ("将报告印发组成人员", (WS.REVISED,))}
    reports = (WorkReport.objects.filter(status__in=WorkReport.BEFORE_MEETING, meeting__date__gte=today)
               .select_related("meeting", "organization"))
    for report in reports:
        for step, day in report.timeline_dates().items():
            what, states = steps[step]
            if report.status not in states or (step == "copies" and report.copies_sent_at):
                continue
            left = (day - today).days
            mark = "overdue" if left < 0 else _threshold(left)
            if mark is None:
                continue
            key = f"work_report:{report.pk}:{step}:{day:%Y%m%d}:{mark}"
            when = "已逾期" if left < 0 else f"期限{day:%Y年%m月%d日}"
            title = f"提醒：{what}（{when}）——{report.topic}"
            if step == "copies":
                recipients, link = _working_body_staff(report), ("admin:supervision_workreport_change", report.pk)
            else:
                recipients = _unit_users(report.organization_id)
                link = ("supervision_unit_reports:work_report", report.pk)
            if _remind(key, recipients, title, link):
                sent.append(key)
    for opinion in ReviewOpinion.objects.filter(status__in=ReviewOpinion.AWAITING).select_related("work_report"):
        day = opinion.current_due_date
        left = (day - today).days
        mark = "overdue" if left < 0 else _threshold(left)
        if mark is None:
            continue
        what = "再次报告研究处理情况" if opinion.status == OS.REREPORT_DUE else "报告审议意见研究处理情况"
        key = f"review_opinion:{opinion.pk}:{opinion.status}:{day:%Y%m%d}:{mark}"
        when = "已逾期" if left < 0 else f"期限{day:%Y年%m月%d日}"
        if _remind(key, _unit_users(opinion.organization_id), f"提醒：{what}（{when}）——{opinion.work_report.topic}",
                   ("supervision_unit_reports:review_opinion", opinion.pk)):
            sent.append(key)
    return sent


# entering a year's holiday schedule recounts the report dates that fell in it (congress.services.holiday_schedule_enter)
if review_opinion_deadlines_recompute not in workdays.schedule_hooks:
    workdays.schedule_hooks.append(review_opinion_deadlines_recompute)
