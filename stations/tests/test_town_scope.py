"""Town staff see and change only their own town's deputies and stations (django-guardian grant on the town)."""
import pytest
from django.urls import reverse

from conftest import client_for
from deputies.models import Deputy, Mandate
from stations.models import Station
from tests.sample import make_sample


@pytest.fixture
def two_towns(db, town_a, town_b, term, staff):
    return make_sample(town=town_a, term=term, number=0), make_sample(town=town_b, term=term, number=1)


class TestTownStaffScope:
    def test_the_deputy_list_shows_only_their_town(self, two_towns, town_staff):
        own, other = two_towns
        response = client_for(town_staff).get(reverse("admin:deputies_deputy_changelist"))
        assert response.status_code == 200
        shown = list(response.context["cl"].result_list)
        assert shown == [own["deputy"]]

    def test_the_station_list_shows_only_their_town(self, two_towns, town_staff):
        own, other = two_towns
        response = client_for(town_staff).get(reverse("admin:stations_station_changelist"))
        assert [s.pk for s in response.context["cl"].result_list] == [own["station"].pk]

    def test_they_cannot_open_another_towns_deputy_or_station(self, two_towns, town_staff):
        own, other = two_towns
        client = client_for(town_staff)
        for name, obj in [("deputies_deputy", other["deputy"]), ("stations_station", other["station"]),
                          ("deputies_mandate", other["mandate"]), ("stations_stationdeputy", other["stationdeputy"])]:
            response = client.get(reverse(f"admin:{name}_change", args=[obj.pk]))
            # the admin answers "does not exist" with a redirect to its index; nothing of the row is shown
            assert response.status_code == 302, name
            assert response.url == reverse("admin:index")
        assert client.get(reverse("admin:deputies_deputy_change", args=[own["deputy"].pk])).status_code == 200

    def test_a_post_to_another_towns_station_changes_nothing(self, two_towns, town_staff, town_a):
        other = two_towns[1]["station"]
        response = client_for(town_staff).post(reverse("admin:stations_station_change", args=[other.pk]), {
            "name": "被改名的联络站", "kind": "liaison", "town": town_a.pk, "address": "x",
            "assignments-TOTAL_FORMS": 0, "assignments-INITIAL_FORMS": 0,
        })
        assert response.status_code == 302
        other.refresh_from_db()
        assert other.name != "被改名的联络站"

    def test_they_cannot_put_a_new_deputy_into_another_town(self, two_towns, town_staff, town_b):
        before = Deputy.objects.count()
        response = client_for(town_staff).post(reverse("admin:deputies_deputy_add"), {
            "full_name": "越权代表", "gender": "M", "ethnicity": "汉族", "party": "masses", "occupation": "other",
            "id_number": "320602198811026424", "phone": "13900000000", "town": town_b.pk,
            "mandates-TOTAL_FORMS": 0, "mandates-INITIAL_FORMS": 0,
        })
        assert response.status_code == 200  # the form comes back with an error
        assert "town" in response.context["adminform"].form.errors
        assert Deputy.objects.count() == before

    def test_they_can_change_their_own_towns_station(self, two_towns, town_staff, town_a):
        own = two_towns[0]["station"]
        response = client_for(town_staff).post(reverse("admin:stations_station_change", args=[own.pk]), {
            "name": "城东街道代表联络站（新址）", "kind": "liaison", "town": town_a.pk, "address": "新华路8号",
            "is_active": "on", "assignments-TOTAL_FORMS": 0, "assignments-INITIAL_FORMS": 0,
        })
        assert response.status_code == 302, response.content.decode()[:2000]
        own.refresh_from_db()
        assert own.address == "新华路8号"
        # the audit trail has the change with the person who made it
        assert own.history.first().history_user == town_staff

    def test_the_other_towns_staff_sees_the_other_town(self, two_towns, other_town_staff):
        response = client_for(other_town_staff).get(reverse("admin:deputies_deputy_changelist"))
        assert list(response.context["cl"].result_list) == [two_towns[1]["deputy"]]

    def test_committee_staff_see_every_town(self, two_towns, staff):
        response = client_for(staff).get(reverse("admin:deputies_deputy_changelist"))
        assert {d.pk for d in response.context["cl"].result_list} == {t["deputy"].pk for t in two_towns}

    def test_a_town_staff_member_without_a_grant_sees_nothing(self, two_towns, security_admin, town_a):
        from congress import roles
        from congress.services import create_user_with_role

        ungranted = create_user_with_role(username="nogrant", password="Renda@2026pass", role=roles.TOWN_STAFF,
                                          organization=town_a)
        response = client_for(ungranted).get(reverse("admin:deputies_deputy_changelist"))
        assert list(response.context["cl"].result_list) == []
        assert Mandate.objects.count() == 2
        assert Station.objects.count() == 2
