"""Issue #8's offer tests for the livelihood projects by vote: in every state (and where a guard decides, both sides
of it) the admin change page, the deputies' portal pages and the organs' workspace pages offer exactly the transitions
the declaration gives each actor."""
import datetime

import pytest
from django.urls import reverse

from supervision import services
from supervision.models import LivelihoodReport, SatisfactionPoll
from supervision.tests.livelihood_helpers import S, make_round, make_session, numbered
from supervision.workflows import LIVELIHOOD
from tests.offers import Case, names, offer_tests

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


class World:
    def __init__(self, actors, term, unit_org, members):
        self.actors, self.term, self.unit_org, self.members = actors, term, unit_org, members
        self.staff = actors["staff"]
        self.sessions = 0

    def round(self, status, **kwargs):
        self.sessions += 1
        session = make_session(self.term, number=self.sessions)
        return make_round(self.staff, self.term, self.unit_org, status=status, session=session, **kwargs)

    def counted(self, *, tie=False):
        made = self.round(S.VOTING)
        ballots = [[1, 2, 3], [1, 2, 4], [1, 2, 3], [1, 2, 4], [1, 3, 4]] if tie else [[1, 2, 3]] * 5
        services.livelihood_enter_paper(actor=self.staff, round_=made, voters=self.members[1:6], ballots=ballots)
        return services.livelihood_count(actor=self.staff, round_=made)

    def implementing(self, *, polled=False, closed=False):
        made = services.livelihood_implement(actor=self.staff, round_=self.counted())
        today = datetime.date.today()
        for project in made.projects.filter(chosen=True):  # a report owed now, whatever the day of the year
            LivelihoodReport.objects.get_or_create(project=project, year=today.year, quarter=(today.month - 1) // 3 + 1,
                                                   defaults={"due_date": today + datetime.timedelta(days=30)})
        if polled:
            later = make_session(self.term, number=90 + self.sessions, start=today + datetime.timedelta(days=300))
            polls = services.livelihood_poll(actor=self.staff, round_=made, session=later)
            if closed:
                SatisfactionPoll.objects.filter(pk__in=[p.pk for p in polls]).update(
                    status=SatisfactionPoll.Status.CLOSED, result="satisfied")
        return made


@pytest.fixture
def world(staff, leader, unit_user, other_unit_user, deputy_user, term, unit_org, members):
    actors = {"staff": staff, "leader": leader, "unit_user": unit_user, "other_unit_user": other_unit_user,
              "deputy": deputy_user, "member": members[0].user, "anonymous": None}
    return World(actors, term, unit_org, members)


def _voted(w):
    made = w.round(S.VOTING)
    services.livelihood_vote(actor=w.members[0].user, round_=made, projects=[])
    return made


def _evaluated(w):
    made = w.implementing(polled=True, closed=True)
    return services.livelihood_conclude(actor=w.staff, round_=made)


CASES = [
    Case(LIVELIHOOD, S.COLLECTING, lambda w: w.round(S.COLLECTING)),
    Case(LIVELIHOOD, S.SHORTLISTED, lambda w: w.round(S.SHORTLISTED)),
    Case(LIVELIHOOD, S.VOTING, lambda w: w.round(S.VOTING), "nobody voted"),
    Case(LIVELIHOOD, S.VOTING, _voted, "the member voted"),
    Case(LIVELIHOOD, S.COUNTED, lambda w: w.counted(tie=True), "a tie at the last place"),
    Case(LIVELIHOOD, S.COUNTED, lambda w: w.counted(), "no tie"),
    Case(LIVELIHOOD, S.IMPLEMENTING, lambda w: w.implementing(), "no polls yet"),
    Case(LIVELIHOOD, S.IMPLEMENTING, lambda w: w.implementing(polled=True), "polls open"),
    Case(LIVELIHOOD, S.IMPLEMENTING, lambda w: w.implementing(polled=True, closed=True), "polls closed"),
    Case(LIVELIHOOD, S.EVALUATED, _evaluated),
]


def _only(obj, user, surface, wanted):
    return names(LIVELIHOOD.available(user, obj, surface)) & wanted


def _admin(obj, user):
    return reverse("admin:supervision_livelihoodround_change", args=[obj.pk]), names(LIVELIHOOD.available(user, obj, "admin"))


def _portal(obj, user):
    return reverse("supervision:livelihood_round", args=[obj.pk]), names(LIVELIHOOD.available(user, obj, "portal"))


def _portal_propose(obj, user):
    return reverse("supervision:livelihood_propose", args=[obj.pk]), _only(obj, user, "portal", {"propose"})


def _unit_propose(obj, user):
    return reverse("supervision_livelihood_unit:propose", args=[obj.pk]), _only(obj, user, "unit", {"propose_unit"})


def _unit_project(obj, user):
    project = obj.projects.filter(chosen=True).first() or numbered(obj).get(1) or obj.projects.first()
    return reverse("supervision_livelihood_unit:project", args=[project.pk]), _only(obj, user, "unit", {"report"})


PAGES = {LIVELIHOOD: {"admin": _admin, "portal": [_portal, _portal_propose], "unit": [_unit_propose, _unit_project]}}


(test_every_surface_of_these_workflows_has_its_page, test_each_page_offers_exactly_the_declared_transitions,
 test_every_transition_a_page_may_offer_is_offered_to_somebody) = offer_tests(CASES, PAGES)
