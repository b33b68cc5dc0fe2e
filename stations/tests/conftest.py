"""Stations fixtures: a 代表联络站 in each of the two towns, the deputies of the portal tests (imported, since a
non-root conftest cannot use pytest_plugins), and helpers that build reception days around the notice rule."""
import datetime

import pytest
from django.utils import timezone

from deputies.tests.conftest import deputy, media, other_deputy, other_deputy_user  # noqa: F401
from stations.models import ReceptionDay, ReceptionDuty, Station
from stations.services import reception_schedule


@pytest.fixture
def station_a(db, town_a):
    return Station.objects.create(name="城东街道代表联络站", kind=Station.Kind.LIAISON, town=town_a, address="人民路1号",
                                  opening_hours="周一至周五 8:30—17:30", contact_name="马站长",
                                  contact_phone="0512-66660001")


@pytest.fixture
def station_b(db, town_b):
    return Station.objects.create(name="临江镇代表联络站", kind=Station.Kind.LIAISON, town=town_b, address="滨江路8号")


def days_ahead(n: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=n)


def schedule(actor, station, deputies, *, ahead=3, starts=(9, 0), ends=(11, 30), **kwargs) -> ReceptionDay:
    """Through the service, so the notice rule, the duties and the history are the real ones."""
    return reception_schedule(actor=actor, station_id=station.pk, date=kwargs.pop("date", None) or days_ahead(ahead),
                              starts_at=datetime.time(*starts), ends_at=datetime.time(*ends),
                              deputy_ids=[d.pk for d in deputies], **kwargs)


def reception_row(station, deputies, *, date, status=ReceptionDay.Status.SCHEDULED, starts=(9, 0), ends=(11, 30),
                  **fields) -> ReceptionDay:
    """Straight into the table, bypassing the notice rule: a reception day in the past, or in any state."""
    reception = ReceptionDay.objects.create(station=station, date=date, starts_at=datetime.time(*starts),
                                            ends_at=datetime.time(*ends), status=status, **fields)
    for d in deputies:
        ReceptionDuty.objects.create(reception=reception, deputy=d)
    return reception
