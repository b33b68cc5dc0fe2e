"""Supervision's workflows, declared once (congress.lib.workflow).

    satisfaction poll:  draft ─open→ open ─(members vote in the portal; staff enter the paper ballots)─close→ closed
                        ─publish→ published          (a 不满意 result opens the follow-up its source defines)
    rectification item: open ─(the organ reports progress)─submit→ submitted ─accept→ accepted · ─return→ open
"""
from congress.lib.workflow import Transition, Workflow
from supervision import predicates as P
from supervision.models import Rectification, SatisfactionPoll

PS = SatisfactionPoll.Status
RS = Rectification.Status


def _groups_ready(poll) -> str | None:
    """What keeps a poll from opening: its groups, their weights, the public group's number."""
    groups = list(poll.groups.all())
    if not groups:
        return "请先设置参评人员组"
    if sum(g.weight for g in groups) != 100:
        return f"各参评人员组的权重合计须为100%（现为{sum(g.weight for g in groups)}%）"
    if any(g.kind == g.Kind.PUBLIC and not g.eligible for g in groups):
        return "请填写群众代表的应参评人数"
    return None


POLL = Workflow("poll", label="满意度测评", model=SatisfactionPoll, states=PS,
                tones={PS.DRAFT: "", PS.CLOSED: "green", PS.PUBLISHED: "green"}, transitions=[
    Transition("create", "创建测评", source=(), target=PS.DRAFT, automatic=True),
    Transition("open", "开始投票", source=[PS.DRAFT], target=PS.OPEN, who=P.is_committee_staff, when=[_groups_ready],
               surfaces={"admin"}),
    Transition("vote", "网上投票", source=[PS.OPEN], who=P.can_vote, surfaces={"portal"}, verb="投票"),
    Transition("enter_paper", "录入纸质票", source=[PS.OPEN], who=P.is_committee_staff, surfaces={"admin"}),
    Transition("close", "结束投票并计票", source=[PS.OPEN], target=PS.CLOSED, who=P.is_committee_staff,
               surfaces={"admin"}, verb="结束投票"),
    Transition("publish", "公布结果", source=[PS.CLOSED], target=PS.PUBLISHED, who=P.is_committee_staff,
               surfaces={"admin"}),
])


RECTIFICATION = Workflow("rectification", label="整改事项", model=Rectification, states=RS,
                         tones={RS.ACCEPTED: "green", RS.SUBMITTED: "amber"}, transitions=[
    Transition("create", "交办整改", source=(), target=RS.OPEN, automatic=True),
    Transition("report", "报告整改进展", source=[RS.OPEN], who=P.is_responsible_unit, surfaces={"unit"}),
    Transition("submit", "报告整改完成", source=[RS.OPEN], target=RS.SUBMITTED, who=P.is_responsible_unit,
               surfaces={"unit"}),
    Transition("accept", "验收", source=[RS.SUBMITTED], target=RS.ACCEPTED, who=P.is_committee_staff,
               surfaces={"admin"}),
    Transition("return", "退回继续整改", source=[RS.SUBMITTED], target=RS.OPEN, who=P.is_committee_staff,
               surfaces={"admin"}),
])
