"""Issue #8: for duty activities and leave requests, in every state the admin shows, the transitions its change page
offers (the object-tools links' data-transition) are exactly those the workflow declares for that person now, and over
all cases every transition the admin may offer is offered somewhere.

The actors: committee staff, the town staff of the deputy's town and of another town, a leader, a handling unit's
user, the deputy whose record it is, another deputy, and nobody logged in. Town staff review only their towns'
deputies' records: each workflow has a case for a deputy of the other town."""
import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from conftest import PASSWORD
from congress import roles
from congress.models import Meeting
from congress.services import create_user_with_role
from deputies import services
from deputies.models import DutyActivity, LeaveRequest
from deputies.tests.conftest import make_deputy
from deputies.workflows import ACTIVITY, LEAVE
from tests.offers import Case, names, offer_tests

pytestmark = pytest.mark.django_db
D, L = DutyActivity.Status, LeaveRequest.Status


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


class World:
    def __init__(self, actors, inspection, term, far_user):
        self.actors, self.inspection, self.term, self.far_user = actors, inspection, term, far_user
        self.staff = actors["staff"]
        self.meetings = 0

    def reported(self, user=None) -> DutyActivity:
        return services.activity_report(actor=user or self.actors["deputy"], activity_type=self.inspection,
                                        date=timezone.localdate(), place="城东污水处理厂")

    def leave(self, user=None) -> LeaveRequest:
        self.meetings += 1  # one request per meeting and deputy
        meeting = Meeting.objects.create(term=self.term, kind=Meeting.Kind.STANDING, number=40 + self.meetings,
                                         date=timezone.localdate() + datetime.timedelta(days=10))
        return services.leave_request_submit(actor=user or self.actors["deputy"], reason="出差", meeting=meeting)


@pytest.fixture
def world(staff, town_staff, other_town_staff, leader, unit_user, deputy, deputy_user, other_deputy, other_deputy_user,
          inspection, term, town_b):
    far_user = create_user_with_role(username="deputy3", password=PASSWORD, role=roles.DEPUTY, full_name="陈代表")
    make_deputy(103, town_b, term, far_user, "陈明")
    actors = {"staff": staff, "town_staff": town_staff, "other_town_staff": other_town_staff, "leader": leader,
              "unit_user": unit_user, "deputy": deputy_user, "other_deputy": other_deputy_user, "anonymous": None}
    return World(actors, inspection, term, far_user)


CASES = [
    Case(ACTIVITY, D.SUBMITTED, lambda w: w.reported()),
    Case(ACTIVITY, D.SUBMITTED, lambda w: w.reported(w.far_user), "another town's deputy"),
    Case(ACTIVITY, D.VERIFIED, lambda w: services.activity_verify(actor=w.staff, activity_id=w.reported().pk)),
    Case(ACTIVITY, D.VERIFIED, lambda w: services.activity_record_verified(
        actor=w.staff, type_name="视察", date=timezone.localdate(), title="视察河道整治",
        deputies=[w.actors["deputy"].deputy]), "recorded by staff"),
    Case(ACTIVITY, D.RETURNED, lambda w: services.activity_return(actor=w.staff, activity_id=w.reported().pk,
                                                                  reason="缺少照片")),

    Case(LEAVE, L.SUBMITTED, lambda w: w.leave()),
    Case(LEAVE, L.SUBMITTED, lambda w: w.leave(w.far_user), "another town's deputy"),
    Case(LEAVE, L.APPROVED, lambda w: services.leave_request_decide(actor=w.staff, leave_id=w.leave().pk, approve=True)),
    Case(LEAVE, L.REJECTED, lambda w: services.leave_request_decide(actor=w.staff, leave_id=w.leave().pk, approve=False)),
]


def _admin(flow, model_name):
    def page(obj, user):
        return reverse(f"admin:deputies_{model_name}_change", args=[obj.pk]), names(flow.available(user, obj, "admin"))
    return page


PAGES = {ACTIVITY: {"admin": _admin(ACTIVITY, "dutyactivity")}, LEAVE: {"admin": _admin(LEAVE, "leaverequest")}}


(test_every_surface_of_these_workflows_has_its_page, test_each_page_offers_exactly_the_declared_transitions,
 test_every_transition_a_page_may_offer_is_offered_to_somebody) = offer_tests(CASES, PAGES)
