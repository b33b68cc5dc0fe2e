"""A small world whose report figures were counted by hand (the comments say how), for the chapter, monthly and annual
report tests. Everything happens in 2026, mostly in March; a little in January, February and April, so the month and
the year differ."""
import datetime

from django.utils import timezone

from congress.models import AgendaItem, Appointment, CongressSession, Meeting, Organization
from deputies.models import Deputy, DutyActivity, DutyActivityParticipant, DutyActivityType, Mandate, PointRule
from proposals.models import Assignment, Evaluation, Reply, Suggestion, SuggestionCategory
from stations.models import ReceptionDay, Station, VoterOpinion
from supervision.models import Rectification, SatisfactionPoll
from tests.sample import sample_id_number

D = datetime.date
MARCH = (D(2026, 3, 1), D(2026, 3, 31))
YEAR = (D(2026, 1, 1), D(2026, 12, 31))


def at(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(10)))


def build(*, term, town_a, town_b, unit_org, actor) -> dict:
    unit2 = Organization.objects.create(name="区教育局", kind=Organization.Kind.DEPARTMENT, is_handling_unit=True)
    # meetings: March 1 standing (2 reports, 1 inquiry) + 1 council; April 1 standing (1 report)
    m1 = Meeting.objects.create(term=term, kind=Meeting.Kind.STANDING, number=20, date=D(2026, 3, 10))
    Meeting.objects.create(term=term, kind=Meeting.Kind.COUNCIL, number=40, date=D(2026, 3, 20))
    m3 = Meeting.objects.create(term=term, kind=Meeting.Kind.STANDING, number=21, date=D(2026, 4, 5))
    AgendaItem.objects.create(meeting=m1, order=1, title="听取和审议区政府关于城市更新工作情况的报告")
    AgendaItem.objects.create(meeting=m1, order=2, title="听取和审议区法院关于执行工作情况的报告")
    AgendaItem.objects.create(meeting=m1, order=3, title="关于养老服务的专题询问", kind=AgendaItem.Kind.INQUIRY)
    AgendaItem.objects.create(meeting=m3, order=1, title="听取和审议区政府关于财政预算执行情况的报告")
    for name, kind, day in (("陈明", Appointment.Kind.APPOINT, D(2026, 3, 10)), ("刘洋", Appointment.Kind.APPOINT,
                            D(2026, 3, 10)), ("吴静", Appointment.Kind.REMOVE, D(2026, 4, 5))):
        Appointment.objects.create(term=term, person_name=name, kind=kind, position="副局长", organization=unit_org,
                                   decided_on=day)

    # deputies: three serving district deputies
    deputies = []
    for number, (name, town) in enumerate((("张建国", town_a), ("李秀英", town_a), ("王强", town_b)), start=300):
        deputy = Deputy.objects.create(full_name=name, gender="M", id_number=sample_id_number(number), town=town)
        Mandate.objects.create(deputy=deputy, level=Mandate.Level.DISTRICT, term=term, start_date=D(2021, 10, 1))
        deputies.append(deputy)
    d1, d2, d3 = deputies
    inspect = DutyActivityType.objects.create(name="集中视察", checklist_item=DutyActivityType.ChecklistItem.SUPERVISION)
    visit = DutyActivityType.objects.create(name="走访选民", checklist_item=DutyActivityType.ChecklistItem.VISIT)
    PointRule.objects.create(activity_type=inspect, points_present=2, points_absent=-1, effective_from=D(2020, 1, 1))
    PointRule.objects.create(activity_type=visit, points_present=1, effective_from=D(2020, 1, 1))
    P, A = DutyActivityParticipant.Attendance.PRESENT, DutyActivityParticipant.Attendance.ABSENT
    for title, kind, day, status, people in (
            ("视察老旧小区改造", inspect, D(2026, 3, 5), DutyActivity.Status.VERIFIED, ((d1, P), (d2, P), (d3, A))),
            ("走访社区选民", visit, D(2026, 3, 15), DutyActivity.Status.VERIFIED, ((d1, P),)),
            ("未审核的活动", visit, D(2026, 3, 20), DutyActivity.Status.SUBMITTED, ((d3, P),)),
            ("视察河道整治", inspect, D(2026, 2, 10), DutyActivity.Status.VERIFIED, ((d3, P),))):
        activity = DutyActivity.objects.create(title=title, activity_type=kind, date=day, status=status)
        for deputy, attendance in people:
            DutyActivityParticipant.objects.create(activity=activity, deputy=deputy, attendance=attendance)

    # suggestions: two registered in March (both assigned, one closed), one in February
    session = CongressSession.objects.create(term=term, number=5, start_date=D(2026, 1, 6), end_date=D(2026, 1, 9))
    build_cat = SuggestionCategory.objects.create(name="城乡建设规划")
    school = SuggestionCategory.objects.create(name="教育科技")
    s1 = Suggestion.objects.create(term=term, session=session, serial=1, title="关于加装电梯的建议", content="内容",
                                   category=build_cat, lead_deputy=d1, status=Suggestion.Status.CLOSED,
                                   registered_at=at(D(2026, 3, 2)), assigned_on=D(2026, 3, 5), closed_at=at(D(2026, 3, 28)))
    s2 = Suggestion.objects.create(term=term, session=session, serial=2, title="关于新建学校的建议", content="内容",
                                   category=school, lead_deputy=d2, status=Suggestion.Status.HANDLING,
                                   registered_at=at(D(2026, 3, 3)), assigned_on=D(2026, 3, 6))
    Suggestion.objects.create(term=term, session=session, serial=3, title="关于修路的建议", content="内容",
                              category=build_cat, lead_deputy=d3, status=Suggestion.Status.REGISTERED,
                              registered_at=at(D(2026, 2, 10)))
    a1 = Assignment.objects.create(suggestion=s1, unit=unit_org, role=Assignment.Role.LEAD,
                                   status=Assignment.Status.REPLIED, assigned_on=D(2026, 3, 5), due_date=D(2026, 6, 5),
                                   send_back_until=D(2026, 3, 12), first_replied_on=D(2026, 3, 20), result="A")
    Assignment.objects.create(suggestion=s1, unit=unit2, role=Assignment.Role.ASSISTING,
                              status=Assignment.Status.OPINION_SENT, assigned_on=D(2026, 3, 5), due_date=D(2026, 6, 5),
                              send_back_until=D(2026, 3, 12))
    # due far ahead: neither on time nor late yet, whatever day the test runs
    Assignment.objects.create(suggestion=s2, unit=unit2, role=Assignment.Role.LEAD, status=Assignment.Status.HANDLING,
                              assigned_on=D(2026, 3, 6), due_date=D(2099, 6, 6), send_back_until=D(2026, 3, 13))
    reply = Reply.objects.create(assignment=a1, letter="suggestions/replies/x.pdf", result="A", replied_on=D(2026, 3, 20),
                                 replied_by=actor)
    evaluation = Evaluation.objects.create(reply=reply, deputy=d1, rating=Evaluation.Rating.SATISFIED, entered_by=actor)
    Evaluation.objects.filter(pk=evaluation.pk).update(created_at=at(D(2026, 3, 25)))

    # stations: two running, one closed down
    st1 = Station.objects.create(name="城东街道代表联络站", kind=Station.Kind.LIAISON, town=town_a, address="人民路1号")
    st2 = Station.objects.create(name="临江镇代表之家", kind=Station.Kind.HOME, town=town_b, address="江边路2号")
    Station.objects.create(name="已撤销的联系点", kind=Station.Kind.CONTACT, town=town_b, address="无", is_active=False)
    H = ReceptionDay.Status
    for station, day, status, visitors, opinions in ((st1, D(2026, 3, 10), H.HELD, 12, 3),
                                                     (st1, D(2026, 3, 12), H.CANCELLED, None, None),
                                                     (st2, D(2026, 3, 15), H.HELD, 8, None),
                                                     (st2, D(2026, 4, 1), H.HELD, 5, 1)):
        ReceptionDay.objects.create(station=station, date=day, starts_at=datetime.time(9), ends_at=datetime.time(11),
                                    status=status, visitor_count=visitors, opinion_count=opinions)
    Op, C = VoterOpinion.Status, VoterOpinion.Category
    for code, station, day, category, status, satisfaction in (
            ("RPT0001", st1, D(2026, 3, 11), C.TRAFFIC, Op.CLOSED, VoterOpinion.Satisfaction.SATISFIED),
            ("RPT0002", st1, D(2026, 3, 12), C.TRAFFIC, Op.REPLIED, ""),
            ("RPT0003", st2, D(2026, 3, 13), C.URBAN, Op.DECLINED, ""),
            ("RPT0004", st2, D(2026, 2, 1), C.OTHER, Op.RECEIVED, "")):
        opinion = VoterOpinion.objects.create(tracking_code=code, station=station, category=category, content="意见",
                                              status=status, satisfaction=satisfaction)
        VoterOpinion.objects.filter(pk=opinion.pk).update(created_at=at(day))

    # supervision: two polls closed in March (one published 满意, one 基本满意), one still open
    S = SatisfactionPoll.Status
    for title, status, result, closed in (("对区住建局的满意度测评", S.PUBLISHED, "satisfied", D(2026, 3, 20)),
                                          ("对区教育局的满意度测评", S.CLOSED, "basic", D(2026, 3, 25)),
                                          ("进行中的测评", S.OPEN, "", None)):
        SatisfactionPoll.objects.create(term=term, title=title, organization=unit_org, status=status, result=result,
                                        closed_at=closed and at(closed),
                                        figures={"weighted": {"satisfied": 60.0, "basic": 30.0, "unsatisfied": 10.0}})
    R = Rectification.Status
    for title, made, due, status, accepted in (("整改甲", D(2026, 3, 2), D(2026, 3, 20), R.OPEN, None),
                                               ("整改乙", D(2026, 3, 5), D(2026, 5, 1), R.ACCEPTED, D(2026, 3, 25)),
                                               ("整改丙", D(2026, 1, 10), D(2026, 12, 31), R.OPEN, None),
                                               ("整改丁", D(2026, 4, 2), D(2026, 6, 1), R.OPEN, None)):
        item = Rectification.objects.create(organization=unit_org, title=title, due_date=due, status=status,
                                            accepted_at=accepted and at(accepted))
        Rectification.objects.filter(pk=item.pk).update(created_at=at(made))
    return {"deputies": deputies, "unit2": unit2}


def build_supervision(*, term, unit_org, unit2, deputies, actor) -> dict:
    """The supervision work of the year on top of `build` (call it after): work reports and their review opinions,
    special inquiries, work appraisals. Apart from `build` so that its polls and rectification items leave the figures
    counted there as they are. TestSupervisionWork in tests/test_report_chapters.py says how each figure is counted."""
    from decimal import Decimal

    from supervision.models import (
        Appraisal,
        AppraisalAspect,
        AppraisalScheme,
        AppraisalScore,
        Inquiry,
        InquiryCommitment,
        InquiryOfficial,
        InquiryQuestion,
        ReportSubmission,
        ReviewOpinion,
        WorkReport,
    )

    m1, m3 = Meeting.objects.get(term=term, number=20), Meeting.objects.get(term=term, number=21)
    last_year = Meeting.objects.create(term=term, kind=Meeting.Kind.STANDING, number=15, date=D(2025, 11, 10))
    june = Meeting.objects.create(term=term, kind=Meeting.Kind.STANDING, number=22, date=D(2026, 6, 10))
    body = actor.organization
    W, OS, K = WorkReport.Status, ReviewOpinion.Status, ReportSubmission.Kind

    # work reports: two heard on March 10, one on April 5, one still planned; one heard in November 2025
    reports = {}
    for key, topic, organ, meeting, status in (
            ("wr1", "城市更新工作情况", unit_org, m1, W.OPINION_SENT), ("wr2", "义务教育均衡发展情况", unit2, m1, W.OPINION_SENT),
            ("wr3", "保障性住房建设情况", unit_org, m3, W.DELIBERATED), ("wr4", "学前教育情况", unit2, m3, W.PLANNED),
            ("wr5", "食品安全工作情况", unit2, last_year, W.OPINION_SENT)):
        reports[key] = WorkReport.objects.create(year=meeting.date.year, topic=topic, organization=organ,
                                                 working_body=body, meeting=meeting, status=status)

    def submit(report, kind, day):
        item = ReportSubmission.objects.create(work_report=report, kind=kind, file="supervision/reports/x.pdf",
                                               submitted_by=actor)
        ReportSubmission.objects.filter(pk=item.pk).update(submitted_at=at(day))

    def poll(title, opinion, day, result):
        SatisfactionPoll.objects.create(term=term, title=title, organization=opinion.organization,
                                        status=SatisfactionPoll.Status.CLOSED, result=result, closed_at=at(day),
                                        source_workflow="review_opinion", source_id=opinion.pk)

    # O1 sent in March, reported on time in April; O2 sent in March, due March 25, never reported;
    # O3 sent in 2025, reported late in January, 不满意 in March, re-reported on time in May, 满意, closed
    o1 = ReviewOpinion.objects.create(work_report=reports["wr1"], organization=unit_org, text="意见", status=OS.REPORTED,
                                      sent_on=D(2026, 3, 15), sent_by=actor, due_date=D(2026, 6, 15))
    submit(reports["wr1"], K.HANDLING, D(2026, 4, 20))
    ReviewOpinion.objects.create(work_report=reports["wr2"], organization=unit2, text="意见", status=OS.SENT,
                                 sent_on=D(2026, 3, 18), sent_by=actor, due_date=D(2026, 3, 25))
    o3 = ReviewOpinion.objects.create(work_report=reports["wr5"], organization=unit2, text="意见", status=OS.CLOSED,
                                      sent_on=D(2025, 11, 20), sent_by=actor, due_date=D(2026, 1, 10),
                                      rereport_requested_on=D(2026, 3, 12), rereport_due_date=D(2026, 6, 12),
                                      closed_at=at(D(2026, 5, 21)))
    submit(reports["wr5"], K.HANDLING, D(2026, 1, 15))
    poll("食品安全审议意见办理情况测评", o3, D(2026, 3, 12), "unsatisfied")
    submit(reports["wr5"], K.REREPORT, D(2026, 5, 1))
    poll("食品安全审议意见再次测评", o3, D(2026, 5, 20), "satisfied")

    # inquiries: one held on March 10 (2 questions, a follow-up, an on-the-spot question; 3 commitments, 2 assigned,
    # 1 accepted in March), one on April 5 (2 questions, 1 follow-up; 1 commitment not yet assigned), one preparing
    d1, d2, d3 = deputies
    Q = InquiryQuestion.Kind

    def inquiry(topic, meeting, status, organs, questions, commitments):
        item = Inquiry.objects.create(meeting=meeting, topic=topic, status=status)
        item.organizations.set(organs)
        officials = [InquiryOfficial.objects.create(inquiry=item, number=n, name=f"应询人{n}", post="局长", organization=o,
                                                    is_head=True) for n, o in enumerate(organs, 1)]
        made = []
        for number, (kind, follows, asker, official) in enumerate(questions, 1):
            made.append(InquiryQuestion.objects.create(
                inquiry=item, number=number, kind=kind, follows=made[follows] if follows is not None else None,
                asker=asker, respondent=officials[official], question="问题", answer="回答"))
        for number, (organ, accepted) in enumerate(commitments, 1):
            rect = None
            if accepted is not None:
                rect = Rectification.objects.create(organization=organ, title=f"{topic}承诺{number}", due_date=D(2026, 9, 1),
                                                    status=Rectification.Status.ACCEPTED if accepted else Rectification.Status.OPEN,
                                                    accepted_at=at(accepted) if accepted else None, source_workflow="inquiry",
                                                    source_id=item.pk)
            InquiryCommitment.objects.create(inquiry=item, number=number, organization=organ, title=f"承诺{number}",
                                             due_date=D(2026, 9, 1), rectification=rect)
        return item

    inquiry("养老服务", m1, Inquiry.Status.RECTIFYING, [unit_org, unit2],
            [(Q.QUESTION, None, d1, 0), (Q.FOLLOW_UP, 0, d1, 0), (Q.QUESTION, None, d2, 1), (Q.ON_THE_SPOT, None, d3, 1)],
            [(unit_org, D(2026, 3, 28)), (unit2, False), (unit2, None)])
    inquiry("住房保障", m3, Inquiry.Status.HELD, [unit_org],
            [(Q.QUESTION, None, d1, 0), (Q.QUESTION, None, d2, 0), (Q.FOLLOW_UP, 1, d3, 0)], [(unit_org, None)])
    inquiry("筹备中的询问", m3, Inquiry.Status.PREPARING, [unit2], [], [])

    # appraisals: five active departments (and one closed down); 2026's weights 30 / 50 / 20
    civil = Organization.objects.create(name="区民政局", kind=Organization.Kind.DEPARTMENT, is_handling_unit=True)
    water = Organization.objects.create(name="区水务局", kind=Organization.Kind.DEPARTMENT, is_handling_unit=True)
    Organization.objects.create(name="区司法局", kind=Organization.Kind.DEPARTMENT, is_handling_unit=True)
    Organization.objects.create(name="区已撤销局", kind=Organization.Kind.DEPARTMENT, is_active=False)
    scheme = AppraisalScheme.objects.create(year=2026)
    aspects = [AppraisalAspect.objects.create(scheme=scheme, name=name, weight=weight, order=n)
               for n, (name, weight) in enumerate((("问卷调查", 30), ("满意度测评", 50), ("整改落实", 20)), 1)]
    A, S = Appraisal.Kind, Appraisal.Status

    def appraisal(organ, year, meeting, result, scores=(), kind=A.COMPREHENSIVE, status=S.RECTIFYING, **extra):
        item = Appraisal.objects.create(term=term, year=year, organization=organ, kind=kind, meeting=meeting,
                                        result=result, status=status, **extra)
        for aspect, score in zip(aspects, scores, strict=False):
            AppraisalScore.objects.create(appraisal=item, aspect=aspect, score=Decimal(score))
        return item

    # totals: 住建局 90×.3+95×.5+80×.2 = 90.50 (优秀); 民政局 the same but 不满意 (不合格); 教育局 80.50 (良好)
    appraisal(water, 2025, last_year, "satisfied", status=S.CLOSED)
    appraisal(unit_org, 2026, m1, "satisfied", (90, 95, 80))
    appraisal(unit2, 2026, m3, "basic", (80, 85, 70), kind=A.SPECIAL, subject="课后服务")
    unsatisfied = appraisal(civil, 2026, m3, "unsatisfied", (90, 95, 80))
    appraisal(water, 2026, None, "", status=S.MOBILIZING)
    appraisal(civil, 2026, june, "satisfied", follow_up_of=unsatisfied, due_date=D(2026, 6, 30))
    return {"o1": o1, "o3": o3}
