"""The handling units' workspace (/unit/): the inbox with its traffic lights, one assignment and its forms — each for
its own unit only, POST-only actions, repeats that change nothing, and an inbox whose query count does not grow."""
import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from freezegun import freeze_time

from conftest import client_for
from congress.models import StateChange
from proposals import services
from proposals.models import Assignment, AssistOpinion, ContactRecord, FollowUpReport, Reply
from proposals.tests.conftest import pdf

A = Assignment.Status
pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def last(action):
    return StateChange.objects.filter(action=action).order_by("-id").first()


def url(name, a):
    return reverse(f"unit:{name}", args=[a.pk])


class TestWhoGetsIn:
    def test_the_unit_sees_its_inbox_and_the_assignment(self, flow, unit_org, unit_user):
        s, (a,) = flow.assigned(unit_org)
        client = client_for(unit_user)
        inbox = client.get(reverse("unit:inbox")).content.decode()
        assert s.title in inbox and "承办单位工作台" in inbox
        page = client.get(url("detail", a)).content.decode()
        assert s.content in page and a.due_explanation in page

    def test_another_unit_sees_neither(self, flow, unit_org, unit2_user):
        s, (a,) = flow.assigned(unit_org)
        assert s.title not in client_for(unit2_user).get(reverse("unit:inbox")).content.decode()
        assert client_for(unit2_user).get(url("detail", a)).status_code == 404

    def test_other_roles_are_refused(self, flow, unit_org, staff, deputy_user, outsider):
        s, (a,) = flow.assigned(unit_org)
        for user in (staff, deputy_user, outsider):
            assert client_for(user).get(reverse("unit:inbox")).status_code == 403
            assert client_for(user).get(url("detail", a)).status_code == 403
        assert client_for(None).get(reverse("unit:inbox")).status_code == 302


class TestInbox:
    def test_red_amber_green_and_the_status_filter(self, flow, unit_org, unit_user):
        today = timezone.localdate()
        flow.assigned(unit_org, title="很早交办的建议", assigned_on=today - datetime.timedelta(days=120))
        flow.assigned(unit_org, title="快到期的建议", assigned_on=today - datetime.timedelta(days=85))
        flow.assigned(unit_org, title="刚交办的建议", assigned_on=today)
        client = client_for(unit_user)
        page = client.get(reverse("unit:inbox")).content.decode()
        assert page.count('class="status red"') == 2  # the legend and one item
        assert page.count('class="status amber"') == 2 and page.count('class="status green"') == 2
        overdue = client.get(reverse("unit:inbox"), {"status": "overdue"}).content.decode()
        assert "很早交办的建议" in overdue and "刚交办的建议" not in overdue
        replied = client.get(reverse("unit:inbox"), {"status": "replied"}).content.decode()
        assert "刚交办的建议" not in replied

    def test_the_count_does_not_grow_with_the_rows(self, flow, unit_org, unit_user):
        client = client_for(unit_user)

        def assign(n, start):
            for i in range(start, start + n):
                flow.assigned(unit_org, title=f"关于第{i}条道路修缮的建议")

        assign(2, 0)
        client.get(reverse("unit:inbox"))
        with CaptureQueriesContext(connection) as small:
            client.get(reverse("unit:inbox"))
        assign(4, 2)
        with CaptureQueriesContext(connection) as large:
            client.get(reverse("unit:inbox"))
        assert len(large) == len(small), [q["sql"] for q in large.captured_queries]

    def test_the_pager_counts_the_assignments_alone(self, flow, unit_org, unit_user):
        """The rows read the suggestion's and deputy's columns; the count must not join their tables (a COUNT keeps
        the joins of a values() query: 9.5 ms for one unit's replied items at province scale)."""
        for i in range(3):
            flow.replied(unit_org, unit_user, title=f"关于第{i}条道路修缮的建议")
        client = client_for(unit_user)
        for wanted in ("open", "overdue", "replied"):
            with CaptureQueriesContext(connection) as ctx:
                assert client.get(reverse("unit:inbox"), {"status": wanted}).status_code == 200
            counts = [q["sql"] for q in ctx.captured_queries if 'COUNT(*) AS "__count" FROM "proposals_assignment"' in q["sql"]]
            assert len(counts) == 1 and " JOIN " not in counts[0], (wanted, counts)

    def test_its_rows_read_as_they_did_when_the_template_walked_the_assignments(self, flow, unit_org, unit2, unit_user,
                                                                                  deputy_user):
        """The inbox's rows are read once as plain values (selectors.unit_inbox_rows): the same markup as the row the
        template drew from each assignment, its suggestion and its deputy, for every light and kind of row."""
        from django.template import engines

        from congress.lib.workdays import known_schedule_years
        from proposals import selectors
        from proposals.models import Suggestion

        today = timezone.localdate()
        flow.assigned(unit_org, title="很早交办的建议", assigned_on=today - datetime.timedelta(days=120))
        flow.assigned(unit_org, title="快到期的建议", assigned_on=today - datetime.timedelta(days=85))
        s, _ = flow.assigned(unit_org, title="未编号的建议", assigned_on=today)
        Suggestion.objects.filter(pk=s.pk).update(number="")
        flow.assigned(unit2, assisting=[unit_org], title="协办的建议")
        _, (far,) = flow.assigned(unit_org, title="期限在未录入节假日年份的建议")
        Assignment.objects.filter(pk=far.pk).update(due_date=datetime.date(2049, 1, 4))
        s, a, reply = flow.replied(unit_org, unit_user, title="再次办理的建议", assigned_on=today - datetime.timedelta(days=100))
        services.evaluation_submit(actor=deputy_user, reply=reply, rating="unsatisfied", comment="未解决")
        flow.replied(unit_org, unit_user, title="已答复的建议")
        old_rows = engines["django"].from_string(OLD_INBOX_ROWS)
        client = client_for(unit_user)
        for wanted, filters in (("open", {"open": True}), ("overdue", {"open": True}), ("replied", {"status": "replied"}),
                                ("rehandling", {"status": "rehandling"})):
            items = selectors.assignment_list_for_unit(unit=unit_org.pk, filters=filters)
            if wanted == "overdue":
                items = items.filter(current_due__lt=today)
            rows = [{"a": a, "light": selectors.deadline_light(a, today, 15), "left": (a.current_due_date - today).days,
                     "late": (today - a.current_due_date).days} for a in items]
            assert rows, wanted
            html = client.get(reverse("unit:inbox"), {"status": wanted}).content.decode()
            start = html.index('<ul class="list" id="assignments">')
            drawn = html[start:html.index("</ul>", start) + 5]
            assert drawn == old_rows.render({"rows": rows, "holiday_years": known_schedule_years()}), wanted
        assert "待定：尚未录入2049年节假日安排" in drawn or wanted != "open"


# the inbox's rows as the template drew them from the assignments (before selectors.unit_inbox_rows)
OLD_INBOX_ROWS = """{% load deadlines %}<ul class="list" id="assignments">{% for row in rows %}{% with a=row.a %}\
<li class="item light-{{ row.light|default:'none' }}"><div>
<p><a href="{% url 'unit:detail' a.pk %}">{{ a.suggestion.title }}</a></p>
<p class="muted small">{% if a.suggestion.number %}{{ a.suggestion.number }} · {% endif %}{{ a.get_role_display }} · \
{{ a.suggestion.lead_deputy.full_name }}代表</p>
<p class="small">期限 {{ a.current_due_date|date:"Y年n月j日" }}{% with note=a.current_due_date|pending_note:holiday_years %}\
{% if note %} <span class="status amber pending-deadline">{{ note }}</span>{% endif %}{% endwith %}\
{% if row.light == 'red' %}（已逾期{{ row.late }}天）{% elif row.light %}（还有{{ row.left }}天）{% endif %}</p></div>
<div class="item-actions">{% if row.light %}<span class="status {{ row.light }}">{% if row.light == 'red' %}已逾期\
{% elif row.light == 'amber' %}临近{% else %}充裕{% endif %}</span>{% endif %}<span class="status">{{ a.get_status_display }}\
</span></div></li>{% endwith %}
{% empty %}<li class="empty">没有符合条件的交办。</li>{% endfor %}</ul>"""


class TestSendBack:
    def test_within_the_window_once(self, flow, unit_org, unit_user):
        s, (a,) = flow.assigned(unit_org)
        client = client_for(unit_user)
        assert client.get(url("send_back", a)).status_code == 405
        assert client.post(url("send_back", a), {"reason": "不属于本单位职责"}).status_code == 302
        a.refresh_from_db()
        assert a.status == A.SEND_BACK_REQUESTED and last("request_send_back").actor == unit_user
        client.post(url("send_back", a), {"reason": "再次申请"})
        a.refresh_from_db()
        assert a.send_back_reason == "不属于本单位职责"
        assert StateChange.objects.filter(action="request_send_back").count() == 1

    def test_after_the_window_the_form_is_gone_and_the_service_refuses(self, flow, unit_org, unit_user):
        s, (a,) = flow.assigned(unit_org, assigned_on=timezone.localdate() - datetime.timedelta(days=30))
        client = client_for(unit_user)
        assert 'id="send-back"' not in client.get(url("detail", a)).content.decode()
        response = client.post(url("send_back", a), {"reason": "晚了"}, follow=True)
        assert "已超过申请退回期限" in response.content.decode()
        a.refresh_from_db()
        assert a.status == A.ASSIGNED

    def test_another_unit_cannot(self, flow, unit_org, unit2_user):
        s, (a,) = flow.assigned(unit_org)
        assert client_for(unit2_user).post(url("send_back", a), {"reason": "x"}).status_code == 404
        a.refresh_from_db()
        assert a.status == A.ASSIGNED


class TestContactAndOpinion:
    def test_the_first_contact_starts_the_handling(self, flow, unit_org, unit_user):
        s, (a,) = flow.assigned(unit_org)
        client = client_for(unit_user)
        assert client.get(url("contact", a)).status_code == 405
        client.post(url("contact", a), {"stage": "before", "method": "meeting", "date": timezone.localdate().isoformat(),
                                         "summary": "与代表当面沟通"})
        a.refresh_from_db()
        s.refresh_from_db()
        assert a.status == A.HANDLING and s.status == "handling" and last("contact").actor == unit_user
        assert ContactRecord.objects.get().summary == "与代表当面沟通"

    def test_the_assisting_unit_sends_its_opinion_once_and_the_lead_reads_it(self, flow, unit_org, unit_user, unit2,
                                                                              unit2_user):
        s, made = flow.assigned(unit_org, assisting=[unit2])
        assisting = next(a for a in made if a.unit == unit2)
        client = client_for(unit2_user)
        assert client.get(url("opinion", assisting)).status_code == 405
        client.post(url("opinion", assisting), {"content": "建议结合管网改造一并实施"})
        assisting.refresh_from_db()
        assert assisting.status == A.OPINION_SENT and last("assist_opinion").actor == unit2_user
        client.post(url("opinion", assisting), {"content": "再发一次"})
        assert AssistOpinion.objects.count() == 1
        lead = next(a for a in made if a.unit == unit_org)
        assert "建议结合管网改造一并实施" in client_for(unit_user).get(url("detail", lead)).content.decode()

    def test_the_lead_cannot_send_an_assisting_opinion(self, flow, unit_org, unit_user):
        s, (a,) = flow.assigned(unit_org)
        client_for(unit_user).post(url("opinion", a), {"content": "x"})
        assert not AssistOpinion.objects.exists()


class TestReply:
    def test_the_lead_replies_with_the_signed_letter_once(self, flow, unit_org, unit_user):
        s, (a,) = flow.assigned(unit_org)
        client = client_for(unit_user)
        assert client.get(url("reply", a)).status_code == 405
        response = client.post(url("reply", a), {"letter": pdf(), "result": "B", "summary": "列入明年计划",
                                                 "publishable": "on"})
        assert response.status_code == 302
        a.refresh_from_db()
        s.refresh_from_db()
        reply = Reply.objects.get()
        assert (a.status, a.result, s.status) == (A.REPLIED, "B", "replied")
        assert reply.publishable and reply.letter.read().startswith(b"%PDF-") and last("reply").actor == unit_user
        client.post(url("reply", a), {"letter": pdf(), "result": "A"})
        assert Reply.objects.count() == 1

    def test_a_letter_that_is_not_a_pdf_is_refused(self, flow, unit_org, unit_user):
        s, (a,) = flow.assigned(unit_org)
        fake = SimpleUploadedFile("答复函.pdf", b"not a pdf", content_type="application/pdf")
        response = client_for(unit_user).post(url("reply", a), {"letter": fake, "result": "A"}, follow=True)
        assert "不是有效的 PDF" in response.content.decode()
        assert not Reply.objects.exists()

    def test_after_unsatisfied_the_unit_replies_again(self, flow, unit_org, unit_user, deputy_user):
        s, a, reply = flow.replied(unit_org, unit_user)
        services.evaluation_submit(actor=deputy_user, reply=reply, rating="unsatisfied", comment="未解决")
        page = client_for(unit_user).get(url("detail", a)).content.decode()
        assert "再次答复期限" in page and "不满意" in page
        client_for(unit_user).post(url("reply", a), {"letter": pdf(), "result": "A"})
        a.refresh_from_db()
        assert a.status == A.REPLIED and Reply.objects.filter(is_second_reply=True).count() == 1
        assert last("second_reply").actor == unit_user

    def test_another_unit_cannot_reply(self, flow, unit_org, unit2_user):
        s, (a,) = flow.assigned(unit_org)
        assert client_for(unit2_user).post(url("reply", a), {"letter": pdf(), "result": "A"}).status_code == 404
        assert not Reply.objects.exists()


class TestFollowUp:
    @freeze_time("2026-11-22 10:00:00+08:00")
    def test_a_b_item_is_reported_each_year_until_solved(self, flow, unit_org, unit_user):
        s, a, reply = flow.replied(unit_org, unit_user, result="B")
        client = client_for(unit_user)
        assert client.get(url("followup", a)).status_code == 405
        client.post(url("followup", a), {"year": 2026, "progress": "已完成设计", "solved": ""})
        assert FollowUpReport.objects.get().progress == "已完成设计" and last("followup").actor == unit_user
        client.post(url("followup", a), {"year": 2026, "progress": "重复"})
        assert FollowUpReport.objects.count() == 1
        client.post(url("followup", a), {"year": 2027, "progress": "来年的进展"})
        assert FollowUpReport.objects.count() == 1  # a year that has not come yet is refused
        with freeze_time("2027-03-01 10:00:00+08:00"):  # a new login: the idle session ended months ago
            client = client_for(unit_user)
            client.post(url("followup", a), {"year": 2027, "progress": "已建成", "solved": "on"})
        a.refresh_from_db()
        assert a.followup_solved and 'id="followup"' in client.get(url("detail", a)).content.decode()


class TestRehandlingDeadline:
    def test_the_inbox_counts_the_second_deadline_after_unsatisfied(self, flow, unit_org, unit_user, deputy_user):
        s, a, reply = flow.replied(unit_org, unit_user, assigned_on=timezone.localdate() - datetime.timedelta(days=120))
        services.evaluation_submit(actor=deputy_user, reply=reply, rating="unsatisfied", comment="未解决")
        client = client_for(unit_user)
        assert s.title not in client.get(reverse("unit:inbox"), {"status": "overdue"}).content.decode()
        page = client.get(reverse("unit:inbox")).content.decode()
        assert s.title in page and "还有" in page


class TestAssistingOpinionNeverSent:
    """A lead unit could be blocked for ever when an assisting unit never sent its opinion."""

    def test_the_lead_sees_why_it_waits_then_replies_after_the_assisting_deadline(self, flow, unit_org, unit2,
                                                                                  unit_user):
        s, [lead, assist] = flow.assigned(unit_org, assisting=[unit2])
        client = client_for(unit_user)
        page = client.get(url("detail", lead)).content.decode()
        assert 'id="waiting-assist"' in page and unit2.name in page and 'data-transition="reply"' not in page
        later = assist.due_date + datetime.timedelta(days=1)
        with freeze_time(f"{later:%Y-%m-%d} 10:00:00+08:00"):
            client = client_for(unit_user)
            page = client.get(url("detail", lead)).content.decode()
            assert 'id="waiting-assist"' not in page and 'data-transition="reply"' in page
            response = client.post(url("reply", lead), {"letter": pdf(), "result": "A", "summary": "已办理"})
            assert response.status_code == 302
        lead.refresh_from_db()
        assert lead.status == Assignment.Status.REPLIED
        assert f"协办单位{unit2.name}逾期未提出会办意见" in last("reply").reason

    def test_staff_release_the_assisting_unit_with_a_reason_and_the_lead_replies(self, flow, unit_org, unit2,
                                                                               unit_user, unit2_user, staff):
        s, [lead, assist] = flow.assigned(unit_org, assisting=[unit2])
        admin_url = reverse("admin:proposals_assignment_release", args=[assist.pk])
        change = client_for(staff).get(reverse("admin:proposals_assignment_change", args=[assist.pk])).content.decode()
        assert f'href="{admin_url}" data-transition="release"' in change
        assert client_for(unit_user).post(admin_url, {"reason": "x"}).status_code == 302  # not staff: to the login
        response = client_for(staff).post(admin_url, {"reason": "该单位职能调整，不再涉及此事项"})
        assert response.status_code == 302
        assist.refresh_from_db()
        assert assist.status == Assignment.Status.RELEASED
        assert last("release").actor == staff and last("release").reason == "该单位职能调整，不再涉及此事项"
        again = client_for(staff).post(admin_url, {"reason": "再次"}).content.decode()
        assert "不能免于会办" in again and last("release").reason == "该单位职能调整，不再涉及此事项"
        page = client_for(unit_user).get(url("detail", lead)).content.decode()
        assert 'data-transition="reply"' in page
        assert client_for(unit_user).post(url("reply", lead), {"letter": pdf(), "result": "A"}).status_code == 302
        lead.refresh_from_db()
        assert lead.status == Assignment.Status.REPLIED

    def test_a_lead_assignment_cannot_be_released(self, flow, unit_org, staff):
        s, [lead] = flow.assigned(unit_org)
        page = client_for(staff).get(reverse("admin:proposals_assignment_release", args=[lead.pk])).content.decode()
        assert "只有协办单位的交办可以免于会办" in page
