"""Writing, submitting, reviewing, registering, returning, merging, closing and supervising suggestions. Each function
locks the row, takes one transition of proposals.workflows (which checks the state and who acts and writes the history
row) and notifies the parties."""
import datetime
from collections.abc import Iterable

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from congress.lib import uploads
from congress.models import CongressSession, Organization, Term, User
from congress.selectors import current_term
from congress.services import CongressError
from deputies.models import Deputy
from proposals.models import Cosignature, Suggestion, SuggestionAttachment, SupervisionEvent
from proposals.services._common import (
    _today,
    deputy_users,
    label,
    lock_suggestion,
    notify,
    require_deputy,
    staff_users,
    town_users,
)
from proposals.services.similar import similar_schedule
from proposals.workflows import COSIGNATURE, SUGGESTION

S = Suggestion.Status


def _batch_for(term: Term, today: datetime.date) -> tuple[CongressSession | None, int | None]:
    running = term.sessions.filter(start_date__lte=today, end_date__gte=today).first()
    if running is not None:
        return running, None
    return None, today.year


def _attach(suggestion: Suggestion, attachments: Iterable) -> None:
    for upload in attachments:
        SuggestionAttachment.objects.create(suggestion=suggestion, file=upload, name=uploads.original_name(upload))


@transaction.atomic
def suggestion_create(*, actor: User, title: str, content: str, category=None, lead_deputy: Deputy | None = None,
                      session: CongressSession | None = None, recess_year: int | None = None,
                      attachments: Iterable = (), submit: bool = False) -> Suggestion:
    """A draft. A deputy writes their own; staff may enter one for a deputy from paper or the secretariat's
    spreadsheet, and then (submit=True) it is submitted at once."""
    from congress.predicates import deputy_of
    from proposals.predicates import is_committee_staff

    if lead_deputy is None:
        lead_deputy = require_deputy(actor)
    elif not is_committee_staff(actor) and deputy_of(actor) != lead_deputy:
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
    _attach(suggestion, attachments)
    SUGGESTION.record_created(suggestion, actor=actor)
    if submit:
        suggestion.submitted_at = timezone.now()
        SUGGESTION.apply(suggestion, "enter", actor=actor, reason="工作人员代为录入", fields=["submitted_at"])
    return suggestion


@transaction.atomic
def suggestion_update_draft(*, actor: User, suggestion: Suggestion, title: str | None = None,
                            content: str | None = None, category=None, attachments: Iterable = ()) -> Suggestion:
    suggestion = lock_suggestion(suggestion)
    SUGGESTION.check(actor, suggestion, "edit")
    attachments = uploads.check_all(attachments, "attachment")
    if title is not None:
        suggestion.title = title.strip()
    if content is not None:
        suggestion.content = content.strip()
    if category is not None:
        suggestion.category = category
    if not suggestion.title or not suggestion.content:
        raise CongressError("标题和内容不能为空")
    _attach(suggestion, attachments)
    SUGGESTION.apply(suggestion, "edit", actor=actor, fields=["title", "content", "category"])
    return suggestion


@transaction.atomic
def suggestion_invite_cosigners(*, actor: User, suggestion: Suggestion, deputies: Iterable[Deputy]) -> list[Cosignature]:
    suggestion = lock_suggestion(suggestion)
    SUGGESTION.check(actor, suggestion, "invite")
    lead = require_deputy(actor)
    existing = set(suggestion.cosignatures.values_list("deputy_id", flat=True))
    made = []
    for deputy in deputies:
        if deputy.pk == lead.pk or deputy.pk in existing:
            continue
        made.append(Cosignature.objects.create(suggestion=suggestion, deputy=deputy))
        existing.add(deputy.pk)
    if made:
        SUGGESTION.apply(suggestion, "invite", actor=actor, reason="邀请附议：" + "、".join(c.deputy.full_name for c in made))
        notify(User.objects.filter(deputy__in=[c.deputy for c in made]), "suggestion_cosign_invite",
               f"{lead.full_name}代表邀请您附议建议{label(suggestion)}")
    return made


@transaction.atomic
def cosignature_respond(*, actor: User, cosignature: Cosignature, confirm: bool) -> Cosignature:
    cosignature = Cosignature.objects.select_for_update().select_related("suggestion").get(pk=cosignature.pk)
    deputy = require_deputy(actor)
    cosignature.responded_at = timezone.now()
    COSIGNATURE.apply(cosignature, "confirm" if confirm else "decline", actor=actor, fields=["responded_at"],
                      reason=f"{deputy.full_name}{'确认附议' if confirm else '谢绝附议'}")
    return cosignature


def cosignature_confirm(*, actor: User, cosignature: Cosignature) -> Cosignature:
    return cosignature_respond(actor=actor, cosignature=cosignature, confirm=True)


def cosignature_decline(*, actor: User, cosignature: Cosignature) -> Cosignature:
    return cosignature_respond(actor=actor, cosignature=cosignature, confirm=False)


@transaction.atomic
def suggestion_submit(*, actor: User, suggestion: Suggestion, presubmit: bool = False) -> Suggestion:
    """Submit to the committee (during a session or in recess), or pre-submit before a session so the deputy's
    town congress staff can review it."""
    suggestion = lock_suggestion(suggestion)
    if presubmit:
        SUGGESTION.check(actor, suggestion, "presubmit")
        deputy = require_deputy(actor)
        upcoming = suggestion.term.sessions.filter(start_date__gt=_today()).order_by("start_date").first()
        suggestion.session, suggestion.recess_year, suggestion.town = upcoming, None, deputy.town
        SUGGESTION.apply(suggestion, "presubmit", actor=actor, fields=["session", "recess_year", "town"])
        notify(town_users(deputy.town), "suggestion_presubmitted",
               f"{deputy.full_name}代表预提交了建议{label(suggestion)}")
        return suggestion
    SUGGESTION.check(actor, suggestion, "submit")
    suggestion.submitted_at = timezone.now()
    SUGGESTION.apply(suggestion, "submit", actor=actor, fields=["submitted_at"])
    notify(staff_users(), "suggestion_submitted", f"{suggestion.lead_deputy.full_name}代表提交了建议{label(suggestion)}")
    similar_schedule(suggestion)
    return suggestion


@transaction.atomic
def suggestion_town_return(*, actor: User, suggestion: Suggestion, comment: str) -> Suggestion:
    suggestion = lock_suggestion(suggestion)
    SUGGESTION.check(actor, suggestion, "town_return")
    if not comment.strip():
        raise CongressError("请填写退回修改的意见")
    suggestion.town_comment = comment.strip()
    SUGGESTION.apply(suggestion, "town_return", actor=actor, reason=comment, fields=["town_comment"])
    notify(deputy_users(suggestion), "suggestion_town_returned", f"建议{label(suggestion)}被退回修改", comment)
    return suggestion


@transaction.atomic
def suggestion_town_forward(*, actor: User, suggestion: Suggestion, comment: str = "") -> Suggestion:
    suggestion = lock_suggestion(suggestion)
    suggestion.town_comment = comment.strip()
    suggestion.submitted_at = timezone.now()
    SUGGESTION.apply(suggestion, "town_forward", actor=actor, reason=comment, fields=["town_comment", "submitted_at"])
    notify(staff_users(), "suggestion_submitted", f"镇街审核提交了建议{label(suggestion)}")
    similar_schedule(suggestion)
    return suggestion


# ---------------------------------------------------------------- committee staff: registration

@transaction.atomic
def suggestion_register(*, actor: User, suggestion: Suggestion) -> Suggestion:
    """Give the next number of the suggestion's batch (a session, or a recess year of the term)."""
    suggestion = lock_suggestion(suggestion)
    SUGGESTION.check(actor, suggestion, "register")
    # one registration at a time per batch: lock the session (or the term for recess batches)
    if suggestion.session_id:
        CongressSession.objects.select_for_update().get(pk=suggestion.session_id)
    else:
        Term.objects.select_for_update().get(pk=suggestion.term_id)
    last = Suggestion.objects.filter(batch_key=suggestion.compute_batch_key()).aggregate(m=Max("serial"))["m"] or 0
    suggestion.serial = last + 1
    suggestion.number = suggestion.format_number(suggestion.serial)
    suggestion.registered_at = timezone.now()
    SUGGESTION.apply(suggestion, "register", actor=actor, reason=suggestion.number,
                     fields=["serial", "number", "registered_at"])
    notify(deputy_users(suggestion), "suggestion_registered", f"您的建议已登记为{suggestion.number}")
    return suggestion


@transaction.atomic
def suggestion_return(*, actor: User, suggestion: Suggestion, reason: str) -> Suggestion:
    suggestion = lock_suggestion(suggestion)
    SUGGESTION.check(actor, suggestion, "return")
    if not reason.strip():
        raise CongressError("请填写退回理由")
    suggestion.return_reason = reason.strip()
    SUGGESTION.apply(suggestion, "return", actor=actor, reason=reason, fields=["return_reason"])
    notify(deputy_users(suggestion), "suggestion_returned", f"建议{label(suggestion)}已退回", reason)
    return suggestion


MERGE_TARGET_STATES = SUGGESTION["merge_in"].source


def merge_targets(suggestion: Suggestion):
    """The suggestions this one may be merged into (并案): the same term, in a state that can take it in."""
    return Suggestion.objects.filter(term_id=suggestion.term_id, status__in=MERGE_TARGET_STATES).exclude(pk=suggestion.pk)


@transaction.atomic
def suggestion_merge(*, actor: User, suggestion: Suggestion, into: Suggestion, reason: str = "") -> Suggestion:
    """并案: the suggestion joins `into`; its deputies become confirmed co-signers of `into` so they follow
    and evaluate the handling."""
    first, second = sorted([suggestion.pk, into.pk])
    locked = {s.pk: s for s in Suggestion.objects.select_for_update().filter(pk__in=[first, second])}
    suggestion, into = locked[suggestion.pk], locked.get(into.pk)
    if into is None or into.pk == suggestion.pk:
        raise CongressError("不能并入本件")
    SUGGESTION.check(actor, suggestion, "merge")
    if into.status not in MERGE_TARGET_STATES:
        raise CongressError(f"只能并入已登记或办理中的建议（{label(into)}当前状态：{into.get_status_display()}）")
    if into.term_id != suggestion.term_id:
        raise CongressError("只能在同一届的建议之间并案")
    suggestion.merged_into = into
    text = reason.strip() or f"与{label(into)}内容相近，并案办理"
    SUGGESTION.apply(suggestion, "merge", actor=actor, reason=text, fields=["merged_into"])
    joined = [suggestion.lead_deputy_id, *suggestion.cosignatures.filter(
        status=Cosignature.Status.CONFIRMED).values_list("deputy_id", flat=True)]
    present = {into.lead_deputy_id, *into.cosignatures.values_list("deputy_id", flat=True)}
    now = timezone.now()
    Cosignature.objects.bulk_create([Cosignature(suggestion=into, deputy_id=pk, status=Cosignature.Status.CONFIRMED,
                                                 responded_at=now) for pk in dict.fromkeys(joined) if pk not in present])
    Cosignature.objects.filter(suggestion=into, deputy_id__in=joined, status=Cosignature.Status.INVITED).update(
        status=Cosignature.Status.CONFIRMED, responded_at=now)
    SUGGESTION.apply(into, "merge_in", actor=actor, reason=f"并入{label(suggestion)}")
    notify(deputy_users(suggestion), "suggestion_merged", f"建议{label(suggestion)}已并入{label(into)}办理")
    return suggestion


@transaction.atomic
def suggestion_close(*, actor: User, suggestion: Suggestion, note: str = "") -> Suggestion:
    suggestion = lock_suggestion(suggestion)
    suggestion.closed_at = timezone.now()
    SUGGESTION.apply(suggestion, "close", actor=actor, reason=note, fields=["closed_at"])
    return suggestion


# ---------------------------------------------------------------- priority supervision

@transaction.atomic
def suggestion_mark_priority(*, actor: User, suggestion: Suggestion, supervising_leader: str,
                             government_official: str, supervising_body: Organization, reason: str = "") -> Suggestion:
    """重点督办, chosen by the 主任会议: a supervising leader, the leading government official and the working body."""
    from proposals.models import Assignment
    from proposals.services._common import unit_users

    suggestion = lock_suggestion(suggestion)
    SUGGESTION.check(actor, suggestion, "priority")
    if not supervising_leader.strip() or not government_official.strip():
        raise CongressError("请填写督办领导和政府牵头领导")
    if supervising_body is None or supervising_body.kind != Organization.Kind.WORKING_BODY:
        raise CongressError("督办工作机构须为常委会工作机构")
    suggestion.is_priority = True
    suggestion.supervising_leader = supervising_leader.strip()
    suggestion.government_official = government_official.strip()
    suggestion.supervising_body = supervising_body
    SUGGESTION.apply(suggestion, "priority", actor=actor,
                     reason=f"督办领导：{suggestion.supervising_leader}；政府牵头领导：{suggestion.government_official}；"
                            f"督办机构：{supervising_body.name}。{reason.strip()}",
                     fields=["is_priority", "supervising_leader", "government_official", "supervising_body"])
    units = suggestion.assignments.filter(status__in=Assignment.ACTIVE).values_list("unit_id", flat=True)
    notify(unit_users(units) + deputy_users(suggestion), "suggestion_priority", f"建议{label(suggestion)}列为重点督办")
    return suggestion


@transaction.atomic
def supervision_event_record(*, actor: User, suggestion: Suggestion, date: datetime.date, description: str,
                             place: str = "", participants: str = "") -> SupervisionEvent:
    suggestion = lock_suggestion(suggestion)
    SUGGESTION.check(actor, suggestion, "supervise")
    if not description.strip():
        raise CongressError("请填写督办情况")
    if date > _today():
        raise CongressError("督办日期不能晚于今天")
    event = SupervisionEvent.objects.create(suggestion=suggestion, date=date, place=place.strip(),
                                            participants=participants.strip(), description=description.strip(),
                                            recorded_by=actor)
    SUGGESTION.apply(suggestion, "supervise", actor=actor, reason=f"{date:%Y-%m-%d} {place} 现场督办")
    return event
