"""专题询问: arrange (create), hold, assign the commitments as rectification items, record the organs' rectification
report with its satisfaction poll, and close; a poll closing 不满意 asks for a further report (RESULT_HOOKS)."""
import datetime
from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone

from congress.lib.workdays import add_months
from congress.models import Meeting, Organization, User
from congress.services import CongressError, notification_send
from supervision.models import Inquiry, InquiryReport, SatisfactionPoll
from supervision.predicates import is_committee_staff
from supervision.services.polls import RESULT_HOOKS, poll_create
from supervision.services.rectification import _unit_users, rectification_create
from supervision.workflows import INQUIRY


def _lock(inquiry: Inquiry) -> Inquiry:
    return Inquiry.objects.select_for_update().get(pk=inquiry.pk)


def _further_report_months() -> int:
    from django.conf import settings

    return settings.CONGRESS_RULES["INQUIRY_FURTHER_REPORT_MONTHS"]


@transaction.atomic
def inquiry_create(*, actor: User, meeting: Meeting, topic: str, organizations: Iterable[Organization],
                   description: str = "") -> Inquiry:
    """A special inquiry arranged for a standing committee meeting, with the organs that answer."""
    if not is_committee_staff(actor):
        raise CongressError("只有常委会机关工作人员可以安排专题询问")
    if not topic.strip():
        raise CongressError("请填写询问主题")
    if meeting.kind != Meeting.Kind.STANDING:
        raise CongressError("专题询问在常委会会议上进行，请选择常委会会议")
    organizations = list(organizations)
    if not organizations:
        raise CongressError("请选择应询单位")
    bad = [o.name for o in organizations if not o.is_handling_unit or not o.is_active]
    if bad:
        raise CongressError(f"{'、'.join(bad)}不是可应询的单位")
    inquiry = Inquiry(meeting=meeting, topic=topic.strip(), description=description.strip(), created_by=actor)
    inquiry._history_user = actor
    inquiry.save()
    inquiry.organizations.set(organizations)
    INQUIRY.record_created(inquiry, actor=actor, reason=f"{meeting}；应询单位：{'、'.join(o.name for o in organizations)}")
    return inquiry


@transaction.atomic
def inquiry_hold(*, actor: User, inquiry: Inquiry) -> Inquiry:
    """The inquiry took place at its meeting: staff record the questions, answers and commitments next."""
    inquiry = _lock(inquiry)
    INQUIRY.apply(inquiry, "hold", actor=actor, reason=f"应询人员{inquiry.officials.count()}人")
    return inquiry


@transaction.atomic
def inquiry_assign(*, actor: User, inquiry: Inquiry) -> Inquiry:
    """Each commitment made in the answers becomes a rectification item of its organ, due when it was promised; the
    record of the meeting is closed from now on."""
    inquiry = _lock(inquiry)
    INQUIRY.check(actor, inquiry, "assign")
    commitments = list(inquiry.commitments.select_related("organization").order_by("number"))
    label = f"专题询问“{inquiry.topic}”应询承诺"
    for commitment in commitments:
        if commitment.rectification_id:
            continue
        try:
            item = rectification_create(actor=actor, organization=commitment.organization, title=commitment.title,
                                        due_date=commitment.due_date, description=commitment.detail,
                                        source=inquiry, source_label=label)
        except CongressError as exc:
            raise CongressError(f"第{commitment.number}项承诺“{commitment.title}”：{exc.messages[0]}") from exc
        commitment.rectification = item
        commitment._history_user = actor
        commitment.save(update_fields=["rectification"])
    INQUIRY.apply(inquiry, "assign", actor=actor, reason=f"交办整改事项{len(commitments)}项")
    return inquiry


@transaction.atomic
def inquiry_report(*, actor: User, inquiry: Inquiry, text: str, received_on: datetime.date, meeting: Meeting,
                   basis: str = SatisfactionPoll.Basis.ALL) -> InquiryReport:
    """The organs' report on the rectification, heard at `meeting`: recorded with a satisfaction poll on it (in
    preparation; staff open it at the meeting). A 不满意 result asks for a further report (inquiry_poll_unsatisfied)."""
    inquiry = _lock(inquiry)
    INQUIRY.check(actor, inquiry, "report")
    if not text.strip():
        raise CongressError("请填写整改情况")
    if received_on > timezone.localdate():
        raise CongressError("收到报告日期不能晚于今天")
    if meeting.kind != Meeting.Kind.STANDING:
        raise CongressError("整改情况报告在常委会会议上听取，请选择常委会会议")
    round_ = inquiry.reports.count() + 1
    organizations = list(inquiry.organizations.all())
    poll = poll_create(actor=actor, term=meeting.term, meeting=meeting, basis=basis, source=inquiry,
                       organization=organizations[0] if len(organizations) == 1 else None,
                       title=f"对专题询问“{inquiry.topic}”{'再次' if round_ > 1 else ''}整改情况的满意度测评")
    report = InquiryReport(inquiry=inquiry, round=round_, text=text.strip(), received_on=received_on, poll=poll,
                           recorded_by=actor)
    report._history_user = actor
    report.save()
    INQUIRY.apply(inquiry, "report", actor=actor, reason=f"第{round_}次整改情况报告，{meeting}测评")
    return report


def inquiry_poll_unsatisfied(poll: SatisfactionPoll, actor: User) -> None:
    """RESULT_HOOKS: the rectification was rated 不满意 — the organs report again within the set months."""
    inquiry = Inquiry.objects.select_for_update().filter(pk=poll.source_id).first()
    if inquiry is None:
        return
    due = add_months(timezone.localdate(), _further_report_months(), event="测评日").date
    inquiry.further_report_due = due
    INQUIRY.apply(inquiry, "rereport", actor=actor, fields=["further_report_due"],
                  reason=f"测评结果不满意，{due:%Y-%m-%d}前再次报告整改情况")
    users = [u for org in inquiry.organizations.all() for u in _unit_users(org.pk)]
    notification_send(recipients=users, kind="inquiry_rereport", title=f"专题询问整改情况测评不满意：{inquiry.topic}",
                      body=f"请于{due:%Y-%m-%d}前再次报告整改情况")


RESULT_HOOKS[INQUIRY.name] = inquiry_poll_unsatisfied


@transaction.atomic
def inquiry_close(*, actor: User, inquiry: Inquiry, note: str = "") -> Inquiry:
    """The rectification was rated 满意 or 基本满意: the inquiry is done."""
    inquiry = _lock(inquiry)
    INQUIRY.apply(inquiry, "close", actor=actor, reason=note)
    return inquiry
