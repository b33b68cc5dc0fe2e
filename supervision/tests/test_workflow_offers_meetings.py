"""Issue #8 for 代表约见: in every state, the transitions the admin's change page, the portal's request page and the unit
workspace's page offer (their data-transition attributes) are exactly those the workflow declares for that person now,
and over all cases every transition a page may offer is offered to somebody. Actors: staff, a leader, the organ and
another organ, the drafter, a co-signer, a deputy who did not sign, a deputy account with no deputy, nobody."""
import pytest
from django.urls import reverse

from supervision import services
from supervision.models import MeetingRating, MeetingRequest
from supervision.tests import test_meetings as steps
from supervision.workflows import MEETING_REQUEST
from tests.offers import Case, names, offer_tests

pytestmark = pytest.mark.django_db
MS, C = MeetingRequest.Status, MeetingRating.Choice


class World:
    def __init__(self, actors, members, unit_org):
        self.actors, self.members, self.unit_org = actors, members, unit_org
        self.staff, self.unit_user = actors["staff"], actors["unit_user"]
        self.count = 0

    def subject(self) -> str:
        self.count += 1
        return f"加装电梯推进缓慢{self.count}"

    def draft(self, n=2):
        return steps.signed(self.members, self.unit_org, n=n, subject=self.subject())

    def proposed(self):
        return steps.proposed(self.members, self.unit_org, subject=self.subject())

    def approved(self):
        return steps.approved(self.staff, self.members, self.unit_org, subject=self.subject())

    def rejected(self):
        return services.meeting_request_decide(actor=self.staff, request=self.proposed(), agree=False, reason="不同意")

    def met(self):
        return steps.met(self.staff, self.members, self.unit_org, subject=self.subject())

    def replied(self, rated=0):
        request = steps.replied(self.staff, self.members, self.unit_org, self.unit_user, subject=self.subject())
        for deputy in [*self.members[1:5], self.members[0]][:rated]:
            services.meeting_request_rate(actor=deputy.user, request=request, choice=C.SATISFIED)
        return request


@pytest.fixture
def world(staff, leader, unit_user, other_unit_user, deputy_user, members, unit_org):
    actors = {"staff": staff, "leader": leader, "unit_user": unit_user, "other_unit": other_unit_user,
              "drafter": members[0].user, "co-signer": members[1].user, "not a signer": members[7].user,
              "deputy account": deputy_user, "anonymous": None}
    return World(actors, members, unit_org)


CASES = [
    Case(MEETING_REQUEST, MS.DRAFT, lambda w: w.draft(), "too few signers"),
    Case(MEETING_REQUEST, MS.DRAFT, lambda w: w.draft(n=5), "enough signers"),
    Case(MEETING_REQUEST, MS.PROPOSED, lambda w: w.proposed()),
    Case(MEETING_REQUEST, MS.APPROVED, lambda w: w.approved()),
    Case(MEETING_REQUEST, MS.REJECTED, lambda w: w.rejected()),
    Case(MEETING_REQUEST, MS.MET, lambda w: w.met()),
    Case(MEETING_REQUEST, MS.REPLIED, lambda w: w.replied(), "nobody rated"),
    Case(MEETING_REQUEST, MS.REPLIED, lambda w: w.replied(rated=1), "the co-signer rated"),
    Case(MEETING_REQUEST, MS.RATED, lambda w: w.replied(rated=5), "rated by all"),
]


def _admin(obj, user):
    return (reverse("admin:supervision_meetingrequest_change", args=[obj.pk]),
            names(MEETING_REQUEST.available(user, obj, "admin")))


def _portal(obj, user):
    return reverse("supervision:meeting", args=[obj.pk]), names(MEETING_REQUEST.available(user, obj, "portal"))


def _unit(obj, user):
    return reverse("supervision_unit_meetings:detail", args=[obj.pk]), names(MEETING_REQUEST.available(user, obj, "unit"))


PAGES = {MEETING_REQUEST: {"admin": _admin, "portal": _portal, "unit": _unit}}


(test_every_surface_of_these_workflows_has_its_page, test_each_page_offers_exactly_the_declared_transitions,
 test_every_transition_a_page_may_offer_is_offered_to_somebody) = offer_tests(CASES, PAGES)
