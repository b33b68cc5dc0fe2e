"""任后监督 through the pages people use: staff open a round on the admin's add page and move it through its phases on
the workflow's pages; the official's organ submits the duty report in its workspace (another organ finds nothing);
the letters are read through the permission-checked file view; lists whose query count does not grow with their rows."""
import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from conftest import client_for
from congress.models import Meeting, Organization, StateChange
from supervision import services
from supervision.models import RatedOfficial, RatingRound, SatisfactionPoll
from supervision.tests.rating_helpers import REPORT, YEAR, C, R, appoint, officials, round_in
from tests.pdfs import read_pdf

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def page(name, obj):
    return reverse(f"admin:supervision_ratinground_{name}", args=[obj.pk])


@pytest.fixture
def appointed(term, unit_org, other_unit_user):
    return [appoint(term, unit_org, "张明", "局长"), appoint(term, unit_org, "李华", "副局长"),
            appoint(term, other_unit_user.organization, "王强", "局长")]


class TestTheRoundInTheAdmin:
    def test_staff_take_a_round_from_the_add_page_to_its_letters(self, staff, term, unit_user, other_unit_user,
                                                                  appointed, members):
        client = client_for(staff)
        response = client.post(reverse("admin:supervision_ratinground_add"), {"term": term.pk, "year": YEAR, "title": ""})
        assert response.status_code == 302
        rnd = RatingRound.objects.get()
        assert rnd.officials.count() == 3
        body = client.get(reverse("admin:supervision_ratinground_change", args=[rnd.pk])).content.decode()
        assert 'data-transition="adjust"' in body and "张明" in body
        gone = rnd.officials.get(person_name="王强")
        assert client.post(page("adjust", rnd), {"remove": [gone.pk], "note": "已调任"}).status_code == 302
        assert rnd.officials.count() == 2
        due = datetime.date.today() + datetime.timedelta(days=10)
        assert client.post(page("reporting", rnd), {"due": due.isoformat()}).status_code == 302
        rnd.refresh_from_db()
        assert rnd.status == R.REPORTING and rnd.report_due == due
        # not yet: the reports are missing, the page says why and offers no form
        refused = client.get(page("polling", rnd)).content.decode()
        assert "还有2名干部的述职报告未提交" in refused
        for official in rnd.officials.all():
            services.rated_official_submit_report(actor=unit_user, official=official, report=REPORT)
        meeting = Meeting.objects.create(term=term, kind=Meeting.Kind.STANDING, number=77, date=datetime.date.today())
        assert client.post(page("polling", rnd), {"meeting": meeting.pk, "basis": "all"}).status_code == 302
        for official in officials(rnd):
            poll = services.poll_open(actor=staff, poll=official.poll)
            for deputy in members[:8]:
                services.poll_vote(actor=deputy.user, poll=poll, choice=C.SATISFIED)
            for deputy in members[8:]:
                services.poll_vote(actor=deputy.user, poll=poll, choice=C.BASIC if official.person_name == "张明"
                                   else C.UNSATISFIED)
            services.poll_close(actor=staff, poll=poll)
        assert client.post(page("confirm", rnd), {}).status_code == 302
        grades = dict(RatedOfficial.objects.filter(round=rnd).values_list("person_name", "grade"))
        assert grades == {"张明": "excellent", "李华": "excellent"}  # 8 of 10 满意: exactly at the line
        district = Organization.objects.create(name="中共江海区委员会", kind=Organization.Kind.OTHER)
        form = client.get(page("letters", rnd)).content.decode()
        assert f'value="{district.pk}" selected' in form
        assert client.post(page("letters", rnd), {"addressee": district.pk}).status_code == 302
        rnd.refresh_from_db()
        assert rnd.status == R.LETTERS_SENT and rnd.summary_letter.addressee == district
        assert not RatedOfficial.objects.filter(round=rnd, reminder_letter__isnull=False).exists()
        pdf = client.get(reverse("congress:letter_file", args=[rnd.summary_letter.pk]))
        text = read_pdf(b"".join(pdf.streaming_content) if pdf.streaming else pdf.content).text.replace("\n", "")
        assert rnd.summary_letter.number in text and "中共江海区委员会" in text
        assert StateChange.objects.filter(workflow="rating_round", object_id=rnd.pk).count() == 6

    def test_the_round_pages_refuse_who_may_not(self, staff, leader, unit_user, term, appointed):
        rnd = services.rating_round_create(actor=staff, term=term, year=YEAR)
        assert client_for(leader).get(reverse("admin:supervision_ratinground_change", args=[rnd.pk])).status_code == 200
        assert client_for(leader).post(page("adjust", rnd), {"note": "x"}).status_code == 403
        assert client_for(unit_user).get(page("reporting", rnd)).status_code in (302, 403)
        assert client_for(staff).get(page("confirm", rnd)).status_code == 200  # shows the refusal (wrong state)
        assert "不能确认评议结果" in client_for(staff).get(page("confirm", rnd)).content.decode()
        assert client_for(staff).post(page("confirm", rnd), {}).status_code == 200
        assert RatingRound.objects.get(pk=rnd.pk).status == R.PREPARING

    def test_a_second_round_of_the_year_is_refused_in_chinese(self, staff, term, appointed):
        services.rating_round_create(actor=staff, term=term, year=YEAR)
        response = client_for(staff).post(reverse("admin:supervision_ratinground_add"),
                                          {"term": term.pk, "year": YEAR, "title": ""})
        assert response.status_code == 200 and "2026年度已有任命干部履职评议" in response.content.decode()


class TestTheUnitWorkspace:
    def test_the_officials_organ_submits_the_report(self, staff, unit_user, term, appointed):
        rnd = round_in(R.REPORTING, staff=staff, term=term)
        mine = rnd.officials.get(person_name="张明")
        client = client_for(unit_user)
        assert 'id="to-ratings"' in client.get(reverse("unit:inbox")).content.decode()
        listing = client.get(reverse("supervision_rating_unit:list")).content.decode()
        assert "张明" in listing and "李华" in listing and "王强" not in listing
        url = reverse("supervision_rating_unit:detail", args=[mine.pk])
        assert 'data-transition="submit_report"' in client.get(url).content.decode()
        response = client.post(url, {"report": REPORT})
        assert response.status_code == 302
        mine.refresh_from_db()
        assert mine.status == RatedOfficial.Status.REPORTED and mine.report == REPORT
        assert StateChange.objects.filter(workflow="rated_official", object_id=mine.pk, action="submit_report",
                                          actor=unit_user).exists()
        short = client.post(url, {"report": "好"})
        assert short.status_code == 200 and "述职报告过短" in short.content.decode()

    def test_another_organ_finds_nothing(self, staff, other_unit_user, term, appointed):
        rnd = round_in(R.REPORTING, staff=staff, term=term)
        mine = rnd.officials.get(person_name="张明")
        url = reverse("supervision_rating_unit:detail", args=[mine.pk])
        client = client_for(other_unit_user)
        assert client.get(url).status_code == 404
        assert client.post(url, {"report": REPORT}).status_code == 404
        mine.refresh_from_db()
        assert mine.status == RatedOfficial.Status.AWAITING

    def test_others_are_kept_out_of_the_workspace(self, staff, deputy_user, term, appointed):
        rnd = round_in(R.REPORTING, staff=staff, term=term)
        url = reverse("supervision_rating_unit:detail", args=[rnd.officials.first().pk])
        assert client_for(staff).get(url).status_code == 403
        assert client_for(deputy_user).get(url).status_code == 403
        assert client_for(None).get(url).status_code == 302

    def test_before_reporting_the_page_offers_no_form_and_a_post_is_refused(self, staff, unit_user, term, appointed):
        rnd = round_in(R.PREPARING, staff=staff, term=term)
        mine = rnd.officials.get(person_name="张明")
        url = reverse("supervision_rating_unit:detail", args=[mine.pk])
        client = client_for(unit_user)
        assert "data-transition" not in client.get(url).content.decode()
        response = client.post(url, {"report": REPORT}, follow=True)
        assert "“筹备”阶段，不能提交述职报告" in response.content.decode()
        mine.refresh_from_db()
        assert mine.status == RatedOfficial.Status.AWAITING

    def test_the_result_and_the_reminder_letter_are_shown_to_the_organ(self, staff, unit_user, other_unit_user, term,
                                                                       appointed, members):
        marks = {i: [C.SATISFIED] * 6 + [C.BASIC] * 4 for i in range(3)}
        rnd = round_in(R.LETTERS_SENT, staff=staff, term=term, unit_users=[unit_user, other_unit_user], members=members,
                       marks=marks)
        mine = rnd.officials.get(person_name="张明")
        body = client_for(unit_user).get(reverse("supervision_rating_unit:detail", args=[mine.pk])).content.decode()
        assert "评议等次：<strong>称职</strong>" in body and mine.reminder_letter.number in body
        letter = client_for(unit_user).get(reverse("congress:letter_file", args=[mine.reminder_letter.pk]))
        assert letter.status_code == 200
        other = client_for(other_unit_user).get(reverse("congress:letter_file", args=[mine.reminder_letter.pk]))
        assert other.status_code == 403


def _count(client, url):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


class TestQueryCounts:
    def _officials(self, staff, term, organ, n, start):
        for i in range(n):
            appoint(term, organ, f"干部{start + i}")

    def test_lists_do_not_grow_with_their_rows(self, staff, unit_user, term, unit_org):
        self._officials(staff, term, unit_org, 2, 0)
        services.rating_round_create(actor=staff, term=term, year=2025)
        unit, admin = client_for(unit_user), client_for(staff)
        urls = [reverse("supervision_rating_unit:list"), reverse("admin:supervision_ratinground_changelist"),
                reverse("admin:supervision_ratedofficial_changelist")]
        [_count(unit, urls[0]), _count(admin, urls[1]), _count(admin, urls[2])]  # warm the per-process caches
        before = [_count(unit, urls[0]), _count(admin, urls[1]), _count(admin, urls[2])]
        self._officials(staff, term, unit_org, 4, 10)
        services.rating_round_create(actor=staff, term=term, year=2026)
        services.rating_round_create(actor=staff, term=term, year=2027)
        after = [_count(unit, urls[0]), _count(admin, urls[1]), _count(admin, urls[2])]
        assert before == after

    def test_the_rounds_page_does_not_grow_with_its_officials(self, staff, term, unit_org):
        self._officials(staff, term, unit_org, 2, 0)
        small = services.rating_round_create(actor=staff, term=term, year=2025)
        self._officials(staff, term, unit_org, 4, 10)
        big = services.rating_round_create(actor=staff, term=term, year=2026)
        admin = client_for(staff)
        change = "admin:supervision_ratinground_change"
        _count(admin, reverse(change, args=[small.pk]))  # warm the per-process caches
        assert _count(admin, reverse(change, args=[small.pk])) == _count(admin, reverse(change, args=[big.pk]))


def test_a_poll_of_an_official_names_its_source(staff, unit_user, other_unit_user, term, appointed):
    rnd = round_in(R.POLLING, staff=staff, term=term, unit_users=[unit_user, other_unit_user])
    poll = officials(rnd)[0].poll
    assert SatisfactionPoll.objects.filter(source_workflow="rated_official", source_id=officials(rnd)[0].pk).get() == poll


def test_overdue_duty_reports_are_on_the_leaders_overdue_page(staff, leader, term, appointed):
    rnd = round_in(R.REPORTING, staff=staff, term=term)
    RatingRound.objects.filter(pk=rnd.pk).update(report_due=datetime.date.today() - datetime.timedelta(days=3))
    body = client_for(leader).get(reverse("congress:overdue")).content.decode()
    assert "张明（局长）的述职报告" in body and "王强（局长）的述职报告" in body
