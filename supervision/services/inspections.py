"""执法检查: plan (create), start, arrange site visits, submit the team's report, record the deliberation with the
review opinion, assign the problems found as rectification items, record the organs' rectification report with its
satisfaction poll, and close; a poll closing 不满意 sends the organs back to rectifying (RESULT_HOOKS)."""
import datetime
from collections.abc import Iterable

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from congress.lib import uploads
from congress.models import Meeting, Organization, User
from congress.services import CongressError, notification_send
from deputies.models import Deputy
from supervision.models import Inspection, InspectionVisit, SatisfactionPoll
from supervision.predicates import is_committee_staff
from supervision.services.polls import RESULT_HOOKS, poll_create
from supervision.services.rectification import _unit_users, rectification_create
from supervision.workflows import INSPECTION


def _lock(inspection: Inspection) -> Inspection:
    return Inspection.objects.select_for_update().get(pk=inspection.pk)


def default_report_due(end_date: datetime.date) -> datetime.date:
    """The report is due INSPECTION_REPORT_DAYS after the last day of the checking."""
    return end_date + datetime.timedelta(days=settings.CONGRESS_RULES["INSPECTION_REPORT_DAYS"])


@transaction.atomic
def inspection_create(*, actor: User, year: int, law: str, working_body: Organization, plan: str,
                      start_date: datetime.date, end_date: datetime.date, report_due: datetime.date | None = None,
                      activity_type=None) -> Inspection:
    """The year's inspection of a law, with its plan and dates; the team is formed next."""
    if not is_committee_staff(actor):
        raise CongressError("只有常委会机关工作人员可以制定执法检查计划")
    if not law.strip():
        raise CongressError("请填写检查的法律法规")
    if not plan.strip():
        raise CongressError("请填写检查方案")
    if working_body.kind != Organization.Kind.WORKING_BODY:
        raise CongressError(f"{working_body.name}不是常委会工作机构")
    if end_date < start_date:
        raise CongressError("检查结束日期不能早于开始日期")
    if start_date.year != year:
        raise CongressError(f"检查开始日期须在{year}年内")
    report_due = report_due or default_report_due(end_date)
    if report_due < end_date:
        raise CongressError("检查报告形成期限不能早于检查结束日期")
    inspection = Inspection(year=year, law=law.strip(), working_body=working_body, plan=plan.strip(),
                            start_date=start_date, end_date=end_date, report_due=report_due, activity_type=activity_type,
                            created_by=actor)
    inspection._history_user = actor
    inspection.save()
    INSPECTION.record_created(inspection, actor=actor,
                              reason=f"{start_date:%Y-%m-%d}至{end_date:%Y-%m-%d}，报告期限{report_due:%Y-%m-%d}")
    return inspection


@transaction.atomic
def inspection_start(*, actor: User, inspection: Inspection) -> Inspection:
    """The team sets out: site visits are recorded and problems noted from now on."""
    inspection = _lock(inspection)
    INSPECTION.apply(inspection, "start", actor=actor, reason=f"检查组{inspection.team.count()}人")
    return inspection


@transaction.atomic
def inspection_visit(*, actor: User, inspection: Inspection, date: datetime.date, place: str,
                     participants: Iterable[Deputy], organization: Organization | None = None,
                     note: str = "") -> InspectionVisit:
    """A site visit of the team, on a day of the plan: those of the team who went have it in their duty record."""
    inspection = _lock(inspection)
    INSPECTION.check(actor, inspection, "visit")
    if not place.strip():
        raise CongressError("请填写检查地点")
    if not inspection.start_date <= date <= inspection.end_date:
        raise CongressError(f"检查日期须在检查时间（{inspection.start_date:%Y-%m-%d}至{inspection.end_date:%Y-%m-%d}）内")
    participants = list(participants)
    if not participants:
        raise CongressError("请选择参加现场检查的检查组成员")
    team = set(inspection.team.values_list("deputy_id", flat=True))
    strangers = [d.full_name for d in participants if d.pk not in team]
    if strangers:
        raise CongressError(f"{'、'.join(strangers)}不是检查组成员")
    visit = InspectionVisit(inspection=inspection, date=date, place=place.strip(), organization=organization,
                            note=note.strip(), recorded_by=actor)
    visit._history_user = actor
    visit.save()
    visit.participants.set(participants)
    INSPECTION.apply(inspection, "visit", actor=actor, reason=f"{date:%Y-%m-%d} {visit.place}，{len(participants)}人参加")
    return visit


@transaction.atomic
def inspection_submit_report(*, actor: User, inspection: Inspection, text: str = "", file=None,
                             meeting: Meeting | None = None) -> Inspection:
    """The team's report to the committee (text, a PDF, or both), and the meeting that will deliberate it."""
    inspection = _lock(inspection)
    INSPECTION.check(actor, inspection, "submit_report")
    if not text.strip() and not file:
        raise CongressError("请填写执法检查报告或上传报告文件")
    if file:
        uploads.check(file, "pdf")
    if meeting is not None and meeting.kind != Meeting.Kind.STANDING:
        raise CongressError("执法检查报告提请常委会会议审议，请选择常委会会议")
    inspection.report_text = text.strip()
    fields = ["report_text", "report_submitted_on", "meeting"]
    if file:
        inspection.report_file = file
        fields.append("report_file")
    inspection.report_submitted_on = timezone.localdate()
    inspection.meeting = meeting
    inspection._history_user = actor
    late = inspection.report_submitted_on > inspection.report_due
    INSPECTION.apply(inspection, "submit_report", actor=actor, fields=fields,
                     reason=(f"提请{meeting}审议" if meeting else "") + ("；逾期提交" if late else ""))
    return inspection


@transaction.atomic
def inspection_deliberate(*, actor: User, inspection: Inspection, review_opinion: str,
                          meeting: Meeting | None = None) -> Inspection:
    """The meeting deliberated the report: the committee's review opinion is recorded (sent with the problems)."""
    inspection = _lock(inspection)
    if meeting is not None:
        if meeting.kind != Meeting.Kind.STANDING:
            raise CongressError("执法检查报告提请常委会会议审议，请选择常委会会议")
        inspection.meeting = meeting
    INSPECTION.check(actor, inspection, "deliberate")
    if not review_opinion.strip():
        raise CongressError("请填写常委会审议意见")
    inspection.review_opinion = review_opinion.strip()
    inspection._history_user = actor
    INSPECTION.apply(inspection, "deliberate", actor=actor, fields=["review_opinion", "meeting"],
                     reason=str(inspection.meeting))
    return inspection


@transaction.atomic
def inspection_assign(*, actor: User, inspection: Inspection) -> Inspection:
    """Each problem found becomes a rectification item of its organ, due on its date; the list is closed from now on."""
    inspection = _lock(inspection)
    INSPECTION.check(actor, inspection, "assign")
    problems = list(inspection.problems.select_related("organization").order_by("number"))
    label = f"{inspection}发现的问题"
    for problem in problems:
        if problem.rectification_id:
            continue
        try:
            item = rectification_create(actor=actor, organization=problem.organization, title=problem.title,
                                        due_date=problem.due_date, description=problem.detail,
                                        source=inspection, source_label=label)
        except CongressError as exc:
            raise CongressError(f"第{problem.number}个问题“{problem.title}”：{exc.messages[0]}") from exc
        problem.rectification = item
        problem._history_user = actor
        problem.save(update_fields=["rectification"])
    INSPECTION.apply(inspection, "assign", actor=actor, reason=f"交办整改事项{len(problems)}项")
    return inspection


@transaction.atomic
def inspection_report_rectification(*, actor: User, inspection: Inspection, text: str, meeting: Meeting,
                                    basis: str = SatisfactionPoll.Basis.ALL) -> SatisfactionPoll:
    """The organs' report on the rectification, heard at `meeting`, with a satisfaction poll on it (in preparation;
    staff open it at the meeting). A 不满意 result sends the organs back to rectifying (inspection_poll_unsatisfied)."""
    inspection = _lock(inspection)
    INSPECTION.check(actor, inspection, "report_rectification")
    if not text.strip():
        raise CongressError("请填写整改情况")
    if meeting.kind != Meeting.Kind.STANDING:
        raise CongressError("整改情况报告在常委会会议上听取，请选择常委会会议")
    organs = {p.organization_id: p.organization for p in inspection.problems.select_related("organization")}
    again = SatisfactionPoll.objects.filter(source_workflow=INSPECTION.name, source_id=inspection.pk).exists()
    poll = poll_create(actor=actor, term=meeting.term, meeting=meeting, basis=basis, source=inspection,
                       organization=next(iter(organs.values())) if len(organs) == 1 else None,
                       title=f"对{inspection}{'再次' if again else ''}整改情况的满意度测评")
    inspection.rectification_report = text.strip()
    inspection._history_user = actor
    INSPECTION.apply(inspection, "report_rectification", actor=actor, fields=["rectification_report"],
                     reason=f"{meeting}测评")
    return poll


def inspection_poll_unsatisfied(poll: SatisfactionPoll, actor: User) -> None:
    """RESULT_HOOKS: the rectification was rated 不满意 — the organs go on rectifying and report again."""
    inspection = Inspection.objects.select_for_update().filter(pk=poll.source_id).first()
    if inspection is None or inspection.status != Inspection.Status.POLLING:
        return
    INSPECTION.apply(inspection, "rerectify", actor=actor, reason="整改情况测评结果为不满意，继续整改后再次报告")
    organs = set(inspection.problems.values_list("organization_id", flat=True))
    users = [u for org in sorted(organs) for u in _unit_users(org)]
    notification_send(recipients=users, kind="inspection_rerectify", title=f"{inspection}整改情况测评不满意",
                      body="请继续整改，并再次报告整改情况")


RESULT_HOOKS[INSPECTION.name] = inspection_poll_unsatisfied


@transaction.atomic
def inspection_close(*, actor: User, inspection: Inspection, note: str = "") -> Inspection:
    """Done: rated 满意 or 基本满意, or nothing found to rectify."""
    inspection = _lock(inspection)
    INSPECTION.check(actor, inspection, "close")
    inspection.closed_at = timezone.now()
    INSPECTION.apply(inspection, "close", actor=actor, fields=["closed_at"], reason=note)
    return inspection
