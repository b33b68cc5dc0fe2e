"""专题询问 through the admin pages staff use: arranged on the add page, the officials, questions (with a follow-up and an
on-the-spot question) and commitments recorded in the change page's inlines, held, the commitments assigned (the record
closes), the rectification report with its poll, closed; the questions shown in order with the follow-ups indented;
refusals in Chinese; the list's and the page's query counts stay the same as they grow."""
import datetime
from html.parser import HTMLParser

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from conftest import client_for
from supervision import services
from supervision.models import Inquiry, InquiryOfficial, InquiryQuestion, Rectification, SatisfactionPoll
from supervision.tests.test_inquiries import arranged, record

pytestmark = pytest.mark.django_db
S, C = Inquiry.Status, SatisfactionPoll.Choice
TODAY = datetime.date.today()


class _Form(HTMLParser):
    """The values a browser would post from the page's change form (the inlines' empty templates left out)."""

    def __init__(self):
        super().__init__()
        self.data, self._select, self._textarea = {}, None, None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        name = a.get("name")
        if tag == "input" and name and "__prefix__" not in name and a.get("type") not in {"submit", "button"}:
            if a.get("type") in {"checkbox", "radio"}:
                if "checked" in a:
                    self.data.setdefault(name, []).append(a.get("value", "on"))
            else:
                self.data[name] = a.get("value", "")
        elif tag == "select" and name and "__prefix__" not in name:
            self._select = name
            self.data.setdefault(name, [])
        elif tag == "option" and self._select and "selected" in a:
            self.data[self._select].append(a.get("value", ""))
        elif tag == "textarea" and name and "__prefix__" not in name:
            self._textarea = name
            self.data[name] = ""

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data):
        if self._textarea:
            self.data[self._textarea] += data.lstrip("\n") if not self.data[self._textarea] else data


def change_form(client, inquiry) -> dict:
    parser = _Form()
    parser.feed(client.get(change_url(inquiry)).content.decode())
    return {k: v for k, v in parser.data.items() if k != "csrfmiddlewaretoken"}


def add_row(data: dict, prefix: str, **fields):
    n = int(data[f"{prefix}-TOTAL_FORMS"])
    data[f"{prefix}-TOTAL_FORMS"] = str(n + 1)
    for key, value in fields.items():
        data[f"{prefix}-{n}-{key}"] = value


def change_url(inquiry):
    return reverse("admin:supervision_inquiry_change", args=[inquiry.pk])


def page(slug, inquiry):
    return reverse(f"admin:supervision_inquiry_{slug}", args=[inquiry.pk])


class TestRunningAnInquiryInTheAdmin:
    def test_staff_arrange_record_hold_assign_report_and_close(self, staff, meeting, unit_org, members, unit_user):
        client = client_for(staff)
        response = client.post(reverse("admin:supervision_inquiry_add"), {
            "meeting": meeting.pk, "topic": "城市更新工作情况", "organizations": [unit_org.pk], "description": ""})
        assert response.status_code == 302
        inquiry = Inquiry.objects.get()
        assert inquiry.status == S.PREPARING
        # the officials first (the questions name them as respondents)
        data = change_form(client, inquiry)
        add_row(data, "officials", number="1", name="王局长", post="区住房和城乡建设局局长", organization=str(unit_org.pk),
                is_head="on")
        assert client.post(change_url(inquiry), data).status_code == 302
        official = InquiryOfficial.objects.get()
        change = client.get(change_url(inquiry)).content.decode()
        assert f'href="{page("hold", inquiry)}" data-transition="hold"' in change
        assert client.post(page("hold", inquiry), {}).status_code == 302
        # the questions, then a follow-up to the first, an on-the-spot question and the commitment made
        data = change_form(client, inquiry)
        add_row(data, "questions", number="1", kind="question", asker=str(members[0].pk), respondent=str(official.pk),
                question="城中村改造为何滞后？", answer="年内启动三个项目。")
        add_row(data, "questions", number="2", kind="question", asker=str(members[1].pk), respondent=str(official.pk),
                question="保障房分配如何公开？", answer="全部网上公示。")
        assert client.post(change_url(inquiry), data).status_code == 302
        first = InquiryQuestion.objects.get(number=1)
        data = change_form(client, inquiry)
        add_row(data, "questions", number="3", kind="follow_up", follows=str(first.pk), asker=str(members[0].pk),
                respondent=str(official.pk), question="资金从哪里来？", answer="申请专项债。")
        add_row(data, "questions", number="4", kind="on_the_spot", asker=str(members[2].pk), respondent=str(official.pk),
                question="物业管理怎么办？", answer="出台办法。")
        add_row(data, "commitments", number="1", question=str(first.pk), organization=str(unit_org.pk),
                title="年内启动三个城中村改造项目", detail="", due_date=str(TODAY + datetime.timedelta(days=200)))
        response = client.post(change_url(inquiry), data)
        assert response.status_code == 302, response.content.decode()[-3000:]
        assert InquiryQuestion.objects.get(number=3).follows == first and inquiry.commitments.count() == 1
        # the questions in order, the follow-up indented under the question it follows
        change = client.get(change_url(inquiry)).content.decode()
        listing = change.split('id="inquiry-questions"')[1].split("</ol>")[0]
        assert listing.index('data-question="1"') < listing.index('data-question="3"') < listing.index('data-question="2"')
        assert '<ul class="inquiry-follow-ups"><li data-question="3">' in listing
        assert 'data-transition="assign"' in change
        assert client.post(page("assign", inquiry), {}).status_code == 302
        item = Rectification.objects.get()
        assert (item.organization, item.source_workflow, item.source_id) == (unit_org, "inquiry", inquiry.pk)
        # the record is closed now: shown, not editable
        assert client.post(change_url(inquiry), change_form(client, inquiry)).status_code == 403
        response = client.post(page("report", inquiry), {"text": "三个项目均已开工", "received_on": str(TODAY),
                                                          "meeting": meeting.pk, "basis": "all"})
        assert response.status_code == 302
        poll = SatisfactionPoll.objects.get()
        assert poll.source_workflow == "inquiry" and Inquiry.objects.get().status == S.POLLING
        change = client.get(change_url(inquiry)).content.decode()
        assert 'data-transition="close"' not in change and "尚未测评" in change  # not before the poll's result
        poll = services.poll_open(actor=staff, poll=poll)
        for deputy in members[:7]:
            services.poll_vote(actor=deputy.user, poll=poll, choice=C.SATISFIED)
        services.poll_close(actor=staff, poll=poll)
        change = client.get(change_url(inquiry)).content.decode()
        assert "尚未测评" not in change and 'data-transition="close"' in change
        assert client.post(page("close", inquiry), {"note": "整改到位"}).status_code == 302
        assert Inquiry.objects.get().status == S.CLOSED

    def test_a_follow_up_without_its_question_is_a_chinese_form_error(self, staff, meeting, unit_org, members):
        inquiry = services.inquiry_hold(actor=staff, inquiry=arranged(staff, meeting, unit_org))
        client = client_for(staff)
        data = change_form(client, inquiry)
        add_row(data, "questions", number="1", kind="follow_up", asker=str(members[0].pk),
                respondent=str(inquiry.officials.get().pk), question="追问", answer="")
        body = client.post(change_url(inquiry), data).content.decode()
        assert "追问须选择针对的问题" in body and not InquiryQuestion.objects.exists()

    def test_a_page_in_the_wrong_state_shows_the_refusal_and_others_are_refused(self, staff, leader, meeting, unit_org):
        inquiry = arranged(staff, meeting, unit_org)
        body = client_for(staff).get(page("close", inquiry)).content.decode()
        assert "专题询问当前为“筹备中”，不能办结" in body and "<textarea" not in body
        assert client_for(staff).post(page("close", inquiry), {"note": ""}).status_code == 200
        assert Inquiry.objects.get().status == S.PREPARING
        assert client_for(leader).get(page("hold", inquiry)).status_code == 403
        assert client_for(leader).get(change_url(inquiry)).status_code == 200  # leaders read it

    def test_an_add_page_with_a_council_meeting_is_refused_in_chinese(self, staff, term, unit_org):
        from congress.models import Meeting

        council = Meeting.objects.create(term=term, kind=Meeting.Kind.COUNCIL, number=3, date=TODAY)
        body = client_for(staff).post(reverse("admin:supervision_inquiry_add"), {
            "meeting": council.pk, "topic": "主题", "organizations": [unit_org.pk]}).content.decode()
        assert "选择一个有效的选项" in body and not Inquiry.objects.exists()


def _inquiries(staff, meeting, unit_org, members, n, start=0):
    for i in range(start, start + n):
        inquiry = services.inquiry_hold(actor=staff, inquiry=arranged(staff, meeting, unit_org, topic=f"主题{i}"))
        record(inquiry, members, unit_org)


class TestQueryCounts:
    def test_the_list_does_not_grow_with_its_rows(self, staff, meeting, unit_org, members):
        client = client_for(staff)
        url = reverse("admin:supervision_inquiry_changelist")
        _inquiries(staff, meeting, unit_org, members, 2)
        client.get(url)
        with CaptureQueriesContext(connection) as few:
            assert client.get(url).status_code == 200
        _inquiries(staff, meeting, unit_org, members, 4, start=2)
        with CaptureQueriesContext(connection) as many:
            assert client.get(url).status_code == 200
        assert len(many) == len(few)

    def test_the_change_page_does_not_grow_with_its_questions(self, staff, meeting, unit_org, members):
        client = client_for(staff)
        inquiry = services.inquiry_hold(actor=staff, inquiry=arranged(staff, meeting, unit_org))
        first = record(inquiry, members, unit_org)
        official = inquiry.officials.get()
        client.get(change_url(inquiry))
        with CaptureQueriesContext(connection) as few:
            assert client.get(change_url(inquiry)).status_code == 200
        for n in range(5, 13):
            InquiryQuestion.objects.create(inquiry=inquiry, number=n, kind="follow_up", follows=first,
                                           asker=members[n % 10], respondent=official, question=f"追问{n}", answer="答")
        with CaptureQueriesContext(connection) as many:
            assert client.get(change_url(inquiry)).status_code == 200
        assert len(many) == len(few), [q["sql"] for q in many.captured_queries][-20:]
