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


# 工作评议 (work appraisal of a department):
#   mobilizing ─survey→ surveying (questionnaires recorded) ─self_check→ self_check (the department submits its report in
#   the unit workspace) ─convene→ meeting (the satisfaction poll) ─conclude→ rectifying (items assigned) ─review→
#   reviewing (回头看) ─close→ closed;  scores on the year's aspects are recorded from the meeting on
from supervision.models import Appraisal, AppraisalAspect, AppraisalScheme  # noqa: E402

AS = Appraisal.Status


def _surveyed(appraisal) -> str | None:
    return None if appraisal.surveys.exists() else "请先录入代表问卷或选民问卷的调查情况"


def _self_check_reported(appraisal) -> str | None:
    return None if appraisal.self_check_at else "被评议部门尚未提交自查报告"


def _poll_closed(appraisal) -> str | None:
    poll = appraisal.poll
    if poll is None or poll.status not in (SatisfactionPoll.Status.CLOSED, SatisfactionPoll.Status.PUBLISHED):
        return "评议会议的满意度测评尚未结束投票"
    return None


def _scheme_ready(appraisal) -> str | None:
    scheme = AppraisalScheme.objects.filter(year=appraisal.year).first()
    weights = list(scheme.aspects.values_list("weight", flat=True)) if scheme else []
    if not weights:
        return f"{appraisal.year}年度的测评项目和权重尚未设置"
    if sum(weights) != 100:
        return f"{appraisal.year}年度测评项目的权重合计须为100%（现为{sum(weights)}%）"
    return None


def _scored(appraisal) -> str | None:
    aspects = set(AppraisalAspect.objects.filter(scheme__year=appraisal.year).values_list("pk", flat=True))
    scored = set(appraisal.scores.values_list("aspect_id", flat=True))
    return None if aspects and aspects <= scored else "请先录入各测评项目的得分"


def _rectified(appraisal) -> str | None:
    left = (Rectification.objects.filter(source_workflow="appraisal", source_id=appraisal.pk)
            .exclude(status=Rectification.Status.ACCEPTED).count())
    return f"还有{left}项整改事项未验收，不能结束评议" if left else None


APPRAISAL = Workflow("appraisal", label="工作评议", model=Appraisal, states=AS,
                     tones={AS.MOBILIZING: "", AS.CLOSED: "green"}, transitions=[
    Transition("create", "确定评议对象", source=(), target=AS.MOBILIZING, automatic=True),
    Transition("survey", "开展调查研究", source=[AS.MOBILIZING], target=AS.SURVEYING, who=P.is_committee_staff,
               surfaces={"admin"}),
    Transition("record_survey", "录入问卷调查", source=[AS.SURVEYING, AS.SELF_CHECK], who=P.is_committee_staff,
               surfaces={"admin"}),
    Transition("self_check", "部署自查自纠", source=[AS.SURVEYING], target=AS.SELF_CHECK, who=P.is_committee_staff,
               when=[_surveyed], surfaces={"admin"}),
    Transition("report_self_check", "提交自查报告", source=[AS.SELF_CHECK], who=P.is_appraised_unit, surfaces={"unit"}),
    Transition("convene", "召开评议会议", source=[AS.SELF_CHECK], target=AS.MEETING, who=P.is_committee_staff,
               when=[_self_check_reported], surfaces={"admin"}),
    Transition("conclude", "形成评议意见", source=[AS.MEETING], target=AS.RECTIFYING, who=P.is_committee_staff,
               when=[_poll_closed], surfaces={"admin"}),
    Transition("assign", "交办整改事项", source=[AS.RECTIFYING], who=P.is_committee_staff, surfaces={"admin"}),
    Transition("review", "开展回头看", source=[AS.RECTIFYING], target=AS.REVIEWING, who=P.is_committee_staff,
               surfaces={"admin"}),
    Transition("record_scores", "录入测评得分", source=[AS.MEETING, AS.RECTIFYING, AS.REVIEWING],
               who=P.is_committee_staff, when=[_scheme_ready], surfaces={"admin"}),
    Transition("close", "评议结束", source=[AS.REVIEWING], target=AS.CLOSED, who=P.is_committee_staff,
               when=[_rectified, _scored], surfaces={"admin"}),
])
