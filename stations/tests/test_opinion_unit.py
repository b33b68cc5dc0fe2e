"""The unit an opinion is referred to answers it in its workspace (/unit/opinions/): it is told, it sees only its
own, it answers once, the town staff are told, and the voter's name and phone are not shown to it."""
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from conftest import PASSWORD, client_for
from congress import roles
from congress.models import Notification, Organization, StateChange
from congress.services import CongressError, create_user_with_role
from stations import services
from stations.models import VoterOpinion

pytestmark = pytest.mark.django_db
PHONE = "13912345678"


@pytest.fixture(autouse=True)
def _no_rate_limit(settings):
    settings.STATIONS = {"OPINION_PER_HOUR": 1000}


def referred(staff, station, unit, text="河道里最近有异味，怀疑有污水直排"):
    opinion = services.opinion_submit(station_id=station.pk, content=text, name="李阿姨", phone=PHONE)
    return services.opinion_refer(actor=staff, opinion_id=opinion.pk, unit_id=unit.pk)


@pytest.fixture
def other_unit_user(db):
    org = Organization.objects.create(name="区生态环境局", kind=Organization.Kind.DEPARTMENT, is_handling_unit=True)
    return create_user_with_role(username="unit2", password=PASSWORD, role=roles.HANDLING_UNIT, organization=org)


class TestReferral:
    def test_the_unit_is_told_and_finds_it_in_its_list(self, staff, station_a, unit_org, unit_user, other_unit_user):
        opinion = referred(staff, station_a, unit_org)
        note = Notification.objects.get(recipient=unit_user, kind="voter_opinion")
        assert note.url == reverse("stations_unit:detail", args=[opinion.pk])
        assert not Notification.objects.filter(recipient=other_unit_user).exists()
        listed = client_for(unit_user).get(reverse("stations_unit:list")).content.decode()
        assert reverse("stations_unit:detail", args=[opinion.pk]) in listed
        assert reverse("stations_unit:detail", args=[opinion.pk]) not in client_for(other_unit_user).get(
            reverse("stations_unit:list")).content.decode()

    def test_another_unit_does_not_find_it(self, staff, station_a, unit_org, other_unit_user):
        opinion = referred(staff, station_a, unit_org)
        assert client_for(other_unit_user).get(reverse("stations_unit:detail", args=[opinion.pk])).status_code == 404

    def test_the_voters_name_and_phone_are_not_shown(self, staff, station_a, unit_org, unit_user):
        opinion = referred(staff, station_a, unit_org)
        page = client_for(unit_user).get(reverse("stations_unit:detail", args=[opinion.pk])).content.decode()
        assert "河道里最近有异味" in page and PHONE not in page and "李阿姨" not in page

    def test_the_inbox_links_to_it(self, unit_user):
        assert 'id="to-opinions"' in client_for(unit_user).get(reverse("unit:inbox")).content.decode()


class TestReply:
    def test_the_unit_answers_on_the_page(self, staff, station_a, unit_org, unit_user, town_staff):
        opinion = referred(staff, station_a, unit_org)
        response = client_for(unit_user).post(reverse("stations_unit:detail", args=[opinion.pk]),
                                              {"reply": "已现场排查，系雨污混接，本月底前完成改造。"})
        assert response.status_code == 302
        opinion.refresh_from_db()
        assert opinion.status == VoterOpinion.Status.REPLIED and opinion.reply.startswith("已现场排查")
        event = StateChange.objects.filter(workflow="opinion", object_id=opinion.pk).last()
        assert (event.action, event.actor, event.from_state, event.to_state) == ("unit_reply", unit_user, "referred", "replied")
        assert opinion.history.first().history_user == unit_user
        assert Notification.objects.filter(recipient=town_staff, title__contains="已答复").exists()
        track = client_for(None).get(reverse("stations:opinion_track", args=[opinion.tracking_code])).content.decode()
        assert "本月底前完成改造" in track and unit_org.name in track

    def test_answering_again_changes_nothing(self, staff, station_a, unit_org, unit_user):
        opinion = referred(staff, station_a, unit_org)
        client = client_for(unit_user)
        client.post(reverse("stations_unit:detail", args=[opinion.pk]), {"reply": "第一次答复"})
        client.post(reverse("stations_unit:detail", args=[opinion.pk]), {"reply": "第二次答复"})
        opinion.refresh_from_db()
        assert opinion.reply == "第一次答复"
        assert opinion.state_changes.filter(action="unit_reply").count() == 1

    def test_a_blank_answer_is_refused_on_the_page(self, staff, station_a, unit_org, unit_user):
        opinion = referred(staff, station_a, unit_org)
        response = client_for(unit_user).post(reverse("stations_unit:detail", args=[opinion.pk]), {"reply": "  "})
        assert response.status_code == 200
        opinion.refresh_from_db()
        assert opinion.status == VoterOpinion.Status.REFERRED

    @pytest.mark.parametrize("who", ["staff", "town_staff", "deputy_user", "other_unit_user"])
    def test_only_the_referred_unit_may_answer(self, who, request, staff, station_a, unit_org):
        opinion = referred(staff, station_a, unit_org)
        with pytest.raises(CongressError, match="承办单位"):
            services.opinion_unit_reply(actor=request.getfixturevalue(who), opinion_id=opinion.pk, reply="答复")
        opinion.refresh_from_db()
        assert opinion.status == VoterOpinion.Status.REFERRED

    def test_an_opinion_not_referred_cannot_be_answered_by_a_unit(self, staff, station_a, unit_org, unit_user):
        opinion = referred(staff, station_a, unit_org)
        services.opinion_reply(actor=staff, opinion_id=opinion.pk, reply="街道已答复")
        with pytest.raises(CongressError, match="不能答复"):
            services.opinion_unit_reply(actor=unit_user, opinion_id=opinion.pk, reply="再答复")

    @pytest.mark.parametrize("who", ["staff", "deputy_user", None])
    def test_the_pages_are_for_units_only(self, who, request):
        user = request.getfixturevalue(who) if who else None
        status = client_for(user).get(reverse("stations_unit:list")).status_code
        assert status == (302 if user is None else 403)


def test_the_list_query_count_does_not_grow(staff, station_a, unit_org, unit_user):
    client, url = client_for(unit_user), reverse("stations_unit:list")

    def count():
        client.get(url)
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    for i in range(2):
        referred(staff, station_a, unit_org, text=f"第{i}条：河道里最近有异味，怀疑有污水直排")
    small = count()
    for i in range(2, 8):
        referred(staff, station_a, unit_org, text=f"第{i}条：河道里最近有异味，怀疑有污水直排")
    assert count() == small


class TestSecondAnswerAfterUnsatisfied:
    """A voter's 不满意 closed the opinion; the loop reopens it once for a second answer, and a second 不满意 closes it
    as 不满意. Driven through the voter's tracking page and the unit's page."""

    def test_the_unit_answers_again_and_a_second_unsatisfied_closes_it(self, staff, station_a, unit_org, unit_user,
                                                                        town_staff):
        opinion = referred(staff, station_a, unit_org)
        unit, voter = client_for(unit_user), client_for(None)
        detail = reverse("stations_unit:detail", args=[opinion.pk])
        track = reverse("stations:opinion_track", args=[opinion.tracking_code])
        unit.post(detail, {"reply": "已安排维修。"})
        voter.post(track, {"satisfaction": "dissatisfied"})
        opinion.refresh_from_db()
        assert (opinion.status, opinion.first_satisfaction, opinion.satisfaction) == (
            VoterOpinion.Status.REFERRED, "dissatisfied", "")
        assert Notification.objects.filter(recipient=unit_user, title__contains="群众不满意").exists()
        assert Notification.objects.filter(recipient=town_staff, title__contains="群众不满意").exists()
        page = voter.get(track).content.decode()
        assert 'id="rate"' not in page and "群众不满意，承办单位重新答复" in page
        assert 'data-transition="unit_reply"' in unit.get(detail).content.decode()
        unit.post(detail, {"reply": "已更换灯具，经回访已修复。"})
        voter.post(track, {"satisfaction": "dissatisfied"})
        opinion.refresh_from_db()
        assert (opinion.status, opinion.satisfaction) == (VoterOpinion.Status.CLOSED, "dissatisfied")
        assert [c.action for c in opinion.state_changes] == [
            "submit", "refer", "unit_reply", "reopen_to_unit", "unit_reply", "rate"]
        from stations.selectors import opinion_rates

        assert opinion_rates(VoterOpinion.objects.filter(pk=opinion.pk))["rated"] == 2

    def test_a_satisfied_voter_closes_it_at_once(self, staff, station_a, unit_org, unit_user):
        opinion = referred(staff, station_a, unit_org)
        client_for(unit_user).post(reverse("stations_unit:detail", args=[opinion.pk]), {"reply": "已修复。"})
        client_for(None).post(reverse("stations:opinion_track", args=[opinion.tracking_code]), {"satisfaction": "basic"})
        opinion.refresh_from_db()
        assert (opinion.status, opinion.first_satisfaction) == (VoterOpinion.Status.CLOSED, "")
