"""The demo seed: real rows with valid personal data, one working login per role, idempotent, deterministic."""
import datetime
import io
import random

import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command
from django.db import transaction
from django.test import RequestFactory

from congress import roles
from congress.demo import data
from congress.demo.seed import apportion, people, seed
from congress.lib.idcard import birth_date_from_id, gender_from_id, id_number_problem
from congress.models import Appointment, Meeting, Organization, Term, User
from congress.services import managed_town_ids
from deputies.models import Deputy, DeputyGroup, DeputyGroupMembership, DutyActivity, Mandate
from stations.models import Station, StationDeputy

SMALL = 0.05


@pytest.fixture(autouse=True)
def fast_hasher(settings):
    # Each seed hashes eight demo passwords; the production hasher would spend most of these tests on that.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def run(*args) -> str:
    out = io.StringIO()
    call_command("seed_demo", *args, stdout=out)
    return out.getvalue()


def fingerprint() -> list:
    """What a second run must reproduce: people, places and activities, in creation order."""
    return [
        list(Deputy.objects.order_by("id").values_list("full_name", "id_number", "phone", "town__name")),
        list(Station.objects.order_by("id").values_list("name", "address", "contact_name")),
        list(DutyActivity.objects.order_by("id").values_list("title", "date", "status")[:200]),
        list(Appointment.objects.order_by("id").values_list("person_name", "position", "decided_on")),
    ]


@pytest.mark.django_db
def test_small_seed_creates_a_consistent_district():
    output = run("--factor", str(SMALL))

    assert Term.objects.get(is_current=True).number == 17
    assert Term.objects.get(number=16).end_date is not None
    assert Organization.objects.filter(kind__in=Organization.TOWN_KINDS).count() == 15
    assert Organization.objects.filter(kind=Organization.Kind.DEPARTMENT, is_handling_unit=True).count() >= 30
    assert Organization.objects.filter(kind=Organization.Kind.STATE_ORGAN, is_handling_unit=True).count() == 4
    assert Meeting.objects.filter(kind=Meeting.Kind.STANDING).count() >= 25
    for meeting in Meeting.objects.all()[:20]:
        assert 3 <= meeting.agenda_items.count() <= 6

    district = Mandate.objects.filter(level=Mandate.Level.DISTRICT, term__number=17)
    assert district.count() == 20
    deputies = list(Deputy.objects.all())
    assert len(deputies) == 20 + 50
    for deputy in deputies:
        assert id_number_problem(deputy.id_number) is None, deputy.id_number
        assert birth_date_from_id(deputy.id_number) == deputy.birth_date
        assert datetime.date(1960, 1, 1) <= deputy.birth_date <= datetime.date(1995, 12, 31)
        assert gender_from_id(deputy.id_number) == deputy.gender
        assert deputy.phone[:2] in {"13", "15", "18"} and len(deputy.phone) == 11 and deputy.phone.isdigit()
        assert 2 <= len(deputy.full_name) <= 3
        assert deputy.town.is_town
    # Every mandate of the district's own term sits in a constituency inside the deputy's town.
    for mandate in Mandate.objects.filter(term__number=17).select_related("constituency", "deputy"):
        assert mandate.constituency.town_id == mandate.deputy.town_id
    assert Mandate.objects.filter(level__in=["city", "provincial"], term=None).exclude(term_label="").count() == \
        Mandate.objects.filter(level__in=["city", "provincial"]).count()

    assert Station.objects.filter(kind=Station.Kind.HOME).count() == 15
    assert StationDeputy.objects.exists()
    assert DeputyGroup.objects.filter(kind=DeputyGroup.Kind.REGIONAL).count() == 15
    assert DeputyGroup.objects.filter(kind=DeputyGroup.Kind.PROFESSIONAL, working_body__isnull=False).count() == 6
    assert DeputyGroupMembership.objects.filter(role="leader").count() == DeputyGroup.objects.count()
    activities = DutyActivity.objects.all()
    assert activities.count() == 150
    for activity in activities.prefetch_related("participations"):
        assert 1 <= len(activity.participations.all()) <= 15
    assert activities.filter(status=DutyActivity.Status.VERIFIED).count() > 100
    assert "sysadmin / Xitong@2026" in output


@pytest.mark.django_db
def test_every_demo_login_works_and_has_its_role():
    result = seed(SMALL)
    request = RequestFactory().get("/")
    assert [a["username"] for a in result["accounts"]] == [a[0] for a in data.DEMO_ACCOUNTS]
    for account in result["accounts"]:
        user = authenticate(request=request, username=account["username"], password=account["password"])
        assert user is not None, account["username"]
        assert list(user.groups.values_list("name", flat=True)) == [account["role"]]
    assert not User.objects.filter(is_superuser=True).exists()
    town = User.objects.get(username="town")
    assert managed_town_ids(town) == [Organization.objects.get(name="城东街道").pk]
    assert User.objects.get(username="unit").organization.name == "区住房和城乡建设局"
    assert User.objects.get(username="staff").organization.name == "人事代表工作委员会"
    deputy = Deputy.objects.get(user__username="deputy")
    assert deputy.mandates.filter(level=Mandate.Level.DISTRICT, status=Mandate.Status.SERVING).exists()
    assert User.objects.get(username="deputy").groups.get().name == roles.DEPUTY


@pytest.mark.django_db
def test_second_run_is_a_no_op():
    run("--factor", str(SMALL))
    before = seed(SMALL)["counts"]
    output = run("--factor", str(SMALL))
    assert "演示数据已存在，跳过" in output
    assert seed(SMALL)["counts"] == before


@pytest.mark.django_db
def test_seed_is_deterministic():
    with transaction.atomic():
        seed(SMALL)
        first = fingerprint()
        transaction.set_rollback(True)
    assert not Deputy.objects.exists()
    seed(SMALL)
    assert fingerprint() == first
    assert people(random.Random(2026), 30) == people(random.Random(2026), 30)


def test_apportion_adds_up():
    weights = [w for _, _, w in data.TOWNS]
    for total in (0, 1, 20, 400, 1000, 39999):
        parts = apportion(total, weights)
        assert sum(parts) == total and len(parts) == 15


@pytest.mark.django_db
def test_district_scale():
    seed(1.0)
    district = Mandate.objects.filter(level=Mandate.Level.DISTRICT, term__number=17).count()
    assert 380 <= district <= 420
    assert 950 <= Deputy.objects.exclude(mandates__level=Mandate.Level.DISTRICT).count() <= 1050
    assert 190 <= Station.objects.count() <= 210
    assert Organization.objects.filter(kind=Organization.Kind.DEPARTMENT).count() >= 30
    assert Organization.objects.filter(kind__in=Organization.TOWN_KINDS).count() == 15
    assert 2000 <= DutyActivity.objects.count() <= 5000
    parties = Deputy.objects.filter(mandates__level=Mandate.Level.DISTRICT)
    share = parties.filter(party="cpc").count() / parties.count()
    assert 0.6 <= share <= 0.8
    assert Mandate.objects.filter(status=Mandate.Status.ENDED).exclude(end_reason="").exists()
    # Some district deputies also sit in their town's congress.
    assert Mandate.objects.filter(level=Mandate.Level.TOWN, deputy__mandates__level=Mandate.Level.DISTRICT).exists()
