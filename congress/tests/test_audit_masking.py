"""The audit administrator reads every change, but ID and phone numbers in the history show masked (docs/rules.md: the
full value only with a permission, every view logged)."""
import pytest
from django.urls import reverse

from conftest import client_for
from stations.models import VoterOpinion
from tests.sample import make_sample

pytestmark = pytest.mark.django_db


def test_a_deputys_history_shows_the_id_and_phone_masked(audit_admin, town_a, term):
    deputy = make_sample(town=town_a, term=term)["deputy"]
    record = deputy.history.first()
    page = client_for(audit_admin).get(reverse("admin:deputies_historicaldeputy_change", args=[record.pk]))
    assert page.status_code == 200
    text = page.content.decode()
    assert deputy.id_number not in text and deputy.phone not in text
    assert deputy.id_number_masked in text and deputy.phone_masked in text


def test_a_voters_phone_shows_masked_in_the_history(audit_admin, town_a, term):
    station = make_sample(town=town_a, term=term)["station"]
    opinion = VoterOpinion.objects.create(tracking_code="HISTORY234", station=station, content="路灯坏了很久没人修",
                                          phone="13912345678")
    opinion.save()
    record = opinion.history.first()
    text = client_for(audit_admin).get(
        reverse("admin:stations_historicalvoteropinion_change", args=[record.pk])).content.decode()
    assert "13912345678" not in text and opinion.phone_masked in text
