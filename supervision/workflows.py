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


# ---------------------------------------------------------------------------------------------------------------------
# 专题询问:  preparing ─hold→ held ─(questions, follow-ups, commitments recorded)─assign→ rectifying (each commitment a
#            rectification item) ─report→ polling (the organs' report, a poll on it) ─close→ closed
#            polling ─(the poll closes 不满意: automatic)─rereport→ rereport ─report→ polling …
from supervision.models import Inquiry  # noqa: E402

IS = Inquiry.Status


def _inquiry_officials_named(inquiry) -> str | None:
    if not inquiry.officials.exists():
        return "请先填写应询人员"
    return None


def _inquiry_meeting_begun(inquiry) -> str | None:
    from django.utils import timezone

    if inquiry.meeting.date > timezone.localdate():
        return f"会议（{inquiry.meeting.date:%Y-%m-%d}）尚未举行"
    return None


def _inquiry_recorded(inquiry) -> str | None:
    if not inquiry.questions.exists():
        return "请先记录询问的问题和回答"
    if not inquiry.commitments.exists():
        return "请先记录应询承诺事项"
    return None


def _inquiry_poll_satisfied(inquiry) -> str | None:
    report = inquiry.reports.select_related("poll").order_by("-round").first()
    poll = report and report.poll
    if poll is None or poll.status not in (PS.CLOSED, PS.PUBLISHED):
        return "整改情况的满意度测评尚未结束"
    if poll.result == SatisfactionPoll.Choice.UNSATISFIED:
        return "满意度测评结果为不满意，须再次报告整改情况"
    return None


INQUIRY = Workflow("inquiry", label="专题询问", model=Inquiry, states=IS,
                   tones={IS.PREPARING: "", IS.CLOSED: "green", IS.REREPORT: "red"}, transitions=[
    Transition("create", "安排专题询问", source=(), target=IS.PREPARING, automatic=True),
    Transition("hold", "举行询问", source=[IS.PREPARING], target=IS.HELD, who=P.is_committee_staff,
               when=[_inquiry_officials_named, _inquiry_meeting_begun], surfaces={"admin"}),
    Transition("assign", "交办承诺事项", source=[IS.HELD], target=IS.RECTIFYING, who=P.is_committee_staff,
               when=[_inquiry_recorded], surfaces={"admin"}),
    Transition("report", "报告整改情况并测评", source=[IS.RECTIFYING, IS.REREPORT], target=IS.POLLING,
               who=P.is_committee_staff, surfaces={"admin"}, verb="登记整改情况报告"),
    Transition("rereport", "测评不满意，再次整改", source=[IS.POLLING], target=IS.REREPORT, automatic=True),
    Transition("close", "办结", source=[IS.POLLING], target=IS.CLOSED, who=P.is_committee_staff,
               when=[_inquiry_poll_satisfied], surfaces={"admin"}),
])
