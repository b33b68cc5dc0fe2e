"""Issue #8 for supervision's special work reports and review opinions: in every state, the transitions each page
offers (data-transition) are exactly those the workflow declares for that person now; over the cases every transition
a page may offer is offered to somebody. Actors: staff, a leader, the reporting organ, another organ, a deputy, a town's
staff, nobody logged in."""
import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from congress.models import Meeting
from supervision import services
from supervision.models import ReviewOpinion, SatisfactionPoll, WorkReport
from supervision.tests.test_reports import pdf
from supervision.workflows import REVIEW_OPINION, WORK_REPORT
from tests.offers import Case, names, offer_tests

pytestmark = pytest.mark.django_db
WS, OS, C = WorkReport.Status, ReviewOpinion.Status, SatisfactionPoll.Choice


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


class World:
    def __init__(self, actors, term, unit_org, working_body, members):
        self.actors, self.term, self.unit_org, self.working_body, self.members = (actors, term, unit_org, working_body,
                                                                                  members)
        self.staff, self.unit = actors["staff"], actors["unit_user"]
        self.meetings = 0

    def meeting(self, days) -> Meeting:
        self.meetings += 1
        return Meeting.objects.create(term=self.term, kind=Meeting.Kind.STANDING, number=60 + self.meetings,
                                      date=timezone.localdate() + datetime.timedelta(days=days))

    def report(self, days=None) -> WorkReport:
        return services.work_report_create(actor=self.staff, year=timezone.localdate().year, topic="城市更新工作情况",
                                           organization=self.unit_org, working_body=self.working_body,
                                           meeting=None if days is None else self.meeting(days))

    def submitted(self, times, days=30) -> WorkReport:
        report = self.report(days)
        for _ in range(times):
            services.work_report_submit(actor=self.unit, report=report, file=pdf())
        return report

    def deliberated(self) -> WorkReport:
        return services.work_report_deliberate(actor=self.staff, report=self.submitted(2, days=0), deliberation="意见")

    def opinion(self) -> ReviewOpinion:
        return services.review_opinion_send(actor=self.staff, report=self.deliberated(), text="一、加快进度。")

    def reported(self) -> ReviewOpinion:
        opinion = self.opinion()
        services.review_opinion_report(actor=self.unit, opinion=opinion, file=pdf())
        return opinion

    def polled(self, marks=None, opinion=None) -> ReviewOpinion:
        opinion = opinion or self.reported()
        poll = services.review_opinion_poll(actor=self.staff, opinion=opinion, term=self.term)
        if marks is not None:
            poll = services.poll_open(actor=self.staff, poll=poll)
            for deputy, mark in zip(self.members, marks, strict=False):
                services.poll_vote(actor=deputy.user, poll=poll, choice=mark)
            services.poll_close(actor=self.staff, poll=poll)
        return opinion

    def rereported(self) -> ReviewOpinion:
        opinion = self.polled([C.UNSATISFIED] * 8)
        services.review_opinion_report(actor=self.unit, opinion=ReviewOpinion.objects.get(pk=opinion.pk), file=pdf())
        return opinion


@pytest.fixture
def world(staff, leader, unit_user, other_unit_user, deputy_user, town_staff, term, unit_org, working_body, members):
    actors = {"staff": staff, "leader": leader, "unit_user": unit_user, "other_unit": other_unit_user,
              "deputy": deputy_user, "town_staff": town_staff, "anonymous": None}
    return World(actors, term, unit_org, working_body, members)


CASES = [
    Case(WORK_REPORT, WS.PLANNED, lambda w: w.report(), "no meeting"),
    Case(WORK_REPORT, WS.PLANNED, lambda w: w.report(30)),
    Case(WORK_REPORT, WS.DRAFT, lambda w: w.submitted(1)),
    Case(WORK_REPORT, WS.REVISED, lambda w: w.submitted(2)),
    Case(WORK_REPORT, WS.REVISED, lambda w: w.submitted(2, days=0), "meeting today"),
    Case(WORK_REPORT, WS.REVISED, lambda w: services.work_report_distribute(actor=w.staff, report=w.submitted(2)),
         "copies sent"),
    Case(WORK_REPORT, WS.DELIBERATED, lambda w: w.deliberated()),
    Case(WORK_REPORT, WS.OPINION_SENT, lambda w: w.opinion().work_report),
    Case(WORK_REPORT, WS.CANCELLED, lambda w: services.work_report_cancel(actor=w.staff, report=w.report(), reason="调整")),

    Case(REVIEW_OPINION, OS.SENT, lambda w: w.opinion()),
    Case(REVIEW_OPINION, OS.REPORTED, lambda w: w.reported()),
    Case(REVIEW_OPINION, OS.POLLING, lambda w: w.polled(), "poll in preparation"),
    Case(REVIEW_OPINION, OS.POLLING, lambda w: w.polled([C.SATISFIED] * 8), "satisfied"),
    Case(REVIEW_OPINION, OS.REREPORT_DUE, lambda w: w.polled([C.UNSATISFIED] * 8)),
    Case(REVIEW_OPINION, OS.REREPORTED, lambda w: w.rereported()),
    Case(REVIEW_OPINION, OS.ESCALATED, lambda w: w.polled([C.UNSATISFIED] * 8, opinion=w.rereported())),
    Case(REVIEW_OPINION, OS.CLOSED, lambda w: services.review_opinion_close(actor=w.staff, opinion=w.reported())),
]


def _page(flow, url_name, surface):
    def page(obj, user):
        return reverse(url_name, args=[obj.pk]), names(flow.available(user, obj, surface))
    return page


PAGES = {
    WORK_REPORT: {"admin": _page(WORK_REPORT, "admin:supervision_workreport_change", "admin"),
                  "unit": _page(WORK_REPORT, "supervision_unit_reports:work_report", "unit")},
    REVIEW_OPINION: {"admin": _page(REVIEW_OPINION, "admin:supervision_reviewopinion_change", "admin"),
                     "unit": _page(REVIEW_OPINION, "supervision_unit_reports:review_opinion", "unit")},
}


(test_every_surface_of_these_workflows_has_its_page, test_each_page_offers_exactly_the_declared_transitions,
 test_every_transition_a_page_may_offer_is_offered_to_somebody) = offer_tests(CASES, PAGES)
