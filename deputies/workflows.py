"""The deputies' workflows, declared once (congress.lib.workflow): duty activities and leave requests.

    duty activity:  submitted ─verify→ verified · submitted ─return→ returned
    leave request:  submitted ─approve→ approved · submitted ─reject→ rejected
"""
from congress.lib.workflow import Transition, Workflow
from deputies import predicates as P
from deputies.models import DutyActivity, LeaveRequest

D = DutyActivity.Status
L = LeaveRequest.Status

ACTIVITY = Workflow("activity", label="履职活动", model=DutyActivity, states=D,
                    tones={D.VERIFIED: "green", D.RETURNED: "red"}, transitions=[
    Transition("report", "代表登记", source=(), target=D.SUBMITTED, automatic=True),
    Transition("record_verified", "工作人员登记", source=(), target=D.VERIFIED, automatic=True),
    Transition("verify", "审核通过", source=[D.SUBMITTED], target=D.VERIFIED, who=P.can_review_activity,
               surfaces={"admin"}, refusal="只能审核本镇街代表参加的活动"),
    Transition("return", "退回", source=[D.SUBMITTED], target=D.RETURNED, who=P.can_review_activity,
               surfaces={"admin"}, refusal="只能审核本镇街代表参加的活动"),
])

LEAVE = Workflow("leave", label="请假", model=LeaveRequest, states=L,
                 tones={L.APPROVED: "green", L.REJECTED: "red"}, transitions=[
    Transition("request", "申请请假", source=(), target=L.SUBMITTED, automatic=True),
    Transition("approve", "批准", source=[L.SUBMITTED], target=L.APPROVED, who=P.can_decide_leave, surfaces={"admin"},
               refusal="只能处理本镇街代表的请假", verb="处理"),
    Transition("reject", "不批准", source=[L.SUBMITTED], target=L.REJECTED, who=P.can_decide_leave, surfaces={"admin"},
               refusal="只能处理本镇街代表的请假", verb="处理"),
])
