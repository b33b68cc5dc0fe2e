"""Issue #8: for reception days and voters' opinions, in every state a page shows, the transitions the admin, the unit's
opinion page and the voter's tracking page offer (their data-transition attributes) are exactly those the workflow
declares for that person now, and over all cases every transition a page may offer is offered somewhere.

The actors: committee staff, the town staff of the station's town and of another town, a leader, the unit an opinion
was referred to and another unit, the deputy on duty, and the voter (nobody logged in, holding the tracking code)."""
import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from conftest import PASSWORD
from congress import roles
from congress.models import Organization
from congress.services import create_user_with_role
from stations import services
from stations.models import ReceptionDay, VoterOpinion
from stations.tests.conftest import reception_row, schedule
from stations.workflows import OPINION, RECEPTION
from tests.offers import Case, names, offer_tests

pytestmark = pytest.mark.django_db
R, OP = ReceptionDay.Status, VoterOpinion.Status


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


class World:
    def __init__(self, actors, station_a, station_b, deputy, unit_org):
        self.actors, self.station_a, self.station_b, self.deputy, self.unit_org = actors, station_a, station_b, deputy, unit_org
        self.staff = actors["staff"]
        self.days = 0

    # reception days: each on its own day, so the deputy on duty is never booked twice
    def _next_day(self, start: int) -> datetime.date:
        self.days += 1
        return timezone.localdate() + datetime.timedelta(days=start + self.days)

    def scheduled(self, station=None) -> ReceptionDay:
        return schedule(self.staff, station or self.station_a, [self.deputy], date=self._next_day(3))

    def day_come(self) -> ReceptionDay:
        """Scheduled for today (the notice rule is for new bookings): it may be recorded now."""
        return reception_row(self.station_a, [self.deputy], date=timezone.localdate())

    def held(self) -> ReceptionDay:
        past = reception_row(self.station_a, [self.deputy], date=self._next_day(-400))
        return services.reception_record(actor=self.staff, reception_id=past.pk, visitor_count=12, opinion_count=3)

    def cancelled(self) -> ReceptionDay:
        return services.reception_cancel(actor=self.staff, reception_id=self.scheduled().pk, reason="台风预警")

    # voters' opinions
    def received(self) -> VoterOpinion:
        return services.opinion_submit(station_id=self.station_a.pk, content="小区门口的路灯坏了一个多月，晚上出行很不安全",
                                       name="张三丰", phone="13800138000")

    def referred(self) -> VoterOpinion:
        return services.opinion_refer(actor=self.staff, opinion_id=self.received().pk, unit_id=self.unit_org.pk)

    def replied_by_staff(self) -> VoterOpinion:
        return services.opinion_reply(actor=self.staff, opinion_id=self.received().pk, reply="已联系供电所修复")

    def replied_by_unit(self) -> VoterOpinion:
        return services.opinion_unit_reply(actor=self.actors["unit_user"], opinion_id=self.referred().pk, reply="已修复")


@pytest.fixture
def world(staff, town_staff, other_town_staff, leader, unit_user, unit_org, deputy, deputy_user, station_a, station_b):
    other_unit = Organization.objects.create(name="区交通运输局", kind=Organization.Kind.DEPARTMENT, is_handling_unit=True)
    other_unit_user = create_user_with_role(username="unit2", password=PASSWORD, role=roles.HANDLING_UNIT,
                                            organization=other_unit)
    actors = {"staff": staff, "town_staff": town_staff, "other_town_staff": other_town_staff, "leader": leader,
              "unit_user": unit_user, "other_unit_user": other_unit_user, "deputy": deputy_user, "voter": None}
    return World(actors, station_a, station_b, deputy, unit_org)


CASES = [
    Case(RECEPTION, R.SCHEDULED, lambda w: w.scheduled(), "announced, the day still to come"),
    Case(RECEPTION, R.SCHEDULED, lambda w: w.scheduled(w.station_b), "another town's station"),
    Case(RECEPTION, R.SCHEDULED, lambda w: w.day_come(), "the day has come"),
    Case(RECEPTION, R.HELD, lambda w: w.held()),
    Case(RECEPTION, R.CANCELLED, lambda w: w.cancelled()),

    Case(OPINION, OP.RECEIVED, lambda w: w.received()),
    Case(OPINION, OP.REFERRED, lambda w: w.referred()),
    Case(OPINION, OP.REPLIED, lambda w: w.replied_by_staff(), "answered by staff"),
    Case(OPINION, OP.REPLIED, lambda w: w.replied_by_unit(), "answered by the unit"),
    Case(OPINION, OP.CLOSED, lambda w: services.opinion_rate(tracking_code=w.replied_by_unit().tracking_code,
                                                            satisfaction="satisfied"), "rated by the voter"),
    Case(OPINION, OP.CLOSED, lambda w: services.opinion_close(actor=w.staff, opinion_id=w.replied_by_staff().pk),
         "closed by staff"),
    Case(OPINION, OP.DECLINED, lambda w: services.opinion_decline(actor=w.staff, opinion_id=w.received().pk,
                                                                 reason="属于法院正在审理的案件")),
]


def _admin(flow, model_name):
    def page(obj, user):
        return reverse(f"admin:stations_{model_name}_change", args=[obj.pk]), names(flow.available(user, obj, "admin"))
    return page


PAGES = {
    RECEPTION: {"admin": _admin(RECEPTION, "receptionday")},
    OPINION: {"admin": _admin(OPINION, "voteropinion"),
              "unit": lambda o, user: (reverse("stations_unit:detail", args=[o.pk]), names(OPINION.available(user, o, "unit"))),
              "public": lambda o, user: (reverse("stations:opinion_track", args=[o.tracking_code]),
                                         names(OPINION.available(user, o, "public")))},
}


(test_every_surface_of_these_workflows_has_its_page, test_each_page_offers_exactly_the_declared_transitions,
 test_every_transition_a_page_may_offer_is_offered_to_somebody) = offer_tests(CASES, PAGES)
