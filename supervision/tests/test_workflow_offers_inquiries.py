"""Issue #8 for supervision: in every state the admin shows, the transitions a change page offers (the object-tools
links' data-transition) are exactly those the workflow declares for that person now, and over all cases every
transition the admin may offer is offered to somebody. Special inquiries (专题询问): a case per state, and the states
where a guard decides (no officials yet, nothing recorded yet, the poll not yet closed)."""
import pytest
from django.urls import reverse

from supervision import services
from supervision.models import Inquiry, SatisfactionPoll
from supervision.tests.test_inquiries import TODAY, arranged, record
from supervision.workflows import INQUIRY
from tests.offers import Case, names, offer_tests

pytestmark = pytest.mark.django_db
IS, C = Inquiry.Status, SatisfactionPoll.Choice


class World:
    def __init__(self, actors, meeting, unit_org, members):
        self.actors, self.meeting, self.unit_org, self.members = actors, meeting, unit_org, members
        self.staff = actors["staff"]
        self.count = 0

    def arranged(self, officials=True) -> Inquiry:
        self.count += 1
        inquiry = arranged(self.staff, self.meeting, self.unit_org, topic=f"城市更新工作情况{self.count}")
        if not officials:
            inquiry.officials.all().delete()
        return inquiry

    def held(self, recorded=True) -> Inquiry:
        inquiry = services.inquiry_hold(actor=self.staff, inquiry=self.arranged())
        if recorded:
            record(inquiry, self.members, self.unit_org)
        return inquiry

    def rectifying(self) -> Inquiry:
        return services.inquiry_assign(actor=self.staff, inquiry=self.held())

    def polling(self, marks=()) -> Inquiry:
        inquiry = self.rectifying()
        report = services.inquiry_report(actor=self.staff, inquiry=inquiry, text="已整改", received_on=TODAY,
                                         meeting=self.meeting)
        if marks:
            poll = services.poll_open(actor=self.staff, poll=report.poll)
            for deputy, mark in zip(self.members, marks, strict=False):
                services.poll_vote(actor=deputy.user, poll=poll, choice=mark)
            services.poll_close(actor=self.staff, poll=poll)
        return inquiry

    def closed(self) -> Inquiry:
        return services.inquiry_close(actor=self.staff, inquiry=self.polling([C.SATISFIED] * 8))


@pytest.fixture
def world(staff, town_staff, leader, unit_user, deputy_user, meeting, unit_org, members):
    actors = {"staff": staff, "town_staff": town_staff, "leader": leader, "unit_user": unit_user, "deputy": deputy_user,
              "member": members[0].user, "anonymous": None}
    return World(actors, meeting, unit_org, members)


CASES = [
    Case(INQUIRY, IS.PREPARING, lambda w: w.arranged()),
    Case(INQUIRY, IS.PREPARING, lambda w: w.arranged(officials=False), "no officials yet"),
    Case(INQUIRY, IS.HELD, lambda w: w.held()),
    Case(INQUIRY, IS.HELD, lambda w: w.held(recorded=False), "nothing recorded yet"),
    Case(INQUIRY, IS.RECTIFYING, lambda w: w.rectifying()),
    Case(INQUIRY, IS.POLLING, lambda w: w.polling(), "poll in preparation"),
    Case(INQUIRY, IS.POLLING, lambda w: w.polling([C.SATISFIED] * 8), "rated satisfied"),
    Case(INQUIRY, IS.REREPORT, lambda w: w.polling([C.UNSATISFIED] * 3)),
    Case(INQUIRY, IS.CLOSED, lambda w: w.closed()),
]


def _admin(obj, user):
    return reverse("admin:supervision_inquiry_change", args=[obj.pk]), names(INQUIRY.available(user, obj, "admin"))


PAGES = {INQUIRY: {"admin": _admin}}


(test_every_surface_of_these_workflows_has_its_page, test_each_page_offers_exactly_the_declared_transitions,
 test_every_transition_a_page_may_offer_is_offered_to_somebody) = offer_tests(CASES, PAGES)
