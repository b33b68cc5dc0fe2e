"""代表约见 through the pages people use: deputies draft, co-sign, put forward (refused in Chinese with too few signers)
and rate in the portal; staff record the 主任会议's decision and the meeting in the admin; the organ finds the request
from its inbox and replies in its workspace; the meeting shows in the attending deputy's duty record and an overdue
reply on the leaders' list; each list's query count stays the same as it grows."""
import datetime

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from conftest import client_for
from supervision.models import MeetingRating, MeetingRequest
from supervision.tests.test_meetings import approved, met, replied, signed

pytestmark = pytest.mark.django_db
S, C = MeetingRequest.Status, MeetingRating.Choice
TODAY = timezone.localdate()


def texts(response):
    return [str(m) for m in get_messages(response.wsgi_request)]


def test_deputies_draft_cosign_and_put_forward_in_the_portal(members, unit_org):
    drafter = client_for(members[0].user)
    assert drafter.get(reverse("supervision:meeting_new")).status_code == 200
    response = drafter.post(reverse("supervision:meeting_new"), {
        "subject": "老旧小区加装电梯推进缓慢", "organization": unit_org.pk, "head": "局长", "content": "审批慢、协调难。"})
    request = MeetingRequest.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("supervision:meeting", args=[request.pk])
    for deputy in members[1:4]:
        client = client_for(deputy.user)
        listing = client.get(reverse("supervision:meetings"))
        assert "老旧小区加装电梯推进缓慢" in listing.content.decode()  # under 征集联名中
        page = client.get(reverse("supervision:meeting", args=[request.pk])).content.decode()
        assert 'data-transition="cosign"' in page
        client.post(reverse("supervision:meeting", args=[request.pk]), {"action": "cosign"})
    assert request.signers.count() == 4
    # four deputies: refused, in Chinese, and still a draft
    page = drafter.get(reverse("supervision:meeting", args=[request.pk])).content.decode()
    assert 'data-transition="propose"' not in page and "联名代表不足5人（现有4人）" in page
    response = drafter.post(reverse("supervision:meeting", args=[request.pk]), {"action": "propose"}, follow=True)
    assert "联名代表不足5人（现有4人），不能提出约见" in response.content.decode()
    request.refresh_from_db()
    assert request.status == S.DRAFT
    client_for(members[4].user).post(reverse("supervision:meeting", args=[request.pk]), {"action": "cosign"})
    response = drafter.post(reverse("supervision:meeting", args=[request.pk]), {"action": "propose"})
    assert response.status_code == 302 and texts(response) == ["约见已提出，等待主任会议研究决定。"]
    request.refresh_from_db()
    assert request.status == S.PROPOSED
    # a deputy who did not sign no longer finds it; a co-signer cannot put it forward
    assert client_for(members[7].user).get(reverse("supervision:meeting", args=[request.pk])).status_code == 404


def test_a_draft_form_with_errors_answers_in_chinese(members):
    response = client_for(members[0].user).post(reverse("supervision:meeting_new"), {"subject": "", "organization": "x"})
    assert response.status_code == 200 and "这个字段是必填项" in response.content.decode()
    assert not MeetingRequest.objects.exists()


def test_staff_record_the_decision_and_the_meeting_in_the_admin(members, unit_org, staff):
    request = signed(members, unit_org)
    client_for(members[0].user).post(reverse("supervision:meeting", args=[request.pk]), {"action": "propose"})
    admin = client_for(staff)
    page = admin.get(reverse("admin:supervision_meetingrequest_change", args=[request.pk])).content.decode()
    assert 'data-transition="approve reject"' in page
    url = reverse("admin:supervision_meetingrequest_decide", args=[request.pk])
    response = admin.post(url, {"decision": "agree", "reason": ""})
    assert response.status_code == 200  # the reason is required
    response = admin.post(url, {"decision": "agree", "reason": "同意约见，由城建环保工委安排。"})
    assert response.status_code == 302
    request.refresh_from_db()
    assert request.status == S.APPROVED
    url = reverse("admin:supervision_meetingrequest_hold", args=[request.pk])
    form = admin.get(url).content.decode()
    assert members[4].full_name in form and members[7].full_name not in form  # the signers only
    response = admin.post(url, {"met_on": TODAY.isoformat(), "place": "常委会第一会议室", "officials": "王局长（局长）",
                                "attendees": [members[0].pk, members[2].pk], "record": "局长介绍了情况。"})
    assert response.status_code == 302
    request.refresh_from_db()
    assert request.status == S.MET and request.reply_due is not None
    assert set(request.attendees.values_list("pk", flat=True)) == {members[0].pk, members[2].pk}


def test_a_leader_reads_but_takes_no_step(members, unit_org, staff, leader):
    request = approved(staff, members, unit_org)
    client = client_for(leader)
    page = client.get(reverse("admin:supervision_meetingrequest_change", args=[request.pk]))
    assert page.status_code == 200 and "data-transition" not in page.content.decode()
    assert client.get(reverse("admin:supervision_meetingrequest_hold", args=[request.pk])).status_code == 403


def test_the_organ_replies_from_its_workspace(members, unit_org, staff, unit_user, other_unit_user):
    request = met(staff, members, unit_org)
    client = client_for(unit_user)
    inbox = client.get(reverse("unit:inbox")).content.decode()
    assert reverse("supervision_unit_meetings:list") in inbox
    listing = client.get(reverse("supervision_unit_meetings:list")).content.decode()
    assert request.subject in listing and "书面答复期限" in listing
    url = reverse("supervision_unit_meetings:detail", args=[request.pk])
    assert client_for(other_unit_user).get(url).status_code == 404
    assert client_for(other_unit_user).post(url, {"text": "答复"}).status_code == 404
    page = client.get(url).content.decode()
    assert 'data-transition="reply"' in page
    assert client.post(url, {"text": ""}).status_code == 200
    response = client.post(url, {"text": "已制定加装电梯三年行动计划。"})
    assert response.status_code == 302
    request.refresh_from_db()
    assert request.status == S.REPLIED and request.replied_by == unit_user
    page = client.get(url).content.decode()
    assert 'data-transition="reply"' not in page and "已制定加装电梯三年行动计划" in page


def test_signers_rate_the_reply_in_the_portal_each_once(members, unit_org, staff, unit_user):
    request = replied(staff, members, unit_org, unit_user)
    url = reverse("supervision:meeting", args=[request.pk])
    signer = client_for(members[1].user)
    assert 'data-transition="rate"' in signer.get(url).content.decode()
    response = signer.post(url, {"action": "rate", "choice": "nonsense"})
    assert response.status_code == 200 and not request.ratings.exists()
    response = signer.post(url, {"action": "rate", "choice": C.BASIC, "comment": "还需加快"})
    assert response.status_code == 302 and texts(response) == ["评价已提交。"]
    response = signer.post(url, {"action": "rate", "choice": C.SATISFIED}, follow=True)
    assert "每位代表只能评价一次" in response.content.decode()
    assert list(request.ratings.values_list("choice", flat=True)) == [C.BASIC]
    assert 'data-transition="rate"' not in signer.get(url).content.decode()
    # a deputy not among the requesters does not find it, and cannot rate it
    outsider = client_for(members[7].user)
    assert outsider.get(url).status_code == 404
    assert outsider.post(url, {"action": "rate", "choice": C.SATISFIED}).status_code == 404
    assert request.ratings.count() == 1


def test_the_meeting_shows_in_the_attending_deputys_duty_record(members, unit_org, staff):
    request = met(staff, members, unit_org)
    page = client_for(members[1].user).get(reverse("portal:record")).content.decode()
    assert "代表约见" in page and request.subject in page
    assert request.subject not in client_for(members[4].user).get(reverse("portal:record")).content.decode()


def test_an_overdue_reply_is_on_the_leaders_overdue_page(members, unit_org, staff, leader):
    request = met(staff, members, unit_org, on=TODAY - datetime.timedelta(days=45))
    page = client_for(leader).get(reverse("congress:overdue")).content.decode()
    assert f"代表约见：{request.subject}" in page


# -- query counts: N and 3N rows, the same number of queries ----------------------------------------------------------

def _queries(client, url) -> int:
    client.get(url)  # warm: what a first request caches (content types, the session) is not the list's cost
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def _grow(make, n):
    for i in range(n):
        make(i)


def test_the_portal_list_runs_the_same_queries_whatever_its_length(members, unit_org, staff):
    client = client_for(members[0].user)
    url = reverse("supervision:meetings")

    def add(i):
        signed(members, unit_org, n=2, subject=f"我的约见{i}")
        signed(list(reversed(members)), unit_org, n=2, subject=f"他人的约见{i}")  # another deputy's draft to co-sign

    _grow(add, 2)
    few = _queries(client, url)
    _grow(add, 4)
    assert _queries(client, url) == few


def test_the_unit_list_runs_the_same_queries_whatever_its_length(members, unit_org, staff, unit_user):
    client = client_for(unit_user)
    url = reverse("supervision_unit_meetings:list") + "?all=1"
    _grow(lambda i: met(staff, members, unit_org, subject=f"事项{i}"), 2)
    few = _queries(client, url)
    _grow(lambda i: met(staff, members, unit_org, subject=f"事项b{i}"), 4)
    assert _queries(client, url) == few


def test_the_admin_list_runs_the_same_queries_whatever_its_length(members, unit_org, staff):
    client = client_for(staff)
    url = reverse("admin:supervision_meetingrequest_changelist")
    _grow(lambda i: approved(staff, members, unit_org, subject=f"事项{i}"), 2)
    few = _queries(client, url)
    _grow(lambda i: approved(staff, members, unit_org, subject=f"事项b{i}"), 4)
    assert _queries(client, url) == few
