"""执法检查 through its services: each transition on the right path (read back, with its history row), in the wrong
state and by the wrong person (nothing changes); site visits only by the team within the plan's dates; problems become
rectification items of their organs; the poll on the rectification decides between closing and rectifying again."""
import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from congress.models import Meeting, Notification, StateChange
from congress.services import CongressError
from supervision import services
from supervision.models import Inspection, InspectionVisit, Rectification, SatisfactionPoll
from supervision.tests.inspection_helpers import (
    LAW,
    TODAY,
    days,
    deliberated,
    inspecting,
    planned,
    polled,
    rectifying,
    reported,
)
from supervision.workflows import INSPECTION

pytestmark = pytest.mark.django_db
S, C = Inspection.Status, SatisfactionPoll.Choice


def history(inspection):
    return list(StateChange.objects.filter(workflow="inspection", object_id=inspection.pk).values_list("action", flat=True))


def unchanged(inspection, status):
    """Nothing moved: same state, no new history row beyond what it had."""
    before = history(inspection)

    def check():
        inspection.refresh_from_db()
        assert inspection.status == status
        assert history(inspection) == before
    return check


class TestPlan:
    def test_staff_plan_an_inspection_with_its_dates(self, staff, working_body, settings):
        settings.CONGRESS_RULES = {**settings.CONGRESS_RULES, "INSPECTION_REPORT_DAYS": 45}
        inspection = services.inspection_create(actor=staff, year=2026, law=f" {LAW} ", working_body=working_body,
                                                plan="检查重点", start_date=datetime.date(2026, 5, 1),
                                                end_date=datetime.date(2026, 6, 30))
        inspection.refresh_from_db()
        assert (inspection.status, inspection.law) == (S.PLANNED, LAW)
        assert inspection.report_due == datetime.date(2026, 8, 14)  # 45 days after the last day, the setting
        assert str(inspection) == f"2026年{LAW}执法检查"
        assert history(inspection) == ["create"]

    @pytest.mark.parametrize("change, message", [
        ({"law": " "}, "请填写检查的法律法规"),
        ({"plan": ""}, "请填写检查方案"),
        ({"end_date": datetime.date(2026, 4, 30)}, "检查结束日期不能早于开始日期"),
        ({"year": 2025}, "检查开始日期须在2025年内"),
        ({"report_due": datetime.date(2026, 6, 1)}, "检查报告形成期限不能早于检查结束日期"),
    ])
    def test_bad_plans_are_refused(self, staff, working_body, change, message):
        data = {"year": 2026, "law": LAW, "working_body": working_body, "plan": "检查重点",
                "start_date": datetime.date(2026, 5, 1), "end_date": datetime.date(2026, 6, 30)} | change
        with pytest.raises(CongressError, match=message):
            services.inspection_create(actor=staff, **data)
        assert not Inspection.objects.exists()

    def test_a_unit_is_not_a_working_body(self, staff, unit_org):
        with pytest.raises(CongressError, match="不是常委会工作机构"):
            services.inspection_create(actor=staff, year=TODAY.year, law=LAW, working_body=unit_org, plan="x",
                                       start_date=TODAY, end_date=TODAY)

    @pytest.mark.parametrize("who", ["leader", "unit_user", "deputy_user", "town_staff"])
    def test_only_staff_plan(self, request, working_body, who):
        with pytest.raises(CongressError, match="只有常委会机关工作人员"):
            services.inspection_create(actor=request.getfixturevalue(who), year=TODAY.year, law=LAW,
                                       working_body=working_body, plan="x", start_date=TODAY, end_date=TODAY)
        assert not Inspection.objects.exists()


class TestStart:
    def test_start_with_a_team_led_by_somebody(self, staff, working_body, members):
        inspection = services.inspection_start(actor=staff, inspection=planned(staff, working_body, members[:3]))
        inspection.refresh_from_db()
        assert inspection.status == S.INSPECTING
        assert history(inspection) == ["create", "start"]

    def test_no_team_no_start(self, staff, working_body):
        inspection = planned(staff, working_body)
        check = unchanged(inspection, S.PLANNED)
        with pytest.raises(CongressError, match="请先组成检查组"):
            services.inspection_start(actor=staff, inspection=inspection)
        check()

    def test_no_leader_no_start(self, staff, working_body, members):
        inspection = planned(staff, working_body, members[:2])
        inspection.team.update(role="member")
        with pytest.raises(CongressError, match="请指定检查组组长"):
            services.inspection_start(actor=staff, inspection=inspection)

    def test_wrong_state(self, staff, working_body, members):
        inspection = services.inspection_start(actor=staff, inspection=planned(staff, working_body, members[:2]))
        check = unchanged(inspection, S.INSPECTING)
        with pytest.raises(CongressError, match="执法检查当前为“检查中”，不能开始检查"):
            services.inspection_start(actor=staff, inspection=inspection)
        check()

    @pytest.mark.parametrize("who", ["leader", "unit_user", "deputy_user"])
    def test_wrong_user(self, request, staff, working_body, members, who):
        inspection = planned(staff, working_body, members[:2])
        check = unchanged(inspection, S.PLANNED)
        with pytest.raises(CongressError):
            services.inspection_start(actor=request.getfixturevalue(who), inspection=inspection)
        with pytest.raises(CongressError):  # a member of the team is not the office either
            services.inspection_start(actor=members[0].user, inspection=inspection)
        check()


class TestVisit:
    def test_a_visit_by_part_of_the_team(self, staff, working_body, members, unit_org):
        inspection = services.inspection_start(actor=staff, inspection=planned(staff, working_body, members[:3]))
        visit = services.inspection_visit(actor=staff, inspection=inspection, date=days(-2), place=" 城东消防站 ",
                                          participants=members[:2], organization=unit_org, note="查看消防设施")
        visit.refresh_from_db()
        assert visit.place == "城东消防站"
        assert set(visit.participants.all()) == set(members[:2])
        assert history(inspection) == ["create", "start", "visit"]
        inspection.refresh_from_db()
        assert inspection.status == S.INSPECTING  # a visit keeps the state

    def test_visits_may_be_arranged_in_the_plan(self, staff, working_body, members):
        inspection = planned(staff, working_body, members[:2])
        services.inspection_visit(actor=staff, inspection=inspection, date=days(5), place="临江工业园",
                                  participants=members[:1])
        inspection.refresh_from_db()
        assert inspection.status == S.PLANNED

    def test_only_the_team_goes(self, staff, working_body, members):
        inspection = planned(staff, working_body, members[:2])
        with pytest.raises(CongressError, match=f"{members[5].full_name}不是检查组成员"):
            services.inspection_visit(actor=staff, inspection=inspection, date=TODAY, place="临江工业园",
                                      participants=[members[0], members[5]])
        assert not InspectionVisit.objects.exists()

    @pytest.mark.parametrize("day, place, who, message", [
        (-11, "某地", 1, "检查日期须在检查时间"),
        (11, "某地", 1, "检查日期须在检查时间"),
        (0, " ", 1, "请填写检查地点"),
        (0, "某地", 0, "请选择参加现场检查的检查组成员"),
    ])
    def test_bad_visits_are_refused(self, staff, working_body, members, day, place, who, message):
        inspection = planned(staff, working_body, members[:2])
        with pytest.raises(CongressError, match=message):
            services.inspection_visit(actor=staff, inspection=inspection, date=days(day), place=place,
                                      participants=members[:who])
        assert not InspectionVisit.objects.exists()

    def test_wrong_state(self, staff, working_body, members, unit_org, meeting):
        inspection = reported(staff, working_body, members[:3], unit_org, meeting)
        check = unchanged(inspection, S.REPORTED)
        with pytest.raises(CongressError, match="不能安排现场检查"):
            services.inspection_visit(actor=staff, inspection=inspection, date=TODAY, place="某地", participants=members[:1])
        check()
        assert InspectionVisit.objects.count() == 1

    def test_wrong_user(self, staff, working_body, members, leader):
        inspection = planned(staff, working_body, members[:2])
        for actor in (leader, members[0].user):
            with pytest.raises(CongressError):
                services.inspection_visit(actor=actor, inspection=inspection, date=TODAY, place="某地",
                                          participants=members[:1])
        assert not InspectionVisit.objects.exists()


class TestReport:
    def test_submit_the_report_with_its_file(self, staff, working_body, members, unit_org, meeting):
        inspection = inspecting(staff, working_body, members[:3], unit_org)
        pdf = SimpleUploadedFile("报告.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf")
        services.inspection_submit_report(actor=staff, inspection=inspection, text="", file=pdf, meeting=meeting)
        inspection.refresh_from_db()
        assert inspection.status == S.REPORTED
        assert inspection.report_file and inspection.report_submitted_on == TODAY and inspection.meeting == meeting
        assert history(inspection)[-1] == "submit_report"

    def test_text_or_file(self, staff, working_body, members, unit_org):
        inspection = inspecting(staff, working_body, members[:3], unit_org)
        check = unchanged(inspection, S.INSPECTING)
        with pytest.raises(CongressError, match="请填写执法检查报告或上传报告文件"):
            services.inspection_submit_report(actor=staff, inspection=inspection, text=" ")
        check()

    def test_not_before_a_site_visit(self, staff, working_body, members):
        inspection = services.inspection_start(actor=staff, inspection=planned(staff, working_body, members[:2]))
        services.inspection_visit(actor=staff, inspection=inspection, date=days(3), place="某地", participants=members[:1])
        with pytest.raises(CongressError, match="尚未进行现场检查"):
            services.inspection_submit_report(actor=staff, inspection=inspection, text="报告")

    def test_wrong_state(self, staff, working_body, members):
        inspection = planned(staff, working_body, members[:2])
        check = unchanged(inspection, S.PLANNED)
        with pytest.raises(CongressError, match="执法检查当前为“计划中”，不能提交执法检查报告（须为“检查中”）"):
            services.inspection_submit_report(actor=staff, inspection=inspection, text="报告")
        check()

    def test_wrong_user(self, staff, working_body, members, unit_org, leader, unit_user):
        inspection = inspecting(staff, working_body, members[:3], unit_org)
        check = unchanged(inspection, S.INSPECTING)
        for actor in (leader, unit_user, members[0].user):
            with pytest.raises(CongressError):
                services.inspection_submit_report(actor=actor, inspection=inspection, text="报告")
        check()


class TestDeliberate:
    def test_after_the_meeting(self, staff, working_body, members, unit_org, meeting):
        inspection = deliberated(staff, working_body, members[:3], unit_org, meeting)
        inspection.refresh_from_db()
        assert inspection.status == S.DELIBERATED
        assert inspection.review_opinion == "一、压实消防安全责任。"

    def test_not_before_the_meeting(self, staff, working_body, members, unit_org, term):
        later = Meeting.objects.create(term=term, kind=Meeting.Kind.STANDING, number=41, date=days(7))
        inspection = reported(staff, working_body, members[:3], unit_org, later)
        check = unchanged(inspection, S.REPORTED)
        with pytest.raises(CongressError, match="会后才能记录审议情况"):
            services.inspection_deliberate(actor=staff, inspection=inspection, review_opinion="意见")
        check()

    def test_needs_the_opinion(self, staff, working_body, members, unit_org, meeting):
        inspection = reported(staff, working_body, members[:3], unit_org, meeting)
        with pytest.raises(CongressError, match="请填写常委会审议意见"):
            services.inspection_deliberate(actor=staff, inspection=inspection, review_opinion=" ")

    def test_wrong_state(self, staff, working_body, members, unit_org):
        inspection = inspecting(staff, working_body, members[:3], unit_org)
        check = unchanged(inspection, S.INSPECTING)
        with pytest.raises(CongressError, match="不能记录审议情况"):
            services.inspection_deliberate(actor=staff, inspection=inspection, review_opinion="意见")
        check()

    def test_wrong_user(self, staff, working_body, members, unit_org, meeting, leader):
        inspection = reported(staff, working_body, members[:3], unit_org, meeting)
        check = unchanged(inspection, S.REPORTED)
        for actor in (leader, members[0].user):
            with pytest.raises(CongressError):
                services.inspection_deliberate(actor=actor, inspection=inspection, review_opinion="意见")
        check()


class TestAssign:
    def test_each_problem_becomes_a_rectification_item(self, staff, working_body, members, unit_org, meeting, unit_user):
        inspection = rectifying(staff, working_body, members[:3], unit_org, meeting)
        inspection.refresh_from_db()
        assert inspection.status == S.RECTIFYING
        items = Rectification.objects.filter(source_workflow="inspection", source_id=inspection.pk).order_by("due_date")
        assert [(i.title, i.organization, i.due_date) for i in items] == [
            ("消防通道被占用1", unit_org, days(60)), ("消防通道被占用2", unit_org, days(120))]
        assert all(p.rectification_id for p in inspection.problems.all())
        assert Notification.objects.filter(recipient=unit_user, kind="rectification_new").count() == 2

    def test_nothing_found_nothing_to_assign(self, staff, working_body, members, unit_org, meeting):
        inspection = deliberated(staff, working_body, members[:3], unit_org, meeting, problems=0)
        check = unchanged(inspection, S.DELIBERATED)
        with pytest.raises(CongressError, match="没有记录发现的问题"):
            services.inspection_assign(actor=staff, inspection=inspection)
        check()

    def test_a_past_due_date_names_the_problem(self, staff, working_body, members, unit_org, meeting):
        inspection = deliberated(staff, working_body, members[:3], unit_org, meeting)
        inspection.problems.filter(number=2).update(due_date=TODAY)
        with pytest.raises(CongressError, match="第2个问题“消防通道被占用2”：整改期限须晚于今天"):
            services.inspection_assign(actor=staff, inspection=inspection)
        assert not Rectification.objects.exists()  # the whole assignment rolled back

    def test_wrong_state(self, staff, working_body, members, unit_org, meeting):
        inspection = reported(staff, working_body, members[:3], unit_org, meeting)
        check = unchanged(inspection, S.REPORTED)
        with pytest.raises(CongressError, match="不能交办整改问题"):
            services.inspection_assign(actor=staff, inspection=inspection)
        check()

    def test_wrong_user(self, staff, working_body, members, unit_org, meeting, unit_user, leader):
        inspection = deliberated(staff, working_body, members[:3], unit_org, meeting)
        check = unchanged(inspection, S.DELIBERATED)
        for actor in (unit_user, leader):
            with pytest.raises(CongressError):
                services.inspection_assign(actor=actor, inspection=inspection)
        check()
        assert not Rectification.objects.exists()


class TestPollAndClose:
    def test_satisfied_then_closed(self, staff, working_body, members, unit_org, meeting):
        inspection = rectifying(staff, working_body, members[:3], unit_org, meeting)
        poll = polled(staff, inspection, meeting, members, [C.SATISFIED] * 8)
        poll.refresh_from_db()
        assert (poll.source_workflow, poll.source_id, poll.organization) == ("inspection", inspection.pk, unit_org)
        assert poll.result == C.SATISFIED
        services.inspection_close(actor=staff, inspection=inspection, note="整改到位")
        inspection.refresh_from_db()
        assert inspection.status == S.CLOSED and inspection.closed_at is not None
        assert inspection.rectification_report == "已完成整改"
        assert history(inspection)[-3:] == ["assign", "report_rectification", "close"]

    def test_unsatisfied_sends_the_organs_back(self, staff, working_body, members, unit_org, meeting, unit_user):
        inspection = rectifying(staff, working_body, members[:3], unit_org, meeting)
        polled(staff, inspection, meeting, members, [C.UNSATISFIED] * 3)
        inspection.refresh_from_db()
        assert inspection.status == S.RECTIFYING
        assert history(inspection)[-1] == "rerectify"
        assert Notification.objects.filter(recipient=unit_user, kind="inspection_rerectify").exists()
        again = polled(staff, inspection, meeting, members, [])
        assert again.title.startswith("对") and "再次整改情况" in again.title

    def test_not_closed_while_the_poll_runs(self, staff, working_body, members, unit_org, meeting):
        inspection = rectifying(staff, working_body, members[:3], unit_org, meeting)
        polled(staff, inspection, meeting, members, [])
        check = unchanged(inspection, S.POLLING)
        with pytest.raises(CongressError, match="满意度测评尚未结束"):
            services.inspection_close(actor=staff, inspection=inspection)
        check()

    def test_nothing_found_closes_after_deliberation(self, staff, working_body, members, unit_org, meeting):
        inspection = deliberated(staff, working_body, members[:3], unit_org, meeting, problems=0)
        services.inspection_close(actor=staff, inspection=inspection)
        inspection.refresh_from_db()
        assert inspection.status == S.CLOSED

    def test_problems_found_do_not_close_after_deliberation(self, staff, working_body, members, unit_org, meeting):
        inspection = deliberated(staff, working_body, members[:3], unit_org, meeting)
        check = unchanged(inspection, S.DELIBERATED)
        with pytest.raises(CongressError, match="还有发现的问题未交办整改"):
            services.inspection_close(actor=staff, inspection=inspection)
        check()

    def test_report_rectification_wrong_state_and_user(self, staff, working_body, members, unit_org, meeting, leader):
        inspection = deliberated(staff, working_body, members[:3], unit_org, meeting)
        check = unchanged(inspection, S.DELIBERATED)
        with pytest.raises(CongressError, match="不能登记整改情况报告"):
            services.inspection_report_rectification(actor=staff, inspection=inspection, text="已整改", meeting=meeting)
        services.inspection_assign(actor=staff, inspection=inspection)
        check = unchanged(inspection, S.RECTIFYING)
        for actor in (leader, members[0].user):
            with pytest.raises(CongressError):
                services.inspection_report_rectification(actor=actor, inspection=inspection, text="已整改", meeting=meeting)
        check()
        assert not SatisfactionPoll.objects.exists()

    def test_close_wrong_state_and_user(self, staff, working_body, members, unit_org, meeting, leader):
        inspection = inspecting(staff, working_body, members[:3], unit_org)
        check = unchanged(inspection, S.INSPECTING)
        with pytest.raises(CongressError, match="不能办结"):
            services.inspection_close(actor=staff, inspection=inspection)
        check()
        done = deliberated(staff, working_body, members[:3], unit_org, meeting, problems=0)
        check = unchanged(done, S.DELIBERATED)
        with pytest.raises(CongressError):
            services.inspection_close(actor=leader, inspection=done)
        check()

    def test_every_transition_offered_somewhere_is_declared_for_staff_only(self, staff, leader):
        # who may: the office alone moves an inspection (the team and the organs read it)
        for t in INSPECTION:
            if not t.automatic:
                assert t.surfaces == {"admin"}
