"""民生实事项目票决制 through the pages people use: staff create a round, enter voters' opinions, shortlist with owner
organs (more candidates than places, in Chinese when not), open, enter paper ballots, count, resolve a tie and hand the
projects over in the admin; a deputy proposes and votes in the portal (too many marks refused with a clear message);
the organ proposes and reports a quarter's progress in its workspace, and the overdue report is on the leaders' list;
the annual report's chapter; lists whose query count does not grow with their rows."""
import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from conftest import client_for
from congress.models import StateChange
from supervision import services
from supervision.models import LivelihoodBallot, LivelihoodProject, LivelihoodReport, LivelihoodRound, LivelihoodVoter
from supervision.tests.livelihood_helpers import S, make_round, make_session, numbered

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def page(name, obj):
    return reverse(f"admin:supervision_livelihoodround_{name}", args=[obj.pk])


class TestTheAdmin:
    def test_staff_run_a_round_from_the_call_to_the_handover(self, staff, term, unit_org, members):
        client = client_for(staff)
        session = make_session(term)
        response = client.post(reverse("admin:supervision_livelihoodround_add"),
                               {"session": session.pk, "year": 2026, "places": 2, "title": ""})
        round_ = LivelihoodRound.objects.get()
        assert response.status_code == 302 and round_.title == "2026年度民生实事项目票决"
        for title in ("老旧小区加装电梯", "背街小巷路灯", "社区食堂"):
            response = client.post(page("propose", round_), {"title": title, "description": "", "organization": "",
                                                             "source_note": "城东街道联络站"})
            assert response.status_code == 302
        projects = list(round_.projects.order_by("id"))
        data = {"places": 3} | {f"pick_{p.pk}": "on" for p in projects} | {f"owner_{p.pk}": unit_org.pk for p in projects}
        body = client.post(page("shortlist", round_), data).content.decode()
        assert "候选项目数（3个）须多于票决项目数（3个），才能差额票决" in body
        assert client.post(page("shortlist", round_), data | {"places": 2}).status_code == 302
        assert client.post(page("open", round_), {}).status_code == 302
        voters = list(LivelihoodVoter.objects.filter(round=round_, deputy__in=members[:4]))
        body = client.post(page("paper", round_), {"voters": [v.pk for v in voters], "ballots": "1 2\n1 2 3\n无"}).content.decode()
        assert "纸质选票3张，与勾选的纸质投票代表4人不符" in body
        body = client.post(page("paper", round_), {"voters": [v.pk for v in voters], "ballots": "1 2\n一"}).content.decode()
        assert "不是候选序号" in body
        # 1 2 / 1 2 3 (invalid: three marks, two places) / no mark / 1 3: valid 3, more than half is 2 or more
        response = client.post(page("paper", round_), {"voters": [v.pk for v in voters], "ballots": "1 2\n1 2 3\n无\n1 3"})
        assert response.status_code == 302
        assert LivelihoodBallot.objects.filter(round=round_, valid=False).count() == 1
        assert client.post(page("count", round_), {}).status_code == 302
        round_.refresh_from_db()
        # 1: 2 votes (chosen), 2 and 3: 1 each — fewer than more than half of 3 valid: one place stays empty
        assert [(p.number, p.votes, p.chosen) for p in numbered(round_).values()] == [(1, 2, True), (2, 1, False), (3, 1, False)]
        change = client.get(reverse("admin:supervision_livelihoodround_change", args=[round_.pk])).content.decode()
        assert "收回选票4张（有效3，无效1）" in change and 'data-transition="implement"' in change
        assert client.post(page("implement", round_), {}).status_code == 302
        assert LivelihoodRound.objects.get().status == S.IMPLEMENTING

    def test_a_tie_is_resolved_on_its_page(self, staff, term, unit_org, members):
        round_ = make_round(staff, term, unit_org, places=3, status=S.VOTING)
        services.livelihood_enter_paper(actor=staff, round_=round_, voters=members[:5],
                                        ballots=[[1, 2, 3], [1, 2, 4], [1, 2, 3], [1, 2, 4], [1, 3, 4]])
        round_ = services.livelihood_count(actor=staff, round_=round_)
        client = client_for(staff)
        change = client.get(reverse("admin:supervision_livelihoodround_change", args=[round_.pk])).content.decode()
        assert "末位同票：候选序号3、4，争1个名额，待决定" in change and 'data-transition="implement"' not in change
        four = numbered(round_)[4]
        assert client.post(page("tie", round_), {"projects": [four.pk], "reason": "经大会主席团第三次会议决定"}).status_code == 302
        assert StateChange.objects.filter(workflow="livelihood", action="resolve_tie", reason__contains="主席团").exists()
        assert client.post(page("implement", round_), {}).status_code == 302

    def test_lists_do_not_grow_in_queries(self, staff, term, unit_org):
        client = client_for(staff)
        urls = [reverse("admin:supervision_livelihoodround_changelist"),
                reverse("admin:supervision_livelihoodproject_changelist")]
        make_round(staff, term, unit_org, session=make_session(term, 1))
        few = {}
        for url in urls:
            client.get(url)
            with CaptureQueriesContext(connection) as q:
                assert client.get(url).status_code == 200
            few[url] = len(q)
        for n in (2, 3, 4):
            make_round(staff, term, unit_org, session=make_session(term, n))
        for url in urls:
            with CaptureQueriesContext(connection) as q:
                assert client.get(url).status_code == 200
            assert len(q) == few[url], url


class TestThePortal:
    def test_a_deputy_proposes_and_votes(self, staff, term, unit_org, members):
        collecting = make_round(staff, term, unit_org, candidates=0, status=S.COLLECTING)
        client = client_for(members[0].user)
        response = client.post(reverse("supervision:livelihood_propose", args=[collecting.pk]),
                               {"title": "社区食堂", "description": "解决老年人吃饭难"})
        assert response.status_code == 302
        assert LivelihoodProject.objects.get(round=collecting).proposed_by_deputy == members[0]
        voting = make_round(staff, term, unit_org, status=S.VOTING, session=make_session(term, 2))
        url = reverse("supervision:livelihood_round", args=[voting.pk])
        body = client.get(url).content.decode()
        assert 'data-places="3"' in body and body.count('name="projects"') == 5 and "最多勾选3个" in body
        c = numbered(voting)
        body = client.post(url, {"projects": [c[n].pk for n in (1, 2, 3, 4)]}).content.decode()
        assert "您勾选了4个项目，超过本次票决的名额3个，这样的选票无效" in body
        assert not LivelihoodBallot.objects.exists()
        response = client.post(url, {"projects": [c[1].pk, c[2].pk, c[3].pk]}, follow=True)
        assert "投票成功" in response.content.decode() and 'id="voted"' in response.content.decode()
        assert list(LivelihoodBallot.objects.get().marks.order_by("number").values_list("number", flat=True)) == [1, 2, 3]
        again = client.post(url, {"projects": [c[1].pk]}, follow=True).content.decode()
        assert "已经投过票" in again and LivelihoodBallot.objects.count() == 1

    def test_the_vote_is_offered_while_voting_is_open_and_not_after_the_count(self, staff, term, unit_org, members):
        round_ = make_round(staff, term, unit_org, status=S.VOTING)
        client = client_for(members[0].user)
        url, listing = reverse("supervision:livelihood_round", args=[round_.pk]), reverse("supervision:livelihood_rounds")
        home = client.get(reverse("portal:home")).content.decode()
        assert 'data-transition="vote"' in home.split('id="panel-livelihood"')[1]
        assert 'data-transition="vote"' in client.get(listing).content.decode()
        body = client.get(url).content.decode()
        assert 'data-transition="vote"' in body and 'id="voted"' not in body
        # a deputy who has voted is told so instead, while the round is still at the vote
        c = numbered(round_)
        services.livelihood_vote(actor=members[1].user, round_=round_, projects=[c[1].pk])
        voted = client_for(members[1].user)
        body = voted.get(url).content.decode()
        assert 'data-transition="vote"' not in body and "您已投票" in body
        assert 'data-transition="vote"' not in voted.get(listing).content.decode()
        # after the count nobody is offered the vote, and the page shows the result rather than the note
        services.livelihood_enter_paper(actor=staff, round_=round_, voters=members[2:3], ballots=[[1, 2, 3]])
        services.livelihood_count(actor=staff, round_=round_)
        body = client.get(url).content.decode()
        assert 'data-transition="vote"' not in body and 'id="voted"' not in body and 'id="result"' in body
        assert 'data-transition="vote"' not in client.get(listing).content.decode()
        assert 'id="panel-livelihood"' not in client.get(reverse("portal:home")).content.decode()

    def test_the_list_does_not_grow_in_queries(self, staff, term, unit_org, members):
        client = client_for(members[0].user)
        make_round(staff, term, unit_org, session=make_session(term, 1), status=S.VOTING)
        client.get(reverse("supervision:livelihood_rounds"))
        with CaptureQueriesContext(connection) as few:
            client.get(reverse("supervision:livelihood_rounds"))
        for n in (2, 3, 4):
            make_round(staff, term, unit_org, session=make_session(term, n), status=S.VOTING)
        with CaptureQueriesContext(connection) as many:
            body = client.get(reverse("supervision:livelihood_rounds")).content.decode()
        assert body.count("去投票") == 4 and len(few) == len(many)

    def test_the_ballot_does_not_grow_in_queries_with_its_candidates(self, staff, term, unit_org, members):
        client = client_for(members[0].user)
        small = make_round(staff, term, unit_org, candidates=4, places=3, status=S.VOTING, session=make_session(term, 1))
        big = make_round(staff, term, unit_org, candidates=12, places=10, status=S.VOTING, session=make_session(term, 2))
        counts = []
        for r in (small, big):
            url = reverse("supervision:livelihood_round", args=[r.pk])
            client.get(url)
            with CaptureQueriesContext(connection) as q:
                client.get(url)
            counts.append(len(q))
        assert counts[0] == counts[1]


class TestTheUnitWorkspace:
    def test_the_organ_reports_a_quarter_and_an_overdue_one_is_on_the_leaders_list(self, staff, term, unit_org,
                                                                                    unit_user, members, leader):
        round_ = make_round(staff, term, unit_org, status=S.VOTING)
        services.livelihood_enter_paper(actor=staff, round_=round_, voters=members[:3], ballots=[[1, 2, 3]] * 3)
        round_ = services.livelihood_implement(actor=staff, round_=services.livelihood_count(actor=staff, round_=round_))
        client = client_for(unit_user)
        inbox = client.get(reverse("unit:inbox")).content.decode()
        assert reverse("supervision_livelihood_unit:list") in inbox
        listing = client.get(reverse("supervision_livelihood_unit:list")).content.decode()
        assert "老旧小区加装电梯" in listing and "已报送进展0次" in listing
        project = numbered(round_)[1]
        url = reverse("supervision_livelihood_unit:project", args=[project.pk])
        assert 'data-transition="report"' in client.get(url).content.decode()
        body = client.post(url, {"progress": 30, "text": "短"}).content.decode()
        assert "进展情况过短" in body
        assert client.post(url, {"progress": 30, "text": "已完成选址和设计，正在招标施工单位。"}).status_code == 302
        assert LivelihoodReport.objects.filter(project=project, submitted_at__isnull=False).count() == 1
        # a report past its date on the leaders' list of overdue items
        LivelihoodReport.objects.filter(project=numbered(round_)[2]).update(due_date=datetime.date.today()
                                                                             - datetime.timedelta(days=3))
        overdue = client_for(leader).get(reverse("congress:overdue")).content.decode()
        assert "民生实事项目" in overdue and "城区道路积水点改造" in overdue

    def test_only_the_owner_organ_finds_a_chosen_project(self, staff, term, unit_org, unit_user, other_unit_user, members):
        round_ = make_round(staff, term, unit_org, status=S.VOTING)
        services.livelihood_enter_paper(actor=staff, round_=round_, voters=members[:3], ballots=[[1, 2, 3]] * 3)
        round_ = services.livelihood_implement(actor=staff, round_=services.livelihood_count(actor=staff, round_=round_))
        chosen, not_chosen = numbered(round_)[1], numbered(round_)[4]
        url = reverse("supervision_livelihood_unit:project", args=[chosen.pk])
        assert client_for(unit_user).get(url).status_code == 200
        # the owner's candidate that the vote did not choose is no project to report on
        not_found = reverse("supervision_livelihood_unit:project", args=[not_chosen.pk])
        assert client_for(unit_user).get(not_found).status_code == 404
        other = client_for(other_unit_user)
        assert other.get(url).status_code == 404
        assert other.post(url, {"progress": 30, "text": "已完成选址和设计，正在招标施工单位。"}).status_code == 404
        assert not LivelihoodReport.objects.filter(project=chosen, submitted_at__isnull=False).exists()

    def test_the_organ_proposes_a_candidate(self, staff, term, unit_org, unit_user):
        round_ = make_round(staff, term, unit_org, candidates=0, status=S.COLLECTING)
        client = client_for(unit_user)
        assert 'data-transition="propose_unit"' in client.get(reverse("supervision_livelihood_unit:list")).content.decode()
        response = client.post(reverse("supervision_livelihood_unit:propose", args=[round_.pk]), {"title": "口袋公园"})
        assert response.status_code == 302
        assert LivelihoodProject.objects.get().proposed_by_organization == unit_org

    def test_the_list_does_not_grow_in_queries(self, staff, term, unit_org, unit_user, members):
        def implemented(n):
            r = make_round(staff, term, unit_org, status=S.VOTING, session=make_session(term, n))
            services.livelihood_enter_paper(actor=staff, round_=r, voters=members[:3], ballots=[[1, 2, 3]] * 3)
            services.livelihood_implement(actor=staff, round_=services.livelihood_count(actor=staff, round_=r))

        client = client_for(unit_user)
        implemented(1)
        client.get(reverse("supervision_livelihood_unit:list"))
        with CaptureQueriesContext(connection) as few:
            client.get(reverse("supervision_livelihood_unit:list"))
        implemented(2)
        implemented(3)
        with CaptureQueriesContext(connection) as many:
            body = client.get(reverse("supervision_livelihood_unit:list")).content.decode()
        assert body.count("已报送进展") == 9 and len(few) == len(many)


def test_the_annual_reports_chapter(staff, term, unit_org, members):
    from supervision.chapters_livelihood import livelihood_chapter

    round_ = make_round(staff, term, unit_org, status=S.VOTING)
    services.livelihood_enter_paper(actor=staff, round_=round_, voters=members[:3], ballots=[[1, 2, 3], [1, 2], [1, 2, 3, 4]])
    services.livelihood_count(actor=staff, round_=round_)
    start = round_.session.start_date
    chapter = livelihood_chapter(start.replace(month=1, day=1), start.replace(month=12, day=31))
    assert chapter.figures["票决（次）"] == 1 and chapter.figures["候选项目（个）"] == 5
    assert chapter.figures["票决确定项目（个）"] == 2 and chapter.figures["其中无效票"] == 1
    assert [row[:4] for row in chapter.tables[0].rows] == [[1, "老旧小区加装电梯", "区住房和城乡建设局", 2],
                                                           [1, "城区道路积水点改造", "区住房和城乡建设局", 2]]


def test_the_deputys_duty_record_lists_proposals_and_votes(staff, term, unit_org, members):
    from deputies import seams

    today = datetime.date.today()
    voting = make_round(staff, term, unit_org, status=S.VOTING, session=make_session(term, 1, start=today))
    services.livelihood_vote(actor=members[0].user, round_=voting, projects=[])
    collecting = make_round(staff, term, unit_org, candidates=0, status=S.COLLECTING, session=make_session(term, 2))
    services.livelihood_propose(actor=members[0].user, round_=collecting, title="社区食堂")
    titles = sorted(i.title for i in seams.external_items(members[0], today.year) if i.kind == "民生实事")
    assert titles == ["参加" + voting.title, "提出民生实事候选项目：社区食堂"]
    assert not [i for i in seams.external_items(members[1], today.year) if i.kind == "民生实事"]


class TestTheHomeAsksNothingWhileNoRoundIsOpen:
    """The portal home's livelihood panel asks the workflow's kept fact (LIVELIHOOD.kept) before the deputy's rounds:
    while no round collects or votes, no query of rounds per deputy; a round opened through the services shows on the
    next page once its transaction commits."""

    @pytest.fixture(autouse=True)
    def kept(self, settings):
        settings.WORKFLOW_FACTS_SECONDS = 300
        from supervision.workflows import LIVELIHOOD

        LIVELIHOOD._changed_now()  # a fresh generation: nothing another test kept

    def test_the_panel_appears_when_the_vote_opens(self, staff, term, unit_org, members,
                                                   django_capture_on_commit_callbacks):
        client = client_for(members[0].user)
        with django_capture_on_commit_callbacks(execute=True):
            round_ = make_round(staff, term, unit_org, status=S.SHORTLISTED)
        client.get(reverse("portal:home"))
        with CaptureQueriesContext(connection) as seen:
            home = client.get(reverse("portal:home")).content.decode()
        assert 'id="panel-livelihood"' not in home
        assert not [q for q in seen.captured_queries if 'FROM "supervision_livelihoodround"' in q["sql"]]
        with django_capture_on_commit_callbacks(execute=False) as at_commit:
            services.livelihood_open(actor=staff, round_=round_)
        # until the opening commits, the others' pages keep the fact as it was
        assert 'id="panel-livelihood"' not in client.get(reverse("portal:home")).content.decode()
        for callback in at_commit:  # the commit
            callback()
        home = client.get(reverse("portal:home")).content.decode()
        assert 'data-transition="vote"' in home.split('id="panel-livelihood"')[1]
