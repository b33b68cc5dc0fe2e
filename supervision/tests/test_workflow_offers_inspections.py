"""Issue #8 for supervision: in every state the admin shows, the transitions an inspection's change page offers (the
object-tools links' data-transition) are exactly those the workflow declares for that person now, and over all cases
every transition the admin may offer is offered to somebody. Law enforcement inspections (执法检查): a case per state,
and the states where a guard decides (no team or no leader yet, no visit held yet, the meeting not yet held, nothing
found, the poll not yet closed or rated 不满意)."""
import datetime

import pytest
from django.urls import reverse

from congress.models import Meeting
from supervision import services
from supervision.models import Inspection, SatisfactionPoll
from supervision.tests.inspection_helpers import deliberated, inspecting, planned, polled, rectifying, reported
from supervision.workflows import INSPECTION
from tests.offers import Case, names, offer_tests

pytestmark = pytest.mark.django_db
NS, C = Inspection.Status, SatisfactionPoll.Choice


class World:
    def __init__(self, actors, meeting, working_body, unit_org, members):
        self.actors, self.meeting, self.body, self.unit_org, self.members = actors, meeting, working_body, unit_org, members
        self.staff = actors["staff"]

    @property
    def team(self):
        return self.members[:3]

    def planned(self, team=True):
        return planned(self.staff, self.body, self.team if team else ())

    def inspecting(self, visited=True):
        if visited:
            return inspecting(self.staff, self.body, self.team, self.unit_org)
        return services.inspection_start(actor=self.staff, inspection=self.planned())

    def reported(self, meeting_held=True):
        meeting = self.meeting if meeting_held else Meeting.objects.create(
            term=self.meeting.term, kind=Meeting.Kind.STANDING, number=77, date=datetime.date.today() + datetime.timedelta(7))
        return reported(self.staff, self.body, self.team, self.unit_org, meeting)

    def deliberated(self, problems=2):
        return deliberated(self.staff, self.body, self.team, self.unit_org, self.meeting, problems=problems)

    def rectifying(self):
        return rectifying(self.staff, self.body, self.team, self.unit_org, self.meeting)

    def polling(self, marks=()):
        inspection = self.rectifying()
        polled(self.staff, inspection, self.meeting, self.members, list(marks))
        inspection.refresh_from_db()
        return inspection

    def closed(self):
        return services.inspection_close(actor=self.staff, inspection=self.polling([C.SATISFIED] * 8))


@pytest.fixture
def world(staff, town_staff, leader, unit_user, deputy_user, meeting, working_body, unit_org, members):
    actors = {"staff": staff, "town_staff": town_staff, "leader": leader, "unit_user": unit_user, "deputy": deputy_user,
              "member": members[0].user, "anonymous": None}
    return World(actors, meeting, working_body, unit_org, members)


CASES = [
    Case(INSPECTION, NS.PLANNED, lambda w: w.planned()),
    Case(INSPECTION, NS.PLANNED, lambda w: w.planned(team=False), "no team yet"),
    Case(INSPECTION, NS.INSPECTING, lambda w: w.inspecting()),
    Case(INSPECTION, NS.INSPECTING, lambda w: w.inspecting(visited=False), "no visit held yet"),
    Case(INSPECTION, NS.REPORTED, lambda w: w.reported()),
    Case(INSPECTION, NS.REPORTED, lambda w: w.reported(meeting_held=False), "meeting not yet held"),
    Case(INSPECTION, NS.DELIBERATED, lambda w: w.deliberated()),
    Case(INSPECTION, NS.DELIBERATED, lambda w: w.deliberated(problems=0), "nothing found"),
    Case(INSPECTION, NS.RECTIFYING, lambda w: w.rectifying()),
    Case(INSPECTION, NS.POLLING, lambda w: w.polling(), "poll in preparation"),
    Case(INSPECTION, NS.POLLING, lambda w: w.polling([C.SATISFIED] * 8), "rated satisfied"),
    Case(INSPECTION, NS.RECTIFYING, lambda w: w.polling([C.UNSATISFIED] * 3), "rated unsatisfied"),
    Case(INSPECTION, NS.CLOSED, lambda w: w.closed()),
]


def _admin(obj, user):
    return reverse("admin:supervision_inspection_change", args=[obj.pk]), names(INSPECTION.available(user, obj, "admin"))


PAGES = {INSPECTION: {"admin": _admin}}


(test_every_surface_of_these_workflows_has_its_page, test_each_page_offers_exactly_the_declared_transitions,
 test_every_transition_a_page_may_offer_is_offered_to_somebody) = offer_tests(CASES, PAGES)
