"""The staff side in the admin, driven through HTTP: every button calls its service, refusals change nothing,
wrong roles are refused, the lists' query counts do not grow with their rows."""
import datetime
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from conftest import client_for
from congress.models import ExportRecord, StateChange
from proposals import services
from proposals.models import Assignment, Evaluation, Suggestion
from proposals.tests.conftest import pdf

S = Suggestion.Status
pytestmark = pytest.mark.django_db


def url(name, *args):
    return reverse(f"admin:proposals_{name}", args=args)


class TestRegisterAction:
    def test_staff_register_the_selected_suggestions(self, flow, staff):
        a, b = flow.submitted(), flow.submitted(title="第二件")
        response = client_for(staff).post(url("suggestion_changelist"), {
            "action": "register_selected", "_selected_action": [a.pk, b.pk]})
        assert response.status_code == 302
        a.refresh_from_db()
        b.refresh_from_db()
        assert (a.serial, b.serial) == (1, 2) and a.status == S.REGISTERED
        assert StateChange.objects.filter(action="register").count() == 2

    def test_a_refused_one_is_reported_and_left_alone(self, flow, staff):
        done = flow.registered()
        response = client_for(staff).post(url("suggestion_changelist"), {
            "action": "register_selected", "_selected_action": [done.pk]}, follow=True)
        assert "当前为“已登记”，不能登记编号" in response.content.decode()
        done.refresh_from_db()
        assert done.serial == 1 and StateChange.objects.filter(action="register").count() == 1

    def test_staff_do_not_see_deputies_drafts(self, flow, staff):
        draft = flow.draft(title="尚未提交的草稿")
        assert draft.title not in client_for(staff).get(url("suggestion_changelist")).content.decode()

    def test_the_leader_cannot_register(self, flow, leader):
        s = flow.submitted()
        client_for(leader).post(url("suggestion_changelist"), {"action": "register_selected", "_selected_action": [s.pk]})
        s.refresh_from_db()
        assert s.status == S.SUBMITTED


BACKGROUND = [("关于加强农村饮用水安全的建议", "建议改造农村供水管网，保障饮水安全。"),
              ("关于增加社区养老服务点的建议", "建议在每个社区设立养老服务点。"),
              ("关于规范校外培训机构的建议", "建议加强对校外培训机构的监管。"),
              ("关于治理城区噪声污染的建议", "建议加强夜间施工噪声管理。")]


class TestIntermediatePages:
    def test_return_with_a_reason(self, flow, staff):
        s = flow.submitted()
        client = client_for(staff)
        assert client.get(url("suggestion_return", s.pk)).status_code == 200
        response = client.post(url("suggestion_return", s.pk), {"reason": "属于个人诉求"})
        assert response.status_code == 302
        s.refresh_from_db()
        assert s.status == S.RETURNED and StateChange.objects.get(action="return").actor == staff

    def test_a_refusal_is_shown_on_the_form_and_nothing_changes(self, flow, staff, unit_org):
        s, _ = flow.assigned(unit_org)
        response = client_for(staff).post(url("suggestion_return", s.pk), {"reason": "x"})
        assert response.status_code == 200 and "当前为“已交办”，不能退回" in response.content.decode()
        s.refresh_from_db()
        assert s.status == S.ASSIGNED

    def test_assign_with_lead_and_assisting_units(self, flow, staff, unit_org, unit2):
        s = flow.registered()
        client = client_for(staff)
        page = client.get(url("suggestion_assign", s.pk)).content.decode()
        assert "admin-autocomplete" in page
        response = client.post(url("suggestion_assign", s.pk), {"lead": unit_org.pk, "assisting": [unit2.pk],
                                                                "assigned_on": "2026-09-03"})
        assert response.status_code == 302
        s.refresh_from_db()
        assert s.status == S.ASSIGNED
        assert set(s.assignments.values_list("unit__name", "role")) == {(unit_org.name, "lead"), (unit2.name, "assisting")}

    def test_merge_suggests_the_most_similar_one(self, flow, staff):
        target = flow.registered()
        for title, content in BACKGROUND:  # a term has many suggestions: rare shared words weigh more than common ones
            flow.registered(title=title, content=content)
        other = flow.submitted(title="关于老旧小区加装电梯补贴的建议", content="建议提高老旧小区加装电梯补贴。")
        client = client_for(staff)
        page = client.get(url("suggestion_merge", other.pk)).content.decode()
        assert "内容相近的建议" in page and target.number in page
        assert f'<option value="{target.pk}" selected>' in page  # similar enough to be pre-selected
        page = client.post(url("suggestion_merge", other.pk), {"into": target.pk}).content.decode()
        other.refresh_from_db()
        assert other.status == S.SUBMITTED  # the first submit only asks for the confirmation, naming both titles
        assert f"请确认：将《{other.title}》并入《{target.title}》办理" in page
        assert f'name="confirmed" value="{target.pk}"' in page
        client.post(url("suggestion_merge", other.pk), {"into": target.pk, "confirmed": target.pk})
        other.refresh_from_db()
        assert other.status == S.MERGED and other.merged_into == target

    def test_an_unrelated_suggestion_is_not_pre_selected_and_a_changed_choice_is_confirmed_again(self, flow, staff):
        for title, content in BACKGROUND:
            flow.registered(title=title, content=content)
        bus = flow.registered(title="关于优化公交线路的建议", content="建议增开连接新城区和火车站的公交线路。")
        other_target = flow.registered(title="关于增设小区充电桩的建议", content="建议在老旧小区增设充电设施。")
        charging = flow.submitted(title="关于增设电动汽车充电桩的建议", content="新能源汽车越来越多，充电桩不足。")
        client = client_for(staff)
        page = client.get(url("suggestion_merge", charging.pk)).content.decode()
        assert f'<option value="{bus.pk}" selected>' not in page
        # confirmed for one target, then another chosen: asked again, nothing merged
        page = client.post(url("suggestion_merge", charging.pk), {"into": other_target.pk, "confirmed": bus.pk}).content.decode()
        charging.refresh_from_db()
        assert charging.status == S.SUBMITTED and f"并入《{other_target.title}》" in page

    def test_the_change_page_of_a_submitted_one_shows_the_terms_similar_suggestions(self, flow, staff):
        target = flow.registered(title="关于老旧小区加装电梯的建议", content="建议加快老旧小区加装电梯，提高补贴。")
        unrelated = flow.registered(title="关于加强农村饮用水安全的建议", content="建议改造农村供水管网。")
        new = flow.submitted(title="关于老旧小区加装电梯补贴的建议", content="建议提高加装电梯补贴。")
        page = client_for(staff).get(url("suggestion_change", new.pk)).content.decode()
        rows = page.split('id="similar-suggestions"')[1].split("</table>")[0].split("<tr>")[1:]
        assert target.title in rows[0]  # the most similar first
        assert all(unrelated.title not in row for row in rows[:1])

    def test_priority_supervision_and_an_on_site_event(self, flow, staff, unit_org, working_body):
        s, _ = flow.assigned(unit_org)
        client = client_for(staff)
        client.post(url("suggestion_priority", s.pk), {"supervising_leader": "李主任", "government_official": "王副区长",
                                                       "supervising_body": working_body.pk})
        client.post(url("suggestion_supervise", s.pk), {"date": "2026-06-01", "description": "现场察看"})
        s.refresh_from_db()
        assert s.is_priority and s.supervision_events.count() == 1

    def test_a_paper_evaluation(self, flow, staff, unit_org, unit_user, lead):
        s, a, reply = flow.replied(unit_org, unit_user)
        response = client_for(staff).post(url("suggestion_evaluate", s.pk), {
            "reply": reply.pk, "deputy": lead.pk, "rating": "basically", "comment": "纸质表"})
        assert response.status_code == 302
        assert Evaluation.objects.get().source == "paper"

    def test_extension_and_send_back_decision_on_the_assignment(self, flow, staff, unit_org, unit_user):
        s, [a] = flow.assigned(unit_org, assigned_on=datetime.date(2026, 9, 3))
        client = client_for(staff)
        client.post(url("assignment_extend", a.pk), {"months": 1, "reason": "需要协调"})
        a.refresh_from_db()
        assert a.extended_due_date == datetime.date(2027, 1, 4)  # 3 Jan 2027 is a Sunday
        s2, [b] = flow.assigned(unit_org, title="另一件")
        services.assignment_request_send_back(actor=unit_user, assignment=b, reason="不属于本单位")
        assert client.get(url("assignment_send_back", b.pk)).status_code == 200
        client.post(url("assignment_send_back", b.pk), {"decision": "reject", "note": "属于本单位职责"})
        b.refresh_from_db()
        assert b.status == Assignment.Status.ASSIGNED

    def test_the_extension_form_allows_only_the_months_left_under_the_rule(self, flow, staff, unit_org):
        """The form allowed 12 months while the rule (MAX_EXTENSION_MONTHS) allows 3 in all."""
        s, [a] = flow.assigned(unit_org, assigned_on=datetime.date(2026, 9, 3))
        client = client_for(staff)
        page = client.get(url("assignment_extend", a.pk)).content.decode()
        assert 'max="3"' in page and "本件最多还可延期3个月" in page
        page = client.post(url("assignment_extend", a.pk), {"months": 12, "reason": "需要协调"}).content.decode()
        assert "最多还可延期3个月" in page
        a.refresh_from_db()
        assert a.extended_due_date is None
        client.post(url("assignment_extend", a.pk), {"months": 2, "reason": "需要协调"})
        page = client.get(url("assignment_extend", a.pk)).content.decode()
        assert 'max="1"' in page and "本件最多还可延期1个月" in page

    def test_other_roles_are_refused(self, flow, leader, town_staff, unit_user):
        s = flow.submitted()
        assert client_for(leader).get(url("suggestion_return", s.pk)).status_code == 403
        assert client_for(town_staff).post(url("suggestion_return", s.pk), {"reason": "x"}).status_code == 403
        assert client_for(unit_user).get(url("suggestion_return", s.pk)).status_code == 302  # to the login
        s.refresh_from_db()
        assert s.status == S.SUBMITTED


class TestPublishAction:
    def test_staff_publish_replies(self, flow, staff, unit_org, unit_user):
        s, a, reply = flow.replied(unit_org, unit_user)
        client_for(staff).post(url("reply_changelist"), {"action": "publish_selected", "_selected_action": [reply.pk]})
        reply.refresh_from_db()
        assert reply.published_at is not None


class TestRatesAndExport:
    def test_the_rates_page_per_unit_and_per_session(self, flow, staff, leader, unit_org, unit_user, town_staff):
        flow.replied(unit_org, unit_user)
        body = client_for(staff).get(url("suggestion_rates")).content.decode()
        assert unit_org.name in body and "按期答复率" in body and "100.0%（1/1）" in body
        body = client_for(leader).get(url("suggestion_rates") + "?by=batch").content.decode()
        assert "区十七届人大二次会议" in body
        assert client_for(town_staff).get(url("suggestion_rates")).status_code == 403

    def test_the_rates_are_kept_for_minutes_per_grouping_and_say_when_they_were_taken(self, settings, flow, staff,
                                                                                       unit_org, unit_user):
        from congress.lib import statcache

        settings.STATS_CACHE_SECONDS = 300
        statcache.clear()
        client = client_for(staff)
        body = client.get(url("suggestion_rates")).content.decode()
        assert "暂无数据" in body and "（每 5 分钟更新）" in body
        flow.replied(unit_org, unit_user)
        assert "暂无数据" in client.get(url("suggestion_rates")).content.decode()  # kept: the reply is not counted yet
        assert "区十七届人大二次会议" in client.get(url("suggestion_rates") + "?by=batch").content.decode()  # its own
        statcache.clear()
        assert "100.0%（1/1）" in client.get(url("suggestion_rates")).content.decode()

    def test_batches_are_listed_newest_first_by_date(self, staff, deputy_user, lead, term):
        """The rates page listed batches as 三次, 二次, 一次, 六次, 五次, 四次 (sorted as text)."""
        import datetime

        from congress.models import CongressSession

        for number in (1, 2, 3, 4, 5, 6, 10):
            session = CongressSession.objects.create(term=term, number=number, start_date=datetime.date(2019 + number, 1, 6),
                                                     end_date=datetime.date(2019 + number, 1, 9))
            s = services.suggestion_create(actor=deputy_user, title=f"第{number}次会议期间的建议", content="内容",
                                           session=session)
            services.suggestion_submit(actor=deputy_user, suggestion=s)
        body = client_for(staff).get(url("suggestion_rates")).content.decode()
        order = [body.index(f"区十七届人大{n}次会议") for n in ("十", "六", "五", "四", "三", "二", "一")]
        assert order == sorted(order)

    def test_the_assignment_list_is_an_excel_file_and_logged(self, flow, staff, unit_org, unit2):
        from openpyxl import load_workbook

        s, _ = flow.assigned(unit_org, assisting=[unit2])
        response = client_for(staff).get(url("suggestion_assignment_list") + f"?batch={s.batch_key}")
        from urllib.parse import unquote

        assert response.status_code == 200 and "交办清单" in unquote(response["Content-Disposition"])
        sheet = load_workbook(io.BytesIO(response.content)).active
        assert sheet["A1"].value == "区十七届人大二次会议代表建议交办清单"
        assert [c.value for c in sheet[3]][:3] == [s.number, s.title, "周代表"]
        assert sheet["F3"].value == unit_org.name and sheet["G3"].value == unit2.name
        assert ExportRecord.objects.get().row_count == 1


class TestImport:
    def _xlsx(self, rows):
        from openpyxl import Workbook

        book = Workbook()
        sheet = book.active
        sheet.append(["标题", "内容", "分类", "领衔代表", "附议代表", "人代会会议"])
        for row in rows:
            sheet.append(row)
        out = io.BytesIO()
        book.save(out)
        out.seek(0)
        out.name = "建议.xlsx"
        return out

    def _serving(self, deputy, term):
        from deputies.models import Mandate

        Mandate.objects.create(deputy=deputy, level=Mandate.Level.DISTRICT, term=term, start_date=term.start_date)

    def test_a_sessions_spreadsheet_becomes_submitted_suggestions(self, staff, lead, cosigner, session, term, category):
        from import_export.formats.base_formats import XLSX

        self._serving(lead, term)
        self._serving(cosigner, term)
        client = client_for(staff)
        fmt = [i for i, f in enumerate(client.get(url("suggestion_import")).context["form"].fields["format"].choices)
               if "xlsx" in str(f[1]).lower()]
        response = client.post(url("suggestion_import"), {
            "import_file": self._xlsx([["关于增设公交站点的建议", "内容", "城乡建设", "周代表", "吴代表", str(session)]]),
            "format": fmt[0] - 1 if fmt[0] else 0})
        assert response.status_code == 200, response.content.decode()[:500]
        assert not Suggestion.objects.exists()  # the preview writes nothing
        confirm = response.context["confirm_form"]
        client.post(url("suggestion_process_import"), {**confirm.initial})
        s = Suggestion.objects.get()
        assert s.status == S.SUBMITTED and s.session == session and s.cosignatures.get().deputy == cosigner
        assert XLSX

    def test_one_bad_row_imports_nothing(self, staff, lead, session, term):
        self._serving(lead, term)
        client = client_for(staff)
        response = client.post(url("suggestion_import"), {
            "import_file": self._xlsx([["标题", "内容", "", "周代表", "", str(session)],
                                       ["标题", "内容", "", "不存在的代表", "", str(session)]]),
            "format": 0})
        assert "第3行" in response.content.decode()
        assert not Suggestion.objects.exists()


def _measure(client, name):
    address = reverse(f"admin:{name}") if name.startswith("congress_") else url(name)
    client.get(address)
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(address).status_code == 200
    return len(ctx.captured_queries)


LISTS = ["suggestion_changelist", "assignment_changelist", "reply_changelist", "evaluation_changelist",
         "congress_statechange_changelist", "proposal_changelist"]


def test_change_lists_do_not_grow_with_rows(flow, staff, unit_org, unit2, unit_user, deputy_user, session, town_a):
    client = client_for(staff)

    made = iter(range(100))

    def add(n):
        for _ in range(n):
            i = next(made)
            s, a, reply = flow.replied(unit_org, unit_user, title=f"建议{i}")
            services.evaluation_submit(actor=deputy_user, reply=reply, rating="satisfied")
            services.proposal_register(actor=staff, session=session, title=f"议案{i}", content="c",
                                       signers=[flow.lead] + _deputies(town_a, i))
    add(1)
    small = {name: _measure(client, name) for name in LISTS}
    add(3)
    assert {name: _measure(client, name) for name in LISTS} == small


def _deputies(town, offset):
    from proposals.tests.conftest import make_deputy

    return [make_deputy(f"联名{offset}-{k}", town, 200 + offset * 10 + k) for k in range(9)]


def test_a_reply_letter_is_a_pdf():
    assert pdf().read(5) == b"%PDF-"


class TestProposalAdmin:
    def test_staff_register_a_proposal_and_the_presidium_decides(self, staff, session, town_a):
        from proposals.models import Proposal

        signers = _deputies(town_a, 50) + [_deputies(town_a, 51)[0]]
        client = client_for(staff)
        response = client.post(url("proposal_add"), {"session": session.pk, "title": "关于制定养老服务条例的议案",
                                                     "content": "内容", "signers": [d.pk for d in signers]})
        assert response.status_code == 302
        p = Proposal.objects.get()
        assert p.serial == 1 and p.signers.count() == 10
        client.post(url("proposal_changelist"), {"action": "place_on_agenda", "_selected_action": [p.pk]})
        p.refresh_from_db()
        assert p.status == "on_agenda" and p.supervision_until

    def test_too_few_signers_are_refused_on_the_form(self, staff, session, town_a):
        from proposals.models import Proposal

        response = client_for(staff).post(url("proposal_add"), {
            "session": session.pk, "title": "t", "content": "c", "signers": [d.pk for d in _deputies(town_a, 60)]})
        assert response.status_code == 200 and "10名以上代表联名" in response.content.decode()
        assert not Proposal.objects.exists()


class TestTownReview:
    def _presubmitted(self, flow, deputy_user):
        s = flow.draft()
        services.suggestion_submit(actor=deputy_user, suggestion=s, presubmit=True)
        return s

    def test_town_staff_return_a_presubmission_with_comments(self, flow, deputy_user, town_staff, next_session):
        s = self._presubmitted(flow, deputy_user)
        client = client_for(town_staff)
        assert s.title in client.get(url("suggestion_changelist")).content.decode()
        assert client.get(url("suggestion_town_review", s.pk)).status_code == 200
        client.post(url("suggestion_town_review", s.pk), {"decision": "return", "comment": "请补充小区名称"})
        s.refresh_from_db()
        assert s.status == S.TOWN_RETURNED and s.town_comment == "请补充小区名称"

    def test_another_towns_staff_do_not_see_it(self, flow, deputy_user, other_town_staff, staff, next_session):
        s = self._presubmitted(flow, deputy_user)
        client = client_for(other_town_staff)
        assert s.title not in client.get(url("suggestion_changelist")).content.decode()
        assert client.post(url("suggestion_town_review", s.pk), {"decision": "forward"}).status_code == 404
        assert client_for(staff).get(url("suggestion_town_review", s.pk)).status_code == 403
        s.refresh_from_db()
        assert s.status == S.PRESUBMITTED

    def test_the_town_list_does_not_grow_with_rows(self, flow, deputy_user, town_staff, next_session):
        client = client_for(town_staff)
        self._presubmitted(flow, deputy_user)
        small = _measure(client, "suggestion_changelist")
        for _ in range(3):
            self._presubmitted(flow, deputy_user)
        assert _measure(client, "suggestion_changelist") == small


class TestNoDeleteOffered:
    """Staff were offered 删除 on suggestions where deletion was then refused: records of the work are not deleted."""

    def test_no_delete_link_nor_bulk_delete_on_suggestions_and_replies(self, flow, staff, unit_org, unit_user):
        s, a, reply = flow.replied(unit_org, unit_user)
        client = client_for(staff)
        change = client.get(url("suggestion_change", s.pk)).content.decode()
        assert url("suggestion_delete", s.pk) not in change and 'class="deletelink"' not in change
        changelist = client.get(url("suggestion_changelist")).content.decode()
        assert 'value="delete_selected"' not in changelist
        assert client.post(url("suggestion_delete", s.pk), {"post": "yes"}).status_code == 403
        assert client.get(url("reply_change", reply.pk)).status_code == 200
        assert 'value="delete_selected"' not in client.get(url("reply_changelist")).content.decode()
        assert type(s).objects.filter(pk=s.pk).exists()


def test_the_suggestion_lists_rows_join_only_the_lead_deputy_and_show_the_same(flow, staff, unit_org, unit2, category,
                                                                                 monkeypatch):
    import re

    from congress.lib.admin import CongressModelAdmin
    from proposals.admin import SuggestionAdmin

    flow.assigned(unit_org, assisting=[unit2])
    flow.registered(title="第二件")
    flow.submitted(title="第三件")
    client = client_for(staff)

    def page():
        with CaptureQueriesContext(connection) as ctx:
            html = client.get(url("suggestion_changelist")).content.decode()
        return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", html), ctx.captured_queries

    trimmed, queries = page()
    (rows,) = [q["sql"] for q in queries if q["sql"].startswith('SELECT "proposals_suggestion"."id"')]
    assert 'JOIN "deputies_deputy"' in rows
    assert not any(f'JOIN "{table}"' in rows for table in ("congress_term", "congress_congresssession",
                                                            "proposals_suggestioncategory", "congress_organization"))
    monkeypatch.setattr(SuggestionAdmin, "get_changelist_rows", CongressModelAdmin.get_changelist_rows)
    joined, queries = page()
    assert trimmed == joined and "第三件" in trimmed and unit2.name in trimmed


def test_the_units_column_names_each_role_as_get_role_display_does(flow, staff, unit_org, unit2):
    from proposals.admin import SuggestionAdmin

    for role in Assignment.Role:
        assert SuggestionAdmin.ROLE_SHORT[role.value] == Assignment(role=role).get_role_display()[:2]
    assert set(SuggestionAdmin.ROLE_SHORT.values()) == {"主办", "协办", "分办"}
    flow.assigned(unit_org, assisting=[unit2])
    page = client_for(staff).get(url("suggestion_changelist")).content.decode()
    lead, assisting = (unit.short_name or unit.name for unit in (unit_org, unit2))
    assert f"<td>{assisting}（协办）、{lead}（主办）</td>" in page
