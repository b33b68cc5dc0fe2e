"""星级评定 item by item: the year's criteria, the draft a town's staff open and score (each item capped at its points),
submit, and the committee's staff confirm (the stars follow from the total by the thresholds) or return; the public
pages show the latest confirmed stars; legacy entries keep their stars."""
import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from congress.models import StateChange
from congress.services import CongressError
from stations import selectors_standards as sel
from stations import standards
from stations.models import RatingCriterion, RatingScheme, StandardItem, Station, StationAppraisal, StationAppraisalScore

pytestmark = pytest.mark.django_db
YEAR = timezone.localdate().year - 1
A = StationAppraisal.Status
# four criteria worth 100 points in all: 阵地建设 30, 制度机制 20, 活动开展 30, 作用发挥 20
CRITERIA = [("阵地建设", 30), ("制度机制", 20), ("活动开展", 30), ("作用发挥", 20)]


def make_scheme(year=YEAR, criteria=CRITERIA) -> list[RatingCriterion]:
    scheme = RatingScheme.objects.create(year=year)
    return [RatingCriterion.objects.create(scheme=scheme, name=n, max_points=p, order=i) for i, (n, p) in enumerate(criteria)]


@pytest.fixture
def criteria(db):
    return make_scheme()


def opened(actor, station, year=YEAR):
    return standards.appraisal_open(actor=actor, station_id=station.pk, year=year)


def scored(actor, station, points=(28, 18, 25.5, 17), year=YEAR):
    """A submitted appraisal scored with `points` (in the order of CRITERIA)."""
    appraisal = opened(actor, station, year)
    criteria = sel.criteria_for_year(year)
    standards.appraisal_score(actor=actor, appraisal_id=appraisal.pk, points=dict(zip([c.pk for c in criteria], points, strict=True)))
    standards.appraisal_submit(actor=actor, appraisal_id=appraisal.pk)
    appraisal.refresh_from_db()
    return appraisal


def last_change(appraisal):
    return StateChange.objects.filter(workflow="star_rating", object_id=appraisal.pk).order_by("id").last()


class TestStarsFromTheTotal:
    @pytest.mark.parametrize("total, stars", [(100, 5), (90, 5), (Decimal("89.9"), 4), (80, 4), (Decimal("79.9"), 3),
                                              (70, 3), (Decimal("69.9"), 2), (60, 2), (Decimal("59.9"), 1), (0, 1)])
    def test_the_default_thresholds_at_and_just_below_each(self, total, stars):
        assert sel.stars_for(total) == stars

    def test_the_thresholds_are_a_setting(self, settings):
        settings.STATIONS = {"STAR_THRESHOLDS": ((95, 5), (85, 4)), "STAR_FLOOR": 3}
        assert (sel.stars_for(95), sel.stars_for(94.9), sel.stars_for(85), sel.stars_for(10)) == (5, 4, 4, 3)


class TestOpen:
    def test_town_staff_open_a_draft_for_their_towns_station(self, town_staff, station_a, criteria):
        appraisal = opened(town_staff, station_a)
        assert (appraisal.status, appraisal.created_by, appraisal.stars) == (A.DRAFT, town_staff, None)
        assert last_change(appraisal).action == "open"

    def test_town_staff_of_another_town_cannot(self, other_town_staff, station_a, criteria):
        with pytest.raises(CongressError, match="只能为本镇街的家站点评分"):
            opened(other_town_staff, station_a)
        assert not StationAppraisal.objects.exists()

    def test_a_leader_cannot(self, leader, station_a, criteria):
        with pytest.raises(CongressError, match="没有星级评定评分的权限"):
            opened(leader, station_a)

    def test_it_needs_the_years_criteria(self, town_staff, station_a):
        with pytest.raises(CongressError, match=f"{YEAR}年度的星级评定标准尚未制定"):
            opened(town_staff, station_a)

    def test_one_per_station_and_year(self, town_staff, staff, station_a, criteria):
        opened(town_staff, station_a)
        with pytest.raises(CongressError, match="已有星级评定"):
            opened(staff, station_a)


class TestScore:
    def test_points_per_criterion_and_the_total(self, town_staff, station_a, criteria):
        appraisal = opened(town_staff, station_a)
        total = standards.appraisal_score(actor=town_staff, appraisal_id=appraisal.pk,
                                          points={criteria[0].pk: "28", criteria[1].pk: 18.5}, basis="阵地规范")
        assert total == Decimal("46.5")
        appraisal.refresh_from_db()
        assert (appraisal.score, appraisal.basis, appraisal.status) == (Decimal("46.5"), "阵地规范", A.DRAFT)
        assert last_change(appraisal).action == "score" and "合计46.5分" in last_change(appraisal).reason
        # entered again: replaced, not added
        standards.appraisal_score(actor=town_staff, appraisal_id=appraisal.pk, points={criteria[0].pk: 30})
        assert sel.appraisal_total(appraisal) == Decimal("48.5") and StationAppraisalScore.objects.count() == 2

    def test_a_criterion_is_capped_at_its_points(self, town_staff, station_a, criteria):
        appraisal = opened(town_staff, station_a)
        with pytest.raises(CongressError, match="“制度机制”的得分不能超过该项分值20分"):
            standards.appraisal_score(actor=town_staff, appraisal_id=appraisal.pk, points={criteria[1].pk: "20.1"})
        with pytest.raises(CongressError, match="不能为负数"):
            standards.appraisal_score(actor=town_staff, appraisal_id=appraisal.pk, points={criteria[1].pk: -1})
        assert not StationAppraisalScore.objects.exists()

    def test_a_criterion_of_another_year_is_refused(self, town_staff, station_a, criteria):
        other = make_scheme(YEAR - 1)
        appraisal = opened(town_staff, station_a)
        with pytest.raises(CongressError, match="不属于"):
            standards.appraisal_score(actor=town_staff, appraisal_id=appraisal.pk, points={other[0].pk: 5})

    def test_town_staff_of_another_town_cannot(self, town_staff, other_town_staff, station_a, criteria):
        appraisal = opened(town_staff, station_a)
        with pytest.raises(CongressError, match="只能为本镇街的家站点评分"):
            standards.appraisal_score(actor=other_town_staff, appraisal_id=appraisal.pk, points={criteria[0].pk: 5})
        assert not StationAppraisalScore.objects.exists()

    def test_not_once_submitted(self, town_staff, station_a, criteria):
        appraisal = scored(town_staff, station_a)
        with pytest.raises(CongressError, match="星级评定当前为“已提交”，不能评分"):
            standards.appraisal_score(actor=town_staff, appraisal_id=appraisal.pk, points={criteria[0].pk: 5})


class TestSubmit:
    def test_every_criterion_must_be_scored(self, town_staff, station_a, criteria):
        appraisal = opened(town_staff, station_a)
        standards.appraisal_score(actor=town_staff, appraisal_id=appraisal.pk, points={criteria[0].pk: 5})
        with pytest.raises(CongressError, match="还有评分项目未评分：制度机制、活动开展、作用发挥"):
            standards.appraisal_submit(actor=town_staff, appraisal_id=appraisal.pk)

    def test_submitted_with_the_total(self, town_staff, station_a, criteria, staff):
        appraisal = scored(town_staff, station_a)
        assert (appraisal.status, appraisal.score) == (A.SUBMITTED, Decimal("88.5"))
        assert last_change(appraisal).action == "submit"
        assert staff.notifications.filter(title__contains="请确认").exists()

    def test_town_staff_of_another_town_cannot(self, town_staff, other_town_staff, station_a, criteria):
        appraisal = opened(town_staff, station_a)
        standards.appraisal_score(actor=town_staff, appraisal_id=appraisal.pk,
                                  points={c.pk: 10 for c in criteria})
        with pytest.raises(CongressError, match="只能为本镇街的家站点评分"):
            standards.appraisal_submit(actor=other_town_staff, appraisal_id=appraisal.pk)

    def test_not_twice(self, town_staff, station_a, criteria):
        appraisal = scored(town_staff, station_a)
        with pytest.raises(CongressError, match="不能提交"):
            standards.appraisal_submit(actor=town_staff, appraisal_id=appraisal.pk)


class TestConfirm:
    def test_committee_staff_confirm_and_the_stars_follow_the_total(self, town_staff, staff, station_a, criteria):
        appraisal = scored(town_staff, station_a)  # 28 + 18 + 25.5 + 17 = 88.5 → 4 stars
        standards.appraisal_confirm(actor=staff, appraisal_id=appraisal.pk)
        appraisal.refresh_from_db()
        assert (appraisal.status, appraisal.stars, appraisal.score) == (A.CONFIRMED, 4, Decimal("88.5"))
        assert (appraisal.appraised_by, appraisal.appraised_on) == (staff, timezone.localdate())
        assert last_change(appraisal).reason.startswith("合计88.5分，评为4星级")

    @pytest.mark.parametrize("points, stars", [((30, 20, 30, 10), 5), ((30, 20, 20, 10), 4), ((25, 15, 20, 9.9), 2),
                                               ((20, 10, 20, 10), 2), ((20, 10, 20, 9.9), 1)])
    def test_at_the_exact_thresholds(self, town_staff, staff, station_a, criteria, points, stars):
        appraisal = scored(town_staff, station_a, points)
        assert standards.appraisal_confirm(actor=staff, appraisal_id=appraisal.pk).stars == stars

    def test_town_staff_cannot_confirm_even_their_own_towns(self, town_staff, station_a, criteria):
        appraisal = scored(town_staff, station_a)
        with pytest.raises(CongressError, match="由区人大常委会机关工作人员确认"):
            standards.appraisal_confirm(actor=town_staff, appraisal_id=appraisal.pk)
        appraisal.refresh_from_db()
        assert (appraisal.status, appraisal.stars) == (A.SUBMITTED, None)

    def test_other_town_staff_and_leaders_cannot(self, town_staff, other_town_staff, leader, station_a, criteria):
        appraisal = scored(town_staff, station_a)
        for actor in (other_town_staff, leader):
            with pytest.raises(CongressError):
                standards.appraisal_confirm(actor=actor, appraisal_id=appraisal.pk)
        assert StationAppraisal.objects.get().status == A.SUBMITTED

    def test_not_a_draft(self, town_staff, staff, station_a, criteria):
        appraisal = opened(town_staff, station_a)
        with pytest.raises(CongressError, match="星级评定当前为“草稿”，不能确认"):
            standards.appraisal_confirm(actor=staff, appraisal_id=appraisal.pk)

    def test_the_years_criteria_lock_at_the_first_confirmation(self, town_staff, staff, station_a, criteria):
        appraisal = scored(town_staff, station_a)
        assert not sel.year_locked(YEAR)
        standards.appraisal_confirm(actor=staff, appraisal_id=appraisal.pk)
        assert sel.year_locked(YEAR) and sel.scheme_locked(RatingScheme.objects.get(year=YEAR))
        assert not sel.year_locked(YEAR - 1)


class TestCriteriaEditedAfterScoring:
    """The year's table stays editable until its first confirmation, so scores entered earlier are checked against the
    criteria as they stand when the appraisal is submitted and again when it is confirmed."""

    def test_points_lowered_after_submission_block_the_confirmation_until_rescored(self, town_staff, staff, station_a,
                                                                                   criteria):
        appraisal = scored(town_staff, station_a)  # 28 on 阵地建设 (30)
        RatingCriterion.objects.filter(pk=criteria[0].pk).update(max_points=25)
        with pytest.raises(CongressError, match="以下得分超过现分值，须重新评分：“阵地建设”28.0分（现分值25分）"):
            standards.appraisal_confirm(actor=staff, appraisal_id=appraisal.pk)
        appraisal.refresh_from_db()
        assert (appraisal.status, appraisal.stars) == (A.SUBMITTED, None)
        standards.appraisal_return(actor=staff, appraisal_id=appraisal.pk, reason="阵地建设分值已调整为25分")
        standards.appraisal_score(actor=town_staff, appraisal_id=appraisal.pk, points={criteria[0].pk: 24})
        standards.appraisal_submit(actor=town_staff, appraisal_id=appraisal.pk)
        confirmed = standards.appraisal_confirm(actor=staff, appraisal_id=appraisal.pk)
        assert (confirmed.score, confirmed.stars) == (Decimal("84.5"), 4)

    def test_points_lowered_while_a_draft_block_the_submission(self, town_staff, station_a, criteria):
        appraisal = opened(town_staff, station_a)
        standards.appraisal_score(actor=town_staff, appraisal_id=appraisal.pk,
                                  points={c.pk: p for c, p in zip(criteria, (28, 18, 25, 17), strict=True)})
        RatingCriterion.objects.filter(pk=criteria[3].pk).update(max_points=15)
        with pytest.raises(CongressError, match="“作用发挥”17.0分（现分值15分）"):
            standards.appraisal_submit(actor=town_staff, appraisal_id=appraisal.pk)
        assert StationAppraisal.objects.get(pk=appraisal.pk).status == A.DRAFT

    def test_a_criterion_added_after_submission_must_be_scored_before_confirmation(self, town_staff, staff, station_a,
                                                                                   criteria):
        appraisal = scored(town_staff, station_a)
        RatingCriterion.objects.create(scheme=criteria[0].scheme, name="群众评价", max_points=10, order=9)
        with pytest.raises(CongressError, match="还有评分项目未评分：群众评价"):
            standards.appraisal_confirm(actor=staff, appraisal_id=appraisal.pk)
        assert StationAppraisal.objects.get(pk=appraisal.pk).status == A.SUBMITTED

    def test_the_criteria_total_is_a_setting(self, settings):
        standards.criteria_check_total([30, 20, 30, 20])
        with pytest.raises(CongressError, match="合计须为100分（现为90分）"):
            standards.criteria_check_total([30, 20, 30, 10])
        settings.STATIONS = {"STAR_CRITERIA_TOTAL": 90}
        standards.criteria_check_total([30, 20, 30, 10])
        with pytest.raises(CongressError, match="合计须为90分（现为100分）"):
            standards.criteria_check_total([30, 20, 30, 20])


class TestReturn:
    def test_returned_rescored_and_submitted_again(self, town_staff, staff, station_a, criteria):
        appraisal = scored(town_staff, station_a)
        standards.appraisal_return(actor=staff, appraisal_id=appraisal.pk, reason="活动开展得分依据不足")
        appraisal.refresh_from_db()
        assert (appraisal.status, appraisal.return_reason) == (A.RETURNED, "活动开展得分依据不足")
        assert town_staff.notifications.filter(title__contains="被退回").exists()
        standards.appraisal_score(actor=town_staff, appraisal_id=appraisal.pk, points={criteria[2].pk: 20})
        standards.appraisal_submit(actor=town_staff, appraisal_id=appraisal.pk)
        appraisal.refresh_from_db()
        assert (appraisal.status, appraisal.score, appraisal.return_reason) == (A.SUBMITTED, Decimal("83.0"), "")

    def test_it_needs_a_reason(self, town_staff, staff, station_a, criteria):
        appraisal = scored(town_staff, station_a)
        with pytest.raises(CongressError, match="请填写退回原因"):
            standards.appraisal_return(actor=staff, appraisal_id=appraisal.pk, reason=" ")

    def test_town_staff_cannot_return(self, town_staff, station_a, criteria):
        appraisal = scored(town_staff, station_a)
        with pytest.raises(CongressError, match="由区人大常委会机关工作人员确认"):
            standards.appraisal_return(actor=town_staff, appraisal_id=appraisal.pk, reason="x")

    def test_not_a_confirmed_one(self, town_staff, staff, station_a, criteria):
        appraisal = scored(town_staff, station_a)
        standards.appraisal_confirm(actor=staff, appraisal_id=appraisal.pk)
        with pytest.raises(CongressError, match="不能退回"):
            standards.appraisal_return(actor=staff, appraisal_id=appraisal.pk, reason="再看看")


class TestReads:
    def test_the_public_pages_show_the_latest_confirmed_stars(self, client, town_staff, staff, station_a, station_b):
        from django.urls import reverse

        StationAppraisal.objects.create(station=station_a, year=YEAR - 1, stars=3, status=A.CONFIRMED, is_legacy=True,
                                        appraised_on=datetime.date(YEAR, 1, 10))
        make_scheme()
        scored(town_staff, station_a, (30, 20, 30, 15))  # submitted, 95: not shown until confirmed
        detail = client.get(reverse("stations:public_detail", args=[station_a.pk])).content.decode()
        assert f"{YEAR - 1}年3星级" in detail and "★★★★★" not in detail
        standards.appraisal_confirm(actor=staff, appraisal_id=StationAppraisal.objects.get(year=YEAR).pk)
        detail = client.get(reverse("stations:public_detail", args=[station_a.pk])).content.decode()
        assert f"{YEAR}年5星级" in detail
        listing = client.get(reverse("stations:public_list")).content.decode()
        assert "★★★★★" in listing.split(station_a.name)[1].split("</li>")[0]
        assert "★" not in listing.split(station_b.name)[1].split("</li>")[0]

    def test_the_history_by_year(self, town_staff, station_a, criteria):
        StationAppraisal.objects.create(station=station_a, year=YEAR - 2, stars=2, status=A.CONFIRMED, is_legacy=True)
        scored(town_staff, station_a)
        assert [a.year for a in sel.appraisal_history(station_a)] == [YEAR, YEAR - 2]

    def test_a_legacy_entry_has_nothing_to_score(self, station_a):
        legacy = StationAppraisal.objects.create(station=station_a, year=YEAR - 2, stars=2, status=A.CONFIRMED,
                                                 is_legacy=True)
        assert sel.unscored_criteria(legacy) == [] and not sel.year_locked(YEAR - 2)

    def test_a_station_never_appraised_has_no_stars_in_the_public_list(self, town_a):
        Station.objects.create(name="测试站", kind=Station.Kind.LIAISON, town=town_a, address="路")
        from stations.selectors import public_station_list

        assert public_station_list(today=timezone.localdate()).get(name="测试站").stars is None


class TestTodos:
    def test_committee_staff_see_those_to_confirm_town_staff_those_returned(self, town_staff, other_town_staff, staff,
                                                                            station_a, criteria):
        waiting = scored(town_staff, station_a)
        todo = {t.label: t.count for t in sel.admin_todos(staff, timezone.localdate())}
        assert todo == {"星级评定待确认": 1}
        standards.appraisal_return(actor=staff, appraisal_id=waiting.pk, reason="依据不足")
        assert {t.label: t.count for t in sel.admin_todos(town_staff, timezone.localdate())} == {"星级评定被退回待修改": 1}
        assert {t.label: t.count for t in sel.admin_todos(other_town_staff, timezone.localdate())} == {"星级评定被退回待修改": 0}


class TestTheLegacyMigration:
    def test_old_appraisals_become_confirmed_legacy_entries_keeping_their_stars(self, station_a, station_b):
        import importlib

        from django.apps import apps

        migration = importlib.import_module("stations.migrations.0011_standards_seed_legacy_appraisals")
        old = StationAppraisal.objects.create(station=station_a, year=2023, stars=4, score=Decimal("86.5"), basis="阵地规范",
                                              appraised_on=datetime.date(2024, 1, 20))
        migration.seed(apps, None)
        old.refresh_from_db()
        assert (old.status, old.is_legacy, old.stars, old.score, old.basis) == (A.CONFIRMED, True, 4, Decimal("86.5"), "阵地规范")
        assert not old.scores.exists()
        assert StandardItem.objects.count() == len(migration.EIGHT)  # seeded once, not twice
