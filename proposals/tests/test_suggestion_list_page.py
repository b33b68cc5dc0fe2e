"""The staff's list of suggestions (/admin/proposals/suggestion/) over HTTP: a page of 50 weighs at most half of the
74 KB it once did; 超期 and 重点督办 are a short mark in the rows where they hold and nothing in the others, and the
list still sorts by 重点督办; a row's selection box is named by the row's number and title."""
import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from conftest import changelist_cells, client_for
from congress.models import CongressSession, Organization
from proposals.demo import CATEGORIES, TOPICS
from proposals.models import Assignment, Suggestion, SuggestionCategory
from proposals.tests.conftest import make_deputy

pytestmark = pytest.mark.django_db

LIST = "admin:proposals_suggestion_changelist"
HALF_OF_74_KB = 37_000


@pytest.fixture
def demo_like(term, session, town_a, category):
    """55 suggestions as the demo seeds them (proposals/demo.py: its topics and categories, numbers per batch, lead units
    by their short names, a quarter with an assisting unit too), in 13 batches like the province demo's, and in the mix
    of its first page: the newest not yet assigned (three not yet numbered), of the others a fifth with a deadline in a
    year whose holidays are not entered (the 待定 note), some overdue, a few under priority supervision. Their keys
    have five digits, as at province scale (34,000 suggestions): a row carries its key twice."""
    today = timezone.localdate()
    sessions = [session] + [CongressSession.objects.create(term=term, number=n, start_date=datetime.date(2019 + n, 1, 5),
                                                           end_date=datetime.date(2019 + n, 1, 8)) for n in range(3, 9)]
    categories = {c: SuggestionCategory.objects.get_or_create(name=c)[0] for c in CATEGORIES}
    units = [Organization.objects.create(name=f"区{name}", short_name=name, kind=Organization.Kind.DEPARTMENT,
                                         is_handling_unit=True)
             for name in ("住房和城乡建设局", "交通运输局", "教育局", "卫生健康局", "民政局", "生态环境局", "农业农村局")]
    deputies = [make_deputy(name, town_a, 40 + i) for i, name in enumerate(("陈翰茂", "朱之言", "李雪梅", "王建国", "赵志刚"))]
    suggestions, S = [], Suggestion.Status
    for i in range(55):
        newest = 54 - i  # the list shows the newest first
        status = S.SUBMITTED if newest < 3 else S.REGISTERED if newest < 18 else S.HANDLING
        place = f"{town_a.name}{'东西南北中'[i % 5]}片区"
        category, title, content = TOPICS[i % len(TOPICS)]
        batch = sessions[i % len(sessions)] if i % 13 < 7 else None
        s = Suggestion(pk=30_000 + i, term=term, session=batch, recess_year=None if batch else 2021 + i % 6,
                       title="关于" + title.format(town=town_a.name, place=place) + "的建议", content=content,
                       category=categories[category], lead_deputy=deputies[i % len(deputies)], status=status,
                       is_priority=i in (10, 30), assigned_on=today - datetime.timedelta(days=60))
        s.batch_key = s.compute_batch_key()
        if status != S.SUBMITTED:
            s.serial = 4000 + i
            s.number = s.format_number(s.serial)
        suggestions.append(s)
    Suggestion.objects.bulk_create(suggestions)
    assignments = []
    for i, s in enumerate(suggestions):
        if s.status != S.HANDLING:
            continue
        due = (datetime.date(today.year + 1, 3, 1) if i % 5 == 0 else today - datetime.timedelta(days=9) if i % 8 == 0
               else today + datetime.timedelta(days=30))
        roles = [("lead", due)] + ([("assisting", due - datetime.timedelta(days=60))] if i % 4 == 0 else [])
        for (role, due_date), unit in zip(roles, (units[i % 7], units[(i + 3) % 7]), strict=False):
            assignments.append(Assignment(suggestion=s, unit=unit, role=role, status="handling", assigned_on=s.assigned_on,
                                          due_date=due_date, send_back_until=s.assigned_on))
    Assignment.objects.bulk_create(assignments)
    return suggestions


def test_a_page_of_50_demo_like_suggestions_weighs_at_most_half_of_74_kb(demo_like, staff):
    page = client_for(staff).get(reverse(LIST)).content
    text = page.decode()
    assert text.count('class="action-select"') == 50 and 'href="?p=2"' in text  # a full page of 50, and more
    assert "待定：尚未录入" in text and "超期</span>" in text and "重点</span>" in text  # (the mix of the demo's rows)
    assert "（未编号）" in text and "<td>-</td>" in text and 'value="30054"' in text
    assert len(page) <= HALF_OF_74_KB, len(page)
    # what went: the cells' field-<name> classes, the yes/no icons, Django's label of every box, comments, blank lines,
    # the scripts of prepopulated fields
    assert 'class="field-' not in text and "icon-no.svg" not in text and "选择此对象执行操作" not in text
    assert "<!--" not in text and "\n\n" not in text and "\n " not in text and "xregexp" not in text


class TestFlagColumns:
    @pytest.fixture
    def rows(self, flow, unit_org):
        """Three assigned suggestions: one past its deadline, one under priority supervision, one neither."""
        late, _ = flow.assigned(unit_org, title="关于整治城东片区河道黑臭水体的建议")
        Assignment.objects.filter(suggestion=late).update(due_date=timezone.localdate() - datetime.timedelta(days=1))
        watched, _ = flow.assigned(unit_org, title="关于扩充城东街道优质学位供给的建议")
        Suggestion.objects.filter(pk=watched.pk).update(is_priority=True)
        plain, _ = flow.assigned(unit_org, title="关于优化城东街道公交线路和班次的建议")
        return {"late": late, "watched": watched, "plain": plain}

    def test_only_the_overdue_row_is_marked_overdue_and_only_the_priority_row_priority(self, rows, staff):
        page = client_for(staff).get(reverse(LIST)).content.decode()
        cells = {name: changelist_cells(page, s.title) for name, s in rows.items()}
        assert cells["late"]["overdue"] == '<span class="flag">超期</span>' and cells["late"]["priority"] == ""
        assert cells["watched"]["priority"] == '<span class="flag priority">重点</span>'
        assert cells["watched"]["overdue"] == ""
        assert cells["plain"]["overdue"] == cells["plain"]["priority"] == ""
        assert page.count('class="flag') == 2 and "icon-no.svg" not in page and "icon-yes.svg" not in page
        assert '<th scope="col" class="column-overdue">' in page and "<span>超期</span>" in page
        # the mark's style comes from the project's stylesheet (no style attribute: the pages' CSP forbids inline styles)
        assert '<link rel="stylesheet" href="/static/css/admin_lists.css">' in page

    def test_the_list_still_sorts_by_priority(self, rows, staff):
        client = client_for(staff)
        page = client.get(reverse(LIST)).content.decode()
        header = page.split('class="sortable column-priority">', 1)[1]
        sort = header.split('<a href="', 1)[1].split('"', 1)[0]  # ?o=N, N the column's position
        first = client.get(reverse(LIST) + sort.replace("o=", "o=-")).content.decode()
        body = first.split("<tbody>", 1)[1]
        assert body.index(rows["watched"].title) < min(body.index(rows["late"].title), body.index(rows["plain"].title))
        assert 'column-priority sorted descending' in first


class TestRowBoxes:
    def test_each_rows_box_is_named_by_the_rows_number_and_title(self, flow, unit_org, staff):
        """A screen reader names a row's selection box by the cells its aria-labelledby points at (the number, then the
        title): what Django's aria-label said after "选择此对象执行操作 - ", without repeating it in every row."""
        numbered, _ = flow.assigned(unit_org, title="关于推进城东街道既有住宅加装电梯的建议")
        unnumbered = flow.submitted(title="关于增设城东片区公共停车位的建议")
        page = client_for(staff).get(reverse(LIST)).content.decode()
        ids = re.findall(r' id="([^"]+)"', page)
        assert len(ids) == len(set(ids))  # every id once on the page
        for s in (numbered, unnumbered):
            box = re.search(rf'<input type="checkbox" name="_selected_action" value="{s.pk}"[^>]*>', page)[0]
            assert "aria-label=" not in box
            named_by = re.search(r'aria-labelledby="([^"]+)"', box)[1].split()
            name = " ".join(re.sub(r"<[^>]+>", "", re.search(rf'<t[dh][^>]* id="{i}">(.*?)</t[dh]>', page)[1])
                            for i in named_by)
            assert name == f"{s.number or '（未编号）'} {s.title}" == str(s)
        assert numbered.number and not unnumbered.number


class TestTheKeptCount:
    """Over a large table the list's count is kept ADMIN_COUNTS_CACHE_SECONDS per list, user and filters
    (congress.lib.admin.EstimatedCountPaginator); the rows are read fresh on every page."""

    @pytest.fixture(autouse=True)
    def large(self, settings, monkeypatch):
        settings.ADMIN_COUNTS_CACHE_SECONDS = 60
        monkeypatch.setattr("congress.lib.admin.estimated_row_count", lambda table: 20_000)  # as if at city scale

    @staticmethod
    def shown(client, **params):
        response = client.get(reverse(LIST), params)
        assert response.status_code == 200
        cl = response.context_data["cl"]
        return cl.result_count, [s.pk for s in cl.result_list]

    def test_the_count_is_kept_and_the_rows_are_fresh(self, flow, staff):
        first = flow.submitted(title="关于第一件的建议")
        client = client_for(staff)
        assert self.shown(client) == (1, [first.pk])
        second = flow.submitted(title="关于第二件的建议")
        count, rows = self.shown(client)
        assert count == 1 and set(rows) == {first.pk, second.pk}  # the count as kept, the rows as they are
        assert self.shown(client, q="第二件") == (1, [second.pk])  # another search: its own count
        assert self.shown(client, o="-2")[0] == 1  # another order or page: the same list, the same count

    def test_each_user_has_their_own_count(self, flow, staff, settings):
        from conftest import _user
        from congress import roles

        flow.submitted()
        assert self.shown(client_for(staff))[0] == 1
        flow.submitted(title="关于又一件的建议")
        other = _user("staff2", roles.COMMITTEE_STAFF, full_name="另一位工作人员")
        assert self.shown(client_for(other))[0] == 2

    def test_without_keeping_it_counts_every_time(self, flow, staff, settings):
        settings.ADMIN_COUNTS_CACHE_SECONDS = 0
        flow.submitted()
        client = client_for(staff)
        assert self.shown(client)[0] == 1
        flow.submitted(title="关于又一件的建议")
        assert self.shown(client)[0] == 2

    def test_a_suggestions_history_is_counted_as_before(self, flow, staff):
        s = flow.submitted()
        response = client_for(staff).get(reverse("admin:proposals_suggestion_history", args=[s.pk]))
        assert response.status_code == 200
