"""代表约见国家机关负责人: a deputy drafts a request (the portal), others co-sign it, the drafter puts it forward with
enough signers; the 主任会议's decision (admin); the meeting and its record (admin); the organ's written reply (the unit
workspace), due MEETING_REPLY_MONTHS after the meeting and reminded like rectification items; each signer's rating of it.
Every write takes a transition of supervision.workflows.MEETING_REQUEST."""
import datetime

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from congress.lib import workdays
from congress.models import Organization, User
from congress.predicates import deputy_of
from congress.services import CongressError, notification_send
from supervision.models import MeetingRating, MeetingRequest, MeetingSigner
from supervision.services.rectification import _staff_users, _unit_users
from supervision.workflows import MEETING_REQUEST

MS = MeetingRequest.Status


def _rules(name: str) -> int:
    return settings.CONGRESS_RULES[name]


def _lock(request: MeetingRequest) -> MeetingRequest:
    return MeetingRequest.objects.select_for_update(of=("self",)).select_related("organization").get(pk=request.pk)


def _signer_users(request: MeetingRequest) -> list[User]:
    return list(User.objects.filter(deputy__meeting_signatures__request=request, is_active=True).distinct())


def _clean(text: str, message: str) -> str:
    text = (text or "").strip()
    if not text:
        raise CongressError(message)
    return text


@transaction.atomic
def meeting_request_create(*, actor: User, subject: str, content: str, organization: Organization,
                           head: str = "") -> MeetingRequest:
    """A deputy drafts a request to meet the head of an organ; they sign it first (领衔代表)."""
    deputy = deputy_of(actor)
    if deputy is None:
        raise CongressError("只有人大代表可以提出约见")
    subject = _clean(subject, "请填写约见事项")
    content = _clean(content, "请填写约见的理由和具体问题")
    if not organization.is_handling_unit or not organization.is_active:
        raise CongressError(f"{organization.name}不是可以约见的国家机关")
    request = MeetingRequest(subject=subject, content=content, organization=organization, head=(head or "").strip(),
                             drafted_by=deputy)
    request._history_user = actor
    request.save()
    MeetingSigner.objects.create(request=request, deputy=deputy)
    MEETING_REQUEST.record_created(request, actor=actor, reason=f"领衔代表：{deputy.full_name}")
    return request


@transaction.atomic
def meeting_request_cosign(*, actor: User, request: MeetingRequest) -> MeetingSigner:
    """Another deputy adds their name to a draft."""
    request = _lock(request)
    MEETING_REQUEST.check(actor, request, "cosign")
    deputy = deputy_of(actor)
    signer = MeetingSigner.objects.create(request=request, deputy=deputy)
    MEETING_REQUEST.apply(request, "cosign", actor=actor, reason=deputy.full_name)
    return signer


@transaction.atomic
def meeting_request_propose(*, actor: User, request: MeetingRequest) -> MeetingRequest:
    """The drafter puts the request forward once MEETING_MIN_DEPUTIES deputies have signed it."""
    request = _lock(request)
    MEETING_REQUEST.check(actor, request, "propose")
    request.proposed_at = timezone.now()
    request._history_user = actor
    MEETING_REQUEST.apply(request, "propose", actor=actor, reason=f"联名代表{request.signers.count()}人",
                          fields=["proposed_at"])
    notification_send(recipients=_staff_users(), kind="meeting_request_proposed",
                      title=f"代表联名提出约见{request.organization.name}负责人：{request.subject}",
                      link=("admin:supervision_meetingrequest_change", request.pk))
    return request


@transaction.atomic
def meeting_request_decide(*, actor: User, request: MeetingRequest, agree: bool, reason: str) -> MeetingRequest:
    """The 主任会议's decision, entered by staff: agreed (the organ is told too) or declined, with its reasons; the
    signing deputies are notified either way."""
    request = _lock(request)
    name = "approve" if agree else "reject"
    MEETING_REQUEST.check(actor, request, name)
    reason = _clean(reason, "请填写主任会议的意见和理由")
    request.decision_reason, request.decided_at = reason, timezone.now()
    request._history_user = actor
    MEETING_REQUEST.apply(request, name, actor=actor, reason=reason, fields=["decision_reason", "decided_at"])
    verdict = "同意" if agree else "不同意"
    notification_send(recipients=_signer_users(request), kind="meeting_request_decided",
                      title=f"主任会议{verdict}约见{request.organization.name}负责人：{request.subject}", body=reason,
                      link=("supervision:meeting", request.pk))
    if agree:
        notification_send(recipients=_unit_users(request.organization_id), kind="meeting_request_agreed",
                          title=f"人大代表约见本机关负责人：{request.subject}", body="具体时间、地点另行通知",
                          link=("supervision_unit_meetings:detail", request.pk))
    return request


@transaction.atomic
def meeting_request_hold(*, actor: User, request: MeetingRequest, met_on: datetime.date, place: str, officials: str,
                         attendees, record: str) -> MeetingRequest:
    """The meeting and its record: the organ's written reply is due MEETING_REPLY_MONTHS after it."""
    request = _lock(request)
    MEETING_REQUEST.check(actor, request, "hold")
    if met_on > timezone.localdate():
        raise CongressError("约见日期不能晚于今天：请在约见后记录")
    if request.decided_at and met_on < timezone.localtime(request.decided_at).date():
        raise CongressError("约见日期不能早于主任会议同意约见的日期")
    place = _clean(place, "请填写约见地点")
    officials = _clean(officials, "请填写到会的机关负责人")
    record = _clean(record, "请填写约见记录")
    attendees = list(attendees)
    if not attendees:
        raise CongressError("请选择参加约见的代表")
    signed = set(request.signers.values_list("deputy_id", flat=True))
    strangers = [d.full_name for d in attendees if d.pk not in signed]
    if strangers:
        raise CongressError(f"参加约见的代表须是联名代表：{'、'.join(strangers)}不在联名代表之列")
    due = workdays.add_months(met_on, _rules("MEETING_REPLY_MONTHS"), event="约见日")
    request.met_on, request.place, request.officials, request.record = met_on, place, officials, record
    request.reply_due, request.reply_due_explanation = due.date, due.explanation[:300]
    request._history_user = actor
    MEETING_REQUEST.apply(request, "hold", actor=actor, reason=due.explanation,
                          fields=["met_on", "place", "officials", "record", "reply_due", "reply_due_explanation"])
    request.attendees.set(attendees)
    notification_send(recipients=_unit_users(request.organization_id), kind="meeting_request_held",
                      title=f"请书面答复代表约见事项：{request.subject}",
                      body=f"请于{due.date:%Y年%m月%d日}前书面答复", link=("supervision_unit_meetings:detail", request.pk))
    return request


@transaction.atomic
def meeting_request_reply(*, actor: User, request: MeetingRequest, text: str) -> MeetingRequest:
    """The organ's written reply to the deputies."""
    request = _lock(request)
    MEETING_REQUEST.check(actor, request, "reply")
    request.reply = _clean(text, "请填写书面答复")
    request.replied_at, request.replied_by = timezone.now(), actor
    request._history_user = actor
    late = request.reply_due and timezone.localdate() > request.reply_due
    MEETING_REQUEST.apply(request, "reply", actor=actor, reason="逾期答复" if late else "",
                          fields=["reply", "replied_at", "replied_by"])
    notification_send(recipients=_signer_users(request), kind="meeting_request_replied",
                      title=f"{request.organization.name}已书面答复约见事项，请评价：{request.subject}",
                      link=("supervision:meeting", request.pk))
    return request


@transaction.atomic
def meeting_request_rate(*, actor: User, request: MeetingRequest, choice: str, comment: str = "") -> MeetingRating:
    """A signing deputy rates the reply, once; the last signer's rating completes the request."""
    request = _lock(request)
    MEETING_REQUEST.check(actor, request, "rate")
    if choice not in MeetingRating.Choice.values:
        raise CongressError("请选择满意、基本满意或不满意")
    deputy = deputy_of(actor)
    try:
        with transaction.atomic():
            rating = MeetingRating.objects.create(request=request, deputy=deputy, choice=choice,
                                                  comment=(comment or "").strip())
    except IntegrityError:
        raise CongressError("您已经评价过本次约见的书面答复") from None
    MEETING_REQUEST.apply(request, "rate", actor=actor, reason=rating.get_choice_display())
    if request.ratings.count() >= request.signers.count():
        request._history_user = actor
        MEETING_REQUEST.apply(request, "complete", actor=actor, reason="联名代表均已评价")
    return rating


@transaction.atomic
def meeting_request_close(*, actor: User, request: MeetingRequest, note: str = "") -> MeetingRequest:
    """Staff end the rating when some signers do not rate."""
    request = _lock(request)
    MEETING_REQUEST.check(actor, request, "close")
    request._history_user = actor
    MEETING_REQUEST.apply(request, "close", actor=actor, reason=(note or "").strip()[:300])
    return request


# -- reminders of the written reply ----------------------------------------------------------------------------------

def meeting_reply_reminder_due(request: MeetingRequest, today: datetime.date):
    """The reminder this request's organ should get today (claimed or not), or None: REMINDER_DAYS_BEFORE the due
    date (0: on the day), then every MEETING_REPLY_OVERDUE_REMINDER_EVERY_DAYS once overdue."""
    from supervision.services.reminders import organ_reminder_due

    def text(found):
        urge = "，请尽快答复" if found.overdue else ""
        return f"代表约见事项《{request.subject}》的书面答复{found.text}（期限 {request.reply_due:%Y-%m-%d}）{urge}"

    return organ_reminder_due(request, organization_id=request.organization_id, prefix="meeting_reply",
                              due=request.reply_due, today=today, text=text,
                              overdue_every_days=_rules("MEETING_REPLY_OVERDUE_REMINDER_EVERY_DAYS"))


@transaction.atomic
def meeting_reply_reminders_scan(*, today: datetime.date) -> list:
    """Send today's reminders of written replies owed, each once (congress.services.reminder_claim_many under
    ``meeting_reply:<id>:<due date>:<threshold>``); a fixed number of queries whatever the number of requests. An
    organ with no active account keeps its reminder unclaimed until it has one."""
    from supervision.services.reminders import organ_reminders_send, reminder_horizon

    owed = MeetingRequest.objects.filter(status=MS.MET, reply_due__lte=reminder_horizon(today)).order_by("id")
    due_today = [r for r in (meeting_reply_reminder_due(item, today) for item in owed) if r is not None]
    return organ_reminders_send(due_today, kind="meeting_reply_reminder",
                                link=lambda item: ("supervision_unit_meetings:detail", item.pk))
