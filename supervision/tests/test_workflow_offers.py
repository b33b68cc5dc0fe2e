"""Issue #8 for supervision: in every state a page shows, the transitions the admin's change page, the portal's ballot
page and the unit workspace offer (their data-transition attributes) are exactly those the workflow declares for that
person now, and over all cases every transition a page may offer is offered somewhere.

The actors: committee staff, a leader, town staff, the organ's user and another organ's, a member of the committee on
the poll's list, a member who has voted already, a deputy who is not a member, and nobody logged in. Each kind of
supervision work appends its own cases to CASES and its pages to PAGES (one workflow per entry)."""
import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from supervision import services
from supervision.models import PollGroup, Rectification, SatisfactionPoll
from supervision.workflows import POLL, RECTIFICATION
from tests.offers import Case, names, offer_tests

pytestmark = pytest.mark.django_db
PS, RS = SatisfactionPoll.Status, Rectification.Status


class World:
    """The named actors and the steps that move supervision work on, through the services."""

    def __init__(self, actors, term, members, unit_org):
        self.actors, self.term, self.members, self.unit_org = actors, term, members, unit_org
        self.staff, self.unit_user = actors["staff"], actors["unit_user"]

    # ------------------------------------------------------------- satisfaction polls

    def poll_draft(self) -> SatisfactionPoll:
        return services.poll_create(actor=self.staff, term=self.term, title="对区住建局审议意见办理情况的满意度测评")

    def poll_not_ready(self) -> SatisfactionPoll:
        """A draft whose groups' weights no longer add up to 100% (edited in the admin's inline): it cannot open."""
        poll = self.poll_draft()
        PollGroup.objects.filter(poll=poll).update(weight=60)
        return poll

    def poll_open(self, voted: bool = False) -> SatisfactionPoll:
        poll = services.poll_open(actor=self.staff, poll=self.poll_draft())
        if voted:
            services.poll_vote(actor=self.actors["voted_member"], poll=poll, choice=SatisfactionPoll.Choice.SATISFIED)
        return poll

    def poll_closed(self) -> SatisfactionPoll:
        return services.poll_close(actor=self.staff, poll=self.poll_open(voted=True))

    def poll_published(self) -> SatisfactionPoll:
        return services.poll_publish(actor=self.staff, poll=self.poll_closed())

    # ------------------------------------------------------------- rectification items

    def rectification(self) -> Rectification:
        return services.rectification_create(actor=self.staff, organization=self.unit_org, title="整改老旧小区路灯不亮问题",
                                             due_date=timezone.localdate() + datetime.timedelta(days=30))

    def rectification_submitted(self) -> Rectification:
        item = self.rectification()
        services.rectification_report(actor=self.unit_user, rectification=item, text="已更换全部路灯", final=True)
        return item

    def rectification_accepted(self) -> Rectification:
        return services.rectification_accept(actor=self.staff, rectification=self.rectification_submitted())

    def rectification_returned(self) -> Rectification:
        return services.rectification_return(actor=self.staff, rectification=self.rectification_submitted(),
                                             reason="缺少佐证材料")


@pytest.fixture
def world(staff, leader, town_staff, unit_user, other_unit_user, deputy_user, members, term, unit_org):
    actors = {"staff": staff, "leader": leader, "town_staff": town_staff, "unit_user": unit_user,
              "other_unit_user": other_unit_user, "member": members[0].user, "voted_member": members[1].user,
              "deputy": deputy_user, "anonymous": None}
    return World(actors, term, members, unit_org)


CASES = [
    Case(POLL, PS.DRAFT, lambda w: w.poll_draft()),
    Case(POLL, PS.DRAFT, lambda w: w.poll_not_ready(), "weights not 100%"),
    Case(POLL, PS.OPEN, lambda w: w.poll_open()),
    Case(POLL, PS.OPEN, lambda w: w.poll_open(voted=True), "a member voted"),
    Case(POLL, PS.CLOSED, lambda w: w.poll_closed()),
    Case(POLL, PS.PUBLISHED, lambda w: w.poll_published()),

    Case(RECTIFICATION, RS.OPEN, lambda w: w.rectification()),
    Case(RECTIFICATION, RS.OPEN, lambda w: w.rectification_returned(), "returned"),
    Case(RECTIFICATION, RS.SUBMITTED, lambda w: w.rectification_submitted()),
    Case(RECTIFICATION, RS.ACCEPTED, lambda w: w.rectification_accepted()),
]


def _admin(flow, model_name):
    def page(obj, user):
        return reverse(f"admin:supervision_{model_name}_change", args=[obj.pk]), names(flow.available(user, obj, "admin"))
    return page


def _ballot(obj, user):
    """The member's ballot page in the portal (a 404 for those not on the poll's list: it offers nothing)."""
    return reverse("supervision:poll_vote", args=[obj.pk]), names(POLL.available(user, obj, "portal"))


def _unit(obj, user):
    """The organ's page of its item in the unit workspace: one form that reports progress or completion."""
    return reverse("supervision_unit:rectification", args=[obj.pk]), names(RECTIFICATION.available(user, obj, "unit"))


PAGES = {
    POLL: {"admin": _admin(POLL, "satisfactionpoll"), "portal": _ballot},
    RECTIFICATION: {"admin": _admin(RECTIFICATION, "rectification"), "unit": _unit},
}


(test_every_surface_of_these_workflows_has_its_page, test_each_page_offers_exactly_the_declared_transitions,
 test_every_transition_a_page_may_offer_is_offered_to_somebody) = offer_tests(CASES, PAGES)
