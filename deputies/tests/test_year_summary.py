"""The portal home's figures of a deputy's year (selectors.deputy_year_summary) read the deputy's participations once
and must say what the three selectors they replace there say: checklist_for, deputy_score, unexcused_absences."""
import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from congress.models import CongressSession, Term
from deputies import selectors
from deputies.models import DutyActivity, DutyActivityParticipant, DutyActivityType, PointRule, VoterReport

pytestmark = pytest.mark.django_db
YEAR = timezone.localdate().year
VERIFIED, SUBMITTED = DutyActivity.Status.VERIFIED, DutyActivity.Status.SUBMITTED


def take_part(deputy, kind, day, *, status=VERIFIED, attendance="present", session=None, title="活动"):
    activity = DutyActivity.objects.create(title=title, activity_type=kind, date=day, status=status,
                                           congress_session=session)
    DutyActivityParticipant.objects.create(activity=activity, deputy=deputy, attendance=attendance)
    return activity


def separately(deputy, year):
    return (selectors.checklist_for(deputy, year), selectors.deputy_score(deputy, year),
            selectors.unexcused_absences(deputy))


@pytest.fixture
def sessions(term):
    previous = Term.objects.create(number=16, start_date=datetime.date(2016, 10, 1), is_current=False)
    return {
        "previous": CongressSession.objects.create(term=previous, number=5, start_date=datetime.date(YEAR, 1, 5),
                                                   end_date=datetime.date(YEAR, 1, 7)),
        "current": CongressSession.objects.create(term=term, number=3, start_date=datetime.date(YEAR, 2, 5),
                                                  end_date=datetime.date(YEAR, 2, 7)),
        "last_year": CongressSession.objects.create(term=term, number=2, start_date=datetime.date(YEAR - 1, 2, 5),
                                                    end_date=datetime.date(YEAR - 1, 2, 7)),
    }


@pytest.fixture
def record(deputy, other_deputy, inspection, sessions):
    """A year of one deputy with every case the three selectors tell apart."""
    meeting = DutyActivityType.objects.create(name="人代会", checklist_item="")
    PointRule.objects.create(activity_type=meeting, points_present=2, points_absent=-2,
                             effective_from=datetime.date(2020, 1, 1))
    visit = DutyActivityType.objects.create(name="走访选民", checklist_item="visit")
    PointRule.objects.create(activity_type=visit, points_present=1, points_absent=0, effective_from=datetime.date(2020, 1, 1))
    PointRule.objects.create(activity_type=visit, points_present=5, points_absent=0, effective_from=datetime.date(YEAR, 6, 1))
    publicity = DutyActivityType.objects.create(name="宣传", checklist_item="publicity")
    # the inspection type (conftest): 一次监督活动, +3 present, -1 absent
    take_part(deputy, inspection, datetime.date(YEAR, 3, 1))  # +3 and 一次监督活动
    take_part(deputy, visit, datetime.date(YEAR, 4, 1))  # +1 under the old rule and 一次走访选民
    take_part(deputy, visit, datetime.date(YEAR, 7, 1))  # +5 under the new one
    take_part(deputy, publicity, datetime.date(YEAR, 5, 1), status=SUBMITTED)  # not verified: nothing
    take_part(deputy, publicity, datetime.date(YEAR, 5, 2), attendance="excused")  # excused: no item, no points
    take_part(deputy, inspection, datetime.date(YEAR - 1, 3, 1))  # last year: nothing this year
    take_part(deputy, meeting, sessions["current"].start_date, attendance="absent", session=sessions["current"])  # -2, 1
    take_part(deputy, meeting, sessions["previous"].start_date, attendance="absent",
              session=sessions["previous"])  # -2 but a previous term's session: no absence
    take_part(deputy, meeting, sessions["last_year"].start_date, attendance="absent", status=SUBMITTED,
              session=sessions["last_year"])  # this term's session, last year, unverified: an absence, no points
    take_part(deputy, meeting, datetime.date(YEAR, 8, 1), attendance="absent")  # -2, not a session: no absence
    take_part(other_deputy, publicity, datetime.date(YEAR, 3, 2))  # somebody else's
    VoterReport.objects.create(deputy=deputy, date=datetime.date(YEAR, 9, 1), place="城东联络站", attendance=20, text="述职")
    return deputy


class TestDeputyYearSummary:
    def test_it_says_what_the_three_selectors_say(self, record):
        checklist, score, absences = separately(record, YEAR)
        summary = selectors.deputy_year_summary(record, YEAR)
        assert (summary.checklist, summary.score, summary.absences) == (checklist, score, absences)
        # and what they say is the case the fixture describes, not merely equal
        assert {c["key"] for c in summary.checklist if c["done"]} == {"supervision", "visit", "report"}
        assert summary.checklist_done == 3
        assert summary.score == Decimal(3 + 1 + 5 - 2 - 2 - 2)
        assert summary.absences == 2

    def test_it_agrees_for_another_year_and_for_a_deputy_without_records(self, record, other_deputy):
        for deputy, year in ((record, YEAR - 1), (other_deputy, YEAR), (other_deputy, YEAR - 1)):
            summary = selectors.deputy_year_summary(deputy, year)
            assert (summary.checklist, summary.score, summary.absences) == separately(deputy, year)

    def test_it_reads_the_participations_once(self, record):
        with CaptureQueriesContext(connection) as ctx:
            selectors.deputy_year_summary(record, YEAR)
        reads = [q["sql"] for q in ctx.captured_queries if 'FROM "deputies_dutyactivityparticipant"' in q["sql"]]
        assert len(reads) == 1, reads


class TestYearSources:
    def test_a_year_source_is_asked_once_for_one_deputy_and_grouped_for_many(self, deputy, other_deputy, monkeypatch):
        from deputies import seams

        asked = []

        def one(d, year, rules):
            asked.append(("one", d.pk))
            return {"publicity"}, 2

        def checklist(ids, year):
            asked.append(("checklist", tuple(ids)))
            return {pk: {"publicity"} for pk in ids}

        def points(ids, year, until):
            asked.append(("points", tuple(ids)))
            return {pk: 2 for pk in ids}

        monkeypatch.setattr(seams, "year_sources", [seams.YearSource(checklist=checklist, points=points, one=one)])
        summary = selectors.deputy_year_summary(deputy, YEAR)
        assert asked == [("one", deputy.pk)]
        assert (summary.checklist, summary.score) == (selectors.checklist_for(deputy, YEAR),
                                                      selectors.deputy_score(deputy, YEAR))
        assert summary.score == 2 and summary.checklist_done == 1
        asked.clear()
        assert selectors.checklist_done([deputy.pk, other_deputy.pk], YEAR) == {deputy.pk: {"publicity"},
                                                                               other_deputy.pk: {"publicity"}}
        assert asked == [("checklist", (deputy.pk, other_deputy.pk))]

    def test_a_source_of_only_items_or_only_points_still_counts(self, deputy, monkeypatch):
        from deputies import seams

        monkeypatch.setattr(seams, "year_sources", [])
        monkeypatch.setattr(seams, "checklist_sources", [lambda ids, y: {pk: {"suggestion"} for pk in ids}])
        monkeypatch.setattr(seams, "points_sources", [lambda ids, y, until: {pk: 3 for pk in ids}])
        summary = selectors.deputy_year_summary(deputy, YEAR)
        assert summary.score == 3 and {c["key"] for c in summary.checklist if c["done"]} == {"suggestion"}
