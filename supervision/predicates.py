"""Who may do what in supervision work: the one place that decides. Committee staff run it in the admin; the members
(and, for some polls, deputies) vote in the portal; the organs report in the unit workspace."""
from congress.predicates import deputy_id, is_committee_staff, is_leader, unit_id  # noqa: F401


def is_poll_voter(user, poll) -> bool:
    """Somebody on the poll's frozen list of voters."""
    mine = deputy_id(user)
    return mine is not None and poll.voters.filter(deputy_id=mine).exists()


def can_vote(user, poll) -> bool:
    """On the list and not yet voted, on either channel."""
    mine = deputy_id(user)
    return mine is not None and poll.voters.filter(deputy_id=mine, channel="").exists()


can_vote.refusal = "您不在本次测评的参评人员名单中，或已经投过票"


def is_responsible_unit(user, rectification) -> bool:
    """The organ the rectification item is assigned to."""
    return unit_id(user) is not None and unit_id(user) == rectification.organization_id


is_responsible_unit.refusal = "只有责任单位可以{action}"


def can_see_rectification(user, rectification) -> bool:
    return is_committee_staff(user) or is_leader(user) or is_responsible_unit(user, rectification)


def can_edit_inquiry_record(user, inquiry) -> bool:
    """Staff keep the record of a special inquiry (officials, questions, commitments) until its commitments are assigned."""
    return is_committee_staff(user) and (inquiry is None or inquiry.status in inquiry.RECORD_EDITABLE)
