"""One class per transition service: the happy path (reloaded, with its history row), the wrong state, the wrong
party, and a repeat that changes nothing."""
import datetime

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from freezegun import freeze_time

from congress.models import Notification, Organization, StateChange
from congress.services import CongressError
from proposals import services
from proposals.models import (
    Assignment,
    Cosignature,
    Evaluation,
    Proposal,
    Suggestion,
)
from proposals.tests.conftest import make_deputy, pdf

S, A = Suggestion.Status, Assignment.Status
pytestmark = pytest.mark.django_db


def refused(call, text=""):
    """The call is refused with a Chinese message and writes no transition."""
    before = StateChange.objects.count()
    with pytest.raises(CongressError) as exc:
        call()
    assert StateChange.objects.count() == before
    assert text in " ".join(exc.value.messages)
    return exc.value


def last(action):
    return StateChange.objects.filter(action=action).order_by("-id").first()


class TestSuggestionCreateAndSubmit:
    def test_a_deputy_writes_a_draft_in_the_running_batch_and_submits_it(self, flow, deputy_user, staff):
        s = flow.draft()
        assert s.status == S.DRAFT and s.batch_key == f"s{flow.session.pk}"
        services.suggestion_submit(actor=deputy_user, suggestion=s)
        s.refresh_from_db()
        assert s.status == S.SUBMITTED and s.submitted_at
        t = last("submit")
        assert (t.from_state, t.to_state, t.actor) == (S.DRAFT, S.SUBMITTED, deputy_user)
        assert Notification.objects.filter(recipient=staff, kind="suggestion_submitted").exists()

    def test_a_draft_outside_a_session_belongs_to_the_recess_year(self, deputy_user, lead, term):
        s = services.suggestion_create(actor=deputy_user, title="关于增设公交站点的建议", content="内容")
        assert s.session is None and s.recess_year and s.batch_key == f"r{term.pk}-{s.recess_year}"

    def test_only_the_lead_deputy_submits(self, flow, cosigner_user, cosigner, staff):
        s = flow.draft()
        refused(lambda: services.suggestion_submit(actor=cosigner_user, suggestion=s), "领衔代表")
        refused(lambda: services.suggestion_submit(actor=staff, suggestion=s), "领衔代表")

    def test_submitting_twice_changes_nothing(self, flow, deputy_user):
        s = flow.submitted()
        refused(lambda: services.suggestion_submit(actor=deputy_user, suggestion=s), "当前为“已提交”，不能提交")

    def test_a_user_who_is_no_deputy_cannot_write(self, unit_user):
        refused(lambda: services.suggestion_create(actor=unit_user, title="t", content="c"), "人大代表")


class TestCosigners:
    def test_an_invited_deputy_confirms_online(self, flow, deputy_user, cosigner, cosigner_user):
        s = flow.draft()
        [c] = services.suggestion_invite_cosigners(actor=deputy_user, suggestion=s, deputies=[cosigner])
        assert Notification.objects.filter(recipient=cosigner_user, kind="suggestion_cosign_invite").exists()
        services.cosignature_confirm(actor=cosigner_user, cosignature=c)
        c.refresh_from_db()
        assert c.status == Cosignature.Status.CONFIRMED and last("confirm").actor == cosigner_user

    def test_only_the_invited_deputy_confirms_and_only_once(self, flow, deputy_user, cosigner, cosigner_user):
        s = flow.draft()
        [c] = services.suggestion_invite_cosigners(actor=deputy_user, suggestion=s, deputies=[cosigner])
        refused(lambda: services.cosignature_confirm(actor=deputy_user, cosignature=c), "本人")
        services.cosignature_decline(actor=cosigner_user, cosignature=c)
        refused(lambda: services.cosignature_confirm(actor=cosigner_user, cosignature=c), "当前为“已谢绝”")

    def test_no_invitations_after_submission(self, flow, deputy_user, cosigner):
        s = flow.submitted()
        refused(lambda: services.suggestion_invite_cosigners(actor=deputy_user, suggestion=s, deputies=[cosigner]))


class TestPresubmissionAndTownReview:
    def test_town_staff_return_a_presubmission_with_comments_and_the_deputy_resubmits(
            self, flow, deputy_user, town_staff, next_session):
        s = flow.draft()
        services.suggestion_submit(actor=deputy_user, suggestion=s, presubmit=True)
        s.refresh_from_db()
        assert s.status == S.PRESUBMITTED and s.session == next_session and s.town == flow.lead.town
        assert Notification.objects.filter(recipient=town_staff, kind="suggestion_presubmitted").exists()
        services.suggestion_town_return(actor=town_staff, suggestion=s, comment="请补充具体小区名称")
        s.refresh_from_db()
        assert s.status == S.TOWN_RETURNED and s.town_comment == "请补充具体小区名称"
        assert last("town_return").reason == "请补充具体小区名称"
        services.suggestion_submit(actor=deputy_user, suggestion=s)
        s.refresh_from_db()
        assert s.status == S.SUBMITTED

    def test_town_staff_forward_a_presubmission(self, flow, deputy_user, town_staff, next_session):
        s = flow.draft()
        services.suggestion_submit(actor=deputy_user, suggestion=s, presubmit=True)
        services.suggestion_town_forward(actor=town_staff, suggestion=s)
        s.refresh_from_db()
        assert s.status == S.SUBMITTED and last("town_forward").actor == town_staff

    def test_staff_of_another_town_cannot_review(self, flow, deputy_user, other_town_staff, next_session):
        s = flow.draft()
        services.suggestion_submit(actor=deputy_user, suggestion=s, presubmit=True)
        refused(lambda: services.suggestion_town_return(actor=other_town_staff, suggestion=s, comment="x"), "镇街")

    def test_a_submitted_suggestion_is_not_town_reviewed(self, flow, town_staff):
        s = flow.submitted()
        refused(lambda: services.suggestion_town_forward(actor=town_staff, suggestion=s))

    def test_no_presubmission_without_an_upcoming_session(self, flow, deputy_user):
        s = flow.draft()
        refused(lambda: services.suggestion_submit(actor=deputy_user, suggestion=s, presubmit=True), "即将召开")


class TestSuggestionRegister:
    def test_staff_number_suggestions_in_their_batch(self, flow, staff):
        first, second = flow.registered(), flow.registered(title="关于优化学区划分的建议")
        assert (first.serial, second.serial) == (1, 2)
        assert first.number == "区十七届人大二次会议第0001号"
        assert second.number == "区十七届人大二次会议第0002号"
        t = last("register")
        assert (t.from_state, t.to_state, t.actor, t.reason) == (S.SUBMITTED, S.REGISTERED, staff, second.number)

    def test_recess_suggestions_are_numbered_by_year(self, deputy_user, lead, staff, term):
        s = services.suggestion_create(actor=deputy_user, title="关于增设公交站点的建议", content="内容", recess_year=2026)
        services.suggestion_submit(actor=deputy_user, suggestion=s)
        services.suggestion_register(actor=staff, suggestion=s)
        s.refresh_from_db()
        assert s.number == "区十七届人大常委会2026年闭会期间第0001号"

    def test_a_draft_cannot_be_registered(self, flow, staff):
        s = flow.draft()
        refused(lambda: services.suggestion_register(actor=staff, suggestion=s), "已提交")

    def test_only_staff_register(self, flow, leader, unit_user):
        s = flow.submitted()
        refused(lambda: services.suggestion_register(actor=leader, suggestion=s), "常委会机关工作人员")
        refused(lambda: services.suggestion_register(actor=unit_user, suggestion=s))

    def test_registering_twice_keeps_the_number(self, flow, staff):
        s = flow.registered()
        refused(lambda: services.suggestion_register(actor=staff, suggestion=s))
        s.refresh_from_db()
        assert s.serial == 1


class TestSuggestionReturn:
    def test_staff_return_with_a_reason(self, flow, staff, deputy_user):
        s = flow.submitted()
        services.suggestion_return(actor=staff, suggestion=s, reason="属于个人诉求，不宜作为代表建议")
        s.refresh_from_db()
        assert s.status == S.RETURNED and s.return_reason.startswith("属于个人诉求")
        assert last("return").from_state == S.SUBMITTED
        assert Notification.objects.filter(recipient=deputy_user, kind="suggestion_returned").exists()

    def test_a_reason_is_required(self, flow, staff):
        s = flow.submitted()
        refused(lambda: services.suggestion_return(actor=staff, suggestion=s, reason=" "), "理由")

    def test_an_assigned_suggestion_cannot_be_returned(self, flow, staff, unit_org):
        s, _ = flow.assigned(unit_org)
        refused(lambda: services.suggestion_return(actor=staff, suggestion=s, reason="x"))

    def test_only_staff_return(self, flow, deputy_user):
        s = flow.submitted()
        refused(lambda: services.suggestion_return(actor=deputy_user, suggestion=s, reason="x"))


class TestSuggestionMerge:
    def test_a_similar_suggestion_joins_another_and_its_deputy_follows_it(self, flow, staff, cosigner, cosigner_user):
        target = flow.registered()
        other = services.suggestion_create(actor=cosigner_user, title="关于老旧小区加装电梯的建议", content="同上",
                                           session=flow.session)
        services.suggestion_submit(actor=cosigner_user, suggestion=other)
        services.suggestion_merge(actor=staff, suggestion=other, into=target)
        other.refresh_from_db()
        assert other.status == S.MERGED and other.merged_into == target
        assert target.cosignatures.get(deputy=cosigner).status == Cosignature.Status.CONFIRMED
        assert last("merge").object_id == other.pk and last("merge_in").object_id == target.pk

    def test_it_cannot_merge_into_itself_or_a_returned_one(self, flow, staff):
        a, b = flow.registered(), flow.submitted(title="另一件")
        refused(lambda: services.suggestion_merge(actor=staff, suggestion=a, into=a), "本件")
        services.suggestion_return(actor=staff, suggestion=b, reason="不宜")
        refused(lambda: services.suggestion_merge(actor=staff, suggestion=a, into=b))

    def test_merging_twice_changes_nothing(self, flow, staff):
        a, b = flow.registered(), flow.registered(title="另一件")
        services.suggestion_merge(actor=staff, suggestion=b, into=a)
        refused(lambda: services.suggestion_merge(actor=staff, suggestion=b, into=a))

    def test_only_staff_merge(self, flow, deputy_user):
        a, b = flow.registered(), flow.registered(title="另一件")
        refused(lambda: services.suggestion_merge(actor=deputy_user, suggestion=b, into=a))


class TestSuggestionAssign:
    def test_one_lead_and_assisting_units_get_stored_deadlines(self, flow, staff, unit_org, unit2, unit_user):
        s = flow.registered()
        made = services.suggestion_assign(actor=staff, suggestion=s, lead=unit_org, assisting=[unit2],
                                          assigned_on=datetime.date(2026, 9, 3))
        s.refresh_from_db()
        lead, assist = made
        assert s.status == S.ASSIGNED and s.assigned_on == datetime.date(2026, 9, 3)
        assert lead.role == "lead" and lead.due_date == datetime.date(2026, 12, 3)
        assert lead.due_explanation == "交办日 2026-09-03，3个月，届满 2026-12-03（周四）"
        assert assist.due_date == datetime.date(2026, 10, 8)  # 1 month → 3 Oct, 国庆 → 8 Oct
        assert lead.send_back_until == datetime.date(2026, 9, 14)
        assert last("assign").workflow == "assignment" and last("assign").thread == f"suggestion:{s.pk}"
        assert Notification.objects.filter(recipient=unit_user, kind="assignment_new").exists()

    def test_hard_items_get_six_months(self, flow, staff, unit_org):
        s = flow.registered()
        [a] = services.suggestion_assign(actor=staff, suggestion=s, lead=unit_org, is_hard=True,
                                         assigned_on=datetime.date(2026, 3, 10))
        assert a.due_date == datetime.date(2026, 9, 10)

    @override_settings(CONGRESS_RULES={**settings.CONGRESS_RULES, "REPLY_MONTHS": 2})
    def test_the_deadline_is_a_setting(self, flow, staff, unit_org):
        s = flow.registered()
        [a] = services.suggestion_assign(actor=staff, suggestion=s, lead=unit_org, assigned_on=datetime.date(2026, 9, 3))
        assert a.due_date == datetime.date(2026, 11, 3)

    def test_several_separate_units(self, flow, staff, unit_org, unit2):
        s = flow.registered()
        made = services.suggestion_assign(actor=staff, suggestion=s, separate=[unit_org, unit2])
        assert {a.role for a in made} == {"separate"}

    def test_lead_and_separate_do_not_mix_and_one_separate_unit_is_refused(self, flow, staff, unit_org, unit2):
        s = flow.registered()
        refused(lambda: services.suggestion_assign(actor=staff, suggestion=s, lead=unit_org, separate=[unit2]), "分办")
        refused(lambda: services.suggestion_assign(actor=staff, suggestion=s, separate=[unit2]), "两个以上")
        refused(lambda: services.suggestion_assign(actor=staff, suggestion=s), "请指定")
        assert not Assignment.objects.exists()

    def test_a_unit_that_is_no_handling_unit_is_refused(self, flow, staff, town_a):
        s = flow.registered()
        refused(lambda: services.suggestion_assign(actor=staff, suggestion=s, lead=town_a), "不是承办单位")

    def test_assigning_twice_changes_nothing(self, flow, staff, unit_org, unit2):
        s, _ = flow.assigned(unit_org)
        refused(lambda: services.suggestion_assign(actor=staff, suggestion=s, lead=unit2))
        assert Assignment.objects.count() == 1

    def test_only_staff_assign(self, flow, unit_user, unit_org):
        s = flow.registered()
        refused(lambda: services.suggestion_assign(actor=unit_user, suggestion=s, lead=unit_org))


class TestSendBack:
    def test_a_unit_asks_within_the_window_and_staff_approve_so_the_item_is_reassigned(
            self, flow, staff, unit_org, unit_user, unit2):
        s, [a] = flow.assigned(unit_org)
        services.assignment_request_send_back(actor=unit_user, assignment=a, reason="不属于本单位职责")
        a.refresh_from_db()
        assert a.status == A.SEND_BACK_REQUESTED and last("request_send_back").actor == unit_user
        services.assignment_decide_send_back(actor=staff, assignment=a, approve=True, note="同意，改交区交通运输局")
        a.refresh_from_db()
        s.refresh_from_db()
        assert a.status == A.SENT_BACK and s.status == S.REGISTERED
        services.suggestion_assign(actor=staff, suggestion=s, lead=unit2)
        s.refresh_from_db()
        assert s.status == S.ASSIGNED

    def test_a_rejected_request_leaves_the_assignment_standing(self, flow, staff, unit_org, unit_user):
        s, [a] = flow.assigned(unit_org)
        services.assignment_request_send_back(actor=unit_user, assignment=a, reason="x")
        services.assignment_decide_send_back(actor=staff, assignment=a, approve=False, note="属于本单位职责")
        a.refresh_from_db()
        assert a.status == A.ASSIGNED and last("reject_send_back").reason == "属于本单位职责"

    def test_after_the_window_the_assignment_stands(self, flow, unit_org, unit_user):
        s, [a] = flow.assigned(unit_org, assigned_on=datetime.date(2025, 9, 26))
        refused(lambda: services.assignment_request_send_back(actor=unit_user, assignment=a, reason="x"), "期限")

    def test_another_unit_cannot_ask(self, flow, unit_org, unit2_user):
        s, [a] = flow.assigned(unit_org)
        refused(lambda: services.assignment_request_send_back(actor=unit2_user, assignment=a, reason="x"), "承办单位")

    def test_asking_twice_or_deciding_without_a_request_changes_nothing(self, flow, staff, unit_org, unit_user):
        s, [a] = flow.assigned(unit_org)
        refused(lambda: services.assignment_decide_send_back(actor=staff, assignment=a, approve=True))
        services.assignment_request_send_back(actor=unit_user, assignment=a, reason="x")
        refused(lambda: services.assignment_request_send_back(actor=unit_user, assignment=a, reason="x"))
        refused(lambda: services.assignment_decide_send_back(actor=unit_user, assignment=a, approve=True))


class TestExtension:
    def test_staff_extend_the_reply_deadline_within_the_limit(self, flow, staff, unit_org):
        s, [a] = flow.assigned(unit_org, assigned_on=datetime.date(2026, 9, 3))
        ext = services.assignment_grant_extension(actor=staff, assignment=a, months=2, reason="涉及规划调整")
        a.refresh_from_db()
        assert a.extended_due_date == datetime.date(2027, 2, 3) == a.current_due_date
        assert ext.old_due_date == datetime.date(2026, 12, 3) and "含批准延期2个月" in ext.explanation
        assert last("extend").actor == staff
        refused(lambda: services.assignment_grant_extension(actor=staff, assignment=a, months=2, reason="x"), "3个月")

    def test_a_replied_assignment_is_not_extended(self, flow, staff, unit_org, unit_user):
        s, a, _ = flow.replied(unit_org, unit_user)
        refused(lambda: services.assignment_grant_extension(actor=staff, assignment=a, months=1, reason="x"))

    def test_only_staff_extend(self, flow, unit_org, unit_user):
        s, [a] = flow.assigned(unit_org)
        refused(lambda: services.assignment_grant_extension(actor=unit_user, assignment=a, months=1, reason="x"))


class TestContactAndAssistOpinion:
    def test_the_first_contact_starts_the_handling(self, flow, unit_org, unit_user):
        s, [a] = flow.assigned(unit_org)
        services.assignment_record_contact(actor=unit_user, assignment=a, stage="before", summary="登门听取代表意见")
        a.refresh_from_db()
        s.refresh_from_db()
        assert a.status == A.HANDLING and s.status == S.HANDLING and a.contacts.count() == 1
        services.assignment_record_contact(actor=unit_user, assignment=a, stage="during", summary="现场察看")
        assert StateChange.objects.filter(action="contact").count() == 2
        # the first contact also started the handling: the assignment's and the suggestion's own step, once each
        assert StateChange.objects.filter(action__in=("start", "handling")).count() == 2

    def test_another_unit_cannot_record_contact(self, flow, unit_org, unit2_user):
        s, [a] = flow.assigned(unit_org)
        refused(lambda: services.assignment_record_contact(actor=unit2_user, assignment=a, stage="before", summary="x"))

    def test_the_lead_waits_for_the_assisting_opinion(self, flow, unit_org, unit2, unit_user, unit2_user):
        s, [lead, assist] = flow.assigned(unit_org, assisting=[unit2])
        refused(lambda: services.assignment_reply(actor=unit_user, assignment=lead, letter=pdf(), result="A"),
                "协办单位尚未提出会办意见：区交通运输局")
        services.assignment_send_assist_opinion(actor=unit2_user, assignment=assist, content="同意主办单位意见")
        assist.refresh_from_db()
        assert assist.status == A.OPINION_SENT and last("assist_opinion").actor == unit2_user
        assert Notification.objects.filter(recipient=unit_user, kind="assist_opinion_sent").exists()
        refused(lambda: services.assignment_send_assist_opinion(actor=unit2_user, assignment=assist, content="再次"))
        services.assignment_reply(actor=unit_user, assignment=lead, letter=pdf(), result="B")

    def test_a_lead_unit_sends_no_assist_opinion(self, flow, unit_org, unit_user):
        s, [a] = flow.assigned(unit_org)
        refused(lambda: services.assignment_send_assist_opinion(actor=unit_user, assignment=a, content="x"), "协办")


class TestReply:
    def test_the_lead_replies_with_a_pdf_and_the_suggestion_is_replied(self, flow, unit_org, unit_user, deputy_user):
        s, a, reply = flow.replied(unit_org, unit_user, result="B")
        a.refresh_from_db()
        assert s.status == S.REPLIED and a.status == A.REPLIED and a.result == "B" and a.first_replied_on
        assert last("reply").actor == unit_user and last("replied").to_state == S.REPLIED
        assert Notification.objects.filter(recipient=deputy_user, kind="suggestion_replied").exists()

    def test_a_letter_that_is_not_a_pdf_is_refused(self, flow, unit_org, unit_user):
        s, [a] = flow.assigned(unit_org)
        fake = SimpleUploadedFile("答复函.pdf", b"GIF89a not a pdf")
        with pytest.raises(ValidationError):
            services.assignment_reply(actor=unit_user, assignment=a, letter=fake, result="A")
        a.refresh_from_db()
        assert a.status == A.ASSIGNED and not a.replies.exists()

    @override_settings(CONGRESS_RULES={**settings.CONGRESS_RULES, "RESULT_CATEGORY_D_ENABLED": False})
    def test_category_d_can_be_switched_off(self, flow, unit_org, unit_user):
        s, [a] = flow.assigned(unit_org)
        refused(lambda: services.assignment_reply(actor=unit_user, assignment=a, letter=pdf(), result="D"), "A/B/C")

    def test_separate_units_each_reply_before_the_suggestion_is_replied(self, flow, staff, unit_org, unit2, unit_user,
                                                                        unit2_user):
        s = flow.registered()
        a1, a2 = services.suggestion_assign(actor=staff, suggestion=s, separate=[unit_org, unit2])
        services.assignment_reply(actor=unit_user, assignment=a1, letter=pdf(), result="A")
        s.refresh_from_db()
        assert s.status == S.ASSIGNED
        services.assignment_reply(actor=unit2_user, assignment=a2, letter=pdf(), result="C")
        s.refresh_from_db()
        assert s.status == S.REPLIED

    def test_replying_twice_or_by_another_unit_is_refused(self, flow, unit_org, unit_user, unit2_user):
        s, a, _ = flow.replied(unit_org, unit_user)
        refused(lambda: services.assignment_reply(actor=unit_user, assignment=a, letter=pdf(), result="A"))
        s2, [b] = flow.assigned(unit_org, title="另一件")
        refused(lambda: services.assignment_reply(actor=unit2_user, assignment=b, letter=pdf(), result="A"))


class TestPublish:
    def test_staff_publish_a_publishable_reply_once(self, flow, staff, unit_org, unit_user):
        s, a, reply = flow.replied(unit_org, unit_user)
        services.reply_publish(actor=staff, reply=reply)
        reply.refresh_from_db()
        assert reply.published_at and last("publish_reply").actor == staff
        refused(lambda: services.reply_publish(actor=staff, reply=reply), "已经公开")

    def test_a_reply_the_unit_keeps_private_is_not_published(self, flow, staff, unit_org, unit_user):
        s, [a] = flow.assigned(unit_org)
        reply = services.assignment_reply(actor=unit_user, assignment=a, letter=pdf(), result="A", publishable=False)
        refused(lambda: services.reply_publish(actor=staff, reply=reply), "未同意公开")

    def test_only_staff_publish(self, flow, unit_org, unit_user):
        s, a, reply = flow.replied(unit_org, unit_user)
        refused(lambda: services.reply_publish(actor=unit_user, reply=reply))


class TestEvaluation:
    def test_a_satisfied_deputy_and_then_staff_close(self, flow, staff, unit_org, unit_user, deputy_user):
        s, a, reply = flow.replied(unit_org, unit_user)
        services.evaluation_submit(actor=deputy_user, reply=reply, rating="satisfied", comment="办理认真")
        assert Evaluation.objects.get().source == "online" and last("evaluate").actor == deputy_user
        services.suggestion_close(actor=staff, suggestion=s)
        s.refresh_from_db()
        assert s.status == S.CLOSED and last("close").to_state == S.CLOSED

    def test_unsatisfied_sends_it_back_and_the_deputy_sees_the_second_reply(
            self, flow, unit_org, unit_user, deputy_user):
        s, a, reply = flow.replied(unit_org, unit_user)
        services.evaluation_submit(actor=deputy_user, reply=reply, rating="unsatisfied", comment="未解决实际问题")
        a.refresh_from_db()
        s.refresh_from_db()
        assert a.status == A.REHANDLING and s.status == S.REHANDLING and a.second_due_date
        second = services.assignment_reply(actor=unit_user, assignment=a, letter=pdf(), result="A")
        assert second.is_second_reply
        s.refresh_from_db()
        assert s.status == S.REPLIED
        from proposals.selectors import replies_for

        assert [r.is_second_reply for r in replies_for(s)] == [False, True]
        # the first reply can no longer be rated; the second one can, and 不满意 there does not loop
        refused(lambda: services.evaluation_submit(actor=deputy_user, reply=reply, rating="satisfied"), "最新")
        services.evaluation_submit(actor=deputy_user, reply=second, rating="unsatisfied")
        a.refresh_from_db()
        assert a.status == A.REPLIED

    def test_staff_record_a_paper_form_for_a_cosigner(self, flow, staff, unit_org, unit_user, deputy_user, cosigner,
                                                      cosigner_user):
        s = flow.draft()
        [c] = services.suggestion_invite_cosigners(actor=deputy_user, suggestion=s, deputies=[cosigner])
        services.cosignature_confirm(actor=cosigner_user, cosignature=c)
        services.suggestion_submit(actor=deputy_user, suggestion=s)
        services.suggestion_register(actor=staff, suggestion=s)
        [a] = services.suggestion_assign(actor=staff, suggestion=s, lead=unit_org)
        reply = services.assignment_reply(actor=unit_user, assignment=a, letter=pdf(), result="A")
        e = services.evaluation_record_paper(actor=staff, reply=reply, deputy=cosigner, rating="basically")
        assert e.source == "paper" and e.entered_by == staff

    def test_an_outsider_deputy_and_a_repeat_are_refused(self, flow, unit_org, unit_user, deputy_user,
                                                         other_deputy_user):
        s, a, reply = flow.replied(unit_org, unit_user)
        refused(lambda: services.evaluation_submit(actor=other_deputy_user, reply=reply, rating="satisfied"), "领衔代表")
        services.evaluation_submit(actor=deputy_user, reply=reply, rating="satisfied")
        refused(lambda: services.evaluation_submit(actor=deputy_user, reply=reply, rating="unsatisfied"), "已评价")

    def test_closing_needs_every_reply(self, flow, staff, unit_org):
        s, _ = flow.assigned(unit_org)
        refused(lambda: services.suggestion_close(actor=staff, suggestion=s))


class TestRehandleByStaff:
    def test_staff_send_a_replied_item_back_for_a_second_reply(self, flow, staff, unit_org, unit_user):
        s, a, _ = flow.replied(unit_org, unit_user)
        services.suggestion_rehandle(actor=staff, assignment=a, reason="代表电话反映不满意")
        a.refresh_from_db()
        assert a.status == A.REHANDLING and last("rehandle").actor == staff
        refused(lambda: services.suggestion_rehandle(actor=staff, assignment=a, reason="x"))

    def test_units_cannot_send_items_back_to_themselves(self, flow, unit_org, unit_user):
        s, a, _ = flow.replied(unit_org, unit_user)
        refused(lambda: services.suggestion_rehandle(actor=unit_user, assignment=a, reason="x"))


class TestFollowUp:
    def test_a_b_item_is_reported_yearly_until_solved(self, flow, unit_org, unit_user):
        s, a, _ = flow.replied(unit_org, unit_user, result="B")
        a.refresh_from_db()
        this_year = a.first_replied_on.year
        services.followup_report(actor=unit_user, assignment=a, year=this_year, progress="已列入年度计划")
        refused(lambda: services.followup_report(actor=unit_user, assignment=a, year=this_year, progress="x"), "已经报告")
        with freeze_time(f"{this_year + 1}-06-01"):
            services.followup_report(actor=unit_user, assignment=a, year=this_year + 1, progress="已完工", solved=True)
        a.refresh_from_db()
        assert a.followup_solved and last("followup").actor == unit_user
        with freeze_time(f"{this_year + 2}-06-01"):
            refused(lambda: services.followup_report(actor=unit_user, assignment=a, year=this_year + 2, progress="x"),
                    "不再续办")

    def test_no_report_for_a_year_not_yet_come_nor_before_the_reply(self, flow, unit_org, unit_user):
        s, a, _ = flow.replied(unit_org, unit_user, result="C")
        a.refresh_from_db()
        this_year = a.first_replied_on.year
        refused(lambda: services.followup_report(actor=unit_user, assignment=a, year=this_year + 1, progress="x"),
                f"续办年度须在{this_year}年至")
        refused(lambda: services.followup_report(actor=unit_user, assignment=a, year=this_year - 1, progress="x"),
                f"续办年度须在{this_year}年至")

    def test_an_a_item_needs_no_follow_up(self, flow, unit_org, unit_user, unit2_user):
        s, a, _ = flow.replied(unit_org, unit_user, result="A")
        refused(lambda: services.followup_report(actor=unit_user, assignment=a, year=2027, progress="x"), "B类或C类")
        refused(lambda: services.followup_report(actor=unit2_user, assignment=a, year=2027, progress="x"))


class TestPrioritySupervision:
    def test_staff_mark_priority_and_record_on_site_supervision(self, flow, staff, unit_org, unit_user, working_body):
        s, _ = flow.assigned(unit_org)
        services.suggestion_mark_priority(actor=staff, suggestion=s, supervising_leader="李主任",
                                          government_official="王副区长", supervising_body=working_body)
        s.refresh_from_db()
        assert s.is_priority and s.supervising_body == working_body and last("priority").actor == staff
        assert Notification.objects.filter(recipient=unit_user, kind="suggestion_priority").exists()
        event = services.supervision_event_record(actor=staff, suggestion=s, date=datetime.date(2026, 6, 1),
                                                  place="某小区", description="现场察看加装电梯进度")
        assert event.pk and last("supervise").object_id == s.pk
        refused(lambda: services.suggestion_mark_priority(actor=staff, suggestion=s, supervising_leader="李主任",
                                                          government_official="王副区长", supervising_body=working_body),
                "已列为")

    def test_the_body_must_be_a_working_body_and_only_staff_mark(self, flow, staff, unit_org, deputy_user, working_body):
        s, _ = flow.assigned(unit_org)
        refused(lambda: services.suggestion_mark_priority(actor=staff, suggestion=s, supervising_leader="a",
                                                          government_official="b", supervising_body=unit_org), "工作机构")
        refused(lambda: services.suggestion_mark_priority(actor=deputy_user, suggestion=s, supervising_leader="a",
                                                          government_official="b", supervising_body=working_body))

    def test_no_on_site_supervision_for_an_ordinary_item(self, flow, staff):
        s = flow.registered()
        refused(lambda: services.supervision_event_record(actor=staff, suggestion=s, date=datetime.date(2026, 6, 1),
                                                          description="x"), "重点督办")


class TestProposals:
    def _deputies(self, town, n):
        return [make_deputy(f"代表{i}", town, 100 + i) for i in range(n)]

    def test_ten_deputies_propose_and_the_presidium_places_it_on_the_agenda(self, staff, session, town_a):
        p = services.proposal_register(actor=staff, session=session, title="关于制定养老服务条例的议案", content="内容",
                                       signers=self._deputies(town_a, 10))
        services.proposal_place_on_agenda(actor=staff, proposal=p, decided_on=datetime.date(2026, 1, 7))
        p.refresh_from_db()
        assert p.status == Proposal.Status.ON_AGENDA
        assert (p.supervision_until, p.follow_until) == (datetime.date(2027, 1, 7), datetime.date(2029, 1, 7))
        assert last("place_on_agenda").object_id == p.pk
        refused(lambda: services.proposal_convert_to_suggestion(actor=staff, proposal=p), "须为“待主席团决定”")

    def test_nine_deputies_are_too_few_but_a_delegation_suffices(self, staff, session, town_a):
        from deputies.models import Delegation

        refused(lambda: services.proposal_register(actor=staff, session=session, title="t", content="c",
                                                   signers=self._deputies(town_a, 9)), "10名")
        d = Delegation.objects.create(term=session.term, name="城东街道代表团", town=town_a)
        assert services.proposal_register(actor=staff, session=session, title="t", content="c", delegation=d).serial == 1

    def test_the_presidium_turns_a_proposal_into_a_suggestion(self, staff, session, town_a):
        signers = self._deputies(town_a, 10)
        p = services.proposal_register(actor=staff, session=session, title="关于加强河道治理的议案", content="内容",
                                       signers=signers)
        s = services.proposal_convert_to_suggestion(actor=staff, proposal=p, note="不属于本级人大职权范围")
        p.refresh_from_db()
        assert p.status == Proposal.Status.CONVERTED and s.status == S.SUBMITTED and s.from_proposal == p
        assert s.lead_deputy == signers[0] and s.cosignatures.filter(status="confirmed").count() == 9
        assert last("convert").object_id == p.pk and last("from_proposal").object_id == s.pk

    def test_only_staff_record_presidium_decisions(self, staff, deputy_user, session, town_a):
        p = services.proposal_register(actor=staff, session=session, title="t", content="c",
                                       signers=self._deputies(town_a, 10))
        refused(lambda: services.proposal_place_on_agenda(actor=deputy_user, proposal=p))


def test_every_organization_kind_used_here_exists():
    assert Organization.Kind.WORKING_BODY
