"""议案: registration and the presidium's two decisions."""
import datetime
from collections.abc import Iterable

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from congress.models import CongressSession, User
from congress.services import CongressError
from deputies.models import Deputy
from proposals.conf import rule
from proposals.models import Cosignature, Proposal, Suggestion
from proposals.predicates import is_committee_staff
from proposals.services._common import _today, deputy_users, notify
from proposals.workflows import PROPOSAL, SUGGESTION


def proposal_signers_check(*, delegation, signers) -> None:
    """The one rule for who may move a 议案: a delegation, or at least PROPOSAL_MIN_DEPUTIES deputies jointly
    (the admin's form shows it at once; the service refuses the same way)."""
    minimum = rule("PROPOSAL_MIN_DEPUTIES")
    if delegation is None and len(list(signers)) < minimum:
        raise CongressError(f"议案须由代表团或{minimum}名以上代表联名提出（现有{len(list(signers))}名）")


@transaction.atomic
def proposal_register(*, actor: User, session: CongressSession, title: str, content: str, delegation=None,
                      signers: Iterable[Deputy] = (), lead_deputy: Deputy | None = None) -> Proposal:
    """议案 from a delegation, or jointly from at least PROPOSAL_MIN_DEPUTIES deputies."""
    if not is_committee_staff(actor):
        raise CongressError("只有常委会机关工作人员可以登记议案")
    signers = list(dict.fromkeys(signers))
    proposal_signers_check(delegation=delegation, signers=signers)
    if delegation is not None and delegation.term_id != session.term_id:
        raise CongressError("代表团不属于本届")
    if not title.strip() or not content.strip():
        raise CongressError("案由和内容不能为空")
    CongressSession.objects.select_for_update().get(pk=session.pk)
    serial = (Proposal.objects.filter(session=session).aggregate(m=Max("serial"))["m"] or 0) + 1
    proposal = Proposal.objects.create(session=session, serial=serial, title=title.strip(), content=content.strip(),
                                       delegation=delegation, lead_deputy=lead_deputy or (signers[0] if signers else None))
    proposal.signers.set(signers)
    PROPOSAL.record_created(proposal, actor=actor, name="register")
    return proposal


def _add_years(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


@transaction.atomic
def proposal_place_on_agenda(*, actor: User, proposal: Proposal, decided_on: datetime.date | None = None,
                             note: str = "") -> Proposal:
    proposal = Proposal.objects.select_for_update().get(pk=proposal.pk)
    PROPOSAL.check(actor, proposal, "place_on_agenda")
    decided_on = decided_on or _today()
    proposal.decided_on = decided_on
    proposal.decision_note = note.strip()
    proposal.supervision_until = _add_years(decided_on, rule("PROPOSAL_SUPERVISION_YEARS"))
    proposal.follow_until = _add_years(proposal.supervision_until, rule("PROPOSAL_FOLLOW_YEARS"))
    PROPOSAL.apply(proposal, "place_on_agenda", actor=actor, reason=note,
                   fields=["decided_on", "decision_note", "supervision_until", "follow_until"])
    return proposal


@transaction.atomic
def proposal_convert_to_suggestion(*, actor: User, proposal: Proposal, note: str = "",
                                   decided_on: datetime.date | None = None) -> Suggestion:
    """The presidium has the proposal handled as a suggestion: a submitted suggestion in the session's batch, the
    lead deputy leading and the other signers as confirmed co-signers."""
    proposal = Proposal.objects.select_for_update(of=("self",)).select_related("session__term").get(pk=proposal.pk)
    PROPOSAL.check(actor, proposal, "convert")
    lead = proposal.lead_deputy
    if lead is None:
        raise CongressError("请先为议案指定领衔代表，再转为建议")
    suggestion = Suggestion.objects.create(
        term=proposal.session.term, session=proposal.session, title=proposal.title, content=proposal.content,
        lead_deputy=lead, status=Suggestion.Status.SUBMITTED, from_proposal=proposal, submitted_at=timezone.now())
    now = timezone.now()
    Cosignature.objects.bulk_create([Cosignature(suggestion=suggestion, deputy=d, status=Cosignature.Status.CONFIRMED,
                                                 responded_at=now) for d in proposal.signers.exclude(pk=lead.pk)])
    proposal.decided_on = decided_on or _today()
    proposal.decision_note = note.strip()
    PROPOSAL.apply(proposal, "convert", actor=actor, reason=note, fields=["decided_on", "decision_note"])
    SUGGESTION.record_created(suggestion, actor=actor, name="from_proposal", reason=f"由第{proposal.serial}号议案转为建议")
    notify(deputy_users(suggestion), "proposal_converted", f"议案《{proposal.title}》经主席团决定作为建议办理")
    return suggestion
