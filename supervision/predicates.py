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


def is_reporting_organ(user, obj) -> bool:
    """The organ that reports: a work report's, or a review opinion's (the organ it was sent to)."""
    return unit_id(user) is not None and unit_id(user) == obj.organization_id


is_reporting_organ.refusal = "只有报告机关可以{action}"


def can_see_work_report(user, obj) -> bool:
    """Staff and leaders see every work report and review opinion; an organ its own."""
    return is_committee_staff(user) or is_leader(user) or is_reporting_organ(user, obj)


def can_read_report_file(user, submission) -> bool:
    """A report's files: staff, leaders and the organ; the members of the committee read the revised report once the
    office has sent them the copies (监督法 Art. 15)."""
    from supervision.models import CommitteeMember, ReportSubmission

    report = submission.work_report
    if can_see_work_report(user, report):
        return True
    mine = deputy_id(user)
    if mine is None or submission.kind != ReportSubmission.Kind.REVISED or report.copies_sent_at is None:
        return False
    return report.meeting_id is not None and CommitteeMember.objects.filter(
        term_id=report.meeting.term_id, deputy_id=mine).serving_on(report.meeting.date).exists()
def is_appraised_unit(user, appraisal) -> bool:
    """The department a work appraisal appraises: it sees its appraisal (read-only) in the unit workspace."""
    return unit_id(user) is not None and unit_id(user) == appraisal.organization_id


def can_see_appraisal(user, appraisal) -> bool:
    return is_committee_staff(user) or is_leader(user) or is_appraised_unit(user, appraisal)


is_appraised_unit.refusal = "只有被评议部门可以{action}"
def can_edit_inquiry_record(user, inquiry) -> bool:
    """Staff keep the record of a special inquiry (officials, questions, commitments) until its commitments are assigned."""
    return is_committee_staff(user) and (inquiry is None or inquiry.status in inquiry.RECORD_EDITABLE)


# -- 代表约见 (supervision/models/meetings.py) ------------------------------------------------------------------------

def _signed(user, request) -> bool:
    """Whether this user's deputy signed the request; the signer ids are read once per request object."""
    mine = deputy_id(user)
    if mine is None:
        return False
    ids = request.__dict__.get("_signer_ids")
    if ids is None:
        ids = set(request.signers.values_list("deputy_id", flat=True))
        request.__dict__["_signer_ids"] = ids
    return mine in ids


def is_meeting_drafter(user, request) -> bool:
    """The deputy who drafted the request (领衔代表) puts it forward."""
    mine = deputy_id(user)
    return mine is not None and mine == request.drafted_by_id


is_meeting_drafter.refusal = "只有领衔代表可以{action}"


def can_cosign_meeting(user, request) -> bool:
    """Any deputy who has not signed yet."""
    return deputy_id(user) is not None and not _signed(user, request)


can_cosign_meeting.refusal = "只有尚未联名的人大代表可以联名"


def is_meeting_signer(user, request) -> bool:
    return _signed(user, request)


def can_rate_meeting(user, request) -> bool:
    """A requesting deputy who has not rated the reply yet: each once."""
    mine = deputy_id(user)
    return _signed(user, request) and not request.ratings.filter(deputy_id=mine).exists()


can_rate_meeting.refusal = "只有联名提出约见的代表可以评价答复，每位代表只能评价一次"


def is_meeting_organ(user, request) -> bool:
    """The organ whose head was met: it replies in writing."""
    return unit_id(user) is not None and unit_id(user) == request.organization_id


is_meeting_organ.refusal = "只有被约见的机关可以{action}"


def can_see_meeting_request(user, request) -> bool:
    """Staff and leaders see every request; a draft is open to every deputy (to co-sign it), a request put forward to
    the deputies who signed it; the organ sees it once the meeting is agreed."""
    if is_committee_staff(user) or is_leader(user) or _signed(user, request):
        return True
    if request.status == request.Status.DRAFT:
        return deputy_id(user) is not None
    return is_meeting_organ(user, request) and request.status in request.ORGAN_SEES
def is_inspection_team_member(user, inspection) -> bool:
    """A deputy on the inspection's team (a committee member or an invited deputy)."""
    mine = deputy_id(user)
    return mine is not None and inspection.team.filter(deputy_id=mine).exists()


def can_read_inspection_report(user, inspection) -> bool:
    """The team's report: staff, leaders and the team."""
    return is_committee_staff(user) or is_leader(user) or is_inspection_team_member(user, inspection)


def can_edit_inspection(user, inspection) -> bool:
    """Staff edit the plan and the team until the report is submitted, the problems until they are assigned."""
    return is_committee_staff(user) and (inspection is None or inspection.status in inspection.PLAN_EDITABLE
                                         or inspection.status in inspection.PROBLEMS_EDITABLE)
# 民生实事项目票决制 (supervision/models/livelihood.py)
def is_deputy_proposer(user, round_) -> bool:
    """Deputies propose candidates in the portal (staff enter the voters' opinions in the admin, organs theirs in the
    unit workspace: each source its own transition)."""
    return deputy_id(user) is not None


is_deputy_proposer.refusal = "只有人大代表可以在代表履职平台{action}"


def is_unit_proposer(user, round_) -> bool:
    return unit_id(user) is not None


is_unit_proposer.refusal = "只有有关单位可以在单位工作台{action}"


def can_vote_livelihood(user, round_) -> bool:
    """On the round's frozen list of deputies and not yet voted, on either channel."""
    mine = deputy_id(user)
    if mine is None:
        return False
    if getattr(round_, "may_vote_of", None) == mine:  # a list answered it for this deputy in its one query (portal_rounds)
        return round_.may_vote
    from supervision.selectors_livelihood import open_ballots

    return open_ballots(mine).filter(round=round_).exists()


can_vote_livelihood.refusal = "您不在本次票决的代表名单中，或已经投过票"


def is_livelihood_owner(user, obj) -> bool:
    """The organ that carries out a chosen project (obj: the project, or a round: the owner of any of its projects)."""
    mine = unit_id(user)
    if mine is None:
        return False
    if hasattr(obj, "projects"):
        return obj.projects.filter(chosen=True, organization_id=mine).exists()
    return obj.chosen and obj.organization_id == mine


is_livelihood_owner.refusal = "只有项目牵头实施单位可以{action}"
def is_official_organ(user, official) -> bool:
    """The organ an appointed official under rating works in: it submits the official's duty report (述职报告)."""
    return unit_id(user) is not None and unit_id(user) == official.organization_id


is_official_organ.refusal = "只有被评议干部所在单位可以{action}"


def can_see_rated_official(user, official) -> bool:
    return is_committee_staff(user) or is_leader(user) or is_official_organ(user, official)
