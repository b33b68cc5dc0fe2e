"""The stations' workflows, declared once (congress.lib.workflow): reception days and voters' opinions (社情民意).

    reception day:  scheduled ─record→ held · scheduled ─cancel→ cancelled
    voter opinion:  received ─refer→ referred ─(staff or the unit) reply→ replied ─(voter rates | staff close)→ closed
                    received ─reply→ replied · received ─decline→ declined
                    replied ─(a first 不满意)→ referred again (to the unit that answered) or received (staff answer again);
                    a second 不满意 closes it as 不满意
    star rating:    (town or committee staff) open → draft ─score (any number of times)─ submit→ submitted
                    submitted ─(committee staff) confirm→ confirmed · submitted ─(committee staff) return→ returned
                    returned ─score, submit→ submitted again
"""
from django.utils import timezone

from congress.lib.workflow import Transition, Workflow
from stations import predicates as P
from stations.models import ReceptionDay, StationAppraisal, VoterOpinion

R = ReceptionDay.Status
O = VoterOpinion.Status  # noqa: E741


def _not_reopened_yet(opinion) -> str | None:
    return "这条意见已重新办理过一次" if opinion.first_satisfaction else None


def _answered_by_a_unit(opinion) -> str | None:
    return None if opinion.unit_id else "这条意见没有转办承办单位"


def _answered_by_staff(opinion) -> str | None:
    return "这条意见由承办单位答复" if opinion.unit_id else None


def _day_has_come(reception) -> str | None:
    return "接待日尚未到，不能登记接待情况" if reception.date > timezone.localdate() else None


RECEPTION = Workflow("reception", label="接待选民日", model=ReceptionDay, states=R,
                     tones={R.HELD: "green", R.CANCELLED: "red"}, transitions=[
    Transition("schedule", "安排接待", source=(), target=R.SCHEDULED, automatic=True),
    Transition("record", "登记接待情况", source=[R.SCHEDULED], target=R.HELD, who=P.can_manage_reception,
               when=[_day_has_come], surfaces={"admin"}, refusal=P.reception_refusal),
    Transition("cancel", "取消接待", source=[R.SCHEDULED], target=R.CANCELLED, who=P.can_manage_reception,
               surfaces={"admin"}, refusal=P.reception_refusal),
])


OPINION = Workflow("opinion", label="社情民意", model=VoterOpinion, states=O,
                   tones={O.CLOSED: "green", O.DECLINED: "red", O.REPLIED: "green"}, transitions=[
    Transition("submit", "群众提交", source=(), target=O.RECEIVED, automatic=True),
    Transition("refer", "转办", source=[O.RECEIVED], target=O.REFERRED, who=P.can_handle_opinion, surfaces={"admin"},
               refusal=P.opinion_refusal),
    Transition("reply", "答复", source=[O.RECEIVED, O.REFERRED], target=O.REPLIED, who=P.can_handle_opinion,
               surfaces={"admin"}, refusal=P.opinion_refusal),
    Transition("unit_reply", "承办单位答复", source=[O.REFERRED], target=O.REPLIED, who=P.is_referred_unit,
               surfaces={"unit"}, refusal="只有转办到的承办单位可以答复这条意见", verb="答复"),
    Transition("decline", "不予受理", source=[O.RECEIVED], target=O.DECLINED, who=P.can_handle_opinion,
               surfaces={"admin"}, refusal=P.opinion_refusal),
    Transition("rate", "群众评价", source=[O.REPLIED], target=O.CLOSED, who=P.holds_tracking_code, surfaces={"public"},
               verb="评价"),
    Transition("close", "回访办结", source=[O.REPLIED], target=O.CLOSED, who=P.can_handle_opinion, surfaces={"admin"},
               refusal=P.opinion_refusal, verb="办结"),
    Transition("reopen_to_unit", "群众不满意，承办单位重新答复", source=[O.REPLIED], target=O.REFERRED, automatic=True,
               when=[_not_reopened_yet, _answered_by_a_unit]),
    Transition("reopen", "群众不满意，重新答复", source=[O.REPLIED], target=O.RECEIVED, automatic=True,
               when=[_not_reopened_yet, _answered_by_staff]),
])


A = StationAppraisal.Status


def _every_criterion_scored(appraisal) -> str | None:
    from stations.selectors_standards import unscored_criteria

    missing = unscored_criteria(appraisal)
    return f"还有评分项目未评分：{'、'.join(missing)}" if missing else None


def _scores_within_points(appraisal) -> str | None:
    from stations.selectors_standards import scores_over_points

    over = scores_over_points(appraisal)
    return f"评分项目的分值已调整，以下得分超过现分值，须重新评分：{'、'.join(over)}" if over else None


STAR_RATING = Workflow("star_rating", label="星级评定", model=StationAppraisal, states=A,
                       tones={A.CONFIRMED: "green", A.RETURNED: "red", A.DRAFT: ""}, transitions=[
    Transition("open", "开始评分", source=(), target=A.DRAFT, automatic=True),
    Transition("score", "逐项评分", source=[A.DRAFT, A.RETURNED], target=None, who=P.can_score_appraisal,
               surfaces={"admin"}, refusal=P.scoring_refusal, verb="评分"),
    Transition("submit", "提交确认", source=[A.DRAFT, A.RETURNED], target=A.SUBMITTED, who=P.can_score_appraisal,
               when=[_every_criterion_scored, _scores_within_points], surfaces={"admin"}, refusal=P.scoring_refusal,
               verb="提交"),
    # confirm checks again: the year's criteria stay editable until its first confirmation, so a criterion may have
    # been added or its points lowered after this appraisal was submitted (the committee then returns it)
    Transition("confirm", "确认星级", source=[A.SUBMITTED], target=A.CONFIRMED, who=P.can_confirm_appraisal,
               when=[_every_criterion_scored, _scores_within_points], surfaces={"admin"}, refusal=P.confirming_refusal,
               verb="确认"),
    Transition("return", "退回修改", source=[A.SUBMITTED], target=A.RETURNED, who=P.can_confirm_appraisal,
               surfaces={"admin"}, refusal=P.confirming_refusal, verb="退回"),
])
