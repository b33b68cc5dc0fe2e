"""交办 and everything the handling units do with an assignment: send-back requests and staff's decisions,
extensions, contact records, assisting opinions, replies, the yearly follow-up, and staff's re-handling."""
import datetime
from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone

from congress.lib import uploads
from congress.lib.workdays import add_months, add_working_days
from congress.models import Organization, User
from congress.services import CongressError
from proposals.conf import rule
from proposals.models import (
    Assignment,
    AssistOpinion,
    ContactRecord,
    Extension,
    FollowUpReport,
    Reply,
    Suggestion,
)
from proposals.services._common import (
    _today,
    deputy_users,
    label,
    lock_assignment,
    lock_suggestion,
    notify,
    staff_users,
    unit_users,
)
from proposals.workflows import ASSIGNMENT, SUGGESTION

S = Suggestion.Status
A = Assignment.Status


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
    suggestion = lock_suggestion(suggestion)
    SUGGESTION.check(actor, suggestion, "assign")
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
    if assigned_on > _today():
        raise CongressError("交办日期不能晚于今天")
    made = []
    for unit, role in units:
        due, window = _deadlines(assigned_on, role, suggestion.is_hard)
        made.append(Assignment.objects.create(
            suggestion=suggestion, unit=unit, role=role, assigned_on=assigned_on, due_date=due.date,
            due_explanation=due.explanation[:300], send_back_until=window.date))
    suggestion.assigned_on = assigned_on
    SUGGESTION.apply(suggestion, "assign", actor=actor, fields=["is_hard", "assigned_on"],
                     reason="；".join(f"{a.get_role_display()}：{a.unit.name}" for a in made))
    for a in made:
        ASSIGNMENT.record_created(a, actor=actor, name="assign", reason=a.due_explanation)
        notify(unit_users([a.unit_id]), "assignment_new",
               f"新交办建议{label(suggestion)}（{a.get_role_display()}）", f"答复期限 {a.due_date:%Y-%m-%d}")
    notify(deputy_users(suggestion), "suggestion_assigned", f"建议{label(suggestion)}已交办",
           "；".join(f"{a.get_role_display()}：{a.unit.name}" for a in made))
    return made


@transaction.atomic
def assignment_request_send_back(*, actor: User, assignment: Assignment, reason: str) -> Assignment:
    assignment = lock_assignment(assignment)
    ASSIGNMENT.check(actor, assignment, "request_send_back")
    if not reason.strip():
        raise CongressError("请填写申请退回的理由")
    assignment.send_back_reason = reason.strip()
    assignment.send_back_requested_at = timezone.now()
    ASSIGNMENT.apply(assignment, "request_send_back", actor=actor, reason=reason,
                     fields=["send_back_reason", "send_back_requested_at"])
    notify(staff_users(), "assignment_send_back_requested",
           f"{assignment.unit.name}申请退回建议{label(assignment.suggestion)}", reason)
    return assignment


@transaction.atomic
def assignment_decide_send_back(*, actor: User, assignment: Assignment, approve: bool, note: str = "") -> Assignment:
    assignment = lock_assignment(assignment)
    assignment.send_back_decision_note = note.strip()
    ASSIGNMENT.apply(assignment, "approve_send_back" if approve else "reject_send_back", actor=actor, reason=note,
                     fields=["send_back_decision_note"])
    suggestion = lock_suggestion(assignment.suggestion)
    if approve and not suggestion.assignments.filter(
            status__in=Assignment.ACTIVE, role__in=(Assignment.Role.LEAD, Assignment.Role.SEPARATE)).exists():
        # no unit left to reply: back to staff for re-assignment (assisting units stay)
        SUGGESTION.apply(suggestion, "reassign_pending", actor=actor, reason=f"{assignment.unit.name}退回，待重新交办")
    notify(unit_users([assignment.unit_id]), "assignment_send_back_decided",
           f"退回申请{'已同意' if approve else '未同意'}：{label(suggestion)}", note)
    return assignment


@transaction.atomic
def assignment_grant_extension(*, actor: User, assignment: Assignment, months: int, reason: str) -> Extension:
    assignment = lock_assignment(assignment)
    ASSIGNMENT.check(actor, assignment, "extend")
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
    ASSIGNMENT.apply(assignment, "extend", actor=actor, fields=["extended_due_date"],
                     reason=f"延期{months}个月至{due.date:%Y-%m-%d}：{reason.strip()}")
    notify(unit_users([assignment.unit_id]), "assignment_extended",
           f"建议{label(assignment.suggestion)}答复期限延至{due.date:%Y-%m-%d}", explanation)
    return extension


@transaction.atomic
def assignment_release_assist(*, actor: User, assignment: Assignment, reason: str) -> Assignment:
    """Staff release an assisting unit from its opinion (免于会办): the lead unit no longer waits for it."""
    assignment = lock_assignment(assignment)
    ASSIGNMENT.check(actor, assignment, "release")
    if not reason.strip():
        raise CongressError("请填写免于会办的理由")
    ASSIGNMENT.apply(assignment, "release", actor=actor, reason=reason)
    leads = assignment.suggestion.assignments.filter(role=Assignment.Role.LEAD, status__in=Assignment.OPEN)
    notify(unit_users([assignment.unit_id, *leads.values_list("unit_id", flat=True)]), "assist_released",
           f"建议{label(assignment.suggestion)}的协办单位{assignment.unit.name}免于会办，主办单位可以答复", reason)
    return assignment


def extension_months_left(assignment: Assignment) -> int:
    """How many months an extension may still add (the extension form's limit)."""
    return max(0, rule("MAX_EXTENSION_MONTHS") - sum(assignment.extensions.values_list("months", flat=True)))


# ---------------------------------------------------------------- handling units

@transaction.atomic
def assignment_record_contact(*, actor: User, assignment: Assignment, stage: str, summary: str,
                              date: datetime.date | None = None, method: str = ContactRecord.Method.MEETING
                              ) -> ContactRecord:
    """办前/办中/办后 contact with the deputy; the first one starts the handling."""
    assignment = lock_assignment(assignment)
    ASSIGNMENT.check(actor, assignment, "contact")
    if stage not in ContactRecord.Stage.values:
        raise CongressError("沟通阶段无效")
    if method not in ContactRecord.Method.values:
        raise CongressError("沟通方式无效")
    if not summary.strip():
        raise CongressError("请填写沟通情况")
    date = date or _today()
    if date > _today():
        raise CongressError("沟通日期不能晚于今天")
    record = ContactRecord.objects.create(assignment=assignment, stage=stage, method=method, date=date,
                                          summary=summary.strip(), recorded_by=actor)
    ASSIGNMENT.apply(assignment, "contact", actor=actor,
                     reason=f"{record.get_stage_display()}沟通：{summary.strip()[:100]}")
    _start_handling(assignment, actor)
    return record


def _start_handling(assignment: Assignment, actor: User) -> None:
    """The first step a unit takes starts the handling of its assignment and of the suggestion."""
    if assignment.status == A.ASSIGNED:
        ASSIGNMENT.apply(assignment, "start", actor=actor)
    suggestion = assignment.suggestion
    if suggestion.status == S.ASSIGNED:
        SUGGESTION.apply(lock_suggestion(suggestion), "handling", actor=actor)


@transaction.atomic
def assignment_send_assist_opinion(*, actor: User, assignment: Assignment, content: str,
                                   attachment=None) -> AssistOpinion:
    assignment = lock_assignment(assignment)
    ASSIGNMENT.check(actor, assignment, "assist_opinion")
    if not content.strip():
        raise CongressError("请填写会办意见")
    if attachment:
        uploads.check(attachment, "attachment")
    opinion = AssistOpinion.objects.create(assignment=assignment, content=content.strip(), sent_by=actor,
                                           attachment=attachment or "")
    ASSIGNMENT.apply(assignment, "assist_opinion", actor=actor, reason=content.strip()[:200])
    lead_units = assignment.suggestion.assignments.filter(role=Assignment.Role.LEAD, status__in=Assignment.ACTIVE)
    notify(unit_users(lead_units.values_list("unit_id", flat=True)), "assist_opinion_sent",
           f"{assignment.unit.name}对建议{label(assignment.suggestion)}提出了会办意见")
    return opinion


def result_categories() -> list[str]:
    """The result categories a reply may take (D switched off by a district that uses three)."""
    return ["A", "B", "C"] + (["D"] if rule("RESULT_CATEGORY_D_ENABLED") else [])


@transaction.atomic
def assignment_reply(*, actor: User, assignment: Assignment, letter, result: str, publishable: bool = False,
                     summary: str = "", replied_on: datetime.date | None = None) -> Reply:
    """The lead (or a separate) unit replies with the signed letter (PDF) and the result category; after a
    不满意 the same service gives the second reply."""
    assignment = lock_assignment(assignment)
    second = assignment.status == A.REHANDLING
    name = "second_reply" if second else "reply"
    ASSIGNMENT.check(actor, assignment, name)
    allowed = result_categories()
    if result not in allowed:
        raise CongressError(f"办理结果须为{'/'.join(allowed)}类")
    if letter is None:
        raise CongressError("请上传盖章的答复函（PDF）")
    uploads.check(letter, "letter")
    missing = ""
    if assignment.role == Assignment.Role.LEAD and not second:
        # past their deadline, assisting units no longer hold the reply up (the guard let it through): say so
        late = assignment.suggestion.assignments.filter(
            role=Assignment.Role.ASSISTING, status__in=(A.ASSIGNED, A.HANDLING, A.SEND_BACK_REQUESTED),
            due_date__lt=_today()).select_related("unit")
        missing = "；".join(f"协办单位{a.unit.name}逾期未提出会办意见（期限{a.due_date:%Y-%m-%d}）" for a in late)
    replied_on = replied_on or _today()
    if replied_on > _today():
        raise CongressError("答复日期不能晚于今天")
    reply = Reply(assignment=assignment, letter=letter, result=result, publishable=publishable,
                  summary=summary.strip(), is_second_reply=second, replied_on=replied_on, replied_by=actor)
    reply.save()
    assignment.result = result
    fields = ["result"]
    if not second:
        assignment.first_replied_on = replied_on
        fields.append("first_replied_on")
    ASSIGNMENT.apply(assignment, name, actor=actor, reason=f"{result}类" + (f"；{missing}" if missing else ""),
                     fields=fields)
    suggestion = lock_suggestion(assignment.suggestion)
    pending = suggestion.assignments.filter(role__in=(Assignment.Role.LEAD, Assignment.Role.SEPARATE),
                                            status__in=(A.ASSIGNED, A.HANDLING, A.REHANDLING, A.SEND_BACK_REQUESTED))
    if not pending.exists() and suggestion.status != S.REPLIED:
        SUGGESTION.apply(suggestion, "replied", actor=actor)
    notify(deputy_users(suggestion), "suggestion_replied",
           f"{assignment.unit.name}{'再次' if second else ''}答复了建议{label(suggestion)}，请评价")
    return reply


@transaction.atomic
def followup_report(*, actor: User, assignment: Assignment, year: int, progress: str,
                    solved: bool = False) -> FollowUpReport:
    """续办: yearly progress on a B/C item until the unit reports it solved."""
    assignment = lock_assignment(assignment)
    ASSIGNMENT.check(actor, assignment, "followup")
    first_year = (assignment.first_replied_on or assignment.assigned_on).year
    if not first_year <= year <= _today().year:
        raise CongressError(f"续办年度须在{first_year}年至{_today().year}年之间")
    if assignment.followups.filter(year=year).exists():
        raise CongressError(f"{year}年的续办情况已经报告")
    if not progress.strip():
        raise CongressError("请填写落实进展")
    report = FollowUpReport.objects.create(assignment=assignment, year=year, progress=progress.strip(), solved=solved,
                                           reported_by=actor)
    assignment.followup_solved = solved
    ASSIGNMENT.apply(assignment, "followup", actor=actor, fields=["followup_solved"],
                     reason=f"{year}年续办：{'已落实' if solved else '推进中'}")
    return report


# ---------------------------------------------------------------- the holiday calendar

def _second_due_from(assignment: Assignment) -> datetime.date | None:
    """The day the re-handling began (the 不满意 evaluation or staff's decision): the second deadline counts from it."""
    from django.utils.timezone import localdate

    change = ASSIGNMENT.history(assignment).filter(action__in=("rehandle", "rehandle_unsatisfied")).last()
    return localdate(change.at) if change else None


def deadlines_recompute(actor: User, year: int) -> int:
    """congress.lib.workdays.schedule_hooks: after `year`'s holiday schedule is entered, recount every stored deadline of
    the open assignments that fell in `year` or later (first, extended and second reply deadlines, the send-back
    window) from the days they count from; each change is recorded on the assignment's timeline and its unit and the
    deputies are told. Returns the number of assignments whose deadlines moved."""
    from django.db.models import Q

    since = datetime.date(year, 1, 1)
    moved = 0
    candidates = (Assignment.objects.open().select_related("suggestion", "unit")
                  .filter(Q(due_date__gte=since) | Q(extended_due_date__gte=since) | Q(second_due_date__gte=since)
                          | Q(send_back_until__gte=since)).order_by("id"))
    for assignment in candidates.select_for_update(of=("self",)):
        granted = sum(assignment.extensions.values_list("months", flat=True))
        first, window = _deadlines(assignment.assigned_on, assignment.role, assignment.suggestion.is_hard)
        fresh = {"due_date": first.date, "send_back_until": window.date}
        explanation = first.explanation[:300]
        if granted:
            extended, _ = _deadlines(assignment.assigned_on, assignment.role, assignment.suggestion.is_hard, granted)
            fresh["extended_due_date"] = extended.date
        if assignment.second_due_date:
            began = _second_due_from(assignment)
            if began is not None:
                fresh["second_due_date"] = add_months(began, rule("SECOND_REPLY_MONTHS"), event="不满意评价日").date
        changes = {field: (getattr(assignment, field), value) for field, value in fresh.items()
                   if getattr(assignment, field) != value}
        if not changes and assignment.due_explanation == explanation:
            continue
        for field, (_, value) in changes.items():
            setattr(assignment, field, value)
        assignment.due_explanation = explanation
        labels = {"due_date": "答复期限", "extended_due_date": "延期后答复期限", "second_due_date": "再次答复期限",
                  "send_back_until": "申请退回截止"}
        text = "；".join(f"{labels[f]} {old:%Y-%m-%d} → {new:%Y-%m-%d}" for f, (old, new) in changes.items()) \
            or "期限不变，不再是待定"
        ASSIGNMENT.apply(assignment, "recompute_deadlines", actor=actor, reason=f"录入{year}年节假日安排后重算：{text}",
                         fields=[*changes, "due_explanation"])
        if changes:
            moved += 1
            notify(unit_users([assignment.unit_id]) + deputy_users(assignment.suggestion), "assignment_deadline_recomputed",
                   f"建议{label(assignment.suggestion)}的期限已按{year}年节假日安排重算", text,
                   link=("unit:detail", assignment.pk))
    return moved


# ---------------------------------------------------------------- re-handling

def _rehandle(*, actor: User, assignment: Assignment, name: str, reason: str) -> Assignment:
    second = add_months(_today(), rule("SECOND_REPLY_MONTHS"), event="不满意评价日")
    assignment.second_due_date = second.date
    ASSIGNMENT.apply(assignment, name, actor=actor, fields=["second_due_date"], reason=f"{reason}；{second.explanation}")
    suggestion = lock_suggestion(assignment.suggestion)
    if suggestion.status == S.REPLIED:
        SUGGESTION.apply(suggestion, "rehandle", actor=actor, reason=reason)
    elif suggestion.status != S.REHANDLING:
        raise CongressError(f"建议当前状态为{suggestion.get_status_display()}，不能重新办理")
    notify(unit_users([assignment.unit_id]), "assignment_rehandle",
           f"建议{label(suggestion)}代表不满意，请重新办理", f"再次答复期限 {second.date:%Y-%m-%d}")
    return assignment


@transaction.atomic
def suggestion_rehandle(*, actor: User, assignment: Assignment, reason: str) -> Assignment:
    """Staff send a replied item back to its unit for a second reply (a 不满意 evaluation does this itself)."""
    assignment = lock_assignment(assignment)
    ASSIGNMENT.check(actor, assignment, "rehandle")
    if not reason.strip():
        raise CongressError("请填写重新办理的理由")
    return _rehandle(actor=actor, assignment=assignment, name="rehandle", reason=reason.strip())
