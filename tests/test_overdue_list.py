"""The leaders' list of overdue items (逾期事项, /dashboard/overdue/): suggestions' assignments past their current deadline,
rectification items past their due date and review opinions whose handling report is late, the longest overdue first, by
organ, paged; for leaders and committee
staff only; its queries do not grow with its rows."""
import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from conftest import client_for
from congress.models import CongressSession, Organization
from deputies.models import Deputy
from proposals.models import Assignment, Suggestion
from supervision import services
from supervision.models import Rectification
from tests.sample import sample_id_number

pytestmark = pytest.mark.django_db
TODAY = datetime.date.today()
URL = "/dashboard/overdue/"


def ago(days: int) -> datetime.date:
    return TODAY - datetime.timedelta(days=days)


@pytest.fixture
def world(term, town_a):
    session = CongressSession.objects.create(term=term, number=2, start_date=ago(200), end_date=ago(196))
    deputy = Deputy.objects.create(full_name="周代表", gender="M", id_number=sample_id_number(960), town=town_a)
    return {"session": session, "deputy": deputy, "n": 0}


def late_assignment(world, unit, days: int, *, title="关于整治违章停车的建议", extended=None, **fields):
    world["n"] += 1
    s = Suggestion.objects.create(term=world["session"].term, session=world["session"], title=title, content="内容",
                                  lead_deputy=world["deputy"], status=Suggestion.Status.ASSIGNED,
                                  number=f"第{world['n']:03d}号")
    return Assignment.objects.create(suggestion=s, unit=unit, role=Assignment.Role.LEAD, assigned_on=ago(days + 90),
                                     due_date=ago(days), extended_due_date=extended, send_back_until=ago(days + 85),
                                     **fields)


def late_rectification(staff, org, days: int, *, title="整改老旧小区路灯不亮问题"):
    item = services.rectification_create(actor=staff, organization=org, title=title, due_date=TODAY + datetime.timedelta(days=5),
                                         source_label="审议意见")
    Rectification.objects.filter(pk=item.pk).update(due_date=ago(days))
    return item


@pytest.fixture
def other_org(db):
    return Organization.objects.create(name="区交通运输局", kind=Organization.Kind.DEPARTMENT, is_handling_unit=True)


def rows(page) -> list[tuple]:
    return [(r.kind, r.title, r.days_overdue) for r in page.context["rows"]]


class TestTheList:
    def test_both_kinds_the_longest_overdue_first_and_nothing_that_is_not_overdue(self, staff, world, unit_org,
                                                                                  other_org, unit_user):
        late_assignment(world, unit_org, 10, title="关于增设公交线路的建议")
        late_assignment(world, other_org, 40, title="关于延长路灯时间的建议", extended=ago(3))  # extended: 3 days late
        late_assignment(world, unit_org, 30, title="已答复的建议", status=Assignment.Status.REPLIED)
        late_assignment(world, unit_org, -5, title="未到期的建议")
        late_rectification(staff, other_org, 20)
        late_rectification(staff, unit_org, 2, title="已报告完成的整改")
        done = late_rectification(staff, unit_org, 50, title="已验收的整改")
        Rectification.objects.filter(pk=done.pk).update(status=Rectification.Status.ACCEPTED)
        services.rectification_create(actor=staff, organization=unit_org, title="未到期的整改",
                                      due_date=TODAY + datetime.timedelta(days=9))
        page = client_for(staff).get(URL)
        assert page.status_code == 200
        assert rows(page) == [("整改事项", "整改老旧小区路灯不亮问题", 20), ("代表建议", "关于增设公交线路的建议", 10),
                              ("代表建议", "关于延长路灯时间的建议", 3), ("整改事项", "已报告完成的整改", 2)]
        html = page.content.decode()
        assert "第001号 · 主办 · 待答复" in html and "审议意见 · 整改中" in html
        assert "未到期" not in html and "已答复" not in html and "已验收" not in html
        assert 'id="overdue-total">4<' in html

    def test_filtered_by_organ_with_each_organs_count(self, staff, world, unit_org, other_org):
        late_assignment(world, unit_org, 10)
        late_rectification(staff, other_org, 20)
        late_rectification(staff, other_org, 5, title="整改噪声扰民问题")
        page = client_for(staff).get(URL)
        assert [(name, n) for _, name, n in page.context["organs"]] == [("区交通运输局", 2), (unit_org.name, 1)]
        filtered = client_for(staff).get(URL, {"organization": other_org.pk})
        assert rows(filtered) == [("整改事项", "整改老旧小区路灯不亮问题", 20), ("整改事项", "整改噪声扰民问题", 5)]
        assert f'<option value="{other_org.pk}" selected>' in filtered.content.decode()
        for bad in ("abc", "-1", "99999999", "1" * 40):  # nonsense shows the whole list, never a 500
            assert len(rows(client_for(staff).get(URL, {"organization": bad}))) == 3

    def test_paged_thirty_to_a_page_in_due_date_order(self, staff, world, unit_org):
        for i in range(31):
            late_rectification(staff, unit_org, 100 - i, title=f"整改事项{i:02d}")
        client = client_for(staff)
        first, second = client.get(URL), client.get(URL, {"page": 2})
        assert len(rows(first)) == 30 and rows(first)[0][2] == 100
        assert rows(second) == [("整改事项", "整改事项30", 70)]
        assert "1 / 2" in first.content.decode() and 'href="?page=2">下一页' in first.content.decode()

    def test_nothing_overdue(self, leader):
        html = client_for(leader).get(URL).content.decode()
        assert "没有逾期事项" in html and 'id="overdue-total">0<' in html


class TestWhoMaySeeIt:
    def test_leaders_and_committee_staff_see_it_and_the_link_on_the_admin_index(self, staff, leader, world, unit_org):
        late_assignment(world, unit_org, 4)
        for user in (staff, leader):
            assert client_for(user).get(URL).status_code == 200
            index = client_for(user).get("/admin/").content.decode()
            assert f'href="{reverse("congress:overdue")}"' in index and "<strong>1</strong> 件" in index

    def test_everyone_else_is_refused_in_chinese(self, town_staff, unit_user, deputy_user, outsider, audit_admin):
        for user in (town_staff, unit_user, deputy_user, outsider, audit_admin):
            page = client_for(user).get(URL)
            assert page.status_code == 403, user
            assert "只有领导和常委会机关工作人员可以查看逾期事项" in page.content.decode()
        assert 'id="overdue-link"' not in client_for(town_staff).get("/admin/").content.decode()

    def test_anonymous_goes_to_the_login_page(self, client):
        assert client.get(URL).status_code == 302


def _count(client) -> int:
    client.get(URL)
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(URL).status_code == 200
    return len(ctx.captured_queries)


def test_the_list_and_the_admin_index_do_not_grow_with_their_rows(staff, world, unit_org, other_org):
    def add(n):
        for i in range(n):
            late_assignment(world, unit_org, 5 + i)
            late_assignment(world, other_org, 7 + i, extended=ago(6 + i))
            late_rectification(staff, other_org, 3 + i)

    client = client_for(staff)
    add(1)
    small = (_count(client), len(client.get(URL).context["rows"]))
    index = client.get("/admin/")
    with CaptureQueriesContext(connection) as ctx:
        client.get("/admin/")
    small_index = len(ctx.captured_queries)
    add(2)
    assert (_count(client), len(client.get(URL).context["rows"])) == (small[0], 9)
    with CaptureQueriesContext(connection) as ctx:
        index = client.get("/admin/")
    assert len(ctx.captured_queries) == small_index and "<strong>9</strong> 件" in index.content.decode()


def test_review_opinions_whose_handling_report_is_late_are_on_the_list(staff, world, unit_org, other_org):
    """A review opinion owes its organ's handling report by due_date, or after a 不满意 poll its re-report by
    rereport_due_date: past that date (and not yet reported) it is overdue like any other item."""
    from supervision.models import ReviewOpinion, WorkReport

    body = Organization.objects.create(name="城建环保工作委员会", kind=Organization.Kind.WORKING_BODY)

    def opinion(org, topic, status, due, rereport_due=None):
        report = WorkReport.objects.create(year=TODAY.year, topic=topic, organization=org, working_body=body,
                                           status=WorkReport.Status.OPINION_SENT)
        return ReviewOpinion.objects.create(work_report=report, organization=org, text="一、加快进度。", sent_on=ago(120),
                                            sent_by=staff, due_date=due, rereport_due_date=rereport_due, status=status)

    S = ReviewOpinion.Status
    opinion(unit_org, "城市更新工作情况", S.SENT, ago(15))
    opinion(other_org, "公共交通工作情况", S.REREPORT_DUE, ago(60), rereport_due=ago(4))  # the re-report's date counts
    opinion(unit_org, "已报告的议题", S.REPORTED, ago(30))
    opinion(unit_org, "未到期的议题", S.SENT, TODAY + datetime.timedelta(days=3))
    opinion(other_org, "再次报告未到期的议题", S.REREPORT_DUE, ago(60), rereport_due=TODAY + datetime.timedelta(days=3))
    page = client_for(staff).get(URL)
    assert rows(page) == [("审议意见", "关于城市更新工作情况的审议意见", 15), ("审议意见", "关于公共交通工作情况的审议意见", 4)]


def _organs_as_they_were_counted(today) -> list[tuple]:
    """The list's organs as they were counted before MergedOverdue: one grouped query per source, then the names."""
    from django.db.models import Count

    from congress.lib import dashboard

    counts: dict = {}
    for source in dashboard.overdue_sources:
        for org, n in (source.items(today).order_by().values(source.organization).annotate(n=Count("pk"))
                       .values_list(source.organization, "n")):
            counts[org] = counts.get(org, 0) + n
    names = dict(Organization.objects.filter(pk__in=list(counts)).values_list("pk", "name"))
    return sorted(((pk, names.get(pk, ""), n) for pk, n in counts.items()), key=lambda o: (-o[2], o[1], o[0]))


class TestTheMergedItemsBuiltOnce:
    def test_they_are_the_organs_and_counts_each_source_counted_orphans_included(self, staff, world, unit_org,
                                                                               other_org):
        from congress.lib import dashboard
        from supervision.models import LivelihoodProject, LivelihoodReport, LivelihoodRound

        late_assignment(world, unit_org, 10)
        late_assignment(world, unit_org, 12, status=Assignment.Status.REHANDLING, second_due_date=ago(1))
        late_assignment(world, other_org, 40, extended=ago(3))
        late_assignment(world, other_org, 30, status=Assignment.Status.REPLIED)  # not overdue: replied
        late_rectification(staff, other_org, 20)
        late_rectification(staff, other_org, 6, title="整改路面破损问题")
        # two organs with three items each: ordered by name in code-point order (区交通运输局 before 区住房…)
        late_rectification(staff, unit_org, 5, title="整改噪声扰民问题")
        # a livelihood project whose organ is not set yet: its late report counts under no organ, as it always did
        session = CongressSession.objects.create(term=world["session"].term, number=3, start_date=ago(100),
                                                 end_date=ago(98))
        round_ = LivelihoodRound.objects.create(session=session, year=TODAY.year, title="民生实事项目票决", places=1,
                                                status=LivelihoodRound.Status.IMPLEMENTING)
        project = LivelihoodProject.objects.create(round=round_, title="口袋公园", source=LivelihoodProject.Source.UNIT)
        LivelihoodReport.objects.create(project=project, year=TODAY.year, quarter=1, due_date=ago(8))

        old = _organs_as_they_were_counted(TODAY)
        with CaptureQueriesContext(connection) as ctx:
            new = dashboard.MergedOverdue.of(TODAY).organs()
        assert new == old == [(other_org.pk, "区交通运输局", 3), (unit_org.pk, unit_org.name, 3), (None, "", 1)]
        assert len(ctx.captured_queries) == 1
        # the dashboard's league counts only items with an organ, most first (its SQL order, as before)
        assert dashboard.overdue_league(TODAY) == [(other_org.pk, "区交通运输局", 3), (unit_org.pk, unit_org.name, 3)]

    def test_the_pager_takes_the_organs_count_and_the_union_is_not_counted_again(self, staff, world, unit_org,
                                                                                  other_org):
        for i in range(31):
            late_rectification(staff, unit_org, 100 - i, title=f"整改事项{i:02d}")
        late_assignment(world, other_org, 3)
        client = client_for(staff)
        client.get(URL)
        with CaptureQueriesContext(connection) as ctx:
            whole = client.get(URL)
        filtered = client.get(URL, {"organization": unit_org.pk, "page": 2})
        assert not [q for q in ctx.captured_queries if q["sql"].startswith("SELECT COUNT(*)")]
        assert "1 / 2" in whole.content.decode() and 'id="overdue-total">32<' in whole.content.decode()
        html = filtered.content.decode()
        assert rows(filtered) == [("整改事项", "整改事项30", 70)]
        assert "2 / 2" in html and 'id="overdue-total">32<' in html and 'id="overdue-shown">31<' in html

    def test_its_pages_are_the_pages_of_the_merged_queryset_whole_or_one_organs(self, staff, world, unit_org, other_org):
        from congress.lib import dashboard

        for i in range(4):
            late_assignment(world, unit_org, 10 + i)
            late_assignment(world, other_org, 10 + i, extended=ago(2 + i))  # same days as the rectifications: ties
            late_rectification(staff, other_org, 10 + i, title=f"整改事项{i}")
        merged = dashboard.MergedOverdue.of(TODAY)
        for organization_id in (None, unit_org.pk, other_org.pk):
            old = list(dashboard.overdue_query(TODAY, organization_id))
            new = merged.for_organization(organization_id)
            assert len(old) == {None: 12, unit_org.pk: 4, other_org.pk: 8}[organization_id]
            for start, stop in ((0, 5), (5, 10), (10, 15), (0, 30), (30, 60)):
                assert new[start:stop] == old[start:stop], (organization_id, start)
