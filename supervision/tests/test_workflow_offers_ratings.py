"""The offer tests of the appointed officials' rating: in every state (and on both sides of each guard), the round's
admin page and the official's page in the organ's workspace offer exactly what the declarations give each actor."""
import pytest
from django.urls import reverse

from supervision.models import RatedOfficial, SatisfactionPoll
from supervision.tests.rating_helpers import REPORT, R, appoint, round_in
from supervision.workflows import RATED_OFFICIAL, RATING_ROUND
from tests.offers import Case, names, offer_tests

pytestmark = pytest.mark.django_db
OS = RatedOfficial.Status


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


class World:
    def __init__(self, actors, term, unit_org, members):
        self.actors, self.term, self.unit_org, self.members = actors, term, unit_org, members
        self.staff = actors["staff"]
        self.year = 2040

    def round(self, state, *, officials=2):
        """A round of the unit's officials in `state`, each in a year of its own (one round a year)."""
        self.year += 1
        for n in range(officials - self.unit_org.appointments.count()):
            appoint(self.term, self.unit_org, f"干部{n}{self.year}")
        return round_in(state, staff=self.staff, term=self.term, unit_users=[self.actors["unit_user"]],
                        members=self.members, year=self.year)

    def official(self, state, **kwargs):
        return self.round(state, **kwargs).officials.order_by("id").first()


@pytest.fixture
def world(staff, leader, unit_user, other_unit_user, deputy_user, term, unit_org, members):
    actors = {"staff": staff, "leader": leader, "unit_user": unit_user, "other_unit_user": other_unit_user,
              "deputy": deputy_user, "anonymous": None}
    return World(actors, term, unit_org, members[:4])


def _one_report_in(w):
    from supervision import services

    rnd = w.round(R.REPORTING)
    services.rated_official_submit_report(actor=w.actors["unit_user"], official=rnd.officials.first(), report=REPORT)
    return rnd


def _all_reports_in(w):
    from supervision import services

    rnd = w.round(R.REPORTING)
    for official in rnd.officials.all():
        services.rated_official_submit_report(actor=w.actors["unit_user"], official=official, report=REPORT)
    return rnd


def _polls_closed(w):
    rnd = w.round(R.POLLING)
    SatisfactionPoll.objects.filter(pk__in=rnd.officials.values("poll")).update(status=SatisfactionPoll.Status.CLOSED)
    return rnd


def _reported(w):
    from supervision import services

    official = w.official(R.REPORTING)
    return services.rated_official_submit_report(actor=w.actors["unit_user"], official=official, report=REPORT)


def _empty(w):
    from supervision.models import RatingRound

    rnd = w.round(R.PREPARING)
    RatedOfficial.objects.filter(round=rnd).delete()
    return RatingRound.objects.get(pk=rnd.pk)


CASES = [
    Case(RATING_ROUND, R.PREPARING, lambda w: w.round(R.PREPARING), "officials listed"),
    Case(RATING_ROUND, R.PREPARING, _empty, "empty list"),
    Case(RATING_ROUND, R.REPORTING, _one_report_in, "a report missing"),
    Case(RATING_ROUND, R.REPORTING, _all_reports_in, "every report in"),
    Case(RATING_ROUND, R.POLLING, lambda w: w.round(R.POLLING), "polls not closed"),
    Case(RATING_ROUND, R.POLLING, _polls_closed, "polls closed"),
    Case(RATING_ROUND, R.CONFIRMED, lambda w: w.round(R.CONFIRMED)),
    Case(RATING_ROUND, R.LETTERS_SENT, lambda w: w.round(R.LETTERS_SENT)),
    Case(RATED_OFFICIAL, OS.AWAITING, lambda w: w.official(R.PREPARING), "round preparing"),
    Case(RATED_OFFICIAL, OS.AWAITING, lambda w: w.official(R.REPORTING), "round reporting"),
    Case(RATED_OFFICIAL, OS.REPORTED, _reported, "round reporting"),
    Case(RATED_OFFICIAL, OS.REPORTED, lambda w: w.official(R.POLLING), "round polling"),
    Case(RATED_OFFICIAL, OS.RATED, lambda w: w.official(R.CONFIRMED)),
]


def _admin(obj, user):
    return reverse("admin:supervision_ratinground_change", args=[obj.pk]), names(RATING_ROUND.available(user, obj, "admin"))


def _unit(obj, user):
    return reverse("supervision_rating_unit:detail", args=[obj.pk]), names(RATED_OFFICIAL.available(user, obj, "unit"))


PAGES = {RATING_ROUND: {"admin": _admin}, RATED_OFFICIAL: {"unit": _unit}}


(test_every_surface_of_these_workflows_has_its_page, test_each_page_offers_exactly_the_declared_transitions,
 test_every_transition_a_page_may_offer_is_offered_to_somebody) = offer_tests(CASES, PAGES)
