"""The suggestion lifecycle, declared once (congress.lib.workflow): states, transitions, who may take each one
(proposals.predicates), the guards that depend on the item, and the pages that offer each as a button. The services in
proposals/services/ take the transitions; the portal, the unit workspace and the admin draw their buttons from
`available(user, obj, surface)`; the timelines read the history rows with these labels.

    draft ─submit→ submitted ─register→ registered ─assign→ assigned ─(first contact)→ handling ─→ replied ─close→ closed
      └presubmit→ presubmitted ─town_forward→ submitted      registered ─return→ returned · ─merge→ merged
                  └town_return→ town_returned                 replied ─(不满意 / staff)→ rehandling ─→ replied
"""
from django.utils import timezone

from congress.lib.workflow import Transition, Workflow
from proposals import predicates as P
from proposals.conf import rule
from proposals.models import Assignment, Cosignature, Proposal, Suggestion

S = Suggestion.Status
A = Assignment.Status
C = Cosignature.Status

EDITABLE = (S.DRAFT, S.TOWN_RETURNED)
WITH_UNITS = (S.ASSIGNED, S.HANDLING, S.REPLIED, S.REHANDLING)


# ---------------------------------------------------------------- guards (the item, not the person)

def _upcoming_session(suggestion) -> str | None:
    if suggestion.term.sessions.filter(start_date__gt=timezone.localdate()).exists():
        return None
    return "近期没有即将召开的人代会会议，不能预提交，请直接提交"


def _not_priority(suggestion) -> str | None:
    return "这件建议已列为重点督办" if suggestion.is_priority else None


def _priority(suggestion) -> str | None:
    return None if suggestion.is_priority else "只有重点督办建议登记现场督办"


def _within_send_back_window(assignment) -> str | None:
    if timezone.localdate() > assignment.send_back_until:
        return f"已超过申请退回期限（{assignment.send_back_until:%Y年%-m月%-d日}），交办不再调整"
    return None


def _replying(assignment) -> str | None:
    return None if assignment.is_replying else "只有主办或分办单位的答复期限可以延期"


def _extension_left(assignment) -> str | None:
    granted = sum(assignment.extensions.values_list("months", flat=True))
    limit = rule("MAX_EXTENSION_MONTHS")
    return f"延期累计已达{limit}个月，不能再延期" if granted >= limit else None


def _first_reply_only(assignment) -> str | None:
    return "再次答复后不再重新办理" if assignment.replies.filter(is_second_reply=True).exists() else None


def waiting_assist_opinions(assignment):
    """The assisting units whose opinion the lead unit still waits for: not sent, not released by staff, and still within
    their deadline (once it has passed, the lead may reply without it, and the reply says so)."""
    if assignment.role != Assignment.Role.LEAD:
        return Assignment.objects.none()
    return assignment.suggestion.assignments.filter(
        role=Assignment.Role.ASSISTING, status__in=(A.ASSIGNED, A.HANDLING, A.SEND_BACK_REQUESTED),
        due_date__gte=timezone.localdate()).select_related("unit")


def assist_wait_note(assignment) -> str | None:
    """Why the lead unit cannot reply yet (the unit page shows it where the reply form would be), or None."""
    return _assist_opinions_in(assignment)


def _assist_opinions_in(assignment) -> str | None:
    waiting = list(waiting_assist_opinions(assignment))
    if not waiting:
        return None
    names = "、".join(f"{a.unit.name}（期限{a.due_date:%Y年%-m月%-d日}）" for a in waiting)
    return f"协办单位尚未提出会办意见：{names}；期限过后即可答复，也可请常委会工作机构免于等待"


def _assisting(assignment) -> str | None:
    return None if assignment.role == Assignment.Role.ASSISTING else "只有协办单位的交办可以免于会办"


def _overdue(assignment) -> str | None:
    due = assignment.current_due_date
    if due and due < timezone.localdate():
        return None
    return f"尚未超过答复期限（{due:%Y年%-m月%-d日}），不能发提醒函" if due else "没有答复期限，不能发提醒函"


def _followup_due(assignment) -> str | None:
    if assignment.result not in ("B", "C"):
        return "只有答复为B类或C类的建议需要报告续办情况"
    return "这件建议已报告落实，不再续办" if assignment.followup_solved else None


def _still_open_to_cosign(cosignature) -> str | None:
    if cosignature.suggestion.status in (S.RETURNED, S.MERGED, S.CLOSED):
        return "这件建议已不在办理中，不能附议"
    return None


# ---------------------------------------------------------------- the workflows

SUGGESTION = Workflow("suggestion", label="代表建议", model=Suggestion, states=S, tones={
    S.DRAFT: "", S.CLOSED: "green", S.REPLIED: "green", S.RETURNED: "red", S.TOWN_RETURNED: "red", S.REHANDLING: "red",
    S.MERGED: ""}, transitions=[
    Transition("create", "起草", source=(), target=S.DRAFT, automatic=True),
    Transition("from_proposal", "议案转为建议", source=(), target=S.SUBMITTED, automatic=True),
    Transition("edit", "修改", source=EDITABLE, who=P.is_lead_deputy, surfaces={"portal"},
               refusal="只有领衔代表可以修改"),
    Transition("invite", "邀请附议", source=EDITABLE, who=P.is_lead_deputy, surfaces={"portal"},
               refusal="只有领衔代表可以邀请附议"),
    Transition("submit", "提交", source=(*EDITABLE, S.PRESUBMITTED), target=S.SUBMITTED, who=P.is_lead_deputy,
               surfaces={"portal"}, refusal="只有领衔代表可以提交"),
    Transition("presubmit", "预提交镇街审核", source=EDITABLE, target=S.PRESUBMITTED, who=P.is_lead_deputy,
               when=[_upcoming_session], surfaces={"portal"}, refusal="只有领衔代表可以预提交"),
    Transition("enter", "工作人员代为录入", source=[S.DRAFT], target=S.SUBMITTED, who=P.is_committee_staff,
               refusal="只有常委会机关工作人员可以代为录入"),
    Transition("town_return", "镇街退回修改", source=[S.PRESUBMITTED], target=S.TOWN_RETURNED, who=P.is_town_reviewer,
               surfaces={"admin"}, refusal="只有该镇街的人大工作人员可以审核这件建议"),
    Transition("town_forward", "镇街审核提交", source=[S.PRESUBMITTED], target=S.SUBMITTED, who=P.is_town_reviewer,
               surfaces={"admin"}, refusal="只有该镇街的人大工作人员可以审核这件建议"),
    Transition("register", "登记编号", source=[S.SUBMITTED], target=S.REGISTERED, who=P.is_committee_staff,
               surfaces={"admin"}),
    Transition("return", "退回", source=[S.SUBMITTED, S.REGISTERED], target=S.RETURNED, who=P.is_committee_staff,
               surfaces={"admin"}),
    Transition("merge", "并案", source=[S.SUBMITTED, S.REGISTERED], target=S.MERGED, who=P.is_committee_staff,
               surfaces={"admin"}),
    Transition("merge_in", "并入", source=[S.REGISTERED, S.ASSIGNED, S.HANDLING], automatic=True),
    Transition("assign", "交办", source=[S.REGISTERED], target=S.ASSIGNED, who=P.is_committee_staff, surfaces={"admin"}),
    Transition("handling", "开始办理", source=[S.ASSIGNED], target=S.HANDLING, automatic=True),
    Transition("replied", "全部答复", source=[S.ASSIGNED, S.HANDLING, S.REHANDLING], target=S.REPLIED, automatic=True),
    Transition("reassign_pending", "待重新交办", source=[S.ASSIGNED, S.HANDLING], target=S.REGISTERED, automatic=True),
    Transition("rehandle", "重新办理", source=[S.REPLIED], target=S.REHANDLING, automatic=True),
    Transition("priority", "列为重点督办", source=[S.REGISTERED, *WITH_UNITS], who=P.is_committee_staff,
               when=[_not_priority], surfaces={"admin"}),
    Transition("supervise", "登记现场督办", source=[S.REGISTERED, *WITH_UNITS, S.CLOSED], who=P.is_committee_staff,
               when=[_priority], surfaces={"admin"}),
    Transition("evaluate_paper", "录入纸质评价", source=[S.REPLIED, S.REHANDLING], who=P.is_committee_staff,
               surfaces={"admin"}),
    Transition("close", "办结", source=[S.REPLIED], target=S.CLOSED, who=P.is_committee_staff, surfaces={"admin"}),
])


ASSIGNMENT = Workflow("assignment", label="交办", model=Assignment, states=A, thread=lambda a: f"suggestion:{a.suggestion_id}",
                      tones={A.REPLIED: "green", A.OPINION_SENT: "green", A.RELEASED: "", A.SENT_BACK: "",
                             A.REHANDLING: "red"}, transitions=[
    Transition("assign", "交办", source=(), target=A.ASSIGNED, automatic=True),
    Transition("request_send_back", "申请退回", source=[A.ASSIGNED], target=A.SEND_BACK_REQUESTED,
               who=P.is_assignment_unit, when=[_within_send_back_window], surfaces={"unit"},
               refusal="只有该件的承办单位可以申请退回"),
    Transition("approve_send_back", "同意退回", source=[A.SEND_BACK_REQUESTED], target=A.SENT_BACK,
               who=P.is_committee_staff, surfaces={"admin"}),
    Transition("reject_send_back", "不同意退回", source=[A.SEND_BACK_REQUESTED], target=A.ASSIGNED,
               who=P.is_committee_staff, surfaces={"admin"}),
    Transition("extend", "批准延期", source=[A.ASSIGNED, A.HANDLING], who=P.is_committee_staff,
               when=[_replying, _extension_left], surfaces={"admin"}),
    Transition("contact", "沟通联系", source=[A.ASSIGNED, A.HANDLING, A.REPLIED, A.REHANDLING],
               who=P.is_assignment_unit, surfaces={"unit"}, refusal="只有该件的承办单位可以登记沟通情况"),
    Transition("start", "开始办理", source=[A.ASSIGNED], target=A.HANDLING, automatic=True),
    Transition("assist_opinion", "提出会办意见", source=[A.ASSIGNED, A.HANDLING], target=A.OPINION_SENT,
               who=P.can_send_assist_opinion, surfaces={"unit"}, refusal="只有协办单位提出会办意见"),
    Transition("reply", "答复", source=[A.ASSIGNED, A.HANDLING], target=A.REPLIED, who=P.can_reply,
               when=[_assist_opinions_in], surfaces={"unit"}, refusal="只有该件的主办或分办单位可以答复"),
    Transition("release", "免于会办", source=[A.ASSIGNED, A.HANDLING, A.SEND_BACK_REQUESTED], target=A.RELEASED,
               who=P.is_committee_staff, when=[_assisting], surfaces={"admin"}),
    Transition("second_reply", "再次答复", source=[A.REHANDLING], target=A.REPLIED, who=P.can_reply,
               surfaces={"unit"}, refusal="只有该件的主办或分办单位可以答复"),
    Transition("followup", "报告续办情况", source=[A.REPLIED], who=P.can_reply, when=[_followup_due],
               surfaces={"unit"}, refusal="只有该件的主办或分办单位报告续办情况"),
    Transition("evaluate", "评价答复", source=[A.REPLIED], who=P.can_evaluate, surfaces={"portal"},
               refusal="只有领衔代表和附议代表可以评价，且每份答复只评价一次"),
    Transition("evaluate_paper", "录入纸质评价", source=[A.REPLIED], who=P.is_committee_staff),
    Transition("rehandle", "重新办理", source=[A.REPLIED], target=A.REHANDLING, who=P.is_committee_staff,
               when=[_first_reply_only], surfaces={"admin"}),
    Transition("rehandle_unsatisfied", "代表不满意，重新办理", source=[A.REPLIED], target=A.REHANDLING,
               when=[_first_reply_only], automatic=True),
    Transition("publish_reply", "答复公开", who=P.is_committee_staff),
    Transition("recompute_deadlines", "节假日安排录入后重算期限", source=A.values, automatic=True),
    # official letters (congress.letters): each issue is a step on the suggestion's timeline, the state stays
    Transition("letter_assign", "发交办函", source=Assignment.ACTIVE, who=P.is_committee_staff,
               surfaces={"admin"}),
    Transition("letter_supervise", "发督办函", source=[A.ASSIGNED, A.HANDLING, A.REHANDLING], who=P.is_committee_staff,
               surfaces={"admin"}),
    Transition("letter_remind", "发提醒函", source=[A.ASSIGNED, A.HANDLING, A.REHANDLING], who=P.is_committee_staff,
               when=[_overdue], surfaces={"admin"}),
])


COSIGNATURE = Workflow("cosignature", label="附议", model=Cosignature, states=C, thread=lambda c: f"suggestion:{c.suggestion_id}",
                       tones={C.CONFIRMED: "green", C.DECLINED: "red"}, transitions=[
    Transition("invite", "邀请附议", source=(), target=C.INVITED, automatic=True),
    Transition("confirm", "确认附议", source=[C.INVITED], target=C.CONFIRMED, who=P.is_invited_deputy,
               when=[_still_open_to_cosign], surfaces={"portal"}, refusal="只有被邀请的代表本人可以确认附议"),
    Transition("decline", "谢绝附议", source=[C.INVITED], target=C.DECLINED, who=P.is_invited_deputy,
               when=[_still_open_to_cosign], surfaces={"portal"}, refusal="只有被邀请的代表本人可以谢绝附议"),
])


PROPOSAL = Workflow("proposal", label="议案", model=Proposal, states=Proposal.Status,
                    tones={Proposal.Status.ON_AGENDA: "green", Proposal.Status.CONVERTED: ""}, transitions=[
    Transition("register", "登记议案", source=(), target=Proposal.Status.SUBMITTED, automatic=True),
    Transition("place_on_agenda", "主席团决定列入会议议程", source=[Proposal.Status.SUBMITTED],
               target=Proposal.Status.ON_AGENDA, who=P.is_committee_staff, surfaces={"admin"}),
    Transition("convert", "主席团决定作为建议办理", source=[Proposal.Status.SUBMITTED],
               target=Proposal.Status.CONVERTED, who=P.is_committee_staff, surfaces={"admin"}),
])
