"""Every write of the proposals app: one function per transition (CONVENTIONS.md).

Each function takes keyword-only arguments with the acting user as `actor=`, runs in one transaction, locks the
row it changes, refuses a wrong state or a wrong party with `CongressError` (a Chinese message) and then changes
nothing, writes a `Transition` row (who, when, from, to, why) and notifies the parties in-app (e-mail/SMS copies
follow after the commit). Parties: staff = 常委会机关工作人员; unit = 承办单位 user whose organization is the
assignment's unit; deputy = 人大代表 user linked by Deputy.user; town = 镇街人大工作人员 of the suggestion's town.

Suggestions (Suggestion.Status)
  suggestion_create            deputy (or staff for a deputy)   —                       → draft (staff: submit=True
                                                                                          → submitted)
  suggestion_update_draft      lead deputy                      draft/town_returned      (same)
  suggestion_invite_cosigners  lead deputy                      draft/town_returned      (same; Cosignature invited)
  cosignature_confirm/decline  the invited deputy               Cosignature invited     → confirmed / declined
  suggestion_submit            lead deputy                      draft/presubmitted/town_returned → submitted
                               (presubmit=True, before the next session)  draft/town_returned → presubmitted
  suggestion_town_return       town staff of the town           presubmitted            → town_returned
  suggestion_town_forward      town staff of the town           presubmitted            → submitted
  suggestion_register          staff                            submitted               → registered (numbered)
  suggestion_return            staff                            submitted/registered    → returned (with reason)
  suggestion_merge             staff                            submitted/registered    → merged (并案 into another)
  suggestion_assign            staff                            registered              → assigned (Assignments made)
  suggestion_mark_priority     staff                            registered…rehandling    (same; 重点督办 set)
  supervision_event_record     staff                            a priority suggestion    (same; 现场督办 added)
  suggestion_rehandle          staff, or a 不满意 evaluation    replied                 → rehandling
  suggestion_close             staff                            replied                 → closed (办结)

Assignments (Assignment.Status)
  assignment_request_send_back unit, within SEND_BACK_WORKING_DAYS   assigned → send_back_requested
  assignment_decide_send_back  staff                            send_back_requested → sent_back | assigned
                               (no replying unit left: the suggestion goes back to registered for re-assignment)
  assignment_grant_extension   staff                            assigned/handling        (due date moved)
  assignment_record_contact    unit                             assigned → handling (办前/办中/办后)
  assignment_send_assist_opinion assisting unit                 assigned/handling → opinion_sent
  assignment_reply             lead/separate unit               assigned/handling → replied; rehandling → replied
                               (the suggestion → replied once every replying unit has replied)
  followup_report              lead/separate unit, B/C result   replied (same; yearly 续办 report)

Replies and evaluations
  reply_publish                staff                            a publishable reply → published
  evaluation_submit            lead deputy or confirmed co-signer, online    (a 不满意 on a first reply → rehandling)
  evaluation_record_paper      staff, from the paper form                    (same)

Proposals (Proposal.Status)
  proposal_register            staff                            —                       → submitted
  proposal_place_on_agenda     staff (the presidium's decision) submitted               → on_agenda
  proposal_convert_to_suggestion staff (the presidium's decision) submitted             → converted (+ a submitted
                                                                                          Suggestion)
"""
import datetime
from collections.abc import Iterable

from django.conf import settings
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from congress import roles
from congress.lib import uploads
from congress.lib.workdays import add_months, add_working_days
from congress.models import CongressSession, Organization, Term, User
from congress.selectors import current_term, towns_for
from congress.services import CongressError, notification_send
from deputies.models import Deputy
from proposals.models import (
    Assignment,
    AssistOpinion,
    ContactRecord,
    Cosignature,
    Evaluation,
    Extension,
    FollowUpReport,
    Proposal,
    Reply,
    Suggestion,
    SuggestionAttachment,
    SupervisionEvent,
    Transition,
)

S = Suggestion.Status
A = Assignment.Status


def rule(name: str):
    return settings.CONGRESS_RULES[name]


def _today() -> datetime.date:
    return timezone.localdate()


# ---------------------------------------------------------------- parties

def _has_role(user: User, role: str) -> bool:
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    cache = getattr(user, "_role_names", None)
    if cache is None:
        cache = set(user.groups.values_list("name", flat=True))
        user._role_names = cache
    return role in cache


def is_staff(user: User) -> bool:
    return bool(user is not None and user.is_active and (user.is_superuser or _has_role(user, roles.COMMITTEE_STAFF)))


def _require_staff(actor: User) -> None:
    if not is_staff(actor):
        raise CongressError("只有常委会机关工作人员可以执行此操作")


def deputy_of(user: User) -> Deputy | None:
    if not _has_role(user, roles.DEPUTY):
        return None
    return Deputy.objects.filter(user=user).first()


def _require_deputy(actor: User) -> Deputy:
    deputy = deputy_of(actor)
    if deputy is None:
        raise CongressError("只有人大代表可以执行此操作")
    return deputy


def _require_lead_deputy(actor: User, suggestion: Suggestion) -> Deputy:
    deputy = _require_deputy(actor)
    if deputy.pk != suggestion.lead_deputy_id:
        raise CongressError("只有领衔代表可以执行此操作")
    return deputy


def _require_unit(actor: User, assignment: Assignment) -> None:
    if not (_has_role(actor, roles.HANDLING_UNIT) and actor.organization_id == assignment.unit_id):
        raise CongressError("只有该件的承办单位可以执行此操作")


def _require_town(actor: User, suggestion: Suggestion) -> None:
    if not _has_role(actor, roles.TOWN_STAFF):
        raise CongressError("只有镇街人大工作人员可以审核预提交的建议")
    towns = towns_for(actor)
    if suggestion.town_id is None or (towns is not None and not towns.filter(pk=suggestion.town_id).exists()):
        raise CongressError("这件建议不属于您管理的镇街")


def _state(obj, allowed: Iterable, message: str) -> None:
    if obj.status not in set(allowed):
        raise CongressError(f"{message}（当前状态：{obj.get_status_display()}）")


# ---------------------------------------------------------------- records and notifications

def _record(*, actor: User, action: str, entity: str, from_state: str = "", to_state: str = "", reason: str = "",
            suggestion: Suggestion | None = None, assignment: Assignment | None = None,
            proposal: Proposal | None = None) -> Transition:
    return Transition.objects.create(
        entity=entity, action=action, actor=actor, from_state=from_state, to_state=to_state, reason=reason,
        suggestion=suggestion if suggestion is not None else (assignment.suggestion if assignment else None),
        assignment=assignment, proposal=proposal)


def _move_suggestion(suggestion: Suggestion, new: str, *, actor: User, action: str, reason: str = "",
                     extra_fields: Iterable[str] = ()) -> Transition:
    old = suggestion.status
    if new != old and new not in Suggestion.ALLOWED[old]:
        raise CongressError(f"建议不能从“{suggestion.get_status_display()}”变为“{S(new).label}”")
    suggestion.status = new
    suggestion.save(update_fields=["status", *extra_fields])
    return _record(actor=actor, action=action, entity=Transition.Entity.SUGGESTION, from_state=old, to_state=new,
                   reason=reason, suggestion=suggestion)


def _move_assignment(assignment: Assignment, new: str, *, actor: User, action: str, reason: str = "",
                     extra_fields: Iterable[str] = ()) -> Transition:
    old = assignment.status
    if new != old and new not in Assignment.ALLOWED[old]:
        raise CongressError(f"交办不能从“{assignment.get_status_display()}”变为“{A(new).label}”")
    assignment.status = new
    assignment.save(update_fields=["status", *extra_fields])
    return _record(actor=actor, action=action, entity=Transition.Entity.ASSIGNMENT, from_state=old, to_state=new,
                   reason=reason, assignment=assignment)


def _unit_users(unit_ids) -> list[User]:
    return list(User.objects.filter(organization_id__in=list(unit_ids), groups__name=roles.HANDLING_UNIT,
                                    is_active=True).distinct())


def _staff_users() -> list[User]:
    return list(User.objects.filter(groups__name=roles.COMMITTEE_STAFF, is_active=True).distinct())


def _deputy_users(suggestion: Suggestion) -> list[User]:
    """The lead deputy's and the confirmed co-signers' logins."""
    ids = [suggestion.lead_deputy_id, *Cosignature.objects.filter(
        suggestion=suggestion, status=Cosignature.Status.CONFIRMED).values_list("deputy_id", flat=True)]
    return list(User.objects.filter(deputy__pk__in=ids, is_active=True))


def _town_users(town: Organization) -> list[User]:
    from congress.models import OrganizationUserObjectPermission

    ids = OrganizationUserObjectPermission.objects.filter(
        content_object=town, permission__codename="manage_town_records").values_list("user_id", flat=True)
    return list(User.objects.filter(pk__in=ids, is_active=True, groups__name=roles.TOWN_STAFF))


def _label(suggestion: Suggestion) -> str:
    return f"{suggestion.number}《{suggestion.title}》" if suggestion.number else f"《{suggestion.title}》"


def _notify(users, kind: str, title: str, body: str = "") -> None:
    notification_send(recipients=users, kind=kind, title=title[:200], body=body)


def _lock_suggestion(suggestion: Suggestion) -> Suggestion:
    return Suggestion.objects.select_for_update().get(pk=suggestion.pk)


def _lock_assignment(assignment: Assignment) -> Assignment:
    found = Assignment.objects.select_for_update().get(pk=assignment.pk)
    found.suggestion = Suggestion.objects.get(pk=found.suggestion_id)
    return found


# ---------------------------------------------------------------- writing and submitting

def _batch_for(term: Term, today: datetime.date) -> tuple[CongressSession | None, int | None]:
    running = term.sessions.filter(start_date__lte=today, end_date__gte=today).first()
    if running is not None:
        return running, None
    return None, today.year


@transaction.atomic
def suggestion_create(*, actor: User, title: str, content: str, category=None, lead_deputy: Deputy | None = None,
                      session: CongressSession | None = None, recess_year: int | None = None,
                      attachments: Iterable = (), submit: bool = False) -> Suggestion:
    """A draft. A deputy writes their own; staff may enter one for a deputy from paper or the secretariat's
    spreadsheet, and then (submit=True) it is submitted at once."""
    if lead_deputy is None:
        lead_deputy = _require_deputy(actor)
    elif not is_staff(actor) and deputy_of(actor) != lead_deputy:
        raise CongressError("只能以本人名义提出建议")
    attachments = uploads.check_all(attachments, "attachment")
    if not title.strip() or not content.strip():
        raise CongressError("标题和内容不能为空")
    term = session.term if session is not None else current_term()
    if term is None:
        raise CongressError("系统中没有设置本届，无法提出建议")
    if session is None and recess_year is None:
        session, recess_year = _batch_for(term, _today())
    suggestion = Suggestion.objects.create(term=term, session=session, recess_year=None if session else recess_year,
                                           title=title.strip(), content=content.strip(), category=category,
                                           lead_deputy=lead_deputy, status=S.DRAFT)
    for upload in attachments:
        SuggestionAttachment.objects.create(suggestion=suggestion, file=upload, name=uploads.original_name(upload))
    _record(actor=actor, action="create", entity=Transition.Entity.SUGGESTION, to_state=S.DRAFT, suggestion=suggestion)
    if submit:
        _require_staff(actor)
        suggestion.submitted_at = timezone.now()
        _move_suggestion(suggestion, S.SUBMITTED, actor=actor, action="submit", reason="工作人员代为录入",
                         extra_fields=["submitted_at"])
    return suggestion


@transaction.atomic
def suggestion_update_draft(*, actor: User, suggestion: Suggestion, title: str | None = None,
                            content: str | None = None, category=None, attachments: Iterable = ()) -> Suggestion:
    suggestion = _lock_suggestion(suggestion)
    _require_lead_deputy(actor, suggestion)
    _state(suggestion, (S.DRAFT, S.TOWN_RETURNED), "只有草稿或镇街退回修改的建议可以修改")
    attachments = uploads.check_all(attachments, "attachment")
    if title is not None:
        suggestion.title = title.strip()
    if content is not None:
        suggestion.content = content.strip()
    if category is not None:
        suggestion.category = category
    if not suggestion.title or not suggestion.content:
        raise CongressError("标题和内容不能为空")
    suggestion.save(update_fields=["title", "content", "category"])
    for upload in attachments:
        SuggestionAttachment.objects.create(suggestion=suggestion, file=upload, name=uploads.original_name(upload))
    return suggestion


@transaction.atomic
def suggestion_invite_cosigners(*, actor: User, suggestion: Suggestion, deputies: Iterable[Deputy]) -> list[Cosignature]:
    suggestion = _lock_suggestion(suggestion)
    lead = _require_lead_deputy(actor, suggestion)
    _state(suggestion, (S.DRAFT, S.TOWN_RETURNED), "建议提交后不能再邀请附议代表")
    existing = set(suggestion.cosignatures.values_list("deputy_id", flat=True))
    made = []
    for deputy in deputies:
        if deputy.pk == lead.pk or deputy.pk in existing:
            continue
        made.append(Cosignature.objects.create(suggestion=suggestion, deputy=deputy))
        existing.add(deputy.pk)
    if made:
        _record(actor=actor, action="cosign_invite", entity=Transition.Entity.SUGGESTION, from_state=suggestion.status,
                to_state=suggestion.status, reason="邀请附议：" + "、".join(c.deputy.full_name for c in made),
                suggestion=suggestion)
        _notify(User.objects.filter(deputy__in=[c.deputy for c in made]), "suggestion_cosign_invite",
                f"{lead.full_name}代表邀请您附议建议{_label(suggestion)}")
    return made


@transaction.atomic
def cosignature_respond(*, actor: User, cosignature: Cosignature, confirm: bool) -> Cosignature:
    cosignature = Cosignature.objects.select_for_update().select_related("suggestion").get(pk=cosignature.pk)
    deputy = _require_deputy(actor)
    if deputy.pk != cosignature.deputy_id:
        raise CongressError("只有被邀请的代表本人可以确认附议")
    if cosignature.status != Cosignature.Status.INVITED:
        raise CongressError(f"已经{cosignature.get_status_display()}，不能重复操作")
    if cosignature.suggestion.status in (S.RETURNED, S.MERGED, S.CLOSED):
        raise CongressError("这件建议已不在办理中，不能附议")
    old = cosignature.status
    cosignature.status = Cosignature.Status.CONFIRMED if confirm else Cosignature.Status.DECLINED
    cosignature.responded_at = timezone.now()
    cosignature.save(update_fields=["status", "responded_at"])
    _record(actor=actor, action="cosign_confirm" if confirm else "cosign_decline",
            entity=Transition.Entity.SUGGESTION, from_state=old, to_state=cosignature.status,
            reason=f"{deputy.full_name}{'确认附议' if confirm else '谢绝附议'}", suggestion=cosignature.suggestion)
    return cosignature


def cosignature_confirm(*, actor: User, cosignature: Cosignature) -> Cosignature:
    return cosignature_respond(actor=actor, cosignature=cosignature, confirm=True)


def cosignature_decline(*, actor: User, cosignature: Cosignature) -> Cosignature:
    return cosignature_respond(actor=actor, cosignature=cosignature, confirm=False)


@transaction.atomic
def suggestion_submit(*, actor: User, suggestion: Suggestion, presubmit: bool = False) -> Suggestion:
    """Submit to the committee (during a session or in recess), or pre-submit before a session so the deputy's
    town congress staff can review it."""
    suggestion = _lock_suggestion(suggestion)
    deputy = _require_lead_deputy(actor, suggestion)
    if presubmit:
        _state(suggestion, (S.DRAFT, S.TOWN_RETURNED), "只有草稿或退回修改的建议可以预提交")
        upcoming = suggestion.term.sessions.filter(start_date__gt=_today()).order_by("start_date").first()
        if upcoming is None:
            raise CongressError("近期没有即将召开的人代会会议，不能预提交，请直接提交")
        suggestion.session, suggestion.recess_year, suggestion.town = upcoming, None, deputy.town
        _move_suggestion(suggestion, S.PRESUBMITTED, actor=actor, action="presubmit",
                         extra_fields=["session", "recess_year", "town"])
        _notify(_town_users(deputy.town), "suggestion_presubmitted", f"{deputy.full_name}代表预提交了建议{_label(suggestion)}")
        return suggestion
    _state(suggestion, (S.DRAFT, S.PRESUBMITTED, S.TOWN_RETURNED), "这件建议已经提交")
    suggestion.submitted_at = timezone.now()
    _move_suggestion(suggestion, S.SUBMITTED, actor=actor, action="submit", extra_fields=["submitted_at"])
    _notify(_staff_users(), "suggestion_submitted", f"{deputy.full_name}代表提交了建议{_label(suggestion)}")
    return suggestion


@transaction.atomic
def suggestion_town_return(*, actor: User, suggestion: Suggestion, comment: str) -> Suggestion:
    suggestion = _lock_suggestion(suggestion)
    _require_town(actor, suggestion)
    _state(suggestion, (S.PRESUBMITTED,), "只有预提交的建议可以退回修改")
    if not comment.strip():
        raise CongressError("请填写退回修改的意见")
    suggestion.town_comment = comment.strip()
    _move_suggestion(suggestion, S.TOWN_RETURNED, actor=actor, action="town_return", reason=comment.strip(),
                     extra_fields=["town_comment"])
    _notify(_deputy_users(suggestion), "suggestion_town_returned", f"建议{_label(suggestion)}被退回修改", comment)
    return suggestion


@transaction.atomic
def suggestion_town_forward(*, actor: User, suggestion: Suggestion, comment: str = "") -> Suggestion:
    suggestion = _lock_suggestion(suggestion)
    _require_town(actor, suggestion)
    _state(suggestion, (S.PRESUBMITTED,), "只有预提交的建议可以审核提交")
    suggestion.town_comment = comment.strip()
    suggestion.submitted_at = timezone.now()
    _move_suggestion(suggestion, S.SUBMITTED, actor=actor, action="town_forward", reason=comment.strip(),
                     extra_fields=["town_comment", "submitted_at"])
    _notify(_staff_users(), "suggestion_submitted", f"镇街审核提交了建议{_label(suggestion)}")
    return suggestion


# ---------------------------------------------------------------- committee staff: registration

@transaction.atomic
def suggestion_register(*, actor: User, suggestion: Suggestion) -> Suggestion:
    """Give the next number of the suggestion's batch (a session, or a recess year of the term)."""
    _require_staff(actor)
    suggestion = _lock_suggestion(suggestion)
    _state(suggestion, (S.SUBMITTED,), "只有已提交的建议可以登记编号")
    # one registration at a time per batch: lock the session (or the term for recess batches)
    if suggestion.session_id:
        CongressSession.objects.select_for_update().get(pk=suggestion.session_id)
    else:
        Term.objects.select_for_update().get(pk=suggestion.term_id)
    last = Suggestion.objects.filter(batch_key=suggestion.compute_batch_key()).aggregate(m=Max("serial"))["m"] or 0
    suggestion.serial = last + 1
    suggestion.number = suggestion.format_number(suggestion.serial)
    suggestion.registered_at = timezone.now()
    _move_suggestion(suggestion, S.REGISTERED, actor=actor, action="register", reason=suggestion.number,
                     extra_fields=["serial", "number", "registered_at"])
    _notify(_deputy_users(suggestion), "suggestion_registered", f"您的建议已登记为{suggestion.number}")
    return suggestion


@transaction.atomic
def suggestion_return(*, actor: User, suggestion: Suggestion, reason: str) -> Suggestion:
    _require_staff(actor)
    suggestion = _lock_suggestion(suggestion)
    _state(suggestion, (S.SUBMITTED, S.REGISTERED), "只有已提交或已登记、尚未交办的建议可以退回")
    if not reason.strip():
        raise CongressError("请填写退回理由")
    suggestion.return_reason = reason.strip()
    _move_suggestion(suggestion, S.RETURNED, actor=actor, action="return", reason=reason.strip(),
                     extra_fields=["return_reason"])
    _notify(_deputy_users(suggestion), "suggestion_returned", f"建议{_label(suggestion)}已退回", reason)
    return suggestion


@transaction.atomic
def suggestion_merge(*, actor: User, suggestion: Suggestion, into: Suggestion, reason: str = "") -> Suggestion:
    """并案: the suggestion joins `into`; its deputies become confirmed co-signers of `into` so they follow
    and evaluate the handling."""
    _require_staff(actor)
    first, second = sorted([suggestion.pk, into.pk])
    locked = {s.pk: s for s in Suggestion.objects.select_for_update().filter(pk__in=[first, second])}
    suggestion, into = locked[suggestion.pk], locked.get(into.pk)
    if into is None or into.pk == suggestion.pk:
        raise CongressError("不能并入本件")
    _state(suggestion, (S.SUBMITTED, S.REGISTERED), "只有已提交或已登记、尚未交办的建议可以并案")
    if into.status not in (S.REGISTERED, S.ASSIGNED, S.HANDLING):
        raise CongressError(f"只能并入已登记或办理中的建议（{_label(into)}当前状态：{into.get_status_display()}）")
    if into.term_id != suggestion.term_id:
        raise CongressError("只能在同一届的建议之间并案")
    suggestion.merged_into = into
    text = reason.strip() or f"与{_label(into)}内容相近，并案办理"
    _move_suggestion(suggestion, S.MERGED, actor=actor, action="merge", reason=text, extra_fields=["merged_into"])
    joined = [suggestion.lead_deputy_id, *suggestion.cosignatures.filter(
        status=Cosignature.Status.CONFIRMED).values_list("deputy_id", flat=True)]
    present = {into.lead_deputy_id, *into.cosignatures.values_list("deputy_id", flat=True)}
    now = timezone.now()
    Cosignature.objects.bulk_create([Cosignature(suggestion=into, deputy_id=pk, status=Cosignature.Status.CONFIRMED,
                                                 responded_at=now) for pk in dict.fromkeys(joined) if pk not in present])
    Cosignature.objects.filter(suggestion=into, deputy_id__in=joined, status=Cosignature.Status.INVITED).update(
        status=Cosignature.Status.CONFIRMED, responded_at=now)
    _record(actor=actor, action="merge_in", entity=Transition.Entity.SUGGESTION, from_state=into.status,
            to_state=into.status, reason=f"并入{_label(suggestion)}", suggestion=into)
    _notify(_deputy_users(suggestion), "suggestion_merged", f"建议{_label(suggestion)}已并入{_label(into)}办理")
    return suggestion


# ---------------------------------------------------------------- committee staff: assignment

def _deadlines(assigned_on: datetime.date, role: str, is_hard: bool, extra_months: int = 0):
    if role == Assignment.Role.ASSISTING:
        due = add_months(assigned_on, rule("ASSIST_OPINION_MONTHS"))
    else:
        base = rule("REPLY_MONTHS_HARD") if is_hard else rule("REPLY_MONTHS")
        due = add_months(assigned_on, base + extra_months)
    window = add_working_days(assigned_on, rule("SEND_BACK_WORKING_DAYS"), event="交办日")
    return due, window


@transaction.atomic
def suggestion_assign(*, actor: User, suggestion: Suggestion, lead: Organization | None = None,
                      assisting: Iterable[Organization] = (), separate: Iterable[Organization] = (),
                      is_hard: bool | None = None, assigned_on: datetime.date | None = None) -> list[Assignment]:
    """交办 to one lead unit with any assisting units, or to several separate units (分办)."""
    _require_staff(actor)
    suggestion = _lock_suggestion(suggestion)
    _state(suggestion, (S.REGISTERED,), "只有已登记（或退回后待重新交办）的建议可以交办")
    assisting, separate = list(assisting), list(separate)
    active = list(suggestion.assignments.filter(status__in=Assignment.ACTIVE))
    has_lead = any(a.role == Assignment.Role.LEAD for a in active)
    has_separate = any(a.role == Assignment.Role.SEPARATE for a in active)
    if lead is not None and separate:
        raise CongressError("主办和分办不能同时使用：请指定一个主办单位（可加协办单位），或指定多个分办单位")
    if lead is None and not separate and not has_lead and not has_separate:
        raise CongressError("请指定主办单位或分办单位")
    if lead is not None and (has_lead or has_separate):
        raise CongressError("这件建议已有答复单位，不能再指定主办单位")
    if separate and has_lead:
        raise CongressError("这件建议已有主办单位，不能再分办")
    if separate and len(separate) + sum(a.role == Assignment.Role.SEPARATE for a in active) < 2:
        raise CongressError("分办须指定两个以上单位；只有一个单位时请指定为主办")
    if assisting and not (lead is not None or has_lead):
        raise CongressError("协办单位须配合主办单位，请先指定主办单位")
    units = ([(lead, Assignment.Role.LEAD)] if lead else []) + [(u, Assignment.Role.ASSISTING) for u in assisting] \
        + [(u, Assignment.Role.SEPARATE) for u in separate]
    seen = {a.unit_id for a in active}
    for unit, _ in units:
        if not unit.is_handling_unit or not unit.is_active:
            raise CongressError(f"{unit.name}不是承办单位")
        if unit.pk in seen:
            raise CongressError(f"{unit.name}重复指定")
        seen.add(unit.pk)
    if is_hard is not None and is_hard != suggestion.is_hard:
        suggestion.is_hard = is_hard
    assigned_on = assigned_on or _today()
    made = []
    for unit, role in units:
        due, window = _deadlines(assigned_on, role, suggestion.is_hard)
        made.append(Assignment.objects.create(
            suggestion=suggestion, unit=unit, role=role, assigned_on=assigned_on, due_date=due.date,
            due_explanation=due.explanation[:300], send_back_until=window.date))
    suggestion.assigned_on = assigned_on
    _move_suggestion(suggestion, S.ASSIGNED, actor=actor, action="assign", extra_fields=["is_hard", "assigned_on"],
                     reason="；".join(f"{a.get_role_display()}：{a.unit.name}" for a in made))
    for a in made:
        _record(actor=actor, action="assign", entity=Transition.Entity.ASSIGNMENT, to_state=A.ASSIGNED,
                reason=a.due_explanation, assignment=a)
        _notify(_unit_users([a.unit_id]), "assignment_new",
                f"新交办建议{_label(suggestion)}（{a.get_role_display()}）", f"答复期限 {a.due_date:%Y-%m-%d}")
    _notify(_deputy_users(suggestion), "suggestion_assigned", f"建议{_label(suggestion)}已交办",
            "；".join(f"{a.get_role_display()}：{a.unit.name}" for a in made))
    return made


@transaction.atomic
def assignment_request_send_back(*, actor: User, assignment: Assignment, reason: str) -> Assignment:
    assignment = _lock_assignment(assignment)
    _require_unit(actor, assignment)
    _state(assignment, (A.ASSIGNED,), "只有尚未开始办理的交办可以申请退回")
    if _today() > assignment.send_back_until:
        raise CongressError(f"已超过申请退回期限（{assignment.send_back_until:%Y-%m-%d}），交办不再调整")
    if not reason.strip():
        raise CongressError("请填写申请退回的理由")
    assignment.send_back_reason = reason.strip()
    assignment.send_back_requested_at = timezone.now()
    _move_assignment(assignment, A.SEND_BACK_REQUESTED, actor=actor, action="request_send_back", reason=reason.strip(),
                     extra_fields=["send_back_reason", "send_back_requested_at"])
    _notify(_staff_users(), "assignment_send_back_requested",
            f"{assignment.unit.name}申请退回建议{_label(assignment.suggestion)}", reason)
    return assignment


@transaction.atomic
def assignment_decide_send_back(*, actor: User, assignment: Assignment, approve: bool, note: str = "") -> Assignment:
    _require_staff(actor)
    assignment = _lock_assignment(assignment)
    _state(assignment, (A.SEND_BACK_REQUESTED,), "这件交办没有待处理的退回申请")
    assignment.send_back_decision_note = note.strip()
    _move_assignment(assignment, A.SENT_BACK if approve else A.ASSIGNED, actor=actor,
                     action="approve_send_back" if approve else "reject_send_back", reason=note.strip(),
                     extra_fields=["send_back_decision_note"])
    suggestion = _lock_suggestion(assignment.suggestion)
    if approve and not suggestion.assignments.filter(
            status__in=Assignment.ACTIVE, role__in=(Assignment.Role.LEAD, Assignment.Role.SEPARATE)).exists():
        # no unit left to reply: back to staff for re-assignment (assisting units stay)
        _move_suggestion(suggestion, S.REGISTERED, actor=actor, action="reassign_pending",
                         reason=f"{assignment.unit.name}退回，待重新交办")
    _notify(_unit_users([assignment.unit_id]), "assignment_send_back_decided",
            f"退回申请{'已同意' if approve else '未同意'}：{_label(suggestion)}", note)
    return assignment


@transaction.atomic
def assignment_grant_extension(*, actor: User, assignment: Assignment, months: int, reason: str) -> Extension:
    _require_staff(actor)
    assignment = _lock_assignment(assignment)
    if not assignment.is_replying:
        raise CongressError("只有主办或分办单位的答复期限可以延期")
    _state(assignment, (A.ASSIGNED, A.HANDLING), "已答复或已退回的交办不能延期")
    if not reason.strip():
        raise CongressError("请填写延期理由")
    granted = sum(assignment.extensions.values_list("months", flat=True))
    limit = rule("MAX_EXTENSION_MONTHS")
    if months < 1 or granted + months > limit:
        raise CongressError(f"延期累计不得超过{limit}个月（已延期{granted}个月）")
    due, _ = _deadlines(assignment.assigned_on, assignment.role, assignment.suggestion.is_hard, granted + months)
    old = assignment.current_due_date
    explanation = f"{due.explanation}（含批准延期{granted + months}个月）"[:300]
    extension = Extension.objects.create(assignment=assignment, months=months, old_due_date=old, new_due_date=due.date,
                                         explanation=explanation, reason=reason.strip(), granted_by=actor)
    assignment.extended_due_date = due.date
    _move_assignment(assignment, assignment.status, actor=actor, action="extend", extra_fields=["extended_due_date"],
                     reason=f"延期{months}个月至{due.date:%Y-%m-%d}：{reason.strip()}")
    _notify(_unit_users([assignment.unit_id]), "assignment_extended",
            f"建议{_label(assignment.suggestion)}答复期限延至{due.date:%Y-%m-%d}", explanation)
    return extension


# ---------------------------------------------------------------- handling units

def _start_handling(assignment: Assignment, actor: User, action: str, reason: str = "") -> None:
    if assignment.status == A.ASSIGNED:
        _move_assignment(assignment, A.HANDLING, actor=actor, action=action, reason=reason)
    else:
        _record(actor=actor, action=action, entity=Transition.Entity.ASSIGNMENT, from_state=assignment.status,
                to_state=assignment.status, reason=reason, assignment=assignment)
    suggestion = assignment.suggestion
    if suggestion.status == S.ASSIGNED:
        _move_suggestion(_lock_suggestion(suggestion), S.HANDLING, actor=actor, action=action)


@transaction.atomic
def assignment_record_contact(*, actor: User, assignment: Assignment, stage: str, summary: str,
                              date: datetime.date | None = None, method: str = ContactRecord.Method.MEETING
                              ) -> ContactRecord:
    """办前/办中/办后 contact with the deputy; the first one starts the handling."""
    assignment = _lock_assignment(assignment)
    _require_unit(actor, assignment)
    _state(assignment, (A.ASSIGNED, A.HANDLING, A.REPLIED, A.REHANDLING), "这件交办不在办理中")
    if stage not in ContactRecord.Stage.values:
        raise CongressError("沟通阶段无效")
    if not summary.strip():
        raise CongressError("请填写沟通情况")
    record = ContactRecord.objects.create(assignment=assignment, stage=stage, method=method, date=date or _today(),
                                          summary=summary.strip(), recorded_by=actor)
    _start_handling(assignment, actor, "contact", f"{record.get_stage_display()}沟通：{summary.strip()[:100]}")
    return record


@transaction.atomic
def assignment_send_assist_opinion(*, actor: User, assignment: Assignment, content: str,
                                   attachment=None) -> AssistOpinion:
    assignment = _lock_assignment(assignment)
    _require_unit(actor, assignment)
    if assignment.role != Assignment.Role.ASSISTING:
        raise CongressError("只有协办单位提出会办意见")
    _state(assignment, (A.ASSIGNED, A.HANDLING), "会办意见已经提出或交办已退回")
    if not content.strip():
        raise CongressError("请填写会办意见")
    if attachment:
        uploads.check(attachment, "attachment")
    opinion = AssistOpinion.objects.create(assignment=assignment, content=content.strip(), sent_by=actor,
                                           attachment=attachment or "")
    _move_assignment(assignment, A.OPINION_SENT, actor=actor, action="assist_opinion", reason=content.strip()[:200])
    lead_units = assignment.suggestion.assignments.filter(role=Assignment.Role.LEAD, status__in=Assignment.ACTIVE)
    _notify(_unit_users(lead_units.values_list("unit_id", flat=True)), "assist_opinion_sent",
            f"{assignment.unit.name}对建议{_label(assignment.suggestion)}提出了会办意见")
    return opinion


@transaction.atomic
def assignment_reply(*, actor: User, assignment: Assignment, letter, result: str, publishable: bool = False,
                     summary: str = "", replied_on: datetime.date | None = None) -> Reply:
    """The lead (or a separate) unit replies with the signed letter (PDF) and the result category; after a
    不满意 the same service gives the second reply."""
    assignment = _lock_assignment(assignment)
    _require_unit(actor, assignment)
    if not assignment.is_replying:
        raise CongressError("协办单位不直接答复代表，请向主办单位提出会办意见")
    _state(assignment, (A.ASSIGNED, A.HANDLING, A.REHANDLING), "这件交办不能答复")
    allowed = ["A", "B", "C"] + (["D"] if rule("RESULT_CATEGORY_D_ENABLED") else [])
    if result not in allowed:
        raise CongressError(f"办理结果须为{'/'.join(allowed)}类")
    if letter is None:
        raise CongressError("请上传盖章的答复函（PDF）")
    uploads.check(letter, "letter")
    second = assignment.status == A.REHANDLING
    if assignment.role == Assignment.Role.LEAD and not second:
        waiting = assignment.suggestion.assignments.filter(
            role=Assignment.Role.ASSISTING, status__in=(A.ASSIGNED, A.HANDLING, A.SEND_BACK_REQUESTED))
        if waiting.exists():
            names = "、".join(waiting.values_list("unit__name", flat=True))
            raise CongressError(f"协办单位尚未提出会办意见：{names}")
    replied_on = replied_on or _today()
    reply = Reply(assignment=assignment, letter=letter, result=result, publishable=publishable,
                  summary=summary.strip(), is_second_reply=second, replied_on=replied_on, replied_by=actor)
    reply.save()
    assignment.result = result
    fields = ["result"]
    if not second:
        assignment.first_replied_on = replied_on
        fields.append("first_replied_on")
    _move_assignment(assignment, A.REPLIED, actor=actor, action="second_reply" if second else "reply",
                     reason=f"{result}类", extra_fields=fields)
    suggestion = _lock_suggestion(assignment.suggestion)
    pending = suggestion.assignments.filter(role__in=(Assignment.Role.LEAD, Assignment.Role.SEPARATE),
                                            status__in=(A.ASSIGNED, A.HANDLING, A.REHANDLING, A.SEND_BACK_REQUESTED))
    if not pending.exists() and suggestion.status != S.REPLIED:
        _move_suggestion(suggestion, S.REPLIED, actor=actor, action="replied")
    _notify(_deputy_users(suggestion), "suggestion_replied",
            f"{assignment.unit.name}{'再次' if second else ''}答复了建议{_label(suggestion)}，请评价")
    return reply


@transaction.atomic
def followup_report(*, actor: User, assignment: Assignment, year: int, progress: str,
                    solved: bool = False) -> FollowUpReport:
    """续办: yearly progress on a B/C item until the unit reports it solved."""
    assignment = _lock_assignment(assignment)
    _require_unit(actor, assignment)
    if assignment.status != A.REPLIED or assignment.result not in ("B", "C"):
        raise CongressError("只有答复为B类或C类的建议需要报告续办情况")
    if assignment.followup_solved:
        raise CongressError("这件建议已报告落实，不再续办")
    if assignment.followups.filter(year=year).exists():
        raise CongressError(f"{year}年的续办情况已经报告")
    if not progress.strip():
        raise CongressError("请填写落实进展")
    report = FollowUpReport.objects.create(assignment=assignment, year=year, progress=progress.strip(), solved=solved,
                                           reported_by=actor)
    assignment.followup_solved = solved
    _move_assignment(assignment, assignment.status, actor=actor, action="followup", extra_fields=["followup_solved"],
                     reason=f"{year}年续办：{'已落实' if solved else '推进中'}")
    return report


# ---------------------------------------------------------------- replies and evaluations

@transaction.atomic
def reply_publish(*, actor: User, reply: Reply) -> Reply:
    _require_staff(actor)
    reply = Reply.objects.select_for_update().select_related("assignment__suggestion").get(pk=reply.pk)
    if not reply.publishable:
        raise CongressError("承办单位未同意公开这份答复")
    if reply.published_at is not None:
        raise CongressError("这份答复已经公开")
    reply.published_at = timezone.now()
    reply.save(update_fields=["published_at"])
    _record(actor=actor, action="publish", entity=Transition.Entity.REPLY, from_state="unpublished",
            to_state="published", reason=str(reply), assignment=reply.assignment)
    return reply


def _evaluate(*, actor: User, reply: Reply, deputy: Deputy, rating: str, comment: str, source: str) -> Evaluation:
    reply = Reply.objects.select_for_update().get(pk=reply.pk)
    assignment = _lock_assignment(reply.assignment)
    suggestion = assignment.suggestion
    allowed = {suggestion.lead_deputy_id, *suggestion.cosignatures.filter(
        status=Cosignature.Status.CONFIRMED).values_list("deputy_id", flat=True)}
    if deputy.pk not in allowed:
        raise CongressError("只有领衔代表和附议代表可以评价")
    if rating not in Evaluation.Rating.values:
        raise CongressError("评价须为满意、基本满意或不满意")
    latest = assignment.replies.order_by("-is_second_reply", "-id").first()
    if latest is None or latest.pk != reply.pk or assignment.status != A.REPLIED:
        raise CongressError("只能评价承办单位最新的答复")
    if Evaluation.objects.filter(reply=reply, deputy=deputy).exists():
        raise CongressError(f"{deputy.full_name}代表已评价过这份答复")
    evaluation = Evaluation.objects.create(reply=reply, deputy=deputy, rating=rating, comment=comment.strip(),
                                           source=source, entered_by=actor)
    _record(actor=actor, action="evaluate", entity=Transition.Entity.REPLY, from_state="", to_state=rating,
            reason=f"{deputy.full_name}：{evaluation.get_rating_display()}"
                   f"{'（纸质）' if source == Evaluation.Source.PAPER else ''} {comment.strip()[:100]}",
            assignment=assignment)
    if rating == Evaluation.Rating.UNSATISFIED and not reply.is_second_reply:
        _rehandle(actor=actor, assignment=assignment, reason=f"{deputy.full_name}代表评价不满意：{comment.strip()[:100]}")
    return evaluation


@transaction.atomic
def evaluation_submit(*, actor: User, reply: Reply, rating: str, comment: str = "") -> Evaluation:
    """A deputy rates a reply online (满意/基本满意/不满意); 不满意 on a first reply sends it back for handling."""
    deputy = _require_deputy(actor)
    return _evaluate(actor=actor, reply=reply, deputy=deputy, rating=rating, comment=comment,
                     source=Evaluation.Source.ONLINE)


@transaction.atomic
def evaluation_record_paper(*, actor: User, reply: Reply, deputy: Deputy, rating: str,
                            comment: str = "") -> Evaluation:
    """Staff enter an evaluation from the paper form (征询意见表)."""
    _require_staff(actor)
    return _evaluate(actor=actor, reply=reply, deputy=deputy, rating=rating, comment=comment,
                     source=Evaluation.Source.PAPER)


def _rehandle(*, actor: User, assignment: Assignment, reason: str) -> Assignment:
    if assignment.status != A.REPLIED or assignment.replies.filter(is_second_reply=True).exists():
        raise CongressError("只有首次答复后的交办可以重新办理")
    second = add_months(_today(), rule("SECOND_REPLY_MONTHS"), event="不满意评价日")
    assignment.second_due_date = second.date
    _move_assignment(assignment, A.REHANDLING, actor=actor, action="rehandle", extra_fields=["second_due_date"],
                     reason=f"{reason}；{second.explanation}")
    suggestion = _lock_suggestion(assignment.suggestion)
    if suggestion.status == S.REPLIED:
        _move_suggestion(suggestion, S.REHANDLING, actor=actor, action="rehandle", reason=reason)
    elif suggestion.status != S.REHANDLING:
        raise CongressError(f"建议当前状态为{suggestion.get_status_display()}，不能重新办理")
    _notify(_unit_users([assignment.unit_id]), "assignment_rehandle",
            f"建议{_label(suggestion)}代表不满意，请重新办理", f"再次答复期限 {second.date:%Y-%m-%d}")
    return assignment


@transaction.atomic
def suggestion_rehandle(*, actor: User, assignment: Assignment, reason: str) -> Assignment:
    """Staff send a replied item back to its unit for a second reply (a 不满意 evaluation does this itself)."""
    _require_staff(actor)
    assignment = _lock_assignment(assignment)
    if not reason.strip():
        raise CongressError("请填写重新办理的理由")
    return _rehandle(actor=actor, assignment=assignment, reason=reason.strip())


@transaction.atomic
def suggestion_close(*, actor: User, suggestion: Suggestion, note: str = "") -> Suggestion:
    _require_staff(actor)
    suggestion = _lock_suggestion(suggestion)
    _state(suggestion, (S.REPLIED,), "只有全部答复完毕的建议可以办结")
    suggestion.closed_at = timezone.now()
    _move_suggestion(suggestion, S.CLOSED, actor=actor, action="close", reason=note.strip(), extra_fields=["closed_at"])
    return suggestion


# ---------------------------------------------------------------- priority supervision

@transaction.atomic
def suggestion_mark_priority(*, actor: User, suggestion: Suggestion, supervising_leader: str,
                             government_official: str, supervising_body: Organization, reason: str = "") -> Suggestion:
    """重点督办, chosen by the 主任会议: a supervising leader, the leading government official and the working body."""
    _require_staff(actor)
    suggestion = _lock_suggestion(suggestion)
    _state(suggestion, (S.REGISTERED, S.ASSIGNED, S.HANDLING, S.REPLIED, S.REHANDLING), "这件建议不能列为重点督办")
    if suggestion.is_priority:
        raise CongressError("这件建议已列为重点督办")
    if not supervising_leader.strip() or not government_official.strip():
        raise CongressError("请填写督办领导和政府牵头领导")
    if supervising_body is None or supervising_body.kind != Organization.Kind.WORKING_BODY:
        raise CongressError("督办工作机构须为常委会工作机构")
    suggestion.is_priority = True
    suggestion.supervising_leader = supervising_leader.strip()
    suggestion.government_official = government_official.strip()
    suggestion.supervising_body = supervising_body
    _move_suggestion(suggestion, suggestion.status, actor=actor, action="priority",
                     reason=f"督办领导：{suggestion.supervising_leader}；政府牵头领导：{suggestion.government_official}；"
                            f"督办机构：{supervising_body.name}。{reason.strip()}",
                     extra_fields=["is_priority", "supervising_leader", "government_official", "supervising_body"])
    units = suggestion.assignments.filter(status__in=Assignment.ACTIVE).values_list("unit_id", flat=True)
    _notify(_unit_users(units) + _deputy_users(suggestion), "suggestion_priority", f"建议{_label(suggestion)}列为重点督办")
    return suggestion


@transaction.atomic
def supervision_event_record(*, actor: User, suggestion: Suggestion, date: datetime.date, description: str,
                             place: str = "", participants: str = "") -> SupervisionEvent:
    _require_staff(actor)
    suggestion = _lock_suggestion(suggestion)
    if not suggestion.is_priority:
        raise CongressError("只有重点督办建议登记现场督办")
    if not description.strip():
        raise CongressError("请填写督办情况")
    event = SupervisionEvent.objects.create(suggestion=suggestion, date=date, place=place.strip(),
                                            participants=participants.strip(), description=description.strip(),
                                            recorded_by=actor)
    _record(actor=actor, action="supervision_event", entity=Transition.Entity.SUGGESTION, from_state=suggestion.status,
            to_state=suggestion.status, reason=f"{date:%Y-%m-%d} {place} 现场督办", suggestion=suggestion)
    return event


# ---------------------------------------------------------------- proposals

@transaction.atomic
def proposal_register(*, actor: User, session: CongressSession, title: str, content: str, delegation=None,
                      signers: Iterable[Deputy] = (), lead_deputy: Deputy | None = None) -> Proposal:
    """议案 from a delegation, or jointly from at least PROPOSAL_MIN_DEPUTIES deputies."""
    _require_staff(actor)
    signers = list(dict.fromkeys(signers))
    minimum = rule("PROPOSAL_MIN_DEPUTIES")
    if delegation is None and len(signers) < minimum:
        raise CongressError(f"议案须由代表团或{minimum}名以上代表联名提出（现有{len(signers)}名）")
    if delegation is not None and delegation.term_id != session.term_id:
        raise CongressError("代表团不属于本届")
    if not title.strip() or not content.strip():
        raise CongressError("案由和内容不能为空")
    CongressSession.objects.select_for_update().get(pk=session.pk)
    serial = (Proposal.objects.filter(session=session).aggregate(m=Max("serial"))["m"] or 0) + 1
    proposal = Proposal.objects.create(session=session, serial=serial, title=title.strip(), content=content.strip(),
                                       delegation=delegation, lead_deputy=lead_deputy or (signers[0] if signers else None))
    proposal.signers.set(signers)
    _record(actor=actor, action="proposal_register", entity=Transition.Entity.PROPOSAL,
            to_state=Proposal.Status.SUBMITTED, proposal=proposal)
    return proposal


def _add_years(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


@transaction.atomic
def proposal_place_on_agenda(*, actor: User, proposal: Proposal, decided_on: datetime.date | None = None,
                             note: str = "") -> Proposal:
    _require_staff(actor)
    proposal = Proposal.objects.select_for_update().get(pk=proposal.pk)
    _state(proposal, (Proposal.Status.SUBMITTED,), "主席团已对这件议案作出决定")
    decided_on = decided_on or _today()
    proposal.decided_on = decided_on
    proposal.decision_note = note.strip()
    proposal.supervision_until = _add_years(decided_on, rule("PROPOSAL_SUPERVISION_YEARS"))
    proposal.follow_until = _add_years(proposal.supervision_until, rule("PROPOSAL_FOLLOW_YEARS"))
    proposal.status = Proposal.Status.ON_AGENDA
    proposal.save(update_fields=["decided_on", "decision_note", "supervision_until", "follow_until", "status"])
    _record(actor=actor, action="proposal_agenda", entity=Transition.Entity.PROPOSAL, from_state=Proposal.Status.SUBMITTED,
            to_state=proposal.status, reason=note.strip(), proposal=proposal)
    return proposal


@transaction.atomic
def proposal_convert_to_suggestion(*, actor: User, proposal: Proposal, note: str = "",
                                   decided_on: datetime.date | None = None) -> Suggestion:
    """The presidium has the proposal handled as a suggestion: a submitted suggestion in the session's batch, the
    lead deputy leading and the other signers as confirmed co-signers."""
    _require_staff(actor)
    proposal = Proposal.objects.select_for_update(of=("self",)).select_related("session__term").get(pk=proposal.pk)
    _state(proposal, (Proposal.Status.SUBMITTED,), "主席团已对这件议案作出决定")
    lead = proposal.lead_deputy
    if lead is None:
        raise CongressError("请先为议案指定领衔代表，再转为建议")
    suggestion = Suggestion.objects.create(
        term=proposal.session.term, session=proposal.session, title=proposal.title, content=proposal.content,
        lead_deputy=lead, status=S.SUBMITTED, from_proposal=proposal, submitted_at=timezone.now())
    now = timezone.now()
    Cosignature.objects.bulk_create([Cosignature(suggestion=suggestion, deputy=d, status=Cosignature.Status.CONFIRMED,
                                                 responded_at=now) for d in proposal.signers.exclude(pk=lead.pk)])
    proposal.status = Proposal.Status.CONVERTED
    proposal.decided_on = decided_on or _today()
    proposal.decision_note = note.strip()
    proposal.save(update_fields=["status", "decided_on", "decision_note"])
    _record(actor=actor, action="proposal_convert", entity=Transition.Entity.PROPOSAL,
            from_state=Proposal.Status.SUBMITTED, to_state=proposal.status, reason=note.strip(), proposal=proposal)
    _record(actor=actor, action="from_proposal", entity=Transition.Entity.SUGGESTION, to_state=S.SUBMITTED,
            reason=f"由第{proposal.serial}号议案转为建议", suggestion=suggestion)
    _notify(_deputy_users(suggestion), "proposal_converted", f"议案《{proposal.title}》经主席团决定作为建议办理")
    return suggestion
