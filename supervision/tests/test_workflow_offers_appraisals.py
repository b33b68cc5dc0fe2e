"""Issue #8's offer tests for supervision's workflows: in every state (and where a guard decides, both sides of it),
the admin change page and the unit workspace page offer exactly the transitions the declaration gives each actor."""
import pytest
from django.urls import reverse

from supervision.models import Appraisal, AppraisalAspect, AppraisalScore, AppraisalSurvey, SatisfactionPoll
from supervision.tests.appraisal_helpers import A, appraisal_in, make_scheme
from supervision.workflows import APPRAISAL
from tests.offers import Case, names, offer_tests

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


class World:
    def __init__(self, actors, term, unit_org, members):
        self.actors, self.term, self.unit_org, self.members = actors, term, unit_org, members
        self.staff = actors["staff"]
        self.year = 2040

    def appraisal(self, state, *, scheme=True, **kwargs) -> Appraisal:
        """An appraisal of the unit in `state`, each in a year of its own (one per department and year)."""
        self.year += 1
        if scheme:
            make_scheme(year=self.year)
        return appraisal_in(state, staff=self.staff, term=self.term, organization=self.unit_org,
                            unit_user=self.actors["unit_user"], members=self.members, year=self.year, **kwargs)


@pytest.fixture
def world(staff, leader, unit_user, other_unit_user, deputy_user, term, unit_org, members):
    actors = {"staff": staff, "leader": leader, "unit_user": unit_user, "other_unit_user": other_unit_user,
              "deputy": deputy_user, "anonymous": None}
    return World(actors, term, unit_org, members[:6])


def _surveyed(w):
    made = w.appraisal(A.SURVEYING)
    AppraisalSurvey.objects.create(appraisal=made, respondents="voters", sent=100, returned=80, score=85)
    return made


def _self_check_reported(w):
    from supervision import services

    made = w.appraisal(A.SELF_CHECK)
    return services.appraisal_submit_self_check(actor=w.actors["unit_user"], appraisal=made, report="自查发现问题三项，已制定措施。")


def _meeting_poll_closed(w):
    made = w.appraisal(A.MEETING)
    SatisfactionPoll.objects.filter(pk=made.poll_id).update(status=SatisfactionPoll.Status.CLOSED, result="satisfied")
    return made


def _with_open_item(w):
    from supervision import services

    made = w.appraisal(A.RECTIFYING)
    services.appraisal_assign(actor=w.staff, appraisal=made, title="压缩审批时限",
                              due_date=services.appraisals.rectification_due())
    return services.appraisal_start_review(actor=w.staff, appraisal=made)


def _reviewed_and_scored(w):
    made = w.appraisal(A.REVIEWING)
    AppraisalScore.objects.bulk_create([AppraisalScore(appraisal=made, aspect=a, score=80)
                                        for a in AppraisalAspect.objects.filter(scheme__year=made.year)])
    return made


CASES = [
    Case(APPRAISAL, A.MOBILIZING, lambda w: w.appraisal(A.MOBILIZING)),
    Case(APPRAISAL, A.SURVEYING, _surveyed, "questionnaires recorded"),
    Case(APPRAISAL, A.SURVEYING, lambda w: w.appraisal(A.SURVEYING), "no questionnaire yet"),
    Case(APPRAISAL, A.SELF_CHECK, lambda w: w.appraisal(A.SELF_CHECK), "no report yet"),
    Case(APPRAISAL, A.SELF_CHECK, _self_check_reported, "report submitted"),
    Case(APPRAISAL, A.MEETING, lambda w: w.appraisal(A.MEETING), "poll not closed"),
    Case(APPRAISAL, A.MEETING, _meeting_poll_closed, "poll closed"),
    Case(APPRAISAL, A.RECTIFYING, lambda w: w.appraisal(A.RECTIFYING)),
    Case(APPRAISAL, A.RECTIFYING, lambda w: w.appraisal(A.RECTIFYING, scheme=False), "no aspects for the year"),
    Case(APPRAISAL, A.REVIEWING, _with_open_item, "an item not accepted"),
    Case(APPRAISAL, A.REVIEWING, _reviewed_and_scored, "scored, nothing open"),
    Case(APPRAISAL, A.CLOSED, lambda w: w.appraisal(A.CLOSED)),
]


def _admin(obj, user):
    return reverse("admin:supervision_appraisal_change", args=[obj.pk]), names(APPRAISAL.available(user, obj, "admin"))


def _unit(obj, user):
    return reverse("supervision_appraisal_unit:detail", args=[obj.pk]), names(APPRAISAL.available(user, obj, "unit"))


PAGES = {APPRAISAL: {"admin": _admin, "unit": _unit}}


(test_every_surface_of_these_workflows_has_its_page, test_each_page_offers_exactly_the_declared_transitions,
 test_every_transition_a_page_may_offer_is_offered_to_somebody) = offer_tests(CASES, PAGES)
