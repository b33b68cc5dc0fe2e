"""任后监督 services: the list from the appointments in office, every transition (right path, wrong state, wrong
user), the grade rule hand-computed at, below and above each line, the 提醒函 threshold, the letters' PDFs (number and
addressee in their text), the reminders of the duty reports and the overdue list."""
import datetime
from fractions import Fraction

import pytest

from congress.letters.models import OfficialLetter
from congress.models import Appointment, Organization, StateChange
from congress.services import CongressError
from supervision import services
from supervision.models import PollGroup, RatedOfficial, RatingRound
from supervision.selectors_ratings import appointments_in_office, rating_grade, rating_needs_reminder, rating_shares
from supervision.tests.rating_helpers import REPORT, YEAR, C, R, appoint, officials, round_in
from tests.pdfs import read_pdf

pytestmark = pytest.mark.django_db
G = RatedOfficial.Grade
TODAY = datetime.date.today()


@pytest.fixture
def other_org(other_unit_user):
    return other_unit_user.organization


@pytest.fixture
def appointed(term, unit_org, other_org):
    """Three officials in office (two of the unit, one of the other organ), one removed, one resigned."""
    a = appoint(term, unit_org, "张明", "局长")
    b = appoint(term, unit_org, "李华", "副局长")
    c = appoint(term, other_org, "王强", "局长")
    appoint(term, other_org, "赵刚", "副局长", day=datetime.date(2021, 12, 1))
    appoint(term, other_org, "赵刚", "副局长", kind=Appointment.Kind.REMOVE, day=datetime.date(2024, 5, 1))
    appoint(term, unit_org, "钱进", "副局长")
    appoint(term, unit_org, "钱进", "副局长", kind=Appointment.Kind.RESIGN, day=datetime.date(2025, 1, 1))
    return [a, b, c]


class TestTheListOfOfficials:
    def test_only_appointments_still_in_office_are_chosen(self, appointed):
        assert {a.person_name for a in appointments_in_office()} == {"张明", "李华", "王强"}

    def test_a_reappointment_after_removal_is_in_office_again(self, term, other_org, appointed):
        appoint(term, other_org, "赵刚", "局长", day=datetime.date(2025, 6, 1))
        assert "赵刚" in {a.person_name for a in appointments_in_office()}

    def test_the_round_is_made_with_them_and_recorded(self, staff, term, appointed):
        rnd = services.rating_round_create(actor=staff, term=term, year=YEAR)
        assert rnd.title == "2026年度任命干部履职评议" and rnd.status == R.PREPARING
        assert sorted(o.person_name for o in officials(rnd)) == ["张明", "李华", "王强"]
        assert StateChange.objects.filter(workflow="rating_round", object_id=rnd.pk, action="create").exists()
        assert StateChange.objects.filter(workflow="rated_official", thread=f"rating_round:{rnd.pk}").count() == 3

    def test_one_round_a_year_and_only_staff(self, staff, unit_user, term, appointed):
        with pytest.raises(CongressError, match="只有常委会机关工作人员"):
            services.rating_round_create(actor=unit_user, term=term, year=YEAR)
        services.rating_round_create(actor=staff, term=term, year=YEAR)
        with pytest.raises(CongressError, match="2026年度已有"):
            services.rating_round_create(actor=staff, term=term, year=YEAR)

    def test_staff_adjust_the_list_while_preparing(self, staff, term, unit_org, appointed):
        rnd = services.rating_round_create(actor=staff, term=term, year=YEAR)
        extra = appoint(term, unit_org, "孙丽", "副局长", day=TODAY)
        gone = officials(rnd)[0]
        services.rating_round_adjust(actor=staff, rnd=rnd, add=[extra], remove=[gone], note="调整")
        names = sorted(o.person_name for o in officials(rnd))
        assert names == sorted({"张明", "李华", "王强", "孙丽"} - {gone.person_name})
        step = StateChange.objects.get(workflow="rating_round", object_id=rnd.pk, action="adjust")
        assert "增加：孙丽" in step.reason and f"移出：{gone.person_name}" in step.reason
        with pytest.raises(CongressError, match="已在评议名单中"):
            services.rating_round_adjust(actor=staff, rnd=rnd, add=[extra])

    def test_adjusting_refuses_the_wrong_user_and_the_wrong_state(self, staff, unit_user, term, appointed):
        rnd = services.rating_round_create(actor=staff, term=term, year=YEAR)
        with pytest.raises(CongressError, match="权限|只有"):
            services.rating_round_adjust(actor=unit_user, rnd=rnd, remove=officials(rnd)[:1])
        services.rating_round_start_reporting(actor=staff, rnd=rnd)
        with pytest.raises(CongressError, match="不能调整评议名单"):
            services.rating_round_adjust(actor=staff, rnd=rnd, remove=officials(rnd)[:1])
        assert len(officials(rnd)) == 3


class TestReporting:
    def test_start_sets_the_default_due_date(self, staff, term, appointed, settings):
        settings.CONGRESS_RULES = {**settings.CONGRESS_RULES, "RATING_REPORT_DAYS": 12}
        rnd = services.rating_round_create(actor=staff, term=term, year=YEAR)
        rnd = services.rating_round_start_reporting(actor=staff, rnd=rnd)
        assert rnd.status == R.REPORTING and rnd.report_due == TODAY + datetime.timedelta(days=12)

    def test_start_refuses_an_empty_list_the_wrong_user_and_a_past_date(self, staff, unit_user, term):
        rnd = services.rating_round_create(actor=staff, term=term, year=YEAR)
        with pytest.raises(CongressError, match="评议名单为空"):
            services.rating_round_start_reporting(actor=staff, rnd=rnd)
        appoint(term, unit_user.organization, "张明")
        services.rating_round_adjust(actor=staff, rnd=rnd, add=appointments_in_office())
        with pytest.raises(CongressError):
            services.rating_round_start_reporting(actor=unit_user, rnd=rnd)
        with pytest.raises(CongressError, match="不能早于今天"):
            services.rating_round_start_reporting(actor=staff, rnd=rnd, due=TODAY - datetime.timedelta(days=1))
        assert RatingRound.objects.get(pk=rnd.pk).status == R.PREPARING

    def test_the_organ_submits_and_may_replace_its_officials_report(self, staff, unit_user, term, appointed):
        rnd = round_in(R.REPORTING, staff=staff, term=term)
        mine = next(o for o in officials(rnd) if o.organization_id == unit_user.organization_id)
        services.rated_official_submit_report(actor=unit_user, official=mine, report=REPORT)
        services.rated_official_submit_report(actor=unit_user, official=mine, report=REPORT + "补充。")
        mine.refresh_from_db()
        assert mine.status == RatedOfficial.Status.REPORTED and mine.report.endswith("补充。")
        assert StateChange.objects.filter(workflow="rated_official", object_id=mine.pk, action="submit_report").count() == 2

    def test_another_organ_may_not_submit(self, staff, unit_user, other_unit_user, term, appointed):
        rnd = round_in(R.REPORTING, staff=staff, term=term)
        mine = next(o for o in officials(rnd) if o.organization_id == unit_user.organization_id)
        with pytest.raises(CongressError, match="只有被评议干部所在单位"):
            services.rated_official_submit_report(actor=other_unit_user, official=mine, report=REPORT)
        with pytest.raises(CongressError, match="只有被评议干部所在单位"):
            services.rated_official_submit_report(actor=staff, official=mine, report=REPORT)

    def test_no_report_before_reporting_starts_nor_a_short_one(self, staff, unit_user, term, appointed):
        rnd = services.rating_round_create(actor=staff, term=term, year=YEAR)
        mine = next(o for o in officials(rnd) if o.organization_id == unit_user.organization_id)
        with pytest.raises(CongressError, match="“筹备”阶段，不能提交述职报告"):
            services.rated_official_submit_report(actor=unit_user, official=mine, report=REPORT)
        services.rating_round_start_reporting(actor=staff, rnd=rnd)
        with pytest.raises(CongressError, match="过短"):
            services.rated_official_submit_report(actor=unit_user, official=mine, report="已履职。")

    def test_the_shortest_duty_report_is_the_setting(self, settings, staff, unit_user, term, appointed):
        rnd = round_in(R.REPORTING, staff=staff, term=term)
        mine = next(o for o in officials(rnd) if o.organization_id == unit_user.organization_id)
        with pytest.raises(CongressError, match=r"述职报告过短（至少20个字）"):
            services.rated_official_submit_report(actor=unit_user, official=mine, report="已履职。")
        settings.CONGRESS_RULES = {**settings.CONGRESS_RULES, "RATING_REPORT_MIN_CHARS": len(REPORT) + 1}
        with pytest.raises(CongressError, match=rf"述职报告过短（至少{len(REPORT) + 1}个字）"):
            services.rated_official_submit_report(actor=unit_user, official=mine, report=REPORT)
        settings.CONGRESS_RULES = {**settings.CONGRESS_RULES, "RATING_REPORT_MIN_CHARS": 4}
        services.rated_official_submit_report(actor=unit_user, official=mine, report="已履职。")
        mine.refresh_from_db()
        assert mine.status == RatedOfficial.Status.REPORTED and mine.report == "已履职。"


class TestPollingAndResults:
    def test_polling_waits_for_every_report(self, staff, unit_user, term, appointed):
        rnd = round_in(R.REPORTING, staff=staff, term=term)
        mine = next(o for o in officials(rnd) if o.organization_id == unit_user.organization_id)
        services.rated_official_submit_report(actor=unit_user, official=mine, report=REPORT)
        with pytest.raises(CongressError, match="还有2名干部的述职报告未提交"):
            services.rating_round_start_polling(actor=staff, rnd=rnd)

    def test_one_poll_per_official_with_the_weighted_groups_of_the_settings(self, staff, unit_user, other_unit_user,
                                                                             term, appointed, settings):
        settings.CONGRESS_RULES = {**settings.CONGRESS_RULES, "RATING_WEIGHT_MEMBERS": 60, "RATING_WEIGHT_DEPUTIES": 40}
        rnd = round_in(R.POLLING, staff=staff, term=term, unit_users=[unit_user, other_unit_user])
        polls = [o.poll for o in officials(rnd)]
        assert all(p is not None and p.source_workflow == "rated_official" for p in polls)
        assert len({p.pk for p in polls}) == 3
        assert sorted(polls[0].groups.values_list("kind", "weight")) == [(PollGroup.Kind.DEPUTIES, 40),
                                                                        (PollGroup.Kind.MEMBERS, 60)]

    def test_unweighted_polls_have_the_members_alone(self, staff, unit_user, other_unit_user, term, appointed):
        rnd = round_in(R.POLLING, staff=staff, term=term, unit_users=[unit_user, other_unit_user])
        assert list(officials(rnd)[0].poll.groups.values_list("kind", "weight")) == [(PollGroup.Kind.MEMBERS, 100)]

    def test_confirming_waits_for_every_poll_and_refuses_others(self, staff, unit_user, other_unit_user, term, appointed):
        rnd = round_in(R.POLLING, staff=staff, term=term, unit_users=[unit_user, other_unit_user])
        with pytest.raises(CongressError, match="还有3名干部的满意度测评尚未结束投票"):
            services.rating_round_confirm(actor=staff, rnd=rnd)
        with pytest.raises(CongressError):
            services.rating_round_confirm(actor=unit_user, rnd=rnd)

    def test_results_are_the_hand_counted_ones(self, staff, unit_user, other_unit_user, term, appointed, members):
        # ten members, all vote: official 0: 8 满意 2 基本 → 80% 满意 → 优秀 (exactly at the line);
        # official 1: 7 满意 1 基本 2 不满意 → 70% / 80% → 称职 (approval exactly at 80);
        # official 2: 3 满意 2 基本 5 不满意 → 30% / 50% → 不称职
        S, B, U = C.SATISFIED, C.BASIC, C.UNSATISFIED
        marks = {0: [S] * 8 + [B] * 2, 1: [S] * 7 + [B] + [U] * 2, 2: [S] * 3 + [B] * 2 + [U] * 5}
        rnd = round_in(R.CONFIRMED, staff=staff, term=term, unit_users=[unit_user, other_unit_user], members=members,
                       marks=marks)
        rows = [(o.satisfied, o.basic, o.unsatisfied, str(o.satisfied_share), str(o.approval_share), o.grade)
                for o in officials(rnd)]
        assert rows == [(8, 2, 0, "80.0", "100.0", G.EXCELLENT), (7, 1, 2, "70.0", "80.0", G.COMPETENT),
                        (3, 2, 5, "30.0", "50.0", G.INCOMPETENT)]
        assert all(o.status == RatedOfficial.Status.RATED for o in officials(rnd))
        assert "优秀1名，称职1名，不称职1名" in StateChange.objects.get(workflow="rating_round", action="confirm").reason


class TestTheGradeRule:
    """Default lines: 优秀 满意 ≥ 80%; 称职 满意+基本 ≥ 80%; 基本称职 ≥ 60%; else 不称职."""

    @pytest.mark.parametrize("satisfied, approval, grade", [
        (Fraction(80, 100), Fraction(80, 100), G.EXCELLENT),        # exactly at 优秀
        (Fraction(79, 100), Fraction(1), G.COMPETENT),              # just below 优秀
        (Fraction(81, 100), Fraction(81, 100), G.EXCELLENT),        # above
        (Fraction(50, 100), Fraction(80, 100), G.COMPETENT),        # exactly at 称职
        (Fraction(50, 100), Fraction(799, 1000), G.BASIC),          # just below 称职
        (Fraction(10, 100), Fraction(60, 100), G.BASIC),            # exactly at 基本称职
        (Fraction(10, 100), Fraction(599, 1000), G.INCOMPETENT),    # just below
        (Fraction(0), Fraction(0), G.INCOMPETENT),
    ])
    def test_lines(self, satisfied, approval, grade):
        assert rating_grade(satisfied, approval) == grade

    def test_the_lines_are_settings(self, settings):
        settings.CONGRESS_RULES = {**settings.CONGRESS_RULES, "RATING_EXCELLENT_SATISFIED": 90}
        assert rating_grade(Fraction(85, 100), Fraction(85, 100)) == G.COMPETENT

    def test_weighted_shares_are_exact(self):
        # members 60%: 2 of 3 satisfied; deputies 40%: 1 of 2 satisfied, 1 basic → 满意 = 0.6·2/3 + 0.4·1/2 = 3/5
        figures = {"groups": [
            {"weight": 60, "base": 3, "counts": {C.SATISFIED: 2, C.BASIC: 0, C.UNSATISFIED: 1}},
            {"weight": 40, "base": 2, "counts": {C.SATISFIED: 1, C.BASIC: 1, C.UNSATISFIED: 0}}]}
        assert rating_shares(figures) == {"satisfied": Fraction(3, 5), "approval": Fraction(4, 5)}

    @pytest.mark.parametrize("below, grade, reminded", [
        ("优秀", G.EXCELLENT, False), ("优秀", G.COMPETENT, True), ("优秀", G.INCOMPETENT, True),
        ("称职", G.EXCELLENT, False), ("称职", G.COMPETENT, False), ("称职", G.BASIC, True),
        ("基本称职", G.BASIC, False), ("基本称职", G.INCOMPETENT, True),
    ])
    def test_the_letter_threshold(self, settings, below, grade, reminded):
        settings.CONGRESS_RULES = {**settings.CONGRESS_RULES, "RATING_REMINDER_BELOW_GRADE": below}
        assert rating_needs_reminder(grade) is reminded


class TestLetters:
    def test_reminders_below_the_threshold_and_the_summary_to_the_district_committee(
            self, staff, unit_user, other_unit_user, term, appointed, members):
        S, B, U = C.SATISFIED, C.BASIC, C.UNSATISFIED
        marks = {0: [S] * 8 + [B] * 2, 1: [S] * 7 + [B] + [U] * 2, 2: [S] * 3 + [B] * 2 + [U] * 5}
        rnd = round_in(R.LETTERS_SENT, staff=staff, term=term, unit_users=[unit_user, other_unit_user], members=members,
                       marks=marks)
        rows = officials(rnd)
        assert [o.reminder_letter_id is not None for o in rows] == [False, True, True]
        assert OfficialLetter.objects.filter(kind="rating_reminder").count() == 2
        first = rows[1].reminder_letter
        assert first.number == f"江海人大办提〔{TODAY.year}〕1号" and first.addressee == rows[1].organization
        text = read_pdf(first.file.read()).text.replace("\n", "")
        assert first.number in text and rows[1].organization.name in text and rows[1].person_name in text
        summary = rnd.summary_letter
        assert summary.kind == "rating_summary" and summary.addressee.name == "中共江海区委员会"
        text = read_pdf(summary.file.read()).text.replace("\n", "")
        assert summary.number in text and "中共江海区委员会" in text and "2名同志" in text
        assert rnd.status == R.LETTERS_SENT

    def test_letters_refuse_the_wrong_state_and_the_wrong_user(self, staff, unit_user, other_unit_user, term, appointed):
        district = Organization.objects.create(name="中共江海区委员会", kind=Organization.Kind.OTHER)
        rnd = round_in(R.POLLING, staff=staff, term=term, unit_users=[unit_user, other_unit_user])
        with pytest.raises(CongressError, match="不能印发函件"):
            services.rating_round_send_letters(actor=staff, rnd=rnd, addressee=district)
        with pytest.raises(CongressError):
            services.rating_round_send_letters(actor=unit_user, rnd=rnd, addressee=district)
        assert not OfficialLetter.objects.exists()


class TestDueDates:
    def test_reminders_before_and_after_the_due_date_are_sent_once(self, staff, unit_user, term, appointed):
        rnd = round_in(R.REPORTING, staff=staff, term=term)
        due = rnd.report_due
        sent = services.rating_reminders_send(today=due - datetime.timedelta(days=3))
        assert len(sent) == 3 and "还有3天到期" in sent[0].text
        assert services.rating_reminders_send(today=due - datetime.timedelta(days=3)) == []
        late = services.rating_reminders_send(today=due + datetime.timedelta(days=1))
        assert late and "已逾期1天" in late[0].text

    def test_overdue_reports_are_on_the_leaders_list(self, staff, unit_user, term, appointed):
        from supervision.selectors_ratings import overdue_rating_report_rows, overdue_rating_reports

        rnd = round_in(R.REPORTING, staff=staff, term=term)
        mine = next(o for o in officials(rnd) if o.organization_id == unit_user.organization_id)
        services.rated_official_submit_report(actor=unit_user, official=mine, report=REPORT)
        later = rnd.report_due + datetime.timedelta(days=2)
        assert not overdue_rating_reports(rnd.report_due).exists()
        late = list(overdue_rating_reports(later))
        assert len(late) == 2 and mine.pk not in {o.pk for o in late}
        rows = overdue_rating_report_rows([o.pk for o in late], later)
        assert all(r.kind == "述职报告" and r.days_overdue == 2 for r in rows.values())
