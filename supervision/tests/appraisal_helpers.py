"""Building work appraisals for the tests: a year's aspects (问卷调查 30%, 满意度测评 50%, 整改落实 20%), departments,
and an appraisal taken through the services to any phase."""
import datetime
from decimal import Decimal

from congress.models import Meeting, Organization
from supervision import services
from supervision.models import Appraisal, AppraisalAspect, AppraisalScheme, AppraisalScore, AppraisalSurvey, SatisfactionPoll

YEAR = 2026
A = Appraisal.Status
C = SatisfactionPoll.Choice


def make_scheme(year=YEAR, weights=(("问卷调查", 30), ("满意度测评", 50), ("整改落实", 20))):
    scheme = AppraisalScheme.objects.create(year=year)
    for order, (name, weight) in enumerate(weights, start=1):
        AppraisalAspect.objects.create(scheme=scheme, name=name, weight=weight, order=order)
    return scheme


def make_department(name, sort_order=100):
    return Organization.objects.create(name=name, kind=Organization.Kind.DEPARTMENT, is_handling_unit=True,
                                       sort_order=sort_order)


def appraisal_in(state, *, staff, term, organization, unit_user=None, members=(), marks=None, year=YEAR):
    """An appraisal of `organization` taken to `state` through the services. From the meeting on, `members` vote
    (`marks`, default all 满意) and the poll is closed before the opinion."""
    order = [A.MOBILIZING, A.SURVEYING, A.SELF_CHECK, A.MEETING, A.RECTIFYING, A.REVIEWING, A.CLOSED]
    target = order.index(state)
    a = services.appraisal_create(actor=staff, term=term, year=year, organization=organization)
    if target >= 1:
        a = services.appraisal_start_survey(actor=staff, appraisal=a, note="召开动员会")
    if target >= 2:
        services.appraisal_record_survey(actor=staff, appraisal=a, respondents=AppraisalSurvey.Respondents.DEPUTIES,
                                         sent=50, returned=46, score="88.5")
        a = services.appraisal_start_self_check(actor=staff, appraisal=a)
    if target >= 3:
        a = services.appraisal_submit_self_check(actor=unit_user, appraisal=a, report="自查发现审批时限过长等问题三项。")
        meeting = Meeting.objects.create(term=term, kind=Meeting.Kind.STANDING, number=60 + a.pk,
                                         date=datetime.date.today())
        a = services.appraisal_convene(actor=staff, appraisal=a, meeting=meeting)
    if target >= 4:
        poll = services.poll_open(actor=staff, poll=a.poll)
        for deputy, mark in zip(members, marks or [C.SATISFIED] * len(members), strict=False):
            services.poll_vote(actor=deputy.user, poll=poll, choice=mark)
        services.poll_close(actor=staff, poll=poll)
        a = services.appraisal_conclude(actor=staff, appraisal=a, opinion="审批服务效率有待提高。")
    if target >= 5:
        a = services.appraisal_start_review(actor=staff, appraisal=a)
    if target >= 6:
        scores = {asp: Decimal(80) for asp in AppraisalAspect.objects.filter(scheme__year=year)}
        services.appraisal_record_scores(actor=staff, appraisal=a, scores=scores)
        a = services.appraisal_close(actor=staff, appraisal=a)
    return Appraisal.objects.get(pk=a.pk)


def score(appraisal, *values):
    """Scores set directly (for the ranking's hand-computed cases), in the aspects' order."""
    aspects = AppraisalAspect.objects.filter(scheme__year=appraisal.year).order_by("order")
    for aspect, value in zip(aspects, values, strict=True):
        AppraisalScore.objects.create(appraisal=appraisal, aspect=aspect, score=Decimal(value))
