"""The deputies' suggestion pages (/portal/suggestions/): each page for its
party, the wrong party refused, POST-only actions, repeats that change nothing, and list query counts that do not grow."""
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from conftest import changelist_cells, client_for
from congress.models import StateChange
from deputies.models import DutyActivityType, PointRule
from proposals import services
from proposals.models import Cosignature, Evaluation, Reply, Suggestion
from proposals.tests.conftest import pdf

S = Suggestion.Status
pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def last(action):
    return StateChange.objects.filter(action=action).order_by("-id").first()


def detail(s):
    return reverse("proposals:portal_detail", args=[s.pk])


LIST_PAGES = ["proposals:portal_list", "proposals:portal_new", "proposals:portal_invitations"]


class TestWhoGetsIn:
    @pytest.mark.parametrize("name", LIST_PAGES)
    def test_the_deputy_gets_each_page(self, lead, deputy_user, name):
        response = client_for(deputy_user).get(reverse(name))
        assert response.status_code == 200 and "代表履职" in response.content.decode()

    @pytest.mark.parametrize("name", LIST_PAGES)
    def test_other_roles_and_the_outsider_are_refused(self, lead, staff, unit_user, outsider, name):
        for user in (staff, unit_user, outsider):
            assert client_for(user).get(reverse(name)).status_code == 403
        assert client_for(None).get(reverse(name)).status_code == 302

    def test_another_deputy_cannot_open_my_suggestion(self, flow, other_deputy_user):
        s = flow.draft()
        assert client_for(other_deputy_user).get(detail(s)).status_code == 404
        assert client_for(other_deputy_user).get(reverse("proposals:portal_edit", args=[s.pk])).status_code == 404

    def test_my_list_shows_led_and_cosigned_suggestions_with_status(self, flow, deputy_user, cosigner, cosigner_user):
        mine = flow.draft(title="关于增设公交站点的建议")
        services.suggestion_invite_cosigners(actor=deputy_user, suggestion=mine, deputies=[cosigner])
        page = client_for(cosigner_user).get(reverse("proposals:portal_list")).content.decode()
        assert "关于增设公交站点的建议" in page and "附议（领衔：周代表）" in page and "草稿" in page


class TestWritingADraft:
    def test_a_deputy_saves_a_draft_with_an_attachment(self, lead, deputy_user, category, session):
        response = client_for(deputy_user).post(reverse("proposals:portal_new"), {
            "title": "关于加快老旧小区加装电梯的建议", "content": "居民上下楼困难。", "category": category.pk,
            "attachments": [SimpleUploadedFile("调研.pdf", b"%PDF-1.4 survey", content_type="application/pdf")]})
        s = Suggestion.objects.get()
        assert response.status_code == 302 and response["Location"] == detail(s)
        assert (s.status, s.lead_deputy, s.category) == (S.DRAFT, lead, category)
        assert s.attachments.count() == 1 and last("create").actor == deputy_user
        file = s.attachments.get()
        assert client_for(deputy_user).get(reverse("proposals:attachment", args=[file.pk])).status_code == 200

    def test_an_empty_form_saves_nothing(self, lead, deputy_user):
        response = client_for(deputy_user).post(reverse("proposals:portal_new"), {"title": "", "content": ""})
        assert response.status_code == 200 and not Suggestion.objects.exists()

    def test_the_lead_edits_a_draft_but_not_a_submitted_one(self, flow, deputy_user):
        s = flow.draft()
        url = reverse("proposals:portal_edit", args=[s.pk])
        response = client_for(deputy_user).post(url, {"title": "新标题", "content": "新内容"})
        s.refresh_from_db()
        assert response.status_code == 302 and s.title == "新标题"
        services.suggestion_submit(actor=deputy_user, suggestion=s)
        assert client_for(deputy_user).get(url).status_code == 403


class TestInvitingCosigners:
    def test_the_search_finds_deputies_by_name(self, flow, deputy_user, cosigner):
        response = client_for(deputy_user).get(reverse("proposals:portal_deputy_search"), {"q": "吴"})
        assert response.status_code == 200 and "吴代表" in response.content.decode()

    def test_invite_then_repeat_changes_nothing(self, flow, deputy_user, cosigner, cosigner_user):
        s = flow.draft()
        url = reverse("proposals:portal_invite", args=[s.pk])
        assert client_for(deputy_user).get(url).status_code == 405
        response = client_for(deputy_user).post(url, {"deputies": [cosigner.pk]})
        assert response.status_code == 302
        c = Cosignature.objects.get()
        assert (c.deputy, c.status) == (cosigner, Cosignature.Status.INVITED) and last("invite").actor == deputy_user
        client_for(deputy_user).post(url, {"deputies": [cosigner.pk]})
        assert Cosignature.objects.count() == 1 and StateChange.objects.filter(action="invite").count() == 1

    def test_another_deputy_cannot_invite_on_my_suggestion(self, flow, cosigner, other_deputy_user):
        s = flow.draft()
        response = client_for(other_deputy_user).post(reverse("proposals:portal_invite", args=[s.pk]),
                                                      {"deputies": [cosigner.pk]})
        assert response.status_code == 404 and not Cosignature.objects.exists()


class TestRespondingToAnInvitation:
    def test_the_invited_deputy_confirms_once(self, flow, deputy_user, cosigner, cosigner_user):
        s = flow.draft()
        (c,) = services.suggestion_invite_cosigners(actor=deputy_user, suggestion=s, deputies=[cosigner])
        client = client_for(cosigner_user)
        page = client.get(reverse("proposals:portal_invitations")).content.decode()
        assert s.title in page
        url = reverse("proposals:portal_cosign_respond", args=[c.pk])
        assert client.get(url).status_code == 405
        assert client.post(url, {"decision": "confirm"}).status_code == 302
        c.refresh_from_db()
        assert c.status == Cosignature.Status.CONFIRMED and last("confirm").actor == cosigner_user
        client.post(url, {"decision": "decline"})
        c.refresh_from_db()
        assert c.status == Cosignature.Status.CONFIRMED
        assert StateChange.objects.filter(action__in=("confirm", "decline")).count() == 1

    def test_htmx_decline_answers_with_the_list_item(self, flow, deputy_user, cosigner, cosigner_user):
        s = flow.draft()
        (c,) = services.suggestion_invite_cosigners(actor=deputy_user, suggestion=s, deputies=[cosigner])
        response = client_for(cosigner_user).post(reverse("proposals:portal_cosign_respond", args=[c.pk]),
                                                  {"decision": "decline"}, HTTP_HX_REQUEST="true")
        assert response.status_code == 200 and "已谢绝" in response.content.decode()

    def test_nobody_else_answers_for_the_invited_deputy(self, flow, deputy_user, cosigner, other_deputy_user):
        s = flow.draft()
        (c,) = services.suggestion_invite_cosigners(actor=deputy_user, suggestion=s, deputies=[cosigner])
        for user in (deputy_user, other_deputy_user):
            assert client_for(user).post(reverse("proposals:portal_cosign_respond", args=[c.pk]),
                                         {"decision": "confirm"}).status_code == 404
        c.refresh_from_db()
        assert c.status == Cosignature.Status.INVITED

    def test_the_home_page_lists_the_invitation(self, flow, deputy_user, cosigner, cosigner_user):
        s = flow.draft()
        services.suggestion_invite_cosigners(actor=deputy_user, suggestion=s, deputies=[cosigner])
        page = client_for(cosigner_user).get(reverse("portal:home")).content.decode()
        assert "待确认的附议邀请" in page and s.title in page


class TestSubmitting:
    def test_submit_then_repeat_changes_nothing(self, flow, deputy_user):
        s = flow.draft()
        url = reverse("proposals:portal_submit", args=[s.pk])
        assert client_for(deputy_user).get(url).status_code == 405
        assert client_for(deputy_user).post(url).status_code == 302
        s.refresh_from_db()
        assert s.status == S.SUBMITTED and last("submit").actor == deputy_user
        client_for(deputy_user).post(url)
        assert StateChange.objects.filter(action="submit").count() == 1

    def test_presubmit_before_a_session_goes_to_town_review(self, flow, deputy_user, next_session, town_staff):
        s = flow.draft()
        client_for(deputy_user).post(reverse("proposals:portal_submit", args=[s.pk]), {"presubmit": "1"})
        s.refresh_from_db()
        assert s.status == S.PRESUBMITTED and s.session == next_session and last("presubmit").actor == deputy_user

    def test_a_cosigner_cannot_submit(self, flow, deputy_user, cosigner, cosigner_user):
        s = flow.draft()
        (c,) = services.suggestion_invite_cosigners(actor=deputy_user, suggestion=s, deputies=[cosigner])
        services.cosignature_confirm(actor=cosigner_user, cosignature=c)
        client_for(cosigner_user).post(reverse("proposals:portal_submit", args=[s.pk]))
        s.refresh_from_db()
        assert s.status == S.DRAFT


class TestRatingAReply:
    def test_the_deputy_rates_once_and_the_timeline_shows_the_handling(self, flow, unit_org, unit_user, deputy_user):
        s, assignment, reply = flow.replied(unit_org, unit_user)
        services.assignment_record_contact(actor=unit_user, assignment=assignment, stage="after", summary="电话回访")
        client = client_for(deputy_user)
        home = client.get(reverse("portal:home")).content.decode()
        assert "待评价的答复" in home
        page = client.get(detail(s)).content.decode()
        for text in ("登记编号", "交办", unit_org.name, "答复", "答复期限", "沟通联系"):
            assert text in page
        url = reverse("proposals:portal_evaluate", args=[reply.pk])
        assert client.get(url).status_code == 405
        assert client.post(url, {"rating": "satisfied", "comment": "很好"}).status_code == 302
        e = Evaluation.objects.get()
        assert (e.deputy, e.rating, e.comment) == (flow.lead, "satisfied", "很好") and last("evaluate").actor == deputy_user
        client.post(url, {"rating": "unsatisfied"})
        assert Evaluation.objects.count() == 1
        assert "待评价的答复" not in client.get(reverse("portal:home")).content.decode()

    def test_unsatisfied_brings_a_second_reply_the_deputy_sees(self, flow, unit_org, unit_user, deputy_user):
        s, assignment, reply = flow.replied(unit_org, unit_user)
        client_for(deputy_user).post(reverse("proposals:portal_evaluate", args=[reply.pk]),
                                     {"rating": "unsatisfied", "comment": "没有解决"})
        s.refresh_from_db()
        assert s.status == S.REHANDLING and last("rehandle") is not None
        second = services.assignment_reply(actor=unit_user, assignment=assignment, letter=pdf(), result="B",
                                           summary="已列入明年计划")
        page = client_for(deputy_user).get(detail(s)).content.decode()
        assert "再次答复" in page and "已列入明年计划" in page
        assert f'action="{reverse("proposals:portal_evaluate", args=[second.pk])}"' in page
        assert f'action="{reverse("proposals:portal_evaluate", args=[reply.pk])}"' not in page

    def test_another_deputy_cannot_rate(self, flow, unit_org, unit_user, other_deputy_user):
        s, assignment, reply = flow.replied(unit_org, unit_user)
        response = client_for(other_deputy_user).post(reverse("proposals:portal_evaluate", args=[reply.pk]),
                                                      {"rating": "satisfied"})
        assert response.status_code == 404 and not Evaluation.objects.exists()

    def test_the_letter_opens_for_the_deputy_not_for_others(self, flow, unit_org, unit_user, deputy_user,
                                                             other_deputy_user):
        s, assignment, reply = flow.replied(unit_org, unit_user)
        url = reverse("proposals:reply_letter", args=[reply.pk])
        response = client_for(deputy_user).get(url)
        assert response.status_code == 200 and response.getvalue().startswith(b"%PDF-")
        assert client_for(other_deputy_user).get(url).status_code == 404
        assert client_for(None).get(url).status_code == 404


class TestChecklistTable:
    def test_the_town_table_counts_the_good_suggestion_the_portal_shows(self, flow, deputy_user, lead, staff, town_a):
        """/admin/deputies/checklisttown/ showed 0 for 一件好建议 while the portal showed it done: one computation now."""
        with_mandate(lead, flow.session.term)
        url = reverse("admin:deputies_checklisttown_changelist")
        before = client_for(staff).get(url).content.decode()
        assert _town_cell(before, town_a.name, "suggestion") == "0"
        flow.registered()
        home = client_for(deputy_user).get(reverse("portal:home")).content.decode()
        assert '<li class="done">✔ 一件好建议</li>' in home
        after = client_for(staff).get(url).content.decode()
        assert _town_cell(after, town_a.name, "suggestion") == "1"
        assert _town_cell(after, town_a.name, "deputies") == "1"


def _town_cell(html: str, town: str, column: str) -> str:
    import re

    field = "deputy_count" if column == "deputies" else f"item_{column}"
    return re.sub(r"<[^>]+>", "", changelist_cells(html, town)[field]).strip()


def with_mandate(deputy, term):
    import datetime

    from deputies.models import Mandate

    Mandate.objects.get_or_create(deputy=deputy, term=term, level=Mandate.Level.DISTRICT,
                                  defaults={"start_date": datetime.date(term.start_date.year, 10, 1)})


class TestDutyRecord:
    def test_a_registered_suggestion_fulfils_the_checklist_and_earns_the_rule_points(self, flow, deputy_user, lead):
        kind = DutyActivityType.objects.create(name="提出建议", checklist_item="suggestion")
        PointRule.objects.create(activity_type=kind, points_present=3, points_absent=0,
                                 effective_from=flow.session.start_date.replace(month=1, day=1))
        s = flow.registered()
        from deputies import selectors as deputy_selectors

        year = timezone.localtime(s.submitted_at).year  # the year and day here, as the rules count them
        items = [i for i in deputy_selectors.duty_record(lead, year) if i.kind == "领衔建议"]
        assert [(i.title, i.checklist, i.points) for i in items] == [(s.title, "suggestion", 3)]
        assert next(c for c in deputy_selectors.checklist_for(lead, year) if c["key"] == "suggestion")["done"]
        page = client_for(deputy_user).get(reverse("portal:record"), {"year": year}).content.decode()
        assert s.title in page

    def test_a_cosigner_sees_it_without_the_checklist(self, flow, deputy_user, cosigner, cosigner_user):
        s = flow.draft()
        (c,) = services.suggestion_invite_cosigners(actor=deputy_user, suggestion=s, deputies=[cosigner])
        services.cosignature_confirm(actor=cosigner_user, cosignature=c)
        services.suggestion_submit(actor=deputy_user, suggestion=s)
        s.refresh_from_db()
        from deputies import seams

        items = [i for i in seams.external_items(cosigner, timezone.localtime(s.submitted_at).year)]
        assert [(i.kind, i.checklist, i.points) for i in items] == [("附议建议", "", 0)]


class TestYearSource:
    """The portal home asks proposals once for one deputy's "一件好建议" and suggestion points (suggestion_year, with
    the rules the home read); the grouped sources, asked for the ranking and the per-town table, say the same."""

    def test_one_read_for_one_deputy_says_what_the_grouped_sources_say(self, flow, lead, cosigner, deputy_user,
                                                                      cosigner_user):
        import datetime

        from deputies import selectors as deputy_selectors
        from proposals.selectors import good_suggestion_checklist
        from proposals.views import seams as ours

        kind = DutyActivityType.objects.create(name="提出建议", checklist_item="suggestion")
        other = DutyActivityType.objects.create(name="视察", checklist_item="supervision")
        first = flow.registered(title="关于增设公交站点的建议")
        (c,) = services.suggestion_invite_cosigners(actor=deputy_user, suggestion=flow.draft(), deputies=[cosigner])
        services.cosignature_confirm(actor=cosigner_user, cosignature=c)  # co-signed: no points, no item
        flow.registered(title="关于整治背街小巷的建议")
        flow.submitted(title="关于还没有登记的建议")  # not registered yet: not counted
        year, day = timezone.localtime(first.submitted_at).year, timezone.localdate(first.submitted_at)
        PointRule.objects.create(activity_type=kind, points_present=3, effective_from=datetime.date(year, 1, 1))
        PointRule.objects.create(activity_type=kind, points_present=7, effective_from=day + datetime.timedelta(days=1))
        PointRule.objects.create(activity_type=other, points_present=5, effective_from=datetime.date(year, 1, 1))
        rules = deputy_selectors.point_rules()

        def fresh(deputy):  # as in a request: the page's reads are kept on the deputy object
            from deputies.models import Deputy

            return Deputy.objects.get(pk=deputy.pk)

        def agree(year):
            for deputy in (lead, cosigner):
                keys, points = ours.suggestion_year(fresh(deputy), year, rules)
                assert keys == good_suggestion_checklist([deputy.pk], year).get(deputy.pk, set())
                assert points == ours.suggestion_points([deputy.pk], year, datetime.date(year, 12, 31)).get(deputy.pk, 0)

        agree(year)
        assert ours.suggestion_year(fresh(lead), year, rules) == ({"suggestion"}, 6)
        assert ours.suggestion_year(fresh(cosigner), year, rules) == (set(), 0)
        with CaptureQueriesContext(connection) as ctx:
            summary = deputy_selectors.deputy_year_summary(fresh(lead), year)
        assert sum('FROM "deputies_pointrule"' in q["sql"] for q in ctx.captured_queries) == 1
        assert sum('FROM "proposals_suggestion"' in q["sql"] for q in ctx.captured_queries) == 1
        assert summary.score == deputy_selectors.deputy_score(lead, year) == 6
        assert summary.checklist == deputy_selectors.checklist_for(lead, year)
        # submitted at half past midnight on 1 January here, still 31 December in UTC: the local year counts it
        early = timezone.make_aware(datetime.datetime(year + 1, 1, 1, 0, 30))
        Suggestion.objects.filter(pk=first.pk).update(submitted_at=early)
        agree(year)
        agree(year + 1)
        assert ours.suggestion_year(fresh(lead), year + 1, rules)[0] == {"suggestion"}


def test_a_suggestion_submitted_after_midnight_here_takes_that_days_rule_and_date(flow, lead):
    """00:30 on 1 March in Beijing is still 28 February in UTC: the rule in force from 1 March applies, and the duty
    record dates the item 1 March (both read the local day, as the year's filter does)."""
    import datetime

    from django.utils import timezone

    from proposals.views import seams as ours

    kind = DutyActivityType.objects.create(name="提出建议", checklist_item="suggestion")
    s = flow.registered(title="关于增设公交站点的建议")
    year = timezone.localdate().year
    PointRule.objects.create(activity_type=kind, points_present=3, effective_from=datetime.date(year, 1, 1))
    PointRule.objects.create(activity_type=kind, points_present=7, effective_from=datetime.date(year, 3, 1))
    Suggestion.objects.filter(pk=s.pk).update(submitted_at=timezone.make_aware(datetime.datetime(year, 3, 1, 0, 30)))
    assert ours.suggestion_points([lead.pk], year, datetime.date(year, 3, 1)) == {lead.pk: 7}
    assert ours.suggestion_points([lead.pk], year, datetime.date(year, 2, 28)) == {}
    (item,) = ours.suggestions_for_duty_record(lead, year)
    assert (item.date, item.points) == (datetime.date(year, 3, 1), 7)


def _grow(flow, deputy_user, cosigner, cosigner_user, n, start=0):
    for i in range(start, start + n):
        s = flow.draft(title=f"关于第{i}条道路修缮的建议")
        (c,) = services.suggestion_invite_cosigners(actor=deputy_user, suggestion=s, deputies=[cosigner])
        if i % 2:
            services.cosignature_confirm(actor=cosigner_user, cosignature=c)


class TestQueryCounts:
    @pytest.mark.parametrize("name", ["proposals:portal_list", "proposals:portal_invitations", "portal:home",
                                      "portal:record"])
    def test_the_count_does_not_grow_with_the_rows(self, flow, deputy_user, cosigner, cosigner_user, name):
        client = client_for(cosigner_user)
        _grow(flow, deputy_user, cosigner, cosigner_user, 3)
        client.get(reverse(name))
        with CaptureQueriesContext(connection) as small:
            assert client.get(reverse(name)).status_code == 200
        _grow(flow, deputy_user, cosigner, cosigner_user, 6, start=3)
        with CaptureQueriesContext(connection) as large:
            assert client.get(reverse(name)).status_code == 200
        assert len(large) == len(small), [q["sql"] for q in large.captured_queries]

    def test_the_home_reads_the_deputys_suggestions_once_for_the_count_and_the_replies(self, flow, deputy_user,
                                                                                      cosigner, cosigner_user):
        _grow(flow, deputy_user, cosigner, cosigner_user, 3)
        client = client_for(cosigner_user)
        with CaptureQueriesContext(connection) as ctx:
            page = client.get(reverse("portal:home")).content.decode()
        assert "我的建议（3）" in page
        assert sum(" UNION " in q["sql"] for q in ctx.captured_queries) == 1
        assert not any('COUNT(*) AS "__count" FROM "proposals_suggestion"' in q["sql"] for q in ctx.captured_queries)

    def test_the_detail_page_does_not_grow_with_replies_and_rows(self, flow, unit_org, unit_user, deputy_user,
                                                                 cosigner, cosigner_user):
        s, assignment, reply = flow.replied(unit_org, unit_user)
        client = client_for(deputy_user)
        client.get(detail(s))
        with CaptureQueriesContext(connection) as small:
            client.get(detail(s))
        for i in range(3):
            services.assignment_record_contact(actor=unit_user, assignment=assignment, stage="after", summary=f"回访{i}")
        with CaptureQueriesContext(connection) as large:
            client.get(detail(s))
        assert len(large) == len(small)
        assert Reply.objects.count() == 1


class TestPortalNavigation:
    def test_the_top_navigation_leads_to_my_suggestions_and_marks_it_current(self, deputy_user, lead):
        client = client_for(deputy_user)
        home = client.get(reverse("portal:home")).content.decode()
        start = home.index('<nav class="tabs"')
        nav = home[start:home.index("</nav>", start)]
        assert f'href="{reverse("proposals:portal_list")}"' in nav and "我的建议" in nav
        page = client.get(reverse("proposals:portal_list")).content.decode()
        start = page.index('<nav class="tabs"')
        nav = page[start:page.index("</nav>", start)]
        assert f'<a href="{reverse("proposals:portal_list")}" class="active" aria-current="page">我的建议</a>' in nav


class TestRankingAtScale:
    """Publishing a quarter's ranking asks each kind of source once for all deputies: the query count does not grow
    with the number of deputies, and a registered suggestion's points are in the ranking as in the deputy's score."""

    @staticmethod
    def _deputies(term, town, n, start):
        import datetime

        from deputies.models import Mandate
        from proposals.models import Suggestion
        from proposals.tests.conftest import make_deputy

        made = []
        for i in range(start, start + n):
            deputy = make_deputy(f"排名代表{i}", town, 300 + i)
            Mandate.objects.create(deputy=deputy, term=term, level=Mandate.Level.DISTRICT,
                                   start_date=datetime.date(2021, 10, 1))
            Suggestion.objects.create(term=term, title=f"排名建议{i}", content="内容", lead_deputy=deputy,
                                      status=Suggestion.Status.REGISTERED, recess_year=2025, batch_key="r",
                                      submitted_at=datetime.datetime(2025, 2, 1, 8, tzinfo=datetime.UTC))
            made.append(deputy)
        return made

    def test_publish_costs_the_same_for_3_and_9_deputies_and_counts_suggestion_points(self, staff, term, town_a):
        import datetime

        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        from deputies import selectors as deputy_selectors
        from deputies.models import ScoreSnapshot, ScoreSnapshotRow
        from deputies.services import score_snapshot_publish

        kind = DutyActivityType.objects.create(name="提出建议", checklist_item="suggestion")
        PointRule.objects.create(activity_type=kind, points_present=4, points_absent=0,
                                 effective_from=datetime.date(2025, 1, 1))
        first = self._deputies(term, town_a, 3, 0)
        score_snapshot_publish(actor=staff, year=2024, quarter=4)  # warms the permission cache
        with CaptureQueriesContext(connection) as small:
            score_snapshot_publish(actor=staff, year=2025, quarter=1)
        self._deputies(term, town_a, 6, 3)
        ScoreSnapshot.objects.filter(year=2025).delete()
        with CaptureQueriesContext(connection) as large:
            score_snapshot_publish(actor=staff, year=2025, quarter=1)
        assert len(large) == len(small)
        rows = ScoreSnapshotRow.objects.filter(snapshot__year=2025)
        assert rows.count() == 9
        assert {row.score for row in rows} == {4}
        assert deputy_selectors.deputy_score(first[0], 2025) == 4
        # the first quarter ends on 31 March: a suggestion submitted on 1 April is not in it
        from proposals.models import Suggestion

        Suggestion.objects.filter(lead_deputy=first[0]).update(submitted_at=datetime.datetime(2025, 4, 1, 8, tzinfo=datetime.UTC))
        assert deputy_selectors.deputy_score(first[0], 2025, until=datetime.date(2025, 3, 31)) == 0
