"""执法检查 test world: an inspection of the fire law by the working body, its team (the first members of the committee,
the first one leading), a site visit, problems found, and the steps that move it on through the services."""
import datetime

from supervision import services
from supervision.models import Inspection, InspectionMember, InspectionProblem, SatisfactionPoll

TODAY = datetime.date.today()
LAW = "《中华人民共和国消防法》"


def days(n: int) -> datetime.date:
    return TODAY + datetime.timedelta(days=n)


def planned(staff, working_body, team=(), *, law=LAW, start=-10, end=10, report_due=None) -> Inspection:
    """An inspection checking from `start` to `end` days from today, with `team` (deputies; the first leads)."""
    inspection = services.inspection_create(actor=staff, year=days(start).year, law=law, working_body=working_body,
                                            plan="检查消防安全责任制落实情况", start_date=days(start), end_date=days(end),
                                            report_due=report_due)
    for n, deputy in enumerate(team):
        InspectionMember.objects.create(inspection=inspection, deputy=deputy,
                                        role=InspectionMember.Role.LEADER if n == 0 else InspectionMember.Role.MEMBER,
                                        capacity=InspectionMember.Capacity.COMMITTEE)
    return inspection


def inspecting(staff, working_body, team, unit_org, *, problems=2, visit_day=-5) -> Inspection:
    """Started, one site visit by the first two of the team, `problems` problems of the unit."""
    inspection = services.inspection_start(actor=staff, inspection=planned(staff, working_body, team))
    visit = services.inspection_visit(actor=staff, inspection=inspection, date=days(visit_day), place="城东商业综合体",
                                      participants=list(team)[:2], organization=unit_org)
    for n in range(1, problems + 1):
        InspectionProblem.objects.create(inspection=inspection, number=n, visit=visit, organization=unit_org,
                                         title=f"消防通道被占用{n}", detail="限期清理", due_date=days(60 * n))
    return inspection


def reported(staff, working_body, team, unit_org, meeting, **kwargs) -> Inspection:
    inspection = inspecting(staff, working_body, team, unit_org, **kwargs)
    return services.inspection_submit_report(actor=staff, inspection=inspection, text="检查组关于检查消防法实施情况的报告",
                                             meeting=meeting)


def deliberated(staff, working_body, team, unit_org, meeting, **kwargs) -> Inspection:
    inspection = reported(staff, working_body, team, unit_org, meeting, **kwargs)
    return services.inspection_deliberate(actor=staff, inspection=inspection, review_opinion="一、压实消防安全责任。")


def rectifying(staff, working_body, team, unit_org, meeting) -> Inspection:
    return services.inspection_assign(actor=staff, inspection=deliberated(staff, working_body, team, unit_org, meeting))


def polled(staff, inspection, meeting, voters, marks) -> SatisfactionPoll:
    """The rectification report recorded with its poll; with `marks`, the poll opened, voted and closed."""
    poll = services.inspection_report_rectification(actor=staff, inspection=inspection, text="已完成整改", meeting=meeting)
    if marks:
        poll = services.poll_open(actor=staff, poll=poll)
        for deputy, mark in zip(voters, marks, strict=False):
            services.poll_vote(actor=deputy.user, poll=poll, choice=mark)
        services.poll_close(actor=staff, poll=poll)
    return poll
