"""Supervision's rows in the access matrix (tests/test_access_matrix.py): its admin models and pages, the members'
polls in the portal, the organs' rectification items in the unit workspace."""
import datetime

ROLES = ["anonymous", "outsider", "sysadmin", "secadmin", "auditor", "staff", "town", "unit", "deputy", "leader"]
ADMIN = {"sysadmin", "secadmin", "auditor", "staff", "town", "leader"}
CRUD = "vacd"

MODEL_ACCESS = {
    "supervision.committeemember": {"staff": CRUD, "leader": "v"},
    # made on their add pages, moved on by their workflow's pages, never deleted (congress.roles.NEVER_DELETED)
    "supervision.satisfactionpoll": {"staff": "vac", "leader": "v"},
    "supervision.rectification": {"staff": "vac", "leader": "v"},
}


def _page(allowed: dict) -> dict:
    return {r: allowed.get(r, 403 if r in ADMIN else 302) for r in ROLES}


DEPUTY_ONLY = {r: 403 for r in ROLES} | {"anonymous": 302, "deputy": 200}
UNIT_ONLY = {r: 403 for r in ROLES} | {"anonymous": 302, "unit": 200}
STAFF_ONLY = _page({"staff": 200})
OBJECT_PAGES = {"satisfactionpoll": ["open", "paper", "close", "publish"], "rectification": ["accept", "return"]}
PAGES = {f"admin:supervision_{model}_{slug}": STAFF_ONLY for model, slugs in OBJECT_PAGES.items() for slug in slugs}
PAGES.update({
    "admin:supervision_satisfactionpoll_screen": _page({"staff": 200, "leader": 200}),
    "supervision:polls": DEPUTY_ONLY,
    "supervision:poll_vote": DEPUTY_ONLY,
    # a file that does not exist: not found for everyone logged in
    "supervision:rectification_evidence": {r: 404 for r in ROLES} | {"anonymous": 302},
    "supervision_unit:rectifications": UNIT_ONLY,
    "supervision_unit:rectification": UNIT_ONLY,
})


def setup(world):
    """A committee with the matrix's deputy on it, an open poll they may vote in, and a rectification item of the
    matrix's unit (proposals.tests.access_pages links the deputy and the unit user to the sample's rows)."""
    from supervision import services
    from supervision.models import CommitteeMember

    sample = world["sample"]
    CommitteeMember.objects.create(term=sample["term"], deputy=sample["deputy"], start_date=datetime.date(2021, 10, 1))
    poll = services.poll_create(actor=world["staff"], term=sample["term"], title="对区教育局工作的满意度测评",
                                organization=sample["organization"])
    world["supervision_poll"] = services.poll_open(actor=world["staff"], poll=poll)
    world["supervision_rectification"] = services.rectification_create(
        actor=world["staff"], organization=sample["organization"], title="整改校园周边交通安全隐患",
        due_date=datetime.date.today() + datetime.timedelta(days=60))


def url_for(name, route, world):
    def fill(pk):
        return "/" + route.replace("<id:pk>", str(pk)).replace("<path:object_id>", str(pk))

    if name.startswith("admin:supervision_satisfactionpoll_") or name == "supervision:poll_vote":
        return fill(world["supervision_poll"].pk)
    if name.startswith("admin:supervision_rectification_") or name == "supervision_unit:rectification":
        return fill(world["supervision_rectification"].pk)
    if name == "supervision:rectification_evidence":
        return fill(999999)
    return None


# -- special work reports and review opinions (appended): a plan item of the matrix's unit heard at a meeting held
# today, with its review opinion sent; the plan item is made on its add page, the opinion from the item's page
MODEL_ACCESS.update({
    "supervision.workreport": {"staff": "vac", "leader": "v"},
    "supervision.reviewopinion": {"staff": "vc", "leader": "v"},
})
REPORT_PAGES = {"workreport": ["schedule", "distribute", "deliberate", "opinion", "cancel"],
                "reviewopinion": ["poll", "close", "rectify"]}
PAGES.update({f"admin:supervision_{model}_{slug}": STAFF_ONLY for model, slugs in REPORT_PAGES.items() for slug in slugs})
PAGES.update({
    "supervision_unit_reports:work_reports": UNIT_ONLY,
    "supervision_unit_reports:work_report": UNIT_ONLY,
    "supervision_unit_reports:review_opinion": UNIT_ONLY,
    # files that do not exist: not found for everyone logged in
    "supervision:report_submission_file": {r: 404 for r in ROLES} | {"anonymous": 302},
    "supervision:review_opinion_letter": {r: 404 for r in ROLES} | {"anonymous": 302},
})
_setup_polls, _url_for_polls = setup, url_for


def setup(world):  # noqa: F811  (extends the one above)
    from django.utils import timezone

    from congress.models import Meeting, Organization
    from supervision import services

    _setup_polls(world)
    sample = world["sample"]
    body = Organization.objects.create(name="城建环保工作委员会", kind=Organization.Kind.WORKING_BODY)
    meeting = Meeting.objects.create(term=sample["term"], kind=Meeting.Kind.STANDING, number=88, date=timezone.localdate())
    report = services.work_report_create(actor=world["staff"], year=meeting.date.year, topic="教育工作情况",
                                         organization=sample["organization"], working_body=body, meeting=meeting)
    report.status = report.Status.DELIBERATED  # (the organ's PDFs are not needed here)
    report.save(update_fields=["status"])
    world["supervision_work_report"] = report
    world["supervision_review_opinion"] = services.review_opinion_send(actor=world["staff"], report=report,
                                                                       text="一、加强师资队伍建设。")


def url_for(name, route, world):  # noqa: F811  (extends the one above)
    def fill(pk):
        return "/" + route.replace("<id:pk>", str(pk)).replace("<path:object_id>", str(pk))

    if name.startswith("admin:supervision_workreport_") or name == "supervision_unit_reports:work_report":
        return fill(world["supervision_work_report"].pk)
    if name.startswith("admin:supervision_reviewopinion_") or name == "supervision_unit_reports:review_opinion":
        return fill(world["supervision_review_opinion"].pk)
    if name in ("supervision:report_submission_file", "supervision:review_opinion_letter"):
        return fill(999999)
    return _url_for_polls(name, route, world)
# 工作评议: the year's aspects (staff keep them), the appraisals (made on the add page, moved on by the workflow's pages,
# never deleted), the ranking and its export (staff and leaders), the appraised department's pages in its workspace
MODEL_ACCESS.update({
    "supervision.appraisalscheme": {"staff": CRUD, "leader": "v"},
    "supervision.appraisal": {"staff": "vac", "leader": "v"},
})
APPRAISAL_PAGES = ["survey", "questionnaire", "self_check", "convene", "conclude", "assign", "review", "scores", "close"]
PAGES.update({f"admin:supervision_appraisal_{slug}": STAFF_ONLY for slug in APPRAISAL_PAGES})
PAGES.update({
    "admin:supervision_appraisal_ranking": _page({"staff": 200, "leader": 200}),
    "admin:supervision_appraisal_ranking_export": _page({"staff": 200, "leader": 200}),
    "supervision_appraisal_unit:list": UNIT_ONLY,
    "supervision_appraisal_unit:detail": UNIT_ONLY,
})
_setup_before_appraisals, _url_for_before_appraisals = setup, url_for


def setup(world):  # noqa: F811  (extends the setup above)
    """… and a work appraisal of the matrix's unit, with the year's aspects."""
    from supervision import services
    from supervision.models import AppraisalAspect, AppraisalScheme, AppraisalScore, AppraisalSurvey

    _setup_before_appraisals(world)
    sample = world["sample"]
    # the first (the one the matrix opens) is next year's, not scored yet, so staff may still change or delete it
    next_year = AppraisalScheme.objects.create(year=2027)
    AppraisalAspect.objects.create(scheme=next_year, name="综合测评", weight=100, order=1)
    scheme = AppraisalScheme.objects.create(year=2026)
    survey = AppraisalAspect.objects.create(scheme=scheme, name="问卷调查", weight=30, order=1)
    AppraisalAspect.objects.create(scheme=scheme, name="满意度测评", weight=70, order=2)
    appraisal = services.appraisal_create(actor=world["staff"], term=sample["term"], year=2026,
                                          organization=sample["organization"])
    AppraisalSurvey.objects.create(appraisal=appraisal, respondents="voters", sent=100, returned=80, score=85)
    AppraisalScore.objects.create(appraisal=appraisal, aspect=survey, score=85)
    world["supervision_appraisal"] = appraisal


def url_for(name, route, world):  # noqa: F811  (extends the url_for above)
    if name.startswith("admin:supervision_appraisal_") and "<path:object_id>" in route or \
            name == "supervision_appraisal_unit:detail":
        return "/" + route.replace("<id:pk>", str(world["supervision_appraisal"].pk)).replace(
            "<path:object_id>", str(world["supervision_appraisal"].pk))
    return _url_for_before_appraisals(name, route, world)
# 专题询问 (supervision/admin_inquiries.py): staff keep it, leaders read it
MODEL_ACCESS["supervision.inquiry"] = {"staff": "vac", "leader": "v"}
PAGES.update({f"admin:supervision_inquiry_{slug}": STAFF_ONLY for slug in ["hold", "assign", "report", "close"]})
_setup_polls_and_rectifications, _url_for_polls_and_rectifications = setup, url_for


def setup(world):  # noqa: F811  (the polls' and rectifications' setup, then an inquiry in preparation)
    from congress.models import Meeting
    from supervision import services

    _setup_polls_and_rectifications(world)
    sample = world["sample"]
    meeting = Meeting.objects.filter(kind=Meeting.Kind.STANDING).first() or Meeting.objects.create(
        term=sample["term"], kind=Meeting.Kind.STANDING, number=91, date=datetime.date.today())
    inquiry = services.inquiry_create(actor=world["staff"], meeting=meeting, topic="城市更新工作情况",
                                      organizations=[sample["organization"]])
    world["supervision_inquiry"] = inquiry
    # a row in each of the record's tables, so their audit lists have one to open
    from supervision.models import InquiryCommitment, InquiryOfficial, InquiryQuestion, InquiryReport

    official = InquiryOfficial.objects.create(inquiry=inquiry, number=1, name="王局长", post="局长",
                                              organization=sample["organization"])
    question = InquiryQuestion.objects.create(inquiry=inquiry, number=1, asker=sample["deputy"], respondent=official,
                                              question="进度为何滞后？", answer="年内完成。")
    InquiryCommitment.objects.create(inquiry=inquiry, number=1, question=question, organization=sample["organization"],
                                     title="年内完成改造", due_date=datetime.date.today() + datetime.timedelta(days=90))
    InquiryReport.objects.create(inquiry=inquiry, text="已整改", received_on=datetime.date.today(),
                                 recorded_by=world["staff"])


def url_for(name, route, world):  # noqa: F811
    if name.startswith("admin:supervision_inquiry_"):
        return "/" + route.replace("<path:object_id>", str(world["supervision_inquiry"].pk))
    return _url_for_polls_and_rectifications(name, route, world)
# 代表约见 (supervision/admin_meetings.py): drafted in the portal (no add page), moved on by the workflow's pages, never
# deleted; the deputies' pages in the portal, the organ's in its workspace
MODEL_ACCESS["supervision.meetingrequest"] = {"staff": "vc", "leader": "v"}
PAGES.update({f"admin:supervision_meetingrequest_{slug}": STAFF_ONLY for slug in ["decide", "hold", "close"]})
PAGES.update({
    "supervision:meetings": DEPUTY_ONLY,
    "supervision:meeting_new": DEPUTY_ONLY,
    "supervision:meeting": DEPUTY_ONLY,
    "supervision_unit_meetings:list": UNIT_ONLY,
    "supervision_unit_meetings:detail": UNIT_ONLY,
})
_setup_before_meetings, _url_for_before_meetings = setup, url_for


def setup(world):  # noqa: F811  (the setups above, then a request signed by the matrix's deputy, met with the unit)
    from django.utils import timezone

    from deputies.models import Deputy
    from supervision.models import MeetingRating, MeetingRequest, MeetingSigner

    _setup_before_meetings(world)
    sample = world["sample"]
    deputy = sample["deputy"]
    request = MeetingRequest.objects.create(subject="老旧小区加装电梯推进缓慢", content="审批慢、协调难。",
                                            organization=sample["organization"], drafted_by=deputy,
                                            status=MeetingRequest.Status.MET, decided_at=timezone.now(),
                                            met_on=timezone.localdate(), reply_due=timezone.localdate())
    MeetingSigner.objects.create(request=request, deputy=deputy)
    request.attendees.set(Deputy.objects.filter(pk=deputy.pk))
    MeetingRating.objects.create(request=request, deputy=deputy, choice="satisfied")  # (its audit list has a row)
    world["supervision_meeting_request"] = request


def url_for(name, route, world):  # noqa: F811
    if name.startswith("admin:supervision_meetingrequest_") or name in ("supervision:meeting",
                                                                       "supervision_unit_meetings:detail"):
        return "/" + route.replace("<id:pk>", str(world["supervision_meeting_request"].pk)).replace(
            "<path:object_id>", str(world["supervision_meeting_request"].pk))
    return _url_for_before_meetings(name, route, world)
# 执法检查 (supervision/admin_inspections.py): staff run it, leaders read it; the team's portal page; the report's file
MODEL_ACCESS["supervision.inspection"] = {"staff": "vac", "leader": "v"}
PAGES.update({f"admin:supervision_inspection_{slug}": STAFF_ONLY
              for slug in ["start", "visit", "report", "deliberate", "assign", "rectification", "close"]})
PAGES.update({
    "supervision:inspections": DEPUTY_ONLY,
    # a file that does not exist: not found for everyone logged in
    "supervision:inspection_report_file": {r: 404 for r in ROLES} | {"anonymous": 302},
})
_setup_before_inspections, _url_for_before_inspections = setup, url_for


def setup(world):  # noqa: F811  (extends the setup above)
    """… and a planned inspection with the matrix's deputy leading its team, a site visit and a problem found."""
    from congress.models import Organization
    from supervision import services
    from supervision.models import InspectionMember, InspectionProblem

    _setup_before_inspections(world)
    sample = world["sample"]
    body = Organization.objects.filter(kind=Organization.Kind.WORKING_BODY).first()
    today = datetime.date.today()
    inspection = services.inspection_create(actor=world["staff"], year=today.year, law="《中华人民共和国消防法》",
                                            working_body=body, plan="检查方案", start_date=today, end_date=today)
    InspectionMember.objects.create(inspection=inspection, deputy=sample["deputy"], role=InspectionMember.Role.LEADER)
    services.inspection_visit(actor=world["staff"], inspection=inspection, date=today, place="城东商业综合体",
                              participants=[sample["deputy"]])
    InspectionProblem.objects.create(inspection=inspection, number=1, organization=sample["organization"],
                                     title="消防通道被占用", due_date=today + datetime.timedelta(days=60))
    world["supervision_inspection"] = inspection


def url_for(name, route, world):  # noqa: F811  (extends the url_for above)
    if name.startswith("admin:supervision_inspection_"):
        return "/" + route.replace("<path:object_id>", str(world["supervision_inspection"].pk))
    if name == "supervision:inspection_report_file":
        return "/" + route.replace("<id:pk>", "999999")
    return _url_for_before_inspections(name, route, world)
# 民生实事项目票决制: the round (made on its add page, moved on by its workflow's pages), its projects (read-only), the
# deputies' pages in the portal, the owner organ's pages in its workspace
MODEL_ACCESS.update({
    "supervision.livelihoodround": {"staff": "vac", "leader": "v"},
    "supervision.livelihoodproject": {"staff": "vc", "leader": "v"},
})
LIVELIHOOD_PAGES = ["propose", "shortlist", "open", "paper", "count", "tie", "implement", "poll", "conclude"]
PAGES.update({f"admin:supervision_livelihoodround_{slug}": STAFF_ONLY for slug in LIVELIHOOD_PAGES})
PAGES.update({
    "supervision:livelihood_rounds": DEPUTY_ONLY,
    "supervision:livelihood_round": DEPUTY_ONLY,
    "supervision:livelihood_propose": DEPUTY_ONLY,
    "supervision_livelihood_unit:list": UNIT_ONLY,
    "supervision_livelihood_unit:propose": UNIT_ONLY,
    "supervision_livelihood_unit:project": UNIT_ONLY,
})
_setup_before_livelihood, _url_for_before_livelihood = setup, url_for


def setup(world):  # noqa: F811  (extends the setup above)
    """… and a livelihood round under way, one project of the matrix's unit chosen, with its quarterly report owed."""
    from congress.models import CongressSession
    from supervision.models import LivelihoodProject, LivelihoodReport, LivelihoodRound

    _setup_before_livelihood(world)
    sample = world["sample"]
    today = datetime.date.today()
    session = CongressSession.objects.create(term=sample["term"], number=77, start_date=today - datetime.timedelta(days=60),
                                             end_date=today - datetime.timedelta(days=57))
    round_ = LivelihoodRound.objects.create(session=session, year=today.year, title="民生实事项目票决", places=1,
                                            status=LivelihoodRound.Status.IMPLEMENTING,
                                            figures={"eligible": 2, "voted": 2, "cast": 2, "valid": 2, "invalid": 0,
                                                     "places": 1, "chosen": 1, "tie": [], "tie_places": 0})
    project = LivelihoodProject.objects.create(round=round_, title="老旧小区加装电梯", source="unit", number=1, votes=2,
                                               rank=1, chosen=True, organization=sample["organization"],
                                               proposed_by_organization=sample["organization"])
    LivelihoodProject.objects.create(round=round_, title="背街小巷路灯", source="opinion", number=2, votes=0, rank=2,
                                     organization=sample["organization"])
    LivelihoodReport.objects.create(project=project, year=today.year, quarter=(today.month - 1) // 3 + 1,
                                    due_date=today + datetime.timedelta(days=30))
    world["supervision_livelihood_round"], world["supervision_livelihood_project"] = round_, project


def url_for(name, route, world):  # noqa: F811
    def fill(pk):
        return "/" + route.replace("<id:pk>", str(pk)).replace("<path:object_id>", str(pk))

    if name.startswith("admin:supervision_livelihoodround_") and "<path:object_id>" in route or name in (
            "supervision:livelihood_round", "supervision:livelihood_propose", "supervision_livelihood_unit:propose"):
        return fill(world["supervision_livelihood_round"].pk)
    if name == "supervision_livelihood_unit:project" or (name.startswith("admin:supervision_livelihoodproject_")
                                                         and "<path:object_id>" in route):
        return fill(world["supervision_livelihood_project"].pk)
    return _url_for_before_livelihood(name, route, world)
# 任后监督 (supervision/admin_ratings.py): staff run the round, leaders read it; the officials are read-only rows; the
# officials' organs submit the duty reports in their workspace
MODEL_ACCESS["supervision.ratinground"] = {"staff": "vac", "leader": "v"}
MODEL_ACCESS["supervision.ratedofficial"] = {"staff": "v", "leader": "v"}
PAGES.update({f"admin:supervision_ratinground_{slug}": STAFF_ONLY
              for slug in ["adjust", "reporting", "polling", "confirm", "letters"]})
PAGES.update({"supervision_rating_unit:list": UNIT_ONLY, "supervision_rating_unit:detail": UNIT_ONLY})
_setup_before_ratings, _url_for_before_ratings = setup, url_for


def setup(world):  # noqa: F811  (the setups above, then a round with an official of the matrix's unit)
    from congress.models import Appointment
    from supervision import services

    _setup_before_ratings(world)
    sample = world["sample"]
    Appointment.objects.create(term=sample["term"], person_name="张明", kind=Appointment.Kind.APPOINT, position="局长",
                               organization=sample["organization"], decided_on=datetime.date(2022, 3, 1))
    world["supervision_rating_round"] = services.rating_round_create(actor=world["staff"], term=sample["term"], year=2026)
    world["supervision_rated_official"] = (world["supervision_rating_round"].officials
                                           .filter(organization=sample["organization"]).order_by("-id").first())


def url_for(name, route, world):  # noqa: F811
    if name.startswith("admin:supervision_ratinground_"):
        return "/" + route.replace("<path:object_id>", str(world["supervision_rating_round"].pk))
    if name == "supervision_rating_unit:detail":
        return "/" + route.replace("<id:pk>", str(world["supervision_rated_official"].pk))
    return _url_for_before_ratings(name, route, world)
