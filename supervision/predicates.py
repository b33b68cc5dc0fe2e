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
def is_official_organ(user, official) -> bool:
    """The organ an appointed official under rating works in: it submits the official's duty report (述职报告)."""
    return unit_id(user) is not None and unit_id(user) == official.organization_id


is_official_organ.refusal = "只有被评议干部所在单位可以{action}"


def can_see_rated_official(user, official) -> bool:
    return is_committee_staff(user) or is_leader(user) or is_official_organ(user, official)
