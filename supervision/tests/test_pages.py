"""Supervision through the pages people use: members vote on their phones in the portal, staff run the poll in the
admin (open, paper ballots, close, publish, the meeting room's screen), the organ reports on its rectification item in
the unit workspace and staff accept it; each list's query count stays the same as it grows."""
import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from conftest import client_for
from congress.models import Notification
from supervision import services
from supervision.models import PollBallot, Rectification, RectificationReport, SatisfactionPoll

pytestmark = pytest.mark.django_db
C = SatisfactionPoll.Choice


def admin_page(name, obj):
    return reverse(f"admin:supervision_satisfactionpoll_{name}", args=[obj.pk])


class TestRunningAPollInTheAdmin:
    def test_staff_create_open_take_paper_ballots_close_and_publish_while_members_vote_online(
            self, staff, term, members, leader):
        client = client_for(staff)
        response = client.post(reverse("admin:supervision_satisfactionpoll_add"), {
            "term": term.pk, "title": "对区住建局审议意见办理情况的满意度测评", "basis": "all",
            "members_weight": 100, "deputies_weight": 0, "public_weight": 0, "public_eligible": 0})
        assert response.status_code == 302
        poll = SatisfactionPoll.objects.get()
        change = client.get(reverse("admin:supervision_satisfactionpoll_change", args=[poll.pk])).content.decode()
        assert f'href="{admin_page("open", poll)}" data-transition="open"' in change
        assert client.post(admin_page("open", poll), {}).status_code == 302
        poll.refresh_from_db()
        assert poll.status == SatisfactionPoll.Status.OPEN and poll.voters.count() == 10
        assert Notification.objects.filter(recipient=members[0].user, kind="poll_open").exists()
        # three members vote on their phones
        for deputy, mark in zip(members[:3], [C.SATISFIED, C.SATISFIED, C.BASIC], strict=True):
            phone = client_for(deputy.user)
            page = phone.get(reverse("supervision:poll_vote", args=[poll.pk])).content.decode()
            assert 'data-transition="vote"' in page
            assert phone.post(reverse("supervision:poll_vote", args=[poll.pk]), {"choice": mark}).status_code == 302
            again = phone.get(reverse("supervision:poll_vote", args=[poll.pk])).content.decode()
            assert 'data-transition="vote"' not in again and 'id="voted"' in again
        # while voting, the screen shows how many voted, never the marks
        screen = client_for(leader).get(admin_page("screen", poll)).content.decode()
        assert "已投票 <strong>3</strong> 人" in screen and "满意" not in screen.split('id="poll-progress"')[1][:60]
        # five more voted on paper at the meeting (ticked from the sign-in sheet)
        voters = {v.deputy_id: v.pk for v in poll.voters.all()}
        response = client.post(admin_page("paper", poll), {
            "group": poll.groups.get().pk, "voters": [voters[d.pk] for d in members[3:8]],
            "satisfied": 2, "basic": 1, "unsatisfied": 1, "invalid": 1})
        assert response.status_code == 302 and PollBallot.objects.count() == 8
        assert client.post(admin_page("close", poll), {}).status_code == 302
        poll.refresh_from_db()
        # 满意 4 of 10 = 40%; 满意+基本满意 6 of 10 = 60%: 基本满意
        assert poll.result == C.BASIC and poll.figures["totals"]["invalid"] == 1
        screen = client.get(admin_page("screen", poll)).content.decode()
        assert "测评结果：<strong>基本满意</strong>" in screen and "40.0%" in screen
        assert client.post(admin_page("publish", poll), {}).status_code == 302
        result = client_for(members[0].user).get(reverse("supervision:poll_vote", args=[poll.pk])).content.decode()
        assert "测评结果：基本满意" in result

    def test_paper_ballots_of_somebody_who_voted_online_are_refused_on_the_page(self, staff, term, members):
        poll = services.poll_open(actor=staff, poll=services.poll_create(actor=staff, term=term, title="测评"))
        services.poll_vote(actor=members[0].user, poll=poll, choice=C.SATISFIED)
        voter = poll.voters.get(deputy=members[0])
        page = client_for(staff).post(admin_page("paper", poll), {
            "group": poll.groups.get().pk, "voters": [voter.pk], "satisfied": 1, "basic": 0, "unsatisfied": 0,
            "invalid": 0}).content.decode()
        # the member who voted is not even offered on the sheet: the form refuses the choice
        assert "选择一个有效的选项" in page or "已经投过票" in page
        assert PollBallot.objects.count() == 1

    def test_a_deputy_not_on_the_list_does_not_find_the_poll(self, staff, term, members, deputy_user, town_a):
        from deputies.models import Deputy
        from tests.sample import sample_id_number

        Deputy.objects.create(full_name="周代表", gender="M", id_number=sample_id_number(699), town=town_a, user=deputy_user)
        poll = services.poll_open(actor=staff, poll=services.poll_create(actor=staff, term=term, title="测评"))
        assert client_for(deputy_user).get(reverse("supervision:poll_vote", args=[poll.pk])).status_code == 404
        assert client_for(deputy_user).post(reverse("supervision:poll_vote", args=[poll.pk]),
                                            {"choice": "satisfied"}).status_code == 404
        assert not PollBallot.objects.exists()

    def test_the_portal_home_and_tab_lead_a_member_to_the_open_poll(self, staff, term, members):
        poll = services.poll_open(actor=staff, poll=services.poll_create(actor=staff, term=term, title="对区教育局的测评"))
        home = client_for(members[0].user).get(reverse("portal:home")).content.decode()
        assert 'id="panel-polls"' in home and reverse("supervision:poll_vote", args=[poll.pk]) in home
        assert f'href="{reverse("supervision:polls")}"' in home


class TestRectificationInTheUnitWorkspace:
    def test_the_organ_reports_progress_then_completion_and_staff_accept(self, staff, unit_org, unit_user):
        client = client_for(staff)
        response = client.post(reverse("admin:supervision_rectification_add"), {
            "organization": unit_org.pk, "title": "整改校园周边交通安全隐患", "description": "增设护栏",
            "due_date": (datetime.date.today() + datetime.timedelta(days=30)).isoformat()})
        assert response.status_code == 302
        item = Rectification.objects.get()
        unit = client_for(unit_user)
        inbox = unit.get(reverse("supervision_unit:rectifications")).content.decode()
        assert item.title in inbox
        url = reverse("supervision_unit:rectification", args=[item.pk])
        page = unit.get(url).content.decode()
        assert 'data-transition="report submit"' in page
        unit.post(url, {"text": "已完成设计"})
        unit.post(url, {"text": "护栏已安装", "final": "on"})
        item.refresh_from_db()
        assert item.status == Rectification.Status.SUBMITTED and RectificationReport.objects.count() == 2
        assert 'data-transition' not in unit.get(url).content.decode().split('id="timeline"')[0]
        change = client.get(reverse("admin:supervision_rectification_change", args=[item.pk])).content.decode()
        assert 'data-transition="accept"' in change and 'data-transition="return"' in change
        assert client.post(reverse("admin:supervision_rectification_accept", args=[item.pk]), {"note": ""}).status_code == 302
        item.refresh_from_db()
        assert item.status == Rectification.Status.ACCEPTED
        assert [c.action for c in item.state_changes] == ["create", "report", "submit", "accept"]

    def test_another_unit_neither_sees_nor_reports_it(self, staff, unit_org, other_unit_user):
        item = services.rectification_create(actor=staff, organization=unit_org, title="整改路灯不亮问题",
                                             due_date=datetime.date.today() + datetime.timedelta(days=30))
        other = client_for(other_unit_user)
        assert item.title not in other.get(reverse("supervision_unit:rectifications")).content.decode()
        url = reverse("supervision_unit:rectification", args=[item.pk])
        assert other.get(url).status_code == 404 and other.post(url, {"text": "x"}).status_code == 404
        assert not RectificationReport.objects.exists()

    def test_a_due_date_in_the_past_is_refused_on_the_add_page(self, staff, unit_org):
        page = client_for(staff).post(reverse("admin:supervision_rectification_add"), {
            "organization": unit_org.pk, "title": "整改", "due_date": "2020-01-01"}).content.decode()
        assert "整改期限须晚于今天" in page and not Rectification.objects.exists()


def _count(client, url) -> int:
    client.get(url)
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_the_lists_do_not_grow_with_their_rows(staff, term, members, unit_org, unit_user):
    def add(n):
        for i in range(n):
            poll = services.poll_open(actor=staff, poll=services.poll_create(actor=staff, term=term, title=f"测评{i}"))
            services.poll_vote(actor=members[1].user, poll=poll, choice=C.SATISFIED)
            services.poll_close(actor=staff, poll=poll)
            services.poll_publish(actor=staff, poll=poll)
            services.poll_open(actor=staff, poll=services.poll_create(actor=staff, term=term, title=f"开放测评{i}"))
            services.rectification_create(actor=staff, organization=unit_org, title=f"整改{i}",
                                          due_date=datetime.date.today() + datetime.timedelta(days=30 + i))

    pages = [(client_for(members[0].user), reverse("supervision:polls")),
             (client_for(members[0].user), reverse("portal:home")),
             (client_for(unit_user), reverse("supervision_unit:rectifications")),
             (client_for(staff), reverse("admin:supervision_satisfactionpoll_changelist")),
             (client_for(staff), reverse("admin:supervision_rectification_changelist")),
             (client_for(staff), reverse("admin:supervision_committeemember_changelist"))]
    add(1)
    small = [_count(c, u) for c, u in pages]
    add(3)
    assert [_count(c, u) for c, u in pages] == small
    assert len(re.findall("去投票", client_for(members[0].user).get(reverse("supervision:polls")).content.decode())) == 4
