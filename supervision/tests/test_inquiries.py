"""专题询问 through its services: each transition on the right path (read back, with its history row), in the wrong
state and by the wrong person (nothing changes); commitments become rectification items of their organs; the poll on the
rectification report decides between closing and a further report; the record's own checks (follow-ups)."""
import datetime

import pytest
from django.core.exceptions import ValidationError

from congress.models import Meeting, Notification, StateChange
from congress.services import CongressError
from supervision import services
from supervision.models import (
    Inquiry,
    InquiryCommitment,
    InquiryOfficial,
    InquiryQuestion,
    Rectification,
    SatisfactionPoll,
)
from supervision.workflows import INQUIRY

pytestmark = pytest.mark.django_db
S, Q, C = Inquiry.Status, InquiryQuestion.Kind, SatisfactionPoll.Choice
TODAY = datetime.date.today()


def later(days):
    return TODAY + datetime.timedelta(days=days)


def arranged(staff, meeting, unit_org, topic="优化营商环境工作情况"):
    inquiry = services.inquiry_create(actor=staff, meeting=meeting, topic=topic, organizations=[unit_org])
    InquiryOfficial.objects.create(inquiry=inquiry, number=1, name="王局长", post="局长", organization=unit_org,
                                   is_head=True)
    return inquiry


def record(inquiry, askers, unit_org, *, commitments=2):
    """Two questions, a follow-up to the first, an on-the-spot question; commitments due in 3 and 6 months."""
    official = inquiry.officials.get()
    first = InquiryQuestion.objects.create(inquiry=inquiry, number=1, asker=askers[0], respondent=official,
                                           question="老旧小区改造进度为何滞后？", answer="今年将完成80个小区。")
    InquiryQuestion.objects.create(inquiry=inquiry, number=2, asker=askers[1], respondent=official,
                                   question="加装电梯审批要多久？", answer="压缩到20个工作日。")
    InquiryQuestion.objects.create(inquiry=inquiry, number=3, kind=Q.FOLLOW_UP, follows=first, asker=askers[0],
                                   respondent=official, question="资金缺口怎么解决？", answer="争取专项债。")
    InquiryQuestion.objects.create(inquiry=inquiry, number=4, kind=Q.ON_THE_SPOT, asker=askers[2], respondent=official,
                                   question="物业管理如何跟进？", answer="年内出台办法。")
    for n in range(1, commitments + 1):
        InquiryCommitment.objects.create(inquiry=inquiry, number=n, question=first, organization=unit_org,
                                         title=f"承诺事项{n}", detail="按期完成", due_date=later(90 * n))
    return first


@pytest.fixture
def held(staff, meeting, unit_org, members):
    inquiry = services.inquiry_hold(actor=staff, inquiry=arranged(staff, meeting, unit_org))
    record(inquiry, members, unit_org)
    return inquiry


def history(inquiry):
    return list(StateChange.objects.filter(workflow="inquiry", object_id=inquiry.pk).values_list("action", flat=True))


def rated(staff, inquiry, members, marks, meeting):
    """The rectification report recorded, its poll opened, the members vote `marks`, the poll closed."""
    report = services.inquiry_report(actor=staff, inquiry=inquiry, text="已完成改造60个小区", received_on=TODAY,
                                     meeting=meeting)
    poll = services.poll_open(actor=staff, poll=report.poll)
    for deputy, mark in zip(members, marks, strict=False):
        services.poll_vote(actor=deputy.user, poll=poll, choice=mark)
    services.poll_close(actor=staff, poll=poll)
    return report


class TestArranging:
    def test_staff_arrange_an_inquiry_at_a_standing_meeting(self, staff, meeting, unit_org):
        inquiry = services.inquiry_create(actor=staff, meeting=meeting, topic=" 优化营商环境 ", organizations=[unit_org])
        inquiry.refresh_from_db()
        assert inquiry.status == S.PREPARING and inquiry.topic == "优化营商环境"
        assert list(inquiry.organizations.all()) == [unit_org] and history(inquiry) == ["create"]

    @pytest.mark.parametrize("who", ["unit_user", "leader", "deputy_user"])
    def test_nobody_but_staff_arranges_one(self, request, who, meeting, unit_org):
        with pytest.raises(CongressError, match="只有常委会机关工作人员"):
            services.inquiry_create(actor=request.getfixturevalue(who), meeting=meeting, topic="主题",
                                    organizations=[unit_org])
        assert not Inquiry.objects.exists()

    def test_a_council_meeting_or_no_organ_or_a_non_handling_organ_is_refused(self, staff, term, meeting, unit_org,
                                                                            working_body):
        council = Meeting.objects.create(term=term, kind=Meeting.Kind.COUNCIL, number=3, date=TODAY)
        with pytest.raises(CongressError, match="请选择常委会会议"):
            services.inquiry_create(actor=staff, meeting=council, topic="主题", organizations=[unit_org])
        with pytest.raises(CongressError, match="请选择应询单位"):
            services.inquiry_create(actor=staff, meeting=meeting, topic="主题", organizations=[])
        with pytest.raises(CongressError, match="不是可应询的单位"):
            services.inquiry_create(actor=staff, meeting=meeting, topic="主题", organizations=[working_body])
        assert not Inquiry.objects.exists()


class TestHolding:
    def test_held_once_the_officials_are_named_and_the_meeting_has_begun(self, staff, meeting, unit_org):
        inquiry = services.inquiry_create(actor=staff, meeting=meeting, topic="主题", organizations=[unit_org])
        with pytest.raises(CongressError, match="请先填写应询人员"):
            services.inquiry_hold(actor=staff, inquiry=inquiry)
        InquiryOfficial.objects.create(inquiry=inquiry, number=1, name="王局长", post="局长", organization=unit_org)
        inquiry = services.inquiry_hold(actor=staff, inquiry=inquiry)
        assert Inquiry.objects.get().status == S.HELD and history(inquiry) == ["create", "hold"]

    def test_not_before_the_meeting(self, staff, term, unit_org):
        coming = Meeting.objects.create(term=term, kind=Meeting.Kind.STANDING, number=41, date=later(10))
        inquiry = arranged(staff, coming, unit_org)
        with pytest.raises(CongressError, match="尚未举行"):
            services.inquiry_hold(actor=staff, inquiry=inquiry)
        assert Inquiry.objects.get().status == S.PREPARING

    def test_wrong_user_and_wrong_state(self, staff, leader, unit_user, meeting, unit_org):
        inquiry = arranged(staff, meeting, unit_org)
        for user in (leader, unit_user):
            with pytest.raises(CongressError, match="只有常委会机关工作人员可以举行询问"):
                services.inquiry_hold(actor=user, inquiry=inquiry)
        services.inquiry_hold(actor=staff, inquiry=inquiry)
        with pytest.raises(CongressError, match="当前为“已询问”，不能举行询问"):
            services.inquiry_hold(actor=staff, inquiry=inquiry)
        assert history(inquiry) == ["create", "hold"]


class TestTheRecord:
    def test_a_follow_up_must_follow_an_earlier_question_of_the_same_inquiry(self, staff, meeting, unit_org, members):
        inquiry = arranged(staff, meeting, unit_org)
        first = record(inquiry, members, unit_org)
        official = inquiry.officials.get()
        orphan = InquiryQuestion(inquiry=inquiry, number=9, kind=Q.FOLLOW_UP, asker=members[0], respondent=official,
                                 question="追问")
        with pytest.raises(ValidationError, match="追问须选择针对的问题"):
            orphan.full_clean()
        backwards = InquiryQuestion(inquiry=inquiry, number=1, kind=Q.FOLLOW_UP, follows=first, asker=members[0],
                                    respondent=official, question="追问")
        with pytest.raises(ValidationError, match="须在本问之前"):
            backwards.clean()
        other = arranged(staff, meeting, unit_org, topic="另一主题")
        stray = InquiryQuestion(inquiry=other, number=5, kind=Q.FOLLOW_UP, follows=first, asker=members[0],
                                respondent=official, question="追问")
        with pytest.raises(ValidationError) as caught:
            stray.clean()
        assert "针对的问题须属于同一次专题询问" in str(caught.value) and "应询人须是本次专题询问的应询人员" in str(caught.value)
        question = InquiryQuestion(inquiry=inquiry, number=9, kind=Q.QUESTION, follows=first, asker=members[0],
                                   respondent=official, question="提问")
        with pytest.raises(ValidationError, match="提问不针对其他问题"):
            question.clean()

    def test_the_follow_ups_are_linked_to_the_question_they_follow(self, held):
        first = held.questions.get(number=1)
        assert [q.number for q in first.follow_ups.all()] == [3]


class TestAssigningTheCommitments:
    def test_each_commitment_becomes_a_rectification_item_of_its_organ(self, staff, held, unit_org, unit_user):
        inquiry = services.inquiry_assign(actor=staff, inquiry=held)
        assert Inquiry.objects.get().status == S.RECTIFYING
        items = list(Rectification.objects.order_by("due_date"))
        assert [i.title for i in items] == ["承诺事项1", "承诺事项2"]
        assert {(i.organization_id, i.source_workflow, i.source_id) for i in items} == {(unit_org.pk, "inquiry", held.pk)}
        assert items[0].source_label == "专题询问“优化营商环境工作情况”应询承诺" and items[0].due_date == later(90)
        assert [c.rectification_id for c in inquiry.commitments.order_by("number")] == [i.pk for i in items]
        assert Notification.objects.filter(recipient=unit_user, kind="rectification_new").count() == 2
        assert history(inquiry)[-1] == "assign"

    def test_not_without_questions_and_commitments(self, staff, meeting, unit_org):
        inquiry = services.inquiry_hold(actor=staff, inquiry=arranged(staff, meeting, unit_org))
        with pytest.raises(CongressError, match="请先记录询问的问题和回答"):
            services.inquiry_assign(actor=staff, inquiry=inquiry)
        assert Inquiry.objects.get().status == S.HELD

    def test_a_commitment_due_already_is_refused_whole_with_its_number(self, staff, held):
        held.commitments.filter(number=2).update(due_date=TODAY)
        with pytest.raises(CongressError, match="第2项承诺“承诺事项2”：整改期限须晚于今天"):
            services.inquiry_assign(actor=staff, inquiry=held)
        assert not Rectification.objects.exists() and Inquiry.objects.get().status == S.HELD

    def test_wrong_user_and_wrong_state(self, staff, leader, unit_user, held, meeting, unit_org):
        for user in (leader, unit_user):
            with pytest.raises(CongressError, match="只有常委会机关工作人员可以交办承诺事项"):
                services.inquiry_assign(actor=user, inquiry=held)
        preparing = arranged(staff, meeting, unit_org, topic="另一主题")
        with pytest.raises(CongressError, match="当前为“筹备中”，不能交办承诺事项"):
            services.inquiry_assign(actor=staff, inquiry=preparing)
        assert not Rectification.objects.exists()


class TestReportPollAndClose:
    def test_the_report_gets_a_poll_and_a_satisfied_result_lets_staff_close(self, staff, held, members, meeting):
        services.inquiry_assign(actor=staff, inquiry=held)
        report = services.inquiry_report(actor=staff, inquiry=held, text="已完成改造60个小区", received_on=TODAY,
                                         meeting=meeting)
        poll = report.poll
        assert Inquiry.objects.get().status == S.POLLING and report.round == 1
        assert (poll.source_workflow, poll.source_id, poll.meeting_id) == ("inquiry", held.pk, meeting.pk)
        assert poll.title == "对专题询问“优化营商环境工作情况”整改情况的满意度测评"
        with pytest.raises(CongressError, match="满意度测评尚未结束"):
            services.inquiry_close(actor=staff, inquiry=held)
        poll = services.poll_open(actor=staff, poll=poll)
        for deputy in members[:6]:
            services.poll_vote(actor=deputy.user, poll=poll, choice=C.SATISFIED)
        services.poll_close(actor=staff, poll=poll)
        assert Inquiry.objects.get().status == S.POLLING  # 满意: no further report, staff close it
        services.inquiry_close(actor=staff, inquiry=held, note="整改到位")
        assert Inquiry.objects.get().status == S.CLOSED
        assert history(held) == ["create", "hold", "assign", "report", "close"]

    def test_an_unsatisfied_result_asks_for_a_further_report_with_its_due_date(self, staff, held, members, meeting,
                                                                              unit_user, settings):
        settings.CONGRESS_RULES = {**settings.CONGRESS_RULES, "INQUIRY_FURTHER_REPORT_MONTHS": 2}
        services.inquiry_assign(actor=staff, inquiry=held)
        rated(staff, held, members[:3], [C.UNSATISFIED] * 3, meeting)
        inquiry = Inquiry.objects.get()
        assert inquiry.status == S.REREPORT
        assert later(55) <= inquiry.further_report_due <= later(70)
        assert Notification.objects.filter(recipient=unit_user, kind="inquiry_rereport").exists()
        with pytest.raises(CongressError, match="当前为“再次整改”，不能办结"):
            services.inquiry_close(actor=staff, inquiry=inquiry)
        second = services.inquiry_report(actor=staff, inquiry=inquiry, text="补充整改", received_on=TODAY,
                                         meeting=meeting)
        assert second.round == 2 and "再次整改情况" in second.poll.title
        assert INQUIRY.refusal(staff, Inquiry.objects.get(), "close") == "整改情况的满意度测评尚未结束"

    def test_report_wrong_user_wrong_state_and_bad_input(self, staff, leader, unit_user, held, meeting, term):
        with pytest.raises(CongressError, match="不能登记整改情况报告"):
            services.inquiry_report(actor=staff, inquiry=held, text="情况", received_on=TODAY, meeting=meeting)
        services.inquiry_assign(actor=staff, inquiry=held)
        for user in (leader, unit_user):
            with pytest.raises(CongressError, match="只有常委会机关工作人员可以登记整改情况报告"):
                services.inquiry_report(actor=user, inquiry=held, text="情况", received_on=TODAY, meeting=meeting)
        with pytest.raises(CongressError, match="收到报告日期不能晚于今天"):
            services.inquiry_report(actor=staff, inquiry=held, text="情况", received_on=later(1), meeting=meeting)
        with pytest.raises(CongressError, match="请填写整改情况"):
            services.inquiry_report(actor=staff, inquiry=held, text="  ", received_on=TODAY, meeting=meeting)
        assert not SatisfactionPoll.objects.exists() and Inquiry.objects.get().status == S.RECTIFYING

    def test_close_by_the_wrong_user(self, staff, leader, held, members, meeting):
        services.inquiry_assign(actor=staff, inquiry=held)
        rated(staff, held, members[:8], [C.SATISFIED] * 8, meeting)
        with pytest.raises(CongressError, match="只有常委会机关工作人员可以办结"):
            services.inquiry_close(actor=leader, inquiry=held)
        assert Inquiry.objects.get().status == S.POLLING
