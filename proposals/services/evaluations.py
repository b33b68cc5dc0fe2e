"""Publishing replies and the deputies' evaluations of them (online, or from the paper form by staff)."""
from django.db import transaction
from django.utils import timezone

from congress.models import User
from congress.services import CongressError
from deputies.models import Deputy
from proposals.models import Evaluation, Reply
from proposals.predicates import evaluating_deputy_ids
from proposals.services._common import lock_assignment, lock_suggestion, require_deputy
from proposals.services.assignments import _rehandle
from proposals.workflows import ASSIGNMENT, SUGGESTION


@transaction.atomic
def reply_publish(*, actor: User, reply: Reply) -> Reply:
    reply = Reply.objects.select_for_update().select_related("assignment__suggestion").get(pk=reply.pk)
    assignment = lock_assignment(reply.assignment)
    ASSIGNMENT.check(actor, assignment, "publish_reply")
    if not reply.publishable:
        raise CongressError("承办单位未同意公开这份答复")
    if reply.published_at is not None:
        raise CongressError("这份答复已经公开")
    reply.published_at = timezone.now()
    reply.save(update_fields=["published_at"])
    ASSIGNMENT.apply(assignment, "publish_reply", actor=actor, reason=str(reply))
    return reply


def _evaluate(*, actor: User, reply: Reply, deputy: Deputy, rating: str, comment: str, paper: bool) -> Evaluation:
    reply = Reply.objects.select_for_update().get(pk=reply.pk)
    assignment = lock_assignment(reply.assignment)
    suggestion = assignment.suggestion
    if deputy.pk not in evaluating_deputy_ids(suggestion):
        raise CongressError("只有领衔代表和附议代表可以评价")
    if rating not in Evaluation.Rating.values:
        raise CongressError("评价须为满意、基本满意或不满意")
    latest = assignment.replies.order_by("-is_second_reply", "-id").first()
    if latest is None or latest.pk != reply.pk or assignment.status != assignment.Status.REPLIED:
        raise CongressError("只能评价承办单位最新的答复")
    if Evaluation.objects.filter(reply=reply, deputy=deputy).exists():
        raise CongressError(f"{deputy.full_name}代表已评价过这份答复")
    name = "evaluate_paper" if paper else "evaluate"
    ASSIGNMENT.check(actor, assignment, name)
    evaluation = Evaluation.objects.create(reply=reply, deputy=deputy, rating=rating, comment=comment.strip(),
                                           entered_by=actor,
                                           source=Evaluation.Source.PAPER if paper else Evaluation.Source.ONLINE)
    ASSIGNMENT.apply(assignment, name, actor=actor,
                     reason=f"{deputy.full_name}：{evaluation.get_rating_display()}{'（纸质）' if paper else ''} "
                            f"{comment.strip()[:100]}")
    if rating == Evaluation.Rating.UNSATISFIED and ASSIGNMENT.can(actor, assignment, "rehandle_unsatisfied"):
        _rehandle(actor=actor, assignment=assignment, name="rehandle_unsatisfied",
                  reason=f"{deputy.full_name}代表评价不满意：{comment.strip()[:100]}")
    return evaluation


@transaction.atomic
def evaluation_submit(*, actor: User, reply: Reply, rating: str, comment: str = "") -> Evaluation:
    """A deputy rates a reply online (满意/基本满意/不满意); 不满意 on a first reply sends it back for handling."""
    deputy = require_deputy(actor)
    return _evaluate(actor=actor, reply=reply, deputy=deputy, rating=rating, comment=comment, paper=False)


@transaction.atomic
def evaluation_record_paper(*, actor: User, reply: Reply, deputy: Deputy, rating: str,
                            comment: str = "") -> Evaluation:
    """Staff enter an evaluation from the paper form (征询意见表)."""
    suggestion = lock_suggestion(reply.assignment.suggestion)
    SUGGESTION.check(actor, suggestion, "evaluate_paper")
    return _evaluate(actor=actor, reply=reply, deputy=deputy, rating=rating, comment=comment, paper=True)
