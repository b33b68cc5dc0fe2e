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
# 专项工作报告和审议意见 (supervision/models/reports.py; why these states: that module's docstring)
#
#   work report:    planned ─(the organ)─submit_draft→ draft ─submit_revised→ revised ─(staff: distribute, 7 days before)
#                   ─deliberate (after the meeting)→ deliberated ─send_opinion→ opinion_sent   (schedule: the meeting,
#                   any time before it; cancel → cancelled: taken out of the plan)
#   review opinion: sent ─(the organ, due in 3 months)─report→ reported ─poll→ polling ─close→ closed
#                   polling ─(不满意, the poll's hook)→ rereport_due ─rereport→ rereported ─poll→ polling
#                   ─(不满意 again)→ escalated;  reported / rereported ─close→ closed (no poll: the law says "may")

from supervision.models import ReviewOpinion, WorkReport  # noqa: E402  (appended with its declarations)

WS = WorkReport.Status
OS = ReviewOpinion.Status


def _meeting_held(report) -> str | None:
    """The deliberation is recorded once the meeting it went to has been held."""
    from django.utils import timezone

    if report.meeting_id is None:
        return "请先安排提请审议的常委会会议"
    if report.meeting.date > timezone.localdate():
        return f"会议定于{report.meeting.date:%Y年%m月%d日}举行，会后才能记录审议情况"
    return None


def _copies_not_sent(report) -> str | None:
    if report.copies_sent_at is not None:
        return "报告已印发组成人员"
    return None


WORK_REPORT = Workflow("work_report", label="专项工作报告", model=WorkReport, states=WS,
                       tones={WS.PLANNED: "", WS.OPINION_SENT: "green", WS.CANCELLED: "red"}, transitions=[
    Transition("create", "列入年度监督工作计划", source=(), target=WS.PLANNED, automatic=True),
    Transition("schedule", "安排会议", source=WorkReport.BEFORE_MEETING, who=P.is_committee_staff, surfaces={"admin"}),
    Transition("submit_draft", "报送报告初稿", source=[WS.PLANNED], target=WS.DRAFT, who=P.is_reporting_organ,
               surfaces={"unit"}),
    Transition("submit_revised", "报送报告修改稿", source=[WS.DRAFT], target=WS.REVISED, who=P.is_reporting_organ,
               surfaces={"unit"}),
    Transition("distribute", "印发组成人员", source=[WS.REVISED], who=P.is_committee_staff, when=[_copies_not_sent],
               surfaces={"admin"}),
    Transition("deliberate", "记录审议情况", source=[WS.REVISED], target=WS.DELIBERATED, who=P.is_committee_staff,
               when=[_meeting_held], surfaces={"admin"}),
    Transition("send_opinion", "送交审议意见", source=[WS.DELIBERATED], target=WS.OPINION_SENT, who=P.is_committee_staff,
               surfaces={"admin"}),
    Transition("cancel", "调整出计划", source=WorkReport.BEFORE_MEETING, target=WS.CANCELLED, who=P.is_committee_staff,
               surfaces={"admin"}),
])


def _poll_settled(opinion) -> str | None:
    """While its poll is under way the opinion waits for the result (a 不满意 one moves it on by itself)."""
    from supervision.models import SatisfactionPoll

    if opinion.status != OS.POLLING:
        return None
    latest = (SatisfactionPoll.objects.filter(source_workflow="review_opinion", source_id=opinion.pk)
              .order_by("-created_at", "-id").values_list("status", flat=True).first())
    if latest in (SatisfactionPoll.Status.DRAFT, SatisfactionPoll.Status.OPEN):
        return "满意度测评尚未结束，不能办结"
    return None


REVIEW_OPINION = Workflow("review_opinion", label="审议意见", model=ReviewOpinion, states=OS,
                          thread=lambda o: f"work_report:{o.work_report_id}",
                          tones={OS.CLOSED: "green", OS.ESCALATED: "red", OS.REREPORT_DUE: "red"}, transitions=[
    Transition("create", "送交审议意见", source=(), target=OS.SENT, automatic=True),
    Transition("report", "报告研究处理情况", source=[OS.SENT], target=OS.REPORTED, who=P.is_reporting_organ,
               surfaces={"unit"}),
    Transition("poll", "组织满意度测评", source=[OS.REPORTED, OS.REREPORTED], target=OS.POLLING,
               who=P.is_committee_staff, surfaces={"admin"}),
    Transition("require_rereport", "测评不满意，要求再次报告", source=[OS.POLLING], target=OS.REREPORT_DUE, automatic=True),
    Transition("rereport", "再次报告研究处理情况", source=[OS.REREPORT_DUE], target=OS.REREPORTED,
               who=P.is_reporting_organ, surfaces={"unit"}),
    Transition("escalate", "再次测评仍不满意", source=[OS.POLLING], target=OS.ESCALATED, automatic=True),
    Transition("close", "办结", source=[OS.REPORTED, OS.POLLING, OS.REREPORTED], target=OS.CLOSED,
               who=P.is_committee_staff, when=[_poll_settled], surfaces={"admin"}),
    Transition("rectify", "交办整改事项", source=[OS.SENT, OS.REPORTED, OS.POLLING, OS.REREPORT_DUE, OS.REREPORTED],
               who=P.is_committee_staff, surfaces={"admin"}),
    Transition("recompute_deadline", "重算报告期限", source=ReviewOpinion.AWAITING, automatic=True),
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


# ---------------------------------------------------------------------------------------------------------------------
# 代表约见国家机关负责人 (supervision/models/meetings.py)
#
#   draft ─(other deputies co-sign in the portal)─propose (the drafter; MEETING_MIN_DEPUTIES signers)→ proposed
#   proposed ─(主任会议)─approve→ approved ─hold (the meeting and its record)→ met ─(the organ, due in
#   MEETING_REPLY_MONTHS)─reply→ replied ─(each signer rates once; the last one)→ rated    · proposed ─reject→ rejected
#   replied ─close (staff end the rating once somebody rated)→ rated

from django.conf import settings as _settings  # noqa: E402

from supervision.models import MeetingRequest  # noqa: E402  (appended with its declarations)

MS = MeetingRequest.Status


def _meeting_enough_signers(request) -> str | None:
    """Submission needs MEETING_MIN_DEPUTIES deputies on the request (the drafter among them)."""
    need = _settings.CONGRESS_RULES["MEETING_MIN_DEPUTIES"]
    have = request.signers.count()
    if have < need:
        return f"联名代表不足{need}人（现有{have}人），不能提出约见"
    return None


def _meeting_some_rated(request) -> str | None:
    if not request.ratings.exists():
        return "还没有代表评价书面答复，不能结束评价"
    return None


MEETING_REQUEST = Workflow("meeting_request", label="代表约见", model=MeetingRequest, states=MS,
                           tones={MS.DRAFT: "", MS.PROPOSED: "amber", MS.REJECTED: "red", MS.MET: "amber",
                                  MS.RATED: "green", MS.REPLIED: "green"}, transitions=[
    Transition("create", "起草约见", source=(), target=MS.DRAFT, automatic=True),
    Transition("cosign", "联名", source=[MS.DRAFT], who=P.can_cosign_meeting, surfaces={"portal"}),
    Transition("propose", "提出约见", source=[MS.DRAFT], target=MS.PROPOSED, who=P.is_meeting_drafter,
               when=[_meeting_enough_signers], surfaces={"portal"}),
    Transition("approve", "同意约见", source=[MS.PROPOSED], target=MS.APPROVED, who=P.is_committee_staff,
               surfaces={"admin"}, verb="决定"),
    Transition("reject", "不同意约见", source=[MS.PROPOSED], target=MS.REJECTED, who=P.is_committee_staff,
               surfaces={"admin"}, verb="决定"),
    Transition("hold", "记录约见", source=[MS.APPROVED], target=MS.MET, who=P.is_committee_staff, surfaces={"admin"}),
    Transition("reply", "书面答复", source=[MS.MET], target=MS.REPLIED, who=P.is_meeting_organ, surfaces={"unit"}),
    Transition("rate", "评价答复", source=[MS.REPLIED], who=P.can_rate_meeting, surfaces={"portal"}),
    Transition("complete", "代表全部评价", source=[MS.REPLIED], target=MS.RATED, automatic=True),
    Transition("close", "结束评价", source=[MS.REPLIED], target=MS.RATED, who=P.is_committee_staff,
               when=[_meeting_some_rated], surfaces={"admin"}),
])


# 执法检查 (supervision/models/inspections.py):
#   planned ─start→ inspecting (site visits arranged: visit; problems recorded) ─submit_report→ reported
#   ─deliberate (the meeting held)→ deliberated ─assign (each problem a rectification item)→ rectifying
#   ─report_rectification (a poll on it)→ polling ─close (satisfied)→ closed;  polling ─(不满意: automatic)─rerectify→
#   rectifying;  deliberated ─close (no problem to rectify)→ closed
from supervision.models import Inspection  # noqa: E402

NS = Inspection.Status


def _inspection_team_named(inspection) -> str | None:
    if not inspection.team.exists():
        return "请先组成检查组"
    if not inspection.team.filter(role="leader").exists():
        return "请指定检查组组长"
    return None


def _inspection_visited(inspection) -> str | None:
    from django.utils import timezone

    if not inspection.visits.filter(date__lte=timezone.localdate()).exists():
        return "尚未进行现场检查，不能提交检查报告"
    return None


def _inspection_meeting_held(inspection) -> str | None:
    from django.utils import timezone

    if inspection.meeting_id is None:
        return "请先安排提请审议的常委会会议"
    if inspection.meeting.date > timezone.localdate():
        return f"会议定于{inspection.meeting.date:%Y年%m月%d日}举行，会后才能记录审议情况"
    return None


def _inspection_problems_found(inspection) -> str | None:
    return None if inspection.problems.exists() else "没有记录发现的问题，无需交办整改"


def _inspection_closable(inspection) -> str | None:
    """After the deliberation only when nothing is to rectify; while polling once the poll is closed and not 不满意."""
    if inspection.status == NS.DELIBERATED:
        return "还有发现的问题未交办整改" if inspection.problems.exists() else None
    poll = (SatisfactionPoll.objects.filter(source_workflow="inspection", source_id=inspection.pk)
            .order_by("-created_at", "-id").first())
    if poll is None or poll.status not in (PS.CLOSED, PS.PUBLISHED):
        return "整改情况的满意度测评尚未结束"
    if poll.result == SatisfactionPoll.Choice.UNSATISFIED:
        return "满意度测评结果为不满意，须继续整改"
    return None


INSPECTION = Workflow("inspection", label="执法检查", model=Inspection, states=NS,
                      tones={NS.PLANNED: "", NS.CLOSED: "green"}, transitions=[
    Transition("create", "制定执法检查计划", source=(), target=NS.PLANNED, automatic=True),
    Transition("start", "开始检查", source=[NS.PLANNED], target=NS.INSPECTING, who=P.is_committee_staff,
               when=[_inspection_team_named], surfaces={"admin"}),
    Transition("visit", "安排现场检查", source=[NS.PLANNED, NS.INSPECTING], who=P.is_committee_staff,
               when=[_inspection_team_named], surfaces={"admin"}),
    Transition("submit_report", "提交执法检查报告", source=[NS.INSPECTING], target=NS.REPORTED, who=P.is_committee_staff,
               when=[_inspection_visited], surfaces={"admin"}),
    Transition("deliberate", "记录审议情况", source=[NS.REPORTED], target=NS.DELIBERATED, who=P.is_committee_staff,
               when=[_inspection_meeting_held], surfaces={"admin"}),
    Transition("assign", "交办整改问题", source=[NS.DELIBERATED], target=NS.RECTIFYING, who=P.is_committee_staff,
               when=[_inspection_problems_found], surfaces={"admin"}),
    Transition("report_rectification", "登记整改情况报告并测评", source=[NS.RECTIFYING], target=NS.POLLING,
               who=P.is_committee_staff, surfaces={"admin"}, verb="登记整改情况报告"),
    Transition("rerectify", "测评不满意，继续整改", source=[NS.POLLING], target=NS.RECTIFYING, automatic=True),
    Transition("close", "办结", source=[NS.DELIBERATED, NS.POLLING], target=NS.CLOSED, who=P.is_committee_staff,
               when=[_inspection_closable], surfaces={"admin"}),
])


# 民生实事项目票决制 (supervision/models/livelihood.py):
#   collecting (deputies, organs, staff propose) ─shortlist (more candidates than places)→ shortlisted ─open→ voting
#   (deputies vote on the phone; staff enter the paper ballots) ─count→ counted (a tie at the last place waits for
#   resolve_tie) ─implement→ implementing (owner organs report each quarter; poll: each project rated at the next
#   session) ─conclude→ evaluated
from supervision.models import LivelihoodRound  # noqa: E402

LR = LivelihoodRound.Status


def _livelihood_tie_settled(round_) -> str | None:
    return "末位候选项目得票相同，须先记录处理结果（如重新投票的结果或主席团的决定）" if round_.tie_pending else None


def _livelihood_tie_open(round_) -> str | None:
    return None if round_.tie_pending else "没有待决定的末位同票"


def _livelihood_chosen_owned(round_) -> str | None:
    if not round_.projects.filter(chosen=True).exists():
        return "没有票决确定的项目"
    missing = round_.projects.filter(chosen=True, organization__isnull=True).count()
    return f"还有{missing}个确定的项目没有牵头实施单位" if missing else None


def _livelihood_polls_closed(round_) -> str | None:
    projects = list(round_.projects.filter(chosen=True).select_related("poll"))
    if not projects or any(p.poll is None for p in projects):
        return "请先为每个项目组织满意度测评"
    if any(p.poll.status not in (PS.CLOSED, PS.PUBLISHED) for p in projects):
        return "还有项目的满意度测评尚未结束投票"
    return None


def _livelihood_not_polled(round_) -> str | None:
    if round_.projects.filter(chosen=True, poll__isnull=True).exists():
        return None
    return "各项目的满意度测评已经创建"


LIVELIHOOD = Workflow("livelihood", label="民生实事项目票决", model=LivelihoodRound, states=LR,
                      tones={LR.COLLECTING: "", LR.COUNTED: "green", LR.EVALUATED: "green"}, transitions=[
    Transition("create", "开始征集候选项目", source=(), target=LR.COLLECTING, automatic=True),
    Transition("propose", "代表提出候选项目", source=[LR.COLLECTING], who=P.is_deputy_proposer, surfaces={"portal"},
               verb="提出候选项目"),
    Transition("propose_unit", "单位提出候选项目", source=[LR.COLLECTING], who=P.is_unit_proposer, surfaces={"unit"},
               verb="提出候选项目"),
    Transition("propose_opinion", "录入选民意见中的候选项目", source=[LR.COLLECTING], who=P.is_committee_staff,
               surfaces={"admin"}),
    Transition("shortlist", "确定候选项目", source=[LR.COLLECTING], target=LR.SHORTLISTED, who=P.is_committee_staff,
               surfaces={"admin"}),
    Transition("open", "开始投票", source=[LR.SHORTLISTED], target=LR.VOTING, who=P.is_committee_staff,
               surfaces={"admin"}),
    Transition("vote", "网上投票", source=[LR.VOTING], who=P.can_vote_livelihood, surfaces={"portal"}, verb="投票"),
    Transition("enter_paper", "录入纸质票", source=[LR.VOTING], who=P.is_committee_staff, surfaces={"admin"}),
    Transition("count", "结束投票并计票", source=[LR.VOTING], target=LR.COUNTED, who=P.is_committee_staff,
               surfaces={"admin"}, verb="计票"),
    Transition("resolve_tie", "决定末位同票", source=[LR.COUNTED], who=P.is_committee_staff, when=[_livelihood_tie_open],
               surfaces={"admin"}),
    Transition("implement", "交付实施", source=[LR.COUNTED], target=LR.IMPLEMENTING, who=P.is_committee_staff,
               when=[_livelihood_tie_settled, _livelihood_chosen_owned], surfaces={"admin"}),
    Transition("report", "报送季度进展", source=[LR.IMPLEMENTING], who=P.is_livelihood_owner, surfaces={"unit"}),
    Transition("poll", "组织满意度测评", source=[LR.IMPLEMENTING], who=P.is_committee_staff, when=[_livelihood_not_polled],
               surfaces={"admin"}),
    Transition("conclude", "完成满意度评价", source=[LR.IMPLEMENTING], target=LR.EVALUATED, who=P.is_committee_staff,
               when=[_livelihood_polls_closed], surfaces={"admin"}),
])


# 任后监督 (the appointed officials' yearly rating, supervision/models/ratings.py):
#   round:    preparing (the list, adjusted by staff) ─start_reporting→ reporting (each organ submits its official's
#             duty report by the due date) ─start_polling→ polling (one poll per official) ─confirm→ confirmed (grades
#             from the polls) ─send_letters→ letters_sent (提醒函 to those below the threshold, the report to 区委)
#   official: awaiting ─submit_report (the organ, again until polling)→ reported ─rate (automatic, on confirm)→ rated
from supervision.models import RatedOfficial, RatingRound  # noqa: E402

RR = RatingRound.Status
RO = RatedOfficial.Status


def _round_has_officials(rnd) -> str | None:
    return None if rnd.officials.exists() else "评议名单为空，请先确定被评议干部"


def _round_reports_in(rnd) -> str | None:
    left = rnd.officials.filter(status=RO.AWAITING).count()
    return f"还有{left}名干部的述职报告未提交" if left else None


def _round_polls_closed(rnd) -> str | None:
    left = rnd.officials.exclude(poll__status__in=(PS.CLOSED, PS.PUBLISHED)).count()
    return f"还有{left}名干部的满意度测评尚未结束投票" if left else None


def _official_round_reporting(official) -> str | None:
    if official.round.status != RR.REPORTING:
        return f"履职评议当前为“{official.round.get_status_display()}”阶段，不能提交述职报告"
    return None


RATING_ROUND = Workflow("rating_round", label="任命干部履职评议", model=RatingRound, states=RR,
                        tones={RR.PREPARING: "", RR.LETTERS_SENT: "green"}, transitions=[
    Transition("create", "开展履职评议", source=(), target=RR.PREPARING, automatic=True),
    Transition("adjust", "调整评议名单", source=[RR.PREPARING], who=P.is_committee_staff, surfaces={"admin"}),
    Transition("start_reporting", "部署述职", source=[RR.PREPARING], target=RR.REPORTING, who=P.is_committee_staff,
               when=[_round_has_officials], surfaces={"admin"}),
    Transition("start_polling", "组织满意度测评", source=[RR.REPORTING], target=RR.POLLING, who=P.is_committee_staff,
               when=[_round_reports_in], surfaces={"admin"}),
    Transition("confirm", "确认评议结果", source=[RR.POLLING], target=RR.CONFIRMED, who=P.is_committee_staff,
               when=[_round_polls_closed], surfaces={"admin"}),
    Transition("send_letters", "印发一书两函", source=[RR.CONFIRMED], target=RR.LETTERS_SENT, who=P.is_committee_staff,
               surfaces={"admin"}, verb="印发函件"),
])

RATED_OFFICIAL = Workflow("rated_official", label="被评议干部", model=RatedOfficial, states=RO,
                          thread=lambda o: f"rating_round:{o.round_id}",
                          tones={RO.AWAITING: "amber", RO.RATED: "green"}, transitions=[
    Transition("create", "列入评议名单", source=(), target=RO.AWAITING, automatic=True),
    Transition("submit_report", "提交述职报告", source=[RO.AWAITING, RO.REPORTED], target=RO.REPORTED,
               who=P.is_official_organ, when=[_official_round_reporting], surfaces={"unit"}),
    Transition("rate", "评定等次", source=[RO.REPORTED], target=RO.RATED, automatic=True),
    Transition("remind", "发提醒函", source=[RO.RATED], automatic=True),
])
