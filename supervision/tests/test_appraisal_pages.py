"""工作评议 through the pages people use: staff set the year's aspects (weights summing to 100, in Chinese when they
do not; locked once scored), create an appraisal and move it through its phases on the workflow's pages; the
department submits its self-inspection report in the unit workspace; the ranking page and its Excel export; lists
whose query count does not grow with their rows."""
import datetime
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from conftest import client_for
from congress.models import ExportRecord, Meeting
from supervision import services
from supervision.models import Appraisal, AppraisalAspect, AppraisalScheme, SatisfactionPoll
from supervision.tests.appraisal_helpers import YEAR, A, C, appraisal_in, make_department, make_scheme, score

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def page(name, obj):
    return reverse(f"admin:supervision_appraisal_{name}", args=[obj.pk])


def scheme_form(year, rows, **extra):
    data = {"year": year, "note": "", "aspects-TOTAL_FORMS": len(rows), "aspects-INITIAL_FORMS": 0,
            "aspects-MIN_NUM_FORMS": 0, "aspects-MAX_NUM_FORMS": 1000}
    for i, (name, weight) in enumerate(rows):
        data.update({f"aspects-{i}-name": name, f"aspects-{i}-weight": weight, f"aspects-{i}-order": i + 1})
    return data | extra


class TestTheYearsAspects:
    def test_weights_must_sum_to_100(self, staff):
        client = client_for(staff)
        url = reverse("admin:supervision_appraisalscheme_add")
        response = client.post(url, scheme_form(YEAR, [("问卷调查", 30), ("满意度测评", 50), ("整改落实", 10)]))
        assert response.status_code == 200 and "各测评项目的权重合计须为100%（现为90%）" in response.content.decode()
        assert not AppraisalScheme.objects.exists()
        response = client.post(url, scheme_form(YEAR, [("问卷调查", 30), ("满意度测评", 50), ("整改落实", 20)]))
        assert response.status_code == 302
        assert list(AppraisalAspect.objects.values_list("name", "weight")) == [("问卷调查", 30), ("满意度测评", 50),
                                                                                ("整改落实", 20)]

    def test_a_scored_years_aspects_are_locked(self, staff, term, unit_org):
        scheme = make_scheme()
        change = reverse("admin:supervision_appraisalscheme_change", args=[scheme.pk])
        assert 'name="aspects-0-weight"' in client_for(staff).get(change).content.decode()
        score(services.appraisal_create(actor=staff, term=term, year=YEAR, organization=unit_org), 80, 80, 80)
        body = client_for(staff).get(change).content.decode()
        assert 'name="aspects-0-weight"' not in body and "问卷调查" in body
        delete = client_for(staff).get(reverse("admin:supervision_appraisalscheme_delete", args=[scheme.pk]))
        assert delete.status_code == 403


class TestRunningAnAppraisalInTheAdmin:
    def test_staff_take_it_through_its_phases_and_the_department_reports_in_its_workspace(
            self, staff, term, unit_org, unit_user, members):
        scheme = make_scheme()
        client = client_for(staff)
        response = client.post(reverse("admin:supervision_appraisal_add"), {
            "term": term.pk, "year": YEAR, "organization": unit_org.pk, "kind": "special", "subject": ""})
        assert "专项评议须写明所评议的工作" in response.content.decode()
        response = client.post(reverse("admin:supervision_appraisal_add"), {
            "term": term.pk, "year": YEAR, "organization": unit_org.pk, "kind": "comprehensive", "subject": ""})
        assert response.status_code == 302
        a = Appraisal.objects.get()
        change = client.get(reverse("admin:supervision_appraisal_change", args=[a.pk])).content.decode()
        assert f'href="{page("survey", a)}" data-transition="survey"' in change
        assert client.post(page("survey", a), {"note": "召开动员会"}).status_code == 302
        response = client.post(page("questionnaire", a), {"respondents": "voters", "sent": 100, "returned": 120,
                                                          "score": "80", "note": ""})
        assert "收回份数（120）不能多于发出份数（100）" in response.content.decode()
        assert client.post(page("questionnaire", a), {"respondents": "voters", "sent": 100, "returned": 90,
                                                      "score": "80", "note": ""}).status_code == 302
        assert client.post(page("self_check", a), {"note": ""}).status_code == 302
        # the department, in its workspace
        unit = client_for(unit_user)
        listing = unit.get(reverse("supervision_appraisal_unit:list")).content.decode()
        assert reverse("supervision_appraisal_unit:detail", args=[a.pk]) in listing
        detail = reverse("supervision_appraisal_unit:detail", args=[a.pk])
        assert 'data-transition="report_self_check"' in unit.get(detail).content.decode()
        assert unit.post(detail, {"report": "自查发现审批时限过长、信息公开不全等问题。"}).status_code == 302
        a.refresh_from_db()
        assert a.self_check_at is not None and "自查发现审批时限过长" in unit.get(detail).content.decode()
        # the meeting and its poll
        meeting = Meeting.objects.create(term=term, kind=Meeting.Kind.STANDING, number=41, date=datetime.date.today())
        assert client.post(page("convene", a), {"meeting": meeting.pk, "basis": "all", "members_weight": 100,
                                                "deputies_weight": 0, "public_weight": 0,
                                                "public_eligible": 0}).status_code == 302
        a.refresh_from_db()
        assert a.status == A.MEETING and a.poll.status == SatisfactionPoll.Status.DRAFT
        # the department no longer changes its report
        assert 'data-transition="report_self_check"' not in unit.get(detail).content.decode()
        refused = unit.post(detail, {"report": "改过的自查报告，足够长的内容。"}, follow=True).content.decode()
        assert "不能提交自查报告" in refused
        assert "改过的" not in Appraisal.objects.get().self_check_report
        conclude = client.get(page("conclude", a)).content.decode()
        assert "满意度测评尚未结束投票" in conclude
        poll = services.poll_open(actor=staff, poll=a.poll)
        for deputy in members[:7]:
            services.poll_vote(actor=deputy.user, poll=poll, choice=C.SATISFIED)
        services.poll_close(actor=staff, poll=poll)
        assert client.post(page("conclude", a), {"opinion": "审批服务效率有待提高"}).status_code == 302
        assign = client.get(page("assign", a)).content.decode()
        assert services.appraisals.rectification_due().isoformat() in assign  # the period offered
        assert client.post(page("assign", a), {"title": "压缩审批时限", "description": "",
                                               "due_date": services.appraisals.rectification_due().isoformat()}).status_code == 302
        assert client.post(page("review", a), {"note": ""}).status_code == 302
        aspects = list(scheme.aspects.order_by("order"))
        response = client.post(page("scores", a), {f"aspect_{aspects[0].pk}": "101", f"aspect_{aspects[1].pk}": "90",
                                                   f"aspect_{aspects[2].pk}": "80"})
        assert response.status_code == 200 and not a.scores.exists()
        assert client.post(page("scores", a), {f"aspect_{aspects[0].pk}": "84.5", f"aspect_{aspects[1].pk}": "90",
                                               f"aspect_{aspects[2].pk}": "80"}).status_code == 302
        change = client.get(reverse("admin:supervision_appraisal_change", args=[a.pk])).content.decode()
        assert "86.35（良好）" in change  # 25.35 + 45 + 16
        assert "还有1项整改事项未验收" in client.get(page("close", a)).content.decode()
        # the item in the department's workspace, from the appraisal's page
        assert "压缩审批时限" in unit.get(detail).content.decode()

    def test_another_department_does_not_find_it(self, staff, term, unit_org, other_unit_user):
        make_scheme()
        a = appraisal_in(A.SELF_CHECK, staff=staff, term=term, organization=unit_org)
        other = client_for(other_unit_user)
        assert other.get(reverse("supervision_appraisal_unit:detail", args=[a.pk])).status_code == 404
        assert other.post(reverse("supervision_appraisal_unit:detail", args=[a.pk]),
                          {"report": "冒充别的部门提交的报告内容"}).status_code == 404
        assert str(a) not in other.get(reverse("supervision_appraisal_unit:list")).content.decode()


def _ranked_year(staff, term, n, start=0):
    for i in range(start, start + n):
        a = services.appraisal_create(actor=staff, term=term, year=YEAR, organization=make_department(f"部门{i:02d}", i))
        score(a, 80 + i, 70 + i, 90)


class TestTheRanking:
    def test_the_page_and_the_workbook_show_the_same_ranking(self, staff, leader, term):
        make_scheme()
        for name, values in [("区住建局", (90, 80, 100)), ("区教育局", (80, 90, 90)), ("区交通局", (95, 92, 90)),
                             ("区水务局", ("70.05", 80, 90))]:
            score(services.appraisal_create(actor=staff, term=term, year=YEAR, organization=make_department(name)), *values)
        body = client_for(leader).get(reverse("admin:supervision_appraisal_ranking") + f"?year={YEAR}").content.decode()
        table = body.split('id="ranking"')[1]
        assert table.index("区交通局") < table.index("区住建局") < table.index("区教育局") < table.index("区水务局")
        assert "92.50" in table and "79.02" in table
        assert "本届（第17届）已评议政府部门 <strong>0</strong> 个，现有政府部门 4 个" in body  # none has its result yet
        response = client_for(leader).get(reverse("admin:supervision_appraisal_ranking_export") + f"?year={YEAR}")
        assert response.status_code == 200 and response["Content-Type"].startswith("application/vnd.openxmlformats")
        sheet = load_workbook(io.BytesIO(response.content)).active
        rows = [[c.value for c in row] for row in sheet.iter_rows()]
        assert rows[0] == ["名次", "单位", "问卷调查", "满意度测评", "整改落实", "总分", "等次"]
        assert rows[1:] == [[1, "区交通局", 95, 92, 90, 92.5, "优秀"], [2, "区住建局", 90, 80, 100, 87, "良好"],
                            [2, "区教育局", 80, 90, 90, 87, "良好"], [4, "区水务局", 70.05, 80, 90, 79.02, "合格"]]
        assert ExportRecord.objects.filter(user=leader, model_label="supervision.appraisal", row_count=4).exists()

    def test_a_bad_year_shows_the_latest(self, staff, term):
        make_scheme()
        _ranked_year(staff, term, 1)
        body = client_for(staff).get(reverse("admin:supervision_appraisal_ranking") + "?year=abc").content.decode()
        assert f"{YEAR}年度工作评议排名" in body and "部门00" in body

    def test_the_ranking_page_and_its_export_do_not_grow_in_queries(self, staff, term):
        make_scheme()
        client = client_for(staff)
        urls = [reverse("admin:supervision_appraisal_ranking"), reverse("admin:supervision_appraisal_ranking_export"),
                reverse("admin:supervision_appraisal_changelist")]
        _ranked_year(staff, term, 2)
        few = {}
        for url in urls:
            client.get(url)
            with CaptureQueriesContext(connection) as q:
                assert client.get(url).status_code == 200
            few[url] = len(q)
        _ranked_year(staff, term, 4, start=2)
        for url in urls:
            with CaptureQueriesContext(connection) as q:
                assert client.get(url).status_code == 200
            assert len(q) == few[url], url


def test_the_units_list_does_not_grow_in_queries(staff, term, unit_org, unit_user):
    client = client_for(unit_user)
    for year in (2020, 2021):
        services.appraisal_create(actor=staff, term=term, year=year, organization=unit_org)
    client.get(reverse("supervision_appraisal_unit:list"))
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("supervision_appraisal_unit:list"))
    for year in range(2022, 2026):
        services.appraisal_create(actor=staff, term=term, year=year, organization=unit_org)
    with CaptureQueriesContext(connection) as many:
        body = client.get(reverse("supervision_appraisal_unit:list")).content.decode()
    assert body.count("综合评议") == 6 and len(few) == len(many)

