"""The staff's list of suggestions (/admin/proposals/suggestion/) over HTTP: 超期 and 重点督办 are a short mark in the
rows where they hold and nothing in the others, and the list still sorts by 重点督办; a row's selection box is named
by the row's number and title."""
import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from conftest import changelist_cells, client_for
from proposals.models import Assignment, Suggestion

pytestmark = pytest.mark.django_db

LIST = "admin:proposals_suggestion_changelist"


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
