"""代表约见 through its services: each transition on the right path (read back, with its history row), in the wrong
state and by the wrong person (nothing changes); too few co-signers refused in Chinese; the reply's due date; each
signer rates once and the last one completes the request; the reminder scan (before, on the day, overdue; each once;
its query count does not grow with the number of requests); the overdue list, the duty record and the chapter's
figures on hand-computed data."""
import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from congress.lib import dashboard
from congress.models import Notification, Organization, StateChange
from congress.services import CongressError
from supervision import services
from supervision.models import MeetingRating, MeetingRequest
from supervision.selectors_meetings import meeting_duty_items, meeting_figures
from supervision.services.meetings import meeting_reply_reminders_scan

pytestmark = pytest.mark.django_db
S, C = MeetingRequest.Status, MeetingRating.Choice
TODAY = timezone.localdate()


def draft(deputy, unit_org, subject="老旧小区加装电梯推进缓慢"):
    return services.meeting_request_create(actor=deputy.user, subject=subject, content="群众反映审批慢、协调难。",
                                           organization=unit_org, head="局长")


def signed(deputies, unit_org, n=5, subject="老旧小区加装电梯推进缓慢"):
    """A draft by deputies[0] with n signers (the drafter among them)."""
    request = draft(deputies[0], unit_org, subject)
    for deputy in deputies[1:n]:
        services.meeting_request_cosign(actor=deputy.user, request=request)
    return request


def proposed(deputies, unit_org, **kwargs):
    return services.meeting_request_propose(actor=deputies[0].user, request=signed(deputies, unit_org, **kwargs))


def approved(staff, deputies, unit_org, **kwargs):
    return services.meeting_request_decide(actor=staff, request=proposed(deputies, unit_org, **kwargs), agree=True,
                                           reason="同意约见，由城建环保工委安排。")


def met(staff, deputies, unit_org, on=None, **kwargs):
    request = approved(staff, deputies, unit_org, **kwargs)
    if on is not None:  # decided before the meeting
        MeetingRequest.objects.filter(pk=request.pk).update(decided_at=timezone.now() - datetime.timedelta(days=60))
    return services.meeting_request_hold(actor=staff, request=request, met_on=on or TODAY, place="常委会第一会议室",
                                         officials="王局长（局长）", attendees=deputies[:3], record="局长介绍了情况。")


def replied(staff, deputies, unit_org, unit_user, **kwargs):
    return services.meeting_request_reply(actor=unit_user, request=met(staff, deputies, unit_org, **kwargs),
                                          text="已制定加装电梯三年行动计划。")


def history(request):
    return list(StateChange.objects.filter(workflow="meeting_request", object_id=request.pk).values_list("action", flat=True))


def unchanged(request, status):
    request.refresh_from_db()
    assert request.status == status


# -- drafting and co-signing -----------------------------------------------------------------------------------------

def test_a_deputy_drafts_and_signs_first(members, unit_org):
    request = draft(members[0], unit_org)
    request.refresh_from_db()
    assert request.status == S.DRAFT and request.drafted_by == members[0]
    assert list(request.signers.values_list("deputy", flat=True)) == [members[0].pk]
    assert history(request) == ["create"]


@pytest.mark.parametrize("who", ["staff", "unit_user", "deputy_user"])
def test_only_a_deputy_drafts(members, unit_org, who, request):
    with pytest.raises(CongressError, match="只有人大代表可以提出约见"):
        services.meeting_request_create(actor=request.getfixturevalue(who), subject="事项", content="内容",
                                        organization=unit_org)
    assert not MeetingRequest.objects.exists()


def test_a_draft_needs_a_subject_and_an_organ(members, unit_org):
    with pytest.raises(CongressError, match="请填写约见事项"):
        services.meeting_request_create(actor=members[0].user, subject="  ", content="内容", organization=unit_org)
    town = Organization.objects.create(name="东湖街道", kind=Organization.Kind.TOWN)
    with pytest.raises(CongressError, match="不是可以约见的国家机关"):
        services.meeting_request_create(actor=members[0].user, subject="事项", content="内容", organization=town)


def test_other_deputies_cosign_once(members, unit_org):
    request = draft(members[0], unit_org)
    services.meeting_request_cosign(actor=members[1].user, request=request)
    assert request.signers.count() == 2 and history(request) == ["create", "cosign"]
    with pytest.raises(CongressError, match="只有尚未联名的人大代表可以联名"):
        services.meeting_request_cosign(actor=members[1].user, request=request)
    with pytest.raises(CongressError, match="只有尚未联名的人大代表可以联名"):
        services.meeting_request_cosign(actor=members[0].user, request=request)  # the drafter signed already
    assert request.signers.count() == 2


@pytest.mark.parametrize("who", ["staff", "unit_user", "deputy_user"])
def test_cosigning_wrong_user(members, unit_org, who, request):
    item = draft(members[0], unit_org)
    with pytest.raises(CongressError):
        services.meeting_request_cosign(actor=request.getfixturevalue(who), request=item)
    assert item.signers.count() == 1


def test_cosigning_wrong_state(members, unit_org):
    request = proposed(members, unit_org)
    with pytest.raises(CongressError, match="当前为“已提出”，不能联名"):
        services.meeting_request_cosign(actor=members[7].user, request=request)
    assert request.signers.count() == 5


# -- putting it forward ----------------------------------------------------------------------------------------------

def test_too_few_signers_are_refused_in_chinese(members, unit_org):
    request = signed(members, unit_org, n=4)
    with pytest.raises(CongressError, match="联名代表不足5人（现有4人），不能提出约见"):
        services.meeting_request_propose(actor=members[0].user, request=request)
    unchanged(request, S.DRAFT)


def test_the_minimum_is_a_setting(members, unit_org, settings):
    settings.CONGRESS_RULES = {**settings.CONGRESS_RULES, "MEETING_MIN_DEPUTIES": 3}
    request = services.meeting_request_propose(actor=members[0].user, request=signed(members, unit_org, n=3))
    assert request.status == S.PROPOSED and request.proposed_at is not None


def test_the_drafter_puts_it_forward_and_staff_are_told(members, unit_org, staff):
    request = proposed(members, unit_org)
    request.refresh_from_db()
    assert request.status == S.PROPOSED and history(request)[-1] == "propose"
    assert Notification.objects.filter(recipient=staff, kind="meeting_request_proposed").exists()


@pytest.mark.parametrize("who", ["co-signer", "staff", "unit_user"])
def test_only_the_drafter_puts_it_forward(members, unit_org, who, request):
    item = signed(members, unit_org)
    actor = members[1].user if who == "co-signer" else request.getfixturevalue(who)
    with pytest.raises(CongressError):
        services.meeting_request_propose(actor=actor, request=item)
    unchanged(item, S.DRAFT)


def test_propose_wrong_state(members, unit_org):
    request = proposed(members, unit_org)
    with pytest.raises(CongressError, match="不能提出约见"):
        services.meeting_request_propose(actor=members[0].user, request=request)


# -- the 主任会议's decision ------------------------------------------------------------------------------------------

def test_agreed_the_signers_and_the_organ_are_told(members, unit_org, staff, unit_user):
    request = approved(staff, members, unit_org)
    request.refresh_from_db()
    assert request.status == S.APPROVED and request.decision_reason.startswith("同意约见")
    for deputy in members[:5]:
        assert Notification.objects.filter(recipient=deputy.user, kind="meeting_request_decided").exists()
    assert not Notification.objects.filter(recipient=members[6].user, kind="meeting_request_decided").exists()
    assert Notification.objects.filter(recipient=unit_user, kind="meeting_request_agreed").exists()


def test_declined_with_reasons(members, unit_org, staff, unit_user):
    request = proposed(members, unit_org)
    with pytest.raises(CongressError, match="请填写主任会议的意见和理由"):
        services.meeting_request_decide(actor=staff, request=request, agree=False, reason=" ")
    unchanged(request, S.PROPOSED)
    services.meeting_request_decide(actor=staff, request=request, agree=False, reason="该事项已列入专题询问。")
    unchanged(request, S.REJECTED)
    note = Notification.objects.get(recipient=members[1].user, kind="meeting_request_decided")
    assert "不同意" in note.title
    assert not Notification.objects.filter(recipient=unit_user).exists()


@pytest.mark.parametrize("who", ["leader", "unit_user", "drafter"])
def test_decide_wrong_user(members, unit_org, who, request):
    item = proposed(members, unit_org)
    actor = members[0].user if who == "drafter" else request.getfixturevalue(who)
    with pytest.raises(CongressError):
        services.meeting_request_decide(actor=actor, request=item, agree=True, reason="同意")
    unchanged(item, S.PROPOSED)


def test_decide_wrong_state(members, unit_org, staff):
    request = signed(members, unit_org)
    with pytest.raises(CongressError, match="当前为“草稿”"):
        services.meeting_request_decide(actor=staff, request=request, agree=True, reason="同意")
    unchanged(request, S.DRAFT)


# -- the meeting -----------------------------------------------------------------------------------------------------

def test_the_meeting_sets_the_reply_due_a_month_later(members, unit_org, staff, unit_user):
    on = TODAY - datetime.timedelta(days=2)
    request = met(staff, members, unit_org, on=on)
    request.refresh_from_db()
    assert request.status == S.MET and request.met_on == on
    assert set(request.attendees.all()) == set(members[:3])
    assert request.reply_due >= on + datetime.timedelta(days=28) and "约见日" in request.reply_due_explanation
    assert Notification.objects.filter(recipient=unit_user, kind="meeting_request_held").exists()


def test_the_meeting_checks_its_record(members, unit_org, staff):
    request = approved(staff, members, unit_org)

    def hold(**changes):
        data = {"met_on": TODAY, "place": "会议室", "officials": "王局长", "attendees": members[:2], "record": "记录"}
        services.meeting_request_hold(actor=staff, request=request, **{**data, **changes})

    with pytest.raises(CongressError, match="约见日期不能晚于今天"):
        hold(met_on=TODAY + datetime.timedelta(days=1))
    with pytest.raises(CongressError, match="参加约见的代表须是联名代表：委员8不在联名代表之列"):
        hold(attendees=[members[0], members[7]])
    with pytest.raises(CongressError, match="请选择参加约见的代表"):
        hold(attendees=[])
    with pytest.raises(CongressError, match="请填写到会的机关负责人"):
        hold(officials="")
    unchanged(request, S.APPROVED)


@pytest.mark.parametrize("who", ["leader", "unit_user", "drafter"])
def test_hold_wrong_user(members, unit_org, staff, who, request):
    item = approved(staff, members, unit_org)
    actor = members[0].user if who == "drafter" else request.getfixturevalue(who)
    with pytest.raises(CongressError):
        services.meeting_request_hold(actor=actor, request=item, met_on=TODAY, place="会议室", officials="王局长",
                                      attendees=members[:2], record="记录")
    unchanged(item, S.APPROVED)


def test_hold_wrong_state(members, unit_org, staff):
    request = proposed(members, unit_org)
    with pytest.raises(CongressError, match="不能记录约见"):
        services.meeting_request_hold(actor=staff, request=request, met_on=TODAY, place="会议室", officials="王局长",
                                      attendees=members[:2], record="记录")
    unchanged(request, S.PROPOSED)


# -- the reply -------------------------------------------------------------------------------------------------------

def test_the_organ_replies_and_the_signers_are_told(members, unit_org, staff, unit_user):
    request = replied(staff, members, unit_org, unit_user)
    request.refresh_from_db()
    assert request.status == S.REPLIED and request.replied_by == unit_user and request.reply
    assert Notification.objects.filter(recipient=members[4].user, kind="meeting_request_replied").exists()


def test_reply_wrong_user(members, unit_org, staff, other_unit_user, leader):
    request = met(staff, members, unit_org)
    for actor in (other_unit_user, staff, leader, members[0].user):
        with pytest.raises(CongressError):
            services.meeting_request_reply(actor=actor, request=request, text="答复")
    unchanged(request, S.MET)


def test_reply_wrong_state(members, unit_org, staff, unit_user):
    request = approved(staff, members, unit_org)
    with pytest.raises(CongressError, match="不能书面答复"):
        services.meeting_request_reply(actor=unit_user, request=request, text="答复")
    unchanged(request, S.APPROVED)


def test_an_empty_reply_is_refused(members, unit_org, staff, unit_user):
    request = met(staff, members, unit_org)
    with pytest.raises(CongressError, match="请填写书面答复"):
        services.meeting_request_reply(actor=unit_user, request=request, text=" ")
    unchanged(request, S.MET)


# -- the ratings -----------------------------------------------------------------------------------------------------

def test_each_signer_rates_once_and_the_last_completes_it(members, unit_org, staff, unit_user):
    request = replied(staff, members, unit_org, unit_user)
    for deputy, choice in zip(members[:4], [C.SATISFIED, C.SATISFIED, C.BASIC, C.UNSATISFIED], strict=True):
        services.meeting_request_rate(actor=deputy.user, request=request, choice=choice)
    unchanged(request, S.REPLIED)
    with pytest.raises(CongressError, match="每位代表只能评价一次"):
        services.meeting_request_rate(actor=members[0].user, request=request, choice=C.BASIC)
    assert request.ratings.get(deputy=members[0]).choice == C.SATISFIED
    services.meeting_request_rate(actor=members[4].user, request=request, choice=C.BASIC, comment="还需加快")
    unchanged(request, S.RATED)
    assert history(request)[-2:] == ["rate", "complete"]


def test_a_deputy_not_among_the_requesters_cannot_rate(members, unit_org, staff, unit_user, deputy_user):
    request = replied(staff, members, unit_org, unit_user)
    for actor in (members[7].user, deputy_user, staff, unit_user):
        with pytest.raises(CongressError):
            services.meeting_request_rate(actor=actor, request=request, choice=C.SATISFIED)
    assert not request.ratings.exists()


def test_rate_wrong_state_and_bad_choice(members, unit_org, staff, unit_user):
    request = met(staff, members, unit_org)
    with pytest.raises(CongressError, match="不能评价答复"):
        services.meeting_request_rate(actor=members[0].user, request=request, choice=C.SATISFIED)
    services.meeting_request_reply(actor=unit_user, request=request, text="答复")
    with pytest.raises(CongressError, match="请选择满意、基本满意或不满意"):
        services.meeting_request_rate(actor=members[0].user, request=request, choice="great")
    assert not request.ratings.exists()


def test_staff_end_the_rating_once_somebody_rated(members, unit_org, staff, unit_user, leader):
    request = replied(staff, members, unit_org, unit_user)
    with pytest.raises(CongressError, match="还没有代表评价书面答复"):
        services.meeting_request_close(actor=staff, request=request)
    services.meeting_request_rate(actor=members[1].user, request=request, choice=C.SATISFIED)
    with pytest.raises(CongressError):
        services.meeting_request_close(actor=leader, request=request)
    unchanged(request, S.REPLIED)
    services.meeting_request_close(actor=staff, request=request, note="其余代表未评价")
    unchanged(request, S.RATED)
    with pytest.raises(CongressError, match="不能结束评价"):
        services.meeting_request_close(actor=staff, request=request)


# -- reminders -------------------------------------------------------------------------------------------------------

def _reminders(user):
    return list(Notification.objects.filter(recipient=user, kind="meeting_reply_reminder").order_by("id")
                .values_list("title", flat=True))


def test_reminders_before_on_the_day_and_overdue_each_once(members, unit_org, staff, unit_user):
    request = met(staff, members, unit_org)
    due = request.reply_due
    for offset, expected in [(20, []), (7, ["7"]), (5, []), (3, ["3"]), (0, ["0"]), (-1, ["overdue-1"]),
                             (-3, []), (-8, ["overdue-2"])]:
        today = due - datetime.timedelta(days=offset)
        assert [r.threshold for r in meeting_reply_reminders_scan(today=today)] == expected, offset
        assert meeting_reply_reminders_scan(today=today) == []
    titles = _reminders(unit_user)
    assert len(titles) == 5 and "今天到期" in titles[2] and "已逾期" in titles[3]


def test_a_replied_request_is_not_reminded(members, unit_org, staff, unit_user):
    request = replied(staff, members, unit_org, unit_user)
    assert meeting_reply_reminders_scan(today=request.reply_due) == []


def test_the_scan_query_count_does_not_grow_with_the_requests(members, unit_org, staff, unit_user, other_unit_user):
    def scan_queries(n):
        for i in range(n):
            organ = unit_org if i % 2 else other_unit_user.organization
            met(staff, members, organ, subject=f"事项{n}-{i}")
        day = MeetingRequest.objects.filter(status=S.MET).order_by("reply_due").first().reply_due
        with CaptureQueriesContext(connection) as ctx:
            sent = meeting_reply_reminders_scan(today=day)
        return len(ctx.captured_queries), len(sent)

    few, sent_few = scan_queries(2)
    many, sent_many = scan_queries(6)
    assert sent_few == 2 and sent_many == 6  # the new ones (the first two were reminded already)
    assert few == many


# -- the overdue list, the duty record, the chapter ------------------------------------------------------------------

def test_an_overdue_reply_is_on_the_leaders_list(members, unit_org, staff, unit_user):
    request = met(staff, members, unit_org, on=TODAY - datetime.timedelta(days=40))
    replied(staff, members, unit_org, unit_user, on=TODAY - datetime.timedelta(days=40), subject="另一事项")
    rows = dashboard.overdue_rows(list(dashboard.overdue_query(TODAY)), TODAY)
    mine = [r for r in rows if r.kind == "代表约见"]
    assert [r.title for r in mine] == [f"代表约见：{request.subject}"]
    assert mine[0].organization == unit_org.name and mine[0].days_overdue == (TODAY - request.reply_due).days


def test_the_meeting_is_in_the_attending_deputies_duty_record(members, unit_org, staff):
    request = met(staff, members, unit_org)
    items = meeting_duty_items(members[1], TODAY.year)
    assert [(i["date"], i["kind"]) for i in items] == [(request.met_on, "代表约见")]
    assert meeting_duty_items(members[4], TODAY.year) == []  # signed but did not attend
    assert meeting_duty_items(members[1], TODAY.year - 1) == []


def test_the_chapters_figures_on_hand_computed_data(members, unit_org, staff, unit_user):
    """Five requests: one still a draft, one declined, one agreed and not yet met, one met 40 days ago with no reply
    (overdue), one met 40 days ago and replied today (late) and rated 满意, 满意, 不满意."""
    signed(members, unit_org, subject="草稿")
    services.meeting_request_decide(actor=staff, request=proposed(members, unit_org, subject="不同意的"), agree=False,
                                    reason="不同意")
    approved(staff, members, unit_org, subject="同意未约见")
    ago = TODAY - datetime.timedelta(days=40)
    met(staff, members, unit_org, on=ago, subject="逾期未答复")
    late = replied(staff, members, unit_org, unit_user, on=ago, subject="逾期答复")
    for deputy, choice in zip(members[:3], [C.SATISFIED, C.SATISFIED, C.UNSATISFIED], strict=True):
        services.meeting_request_rate(actor=deputy.user, request=late, choice=choice)
    f = meeting_figures(datetime.date(TODAY.year - 1, 1, 1), TODAY)
    assert (f["proposed"], f["agreed"], f["rejected"]) == (4, 3, 1)
    assert (f["held"], f["attendances"]) == (2, 6)
    assert (f["replies"], f["on_time"], f["late"], f["overdue"]) == (1, 0, 1, 1)
    assert f["ratings"] == {C.SATISFIED: 2, C.BASIC: 0, C.UNSATISFIED: 1}
    assert [row[2] for row in f["rows"]] == ["逾期未答复", "逾期答复"]
    # a period that ended before the meetings: nothing held, nothing owed
    before = meeting_figures(datetime.date(TODAY.year - 1, 1, 1), ago - datetime.timedelta(days=1))
    assert (before["held"], before["overdue"], before["replies"]) == (0, 0, 0)
