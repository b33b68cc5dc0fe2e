"""Who may do what with suggestions, proposals and their assignments: the one place that decides (docs/architecture.md).

Services refuse with these, the workflows (proposals/workflows.py) draw each page's buttons from them, the views and
the admin gate their pages on them, and the access-matrix tests walk them. Every function takes (user, obj) and
returns a bool; the role questions come from congress.predicates (cached per request)."""
from congress.predicates import (  # noqa: F401  (re-exported: the proposals pages ask this module)
    deputy_id,
    in_towns,
    is_committee_staff,
    is_deputy_user,
    is_town_staff,
    is_unit_user,
    unit_id,
)


def is_lead_deputy(user, suggestion) -> bool:
    """The suggestion's 领衔代表, logged in as themselves."""
    return deputy_id(user) is not None and deputy_id(user) == suggestion.lead_deputy_id


def is_town_reviewer(user, suggestion) -> bool:
    """Town congress staff of the town a pre-submission was sent to for review."""
    return is_town_staff(user) and suggestion.town_id is not None and in_towns(user, suggestion.town_id)


def is_invited_deputy(user, cosignature) -> bool:
    return deputy_id(user) is not None and deputy_id(user) == cosignature.deputy_id


def is_assignment_unit(user, assignment) -> bool:
    """A user of the unit the item was assigned to."""
    return unit_id(user) is not None and unit_id(user) == assignment.unit_id


def can_reply(user, assignment) -> bool:
    """The lead (主办) or a separate (分办) unit answers the deputy; assisting units send their opinion to the lead."""
    return is_assignment_unit(user, assignment) and assignment.is_replying


def can_send_assist_opinion(user, assignment) -> bool:
    from proposals.models import Assignment

    return is_assignment_unit(user, assignment) and assignment.role == Assignment.Role.ASSISTING


def evaluating_deputy_ids(suggestion) -> set[int]:
    """The deputies whose evaluation counts: the lead deputy and the confirmed co-signers."""
    from proposals.models import Cosignature

    return {suggestion.lead_deputy_id, *suggestion.cosignatures.filter(
        status=Cosignature.Status.CONFIRMED).values_list("deputy_id", flat=True)}


def can_evaluate(user, assignment) -> bool:
    """A deputy who leads or co-signs (confirmed) the suggestion and has not yet rated the unit's latest reply. The
    portal's "to rate" list (selectors.replies_to_rate_for) is the same rule as a query; a test keeps them equal."""
    mine = deputy_id(user)
    if mine is None or mine not in evaluating_deputy_ids(assignment.suggestion):
        return False
    latest = assignment.replies.order_by("-is_second_reply", "-id").first()
    return latest is not None and not latest.evaluations.filter(deputy_id=mine).exists()


def can_see_suggestion(user, suggestion) -> bool:
    """Whether `user` may open the suggestion (its page, attachments, letters): the same rule as the list selector."""
    from proposals.selectors import suggestion_list_for

    return suggestion_list_for(user=user).filter(pk=suggestion.pk).exists()


def can_see_reply_letter(user, reply) -> bool:
    """A published letter is public; otherwise whoever may see the suggestion."""
    return reply.published_at is not None or (
        getattr(user, "is_authenticated", False) and can_see_suggestion(user, reply.assignment.suggestion))


def can_see_attachment(user, attachment) -> bool:
    return can_see_suggestion(user, attachment.suggestion)


def can_see_assist_opinion(user, opinion) -> bool:
    """A 会办意见 (and its attachment) is between the units and the committee: committee staff and leaders, and the
    units assigned to the same suggestion; deputies do not read it."""
    from congress.predicates import is_leader

    if is_committee_staff(user) or is_leader(user):
        return True
    mine = unit_id(user)
    return mine is not None and opinion.assignment.suggestion.assignments.filter(unit_id=mine).exists()
