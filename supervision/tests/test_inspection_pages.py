"""执法检查 through the pages people use: staff plan it on the admin's add page, form the team in the change page's
inline, start, arrange a site visit, record problems, submit the report with its PDF, record the deliberation, assign,
report the rectification with its poll and close; a deputy on the team sees the inspection, its visits (the ones they
went to marked) and the report in the portal, a deputy not on it sees nothing and cannot read the file; the visits are
in the deputies' duty record (with the points of the inspection's activity type) and their checklist; a report not
submitted by its date is on the leaders' overdue list; the annual report's figures; the lists' query counts."""
import datetime
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from conftest import client_for
from congress.models import Meeting, Organization
from deputies import seams
from deputies.models import DutyActivityType, PointRule
from deputies.selectors import checklist_done, deputy_score
from supervision import services
from supervision.models import Inspection, InspectionMember, InspectionProblem, Rectification, SatisfactionPoll
from supervision.selectors_inspections import inspections_in
from supervision.tests.inspection_helpers import LAW, TODAY, days, deliberated, inspecting, planned, polled, rectifying
from supervision.tests.test_inquiry_pages import _Form, add_row

pytestmark = pytest.mark.django_db
S, C = Inspection.Status, SatisfactionPoll.Choice


def change_url(inspection):
    return reverse("admin:supervision_inspection_change", args=[inspection.pk])


def change_form(client, inspection) -> dict:
    parser = _Form()
    parser.feed(client.get(change_url(inspection)).content.decode())
    return {k: v for k, v in parser.data.items() if k != "csrfmiddlewaretoken"}


def page(slug, inspection):
    return reverse(f"admin:supervision_inspection_{slug}", args=[inspection.pk])


def _pdf():
    return SimpleUploadedFile("检查报告.pdf", b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n",
                              content_type="application/pdf")


class TestRunningAnInspectionInTheAdmin:
    def test_staff_plan_form_the_team_visit_report_deliberate_assign_poll_and_close(
            self, staff, working_body, unit_org, members, meeting, unit_user):
        client = client_for(staff)
        response = client.post(reverse("admin:supervision_inspection_add"), {
            "year": days(-10).year, "law": LAW, "working_body": working_body.pk, "plan": "检查消防安全责任制落实情况",
            "start_date": str(days(-10)), "end_date": str(days(10)), "report_due": "", "activity_type": ""})
        assert response.status_code == 302
        inspection = Inspection.objects.get()
        assert inspection.status == S.PLANNED and inspection.report_due == days(40)
        # the team in the inline; no leader yet, so no start
        data = change_form(client, inspection)
        for n, deputy in enumerate(members[:3]):
            add_row(data, "team", deputy=str(deputy.pk), capacity="committee", role="member" if n else "leader")
        response = client.post(change_url(inspection), data)
        assert response.status_code == 302, response.content.decode()[-2000:]
        assert inspection.team.count() == 3
        change = client.get(change_url(inspection)).content.decode()
        assert f'href="{page("start", inspection)}" data-transition="start"' in change
        assert client.post(page("start", inspection), {}).status_code == 302
        # a site visit by two of the team; somebody outside it is not offered
        body = client.get(page("visit", inspection)).content.decode()
        assert members[0].full_name in body and members[5].full_name not in body
        response = client.post(page("visit", inspection), {
            "date": str(days(-3)), "place": "城东商业综合体", "organization": unit_org.pk,
            "participants": [members[0].pk, members[1].pk], "note": "查看消防通道"})
        assert response.status_code == 302
        visit = inspection.visits.get()
        # a problem found there, in the inline
        data = change_form(client, inspection)
        add_row(data, "problems", number="1", visit=str(visit.pk), organization=str(unit_org.pk), title="消防通道被占用",
                detail="限期清理", due_date=str(days(90)))
        response = client.post(change_url(inspection), data)
        assert response.status_code == 302, response.content.decode()[-2000:]
        response = client.post(page("report", inspection), {"text": "报告正文", "file": _pdf(), "meeting": meeting.pk})
        assert response.status_code == 302
        inspection.refresh_from_db()
        assert inspection.status == S.REPORTED and inspection.report_file
        change = client.get(change_url(inspection)).content.decode()
        assert reverse("supervision:inspection_report_file", args=[inspection.pk]) in change
        # the team is fixed now: the inline is shown, not editable
        assert 'name="team-0-role"' not in change and 'name="problems-0-title"' in change
        assert client.post(page("deliberate", inspection), {"meeting": "", "review_opinion": "压实责任"}).status_code == 302
        assert client.post(page("assign", inspection), {}).status_code == 302
        item = Rectification.objects.get()
        assert (item.organization, item.source_workflow, item.source_id) == (unit_org, "inspection", inspection.pk)
        # the record is closed now: shown, not editable
        assert client.post(change_url(inspection), change_form(client, inspection)).status_code == 403
        response = client.post(page("rectification", inspection), {"text": "已清理", "meeting": meeting.pk, "basis": "all"})
        assert response.status_code == 302
        poll = SatisfactionPoll.objects.get()
        assert poll.source_workflow == "inspection"
        change = client.get(change_url(inspection)).content.decode()
        assert 'data-transition="close"' not in change and poll.title in change
        poll = services.poll_open(actor=staff, poll=poll)
        for deputy in members[:7]:
            services.poll_vote(actor=deputy.user, poll=poll, choice=C.SATISFIED)
        services.poll_close(actor=staff, poll=poll)
        assert 'data-transition="close"' in client.get(change_url(inspection)).content.decode()
        assert client.post(page("close", inspection), {"note": "整改到位"}).status_code == 302
        assert Inspection.objects.get().status == S.CLOSED

    def test_a_page_in_the_wrong_state_shows_the_refusal_and_others_are_refused(self, staff, leader, working_body, members):
        inspection = planned(staff, working_body, members[:2])
        body = client_for(staff).get(page("close", inspection)).content.decode()
        assert "执法检查当前为“计划中”，不能办结" in body and "<textarea" not in body
        assert client_for(staff).post(page("close", inspection), {"note": ""}).status_code == 200
        assert Inspection.objects.get().status == S.PLANNED
        assert client_for(leader).get(page("start", inspection)).status_code == 403
        assert client_for(leader).get(change_url(inspection)).status_code == 200  # leaders read it

    def test_a_visit_by_somebody_outside_the_team_is_a_chinese_form_error(self, staff, working_body, members):
        inspection = planned(staff, working_body, members[:2])
        body = client_for(staff).post(page("visit", inspection), {
            "date": str(TODAY), "place": "某地", "participants": [members[6].pk]}).content.decode()
        assert "选择一个有效的选项" in body and not inspection.visits.exists()
        body = client_for(staff).post(page("visit", inspection), {
            "date": str(days(30)), "place": "某地", "participants": [members[0].pk]}).content.decode()
        assert "检查日期须在检查时间" in body and not inspection.visits.exists()


class TestPortal:
    def test_a_deputy_on_the_team_sees_the_inspection_its_visits_and_the_report(
            self, staff, working_body, unit_org, members, meeting):
        inspection = inspecting(staff, working_body, members[:3], unit_org)
        services.inspection_visit(actor=staff, inspection=inspection, date=days(-1), place="临江工业园",
                                  participants=[members[2]])
        services.inspection_submit_report(actor=staff, inspection=inspection, text="检查报告正文", file=_pdf(),
                                          meeting=meeting)
        client = client_for(members[0].user)
        body = client.get(reverse("supervision:inspections")).content.decode()
        assert f"{TODAY.year if days(-10).year == TODAY.year else days(-10).year}年{LAW}执法检查" in body
        assert "本人：组长（常委会组成人员）" in body
        first, second = inspection.visits.order_by("date")
        assert body.count("本人参加") == 1 and body.count("本人未参加") == 1
        assert body.index(f'data-visit="{first.pk}"') < body.index("本人参加") < body.index(f'data-visit="{second.pk}"')
        file_url = reverse("supervision:inspection_report_file", args=[inspection.pk])
        assert file_url in body and "检查报告正文" in body
        assert client.get(file_url).status_code == 200
        # the home page's panel leads here
        assert reverse("supervision:inspections") in client.get(reverse("portal:home")).content.decode()

    def test_a_deputy_not_on_the_team_sees_nothing_and_cannot_read_the_report(
            self, staff, working_body, unit_org, members, meeting):
        inspection = inspecting(staff, working_body, members[:3], unit_org)
        services.inspection_submit_report(actor=staff, inspection=inspection, text="检查报告正文", file=_pdf(),
                                          meeting=meeting)
        client = client_for(members[7].user)
        body = client.get(reverse("supervision:inspections")).content.decode()
        assert "您目前没有参加执法检查" in body and LAW not in body and "检查报告正文" not in body
        assert client.get(reverse("supervision:inspection_report_file", args=[inspection.pk])).status_code == 404
        assert reverse("supervision:inspections") not in client.get(reverse("portal:home")).content.decode()

    def test_staff_and_leaders_read_the_report_file_units_do_not(self, staff, leader, unit_user, working_body, unit_org,
                                                                members, meeting):
        inspection = inspecting(staff, working_body, members[:3], unit_org)
        services.inspection_submit_report(actor=staff, inspection=inspection, file=_pdf(), meeting=meeting)
        url = reverse("supervision:inspection_report_file", args=[inspection.pk])
        assert client_for(staff).get(url).status_code == 200
        assert client_for(leader).get(url).status_code == 200
        assert client_for(unit_user).get(url).status_code == 404


class TestDutyRecord:
    def test_each_visit_is_in_the_duty_record_of_those_who_went_with_the_types_points(
            self, staff, working_body, unit_org, members):
        kind = DutyActivityType.objects.create(name="执法检查", checklist_item="supervision")
        PointRule.objects.create(activity_type=kind, points_present=Decimal("3"), effective_from=datetime.date(2020, 1, 1))
        inspection = inspecting(staff, working_body, members[:3], unit_org, visit_day=-5)
        Inspection.objects.filter(pk=inspection.pk).update(activity_type=kind)
        services.inspection_visit(actor=staff, inspection=inspection, date=days(-4), place="临江工业园",
                                  participants=[members[0]])
        services.inspection_visit(actor=staff, inspection=inspection, date=days(5), place="以后再去",
                                  participants=[members[0]])  # arranged, not yet held: not in the record
        year = days(-5).year
        items = [i for i in seams.external_items(members[0], year) if i.kind == "执法检查"]
        assert [(i.date, i.title, i.points, i.checklist) for i in items] == [
            (days(-5), f"{inspection}：城东商业综合体", Decimal("3"), "supervision"),
            (days(-4), f"{inspection}：临江工业园", Decimal("3"), "supervision")] if days(-4).year == year else items
        assert [i.title for i in seams.external_items(members[1], year) if i.kind == "执法检查"] == [
            f"{inspection}：城东商业综合体"]
        assert not [i for i in seams.external_items(members[2], year) if i.kind == "执法检查"]  # on the team, never went
        assert seams.external_points([m.pk for m in members[:3]], year, datetime.date(year, 12, 31)) == {
            members[0].pk: Decimal("6"), members[1].pk: Decimal("3")}
        assert deputy_score(members[1], year) == Decimal("3")
        done = checklist_done([m.pk for m in members[:3]], year)
        assert "supervision" in done[members[0].pk] and "supervision" not in done[members[2].pk]

    def test_the_duty_record_page_shows_the_visit(self, staff, working_body, unit_org, members):
        inspection = inspecting(staff, working_body, members[:3], unit_org)
        body = client_for(members[1].user).get(reverse("portal:record"), {"year": days(-5).year}).content.decode()
        assert f"{inspection}：城东商业综合体" in body
        body = client_for(members[2].user).get(reverse("portal:record"), {"year": days(-5).year}).content.decode()
        assert "城东商业综合体" not in body

    def test_without_an_activity_type_no_points(self, staff, working_body, unit_org, members):
        inspecting(staff, working_body, members[:3], unit_org)
        year = days(-5).year
        assert seams.external_points([members[0].pk], year, datetime.date(year, 12, 31)).get(members[0].pk, 0) == 0


    def test_one_read_for_one_deputy_says_what_the_grouped_sources_say(self, staff, working_body, unit_org, members):
        """The portal home asks for a deputy's visits once (visit_year, with the rules the home read)."""
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        from deputies.selectors import checklist_for, deputy_year_summary, point_rules
        from supervision.selectors_inspections import visit_checklist, visit_points, visit_year

        kind = DutyActivityType.objects.create(name="执法检查", checklist_item="supervision")
        PointRule.objects.create(activity_type=kind, points_present=Decimal("3"), effective_from=datetime.date(2020, 1, 1))
        typed = inspecting(staff, working_body, members[:3], unit_org, visit_day=-5)
        Inspection.objects.filter(pk=typed.pk).update(activity_type=kind)
        untyped = services.inspection_start(actor=staff, inspection=planned(staff, working_body, members[2:4],
                                                                            law="《中华人民共和国安全生产法》"))
        services.inspection_visit(actor=staff, inspection=untyped, date=days(-6), place="临江工业园",
                                  participants=[members[2]])  # a visit without a type: the item, no points
        year = days(-5).year
        rules, end = point_rules(), datetime.date(year, 12, 31)
        for deputy in members[:4]:
            keys, points = visit_year(deputy, year, rules)
            assert keys == visit_checklist([deputy.pk], year).get(deputy.pk, set())
            assert points == visit_points([deputy.pk], year, end).get(deputy.pk, Decimal(0))
        assert visit_year(members[0], year, rules) == ({"supervision"}, Decimal("3"))
        assert visit_year(members[2], year, rules) == ({"supervision"}, Decimal(0))
        with CaptureQueriesContext(connection) as ctx:
            summary = deputy_year_summary(members[0], year)
        assert sum('FROM "deputies_pointrule"' in q["sql"] for q in ctx.captured_queries) == 1
        assert sum('"supervision_inspectionvisit_participants"' in q["sql"] for q in ctx.captured_queries) == 1
        assert (summary.checklist, summary.score) == (checklist_for(members[0], year), deputy_score(members[0], year))


class TestOverdue:
    def test_a_report_not_submitted_by_its_date_is_on_the_leaders_list(self, staff, leader, working_body, members,
                                                                      unit_org, meeting):
        late = planned(staff, working_body, members[:2], start=-40, end=-20, report_due=days(-3))
        on_time = planned(staff, working_body, members[:2], law="《中华人民共和国安全生产法》", start=-40, end=-20,
                          report_due=days(3))
        body = client_for(leader).get(reverse("congress:overdue")).content.decode()
        assert str(late) in body and str(on_time) not in body and "执法检查报告未提交" in body
        # submitted (even late): off the list
        services.inspection_start(actor=staff, inspection=late)
        services.inspection_visit(actor=staff, inspection=late, date=days(-30), place="某地", participants=members[:1])
        services.inspection_submit_report(actor=staff, inspection=late, text="报告", meeting=meeting)
        assert str(late) not in client_for(leader).get(reverse("congress:overdue")).content.decode()


class TestChapterFigures:
    def test_hand_computed(self, staff, working_body, unit_org, members, term):
        """Period 1 March – 30 June 2026. A: visits 10 March (3 went) and 20 May (2 went, one of them again), 3 problems,
        deliberated at a meeting on 25 June, 2 problems assigned, 1 accepted on 28 June. B: a visit 5 April (1 went),
        not yet reported. C: visits only in 2025, deliberated 2025: outside."""
        from supervision.models import InspectionVisit

        meeting = Meeting.objects.create(term=term, kind=Meeting.Kind.STANDING, number=50, date=datetime.date(2026, 6, 25))
        old_meeting = Meeting.objects.create(term=term, kind=Meeting.Kind.STANDING, number=45,
                                             date=datetime.date(2025, 12, 20))

        def make(law, start, end, status, team, mtg=None):
            i = Inspection.objects.create(year=start.year, law=law, working_body=working_body, plan="方案", start_date=start,
                                          end_date=end, report_due=end, status=status, meeting=mtg)
            for d in team:
                InspectionMember.objects.create(inspection=i, deputy=d)
            return i

        def visit(i, day, who):
            v = InspectionVisit.objects.create(inspection=i, date=day, place="某地", recorded_by=staff)
            v.participants.set(who)

        a = make("《消防法》", datetime.date(2026, 3, 1), datetime.date(2026, 5, 31), S.RECTIFYING, members[:4], meeting)
        visit(a, datetime.date(2026, 3, 10), members[:3])
        visit(a, datetime.date(2026, 5, 20), members[2:4])
        for n in range(1, 4):
            p = InspectionProblem.objects.create(inspection=a, number=n, organization=unit_org, title=f"问题{n}",
                                                 due_date=datetime.date(2026, 12, 31))
            if n <= 2:
                p.rectification = Rectification.objects.create(
                    organization=unit_org, title=p.title, due_date=p.due_date,
                    accepted_at=datetime.datetime(2026, 6, 28, 10, tzinfo=datetime.UTC) if n == 1 else None,
                    status="accepted" if n == 1 else "open")
                p.save()
        b = make("《安全生产法》", datetime.date(2026, 4, 1), datetime.date(2026, 4, 30), S.INSPECTING, members[4:6])
        visit(b, datetime.date(2026, 4, 5), members[4:5])
        c = make("《食品安全法》", datetime.date(2025, 9, 1), datetime.date(2025, 9, 30), S.CLOSED, members[6:8], old_meeting)
        visit(c, datetime.date(2025, 9, 10), members[6:8])

        got = inspections_in(datetime.date(2026, 3, 1), datetime.date(2026, 6, 30))
        assert (got["count"], got["visits"], got["participations"], got["people"], got["deliberated"]) == (2, 3, 6, 5, 1)
        assert (got["problems"], got["rectifications"], got["accepted"]) == (3, 2, 1)
        assert [(r["law"], r["team"], r["visits"], r["problems"], r["rectifications"], r["accepted"]) for r in got["rows"]] \
            == [("《消防法》", 4, 2, 3, 2, 1), ("《安全生产法》", 2, 1, 0, 0, 0)]
        # accepted after the period's end is not counted yet
        assert inspections_in(datetime.date(2026, 3, 1), datetime.date(2026, 6, 27))["accepted"] == 0

    def test_the_chapter_is_registered(self):
        from congress.reports.registry import chapter_sources

        assert chapter_sources["inspections"].title == "执法检查"


def _many(staff, working_body, unit_org, members, n, start=0):
    for i in range(start, start + n):
        inspection = planned(staff, working_body, members[:3], law=f"《某法{i}》")
        services.inspection_visit(actor=staff, inspection=inspection, date=days(-2), place=f"地点{i}",
                                  participants=members[:2], organization=unit_org)
        services.inspection_visit(actor=staff, inspection=inspection, date=days(-1), place=f"地点{i}乙",
                                  participants=members[1:3])
        InspectionProblem.objects.create(inspection=inspection, number=1, organization=unit_org, title="问题",
                                         due_date=days(90))


class TestQueryCounts:
    @pytest.mark.parametrize("who, url", [("staff", "admin:supervision_inspection_changelist"),
                                          ("member", "supervision:inspections"), ("member", "portal:home"),
                                          ("member", "portal:record")])
    def test_lists_do_not_grow_with_their_rows(self, staff, working_body, unit_org, members, who, url):
        client = client_for(staff if who == "staff" else members[1].user)
        _many(staff, working_body, unit_org, members, 1)
        client.get(reverse(url))
        with CaptureQueriesContext(connection) as few:
            assert client.get(reverse(url)).status_code == 200
        _many(staff, working_body, unit_org, members, 3, start=1)
        with CaptureQueriesContext(connection) as many:
            assert client.get(reverse(url)).status_code == 200
        assert len(many) == len(few), [q["sql"] for q in many.captured_queries][-10:]

    def test_the_change_page_does_not_grow_with_its_visits(self, staff, working_body, unit_org, members):
        client = client_for(staff)
        inspection = inspecting(staff, working_body, members[:3], unit_org)
        client.get(change_url(inspection))
        with CaptureQueriesContext(connection) as few:
            assert client.get(change_url(inspection)).status_code == 200
        for n in range(4):
            services.inspection_visit(actor=staff, inspection=inspection, date=days(-n), place=f"地点{n}",
                                      participants=members[:3], organization=unit_org)
            InspectionProblem.objects.create(inspection=inspection, number=10 + n, organization=unit_org, title="问题",
                                             due_date=days(90))
        with CaptureQueriesContext(connection) as many:
            assert client.get(change_url(inspection)).status_code == 200
        assert len(many) == len(few), [q["sql"] for q in many.captured_queries][-20:]


def test_the_rectification_unsatisfied_path_through_the_admin(staff, working_body, unit_org, members, meeting):
    inspection = rectifying(staff, working_body, members[:3], unit_org, meeting)
    polled(staff, inspection, meeting, members, [C.UNSATISFIED] * 3)
    change = client_for(staff).get(change_url(inspection)).content.decode()
    assert 'data-transition="report_rectification"' in change and 'data-transition="close"' not in change
    assert Organization.objects.filter(pk=unit_org.pk).exists()


def test_deliberated_with_nothing_found_closes(staff, working_body, unit_org, members, meeting):
    inspection = deliberated(staff, working_body, members[:3], unit_org, meeting, problems=0)
    change = client_for(staff).get(change_url(inspection)).content.decode()
    assert 'data-transition="close"' in change and 'data-transition="assign"' not in change
