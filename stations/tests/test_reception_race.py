"""Two staff members booking the same deputy for the same hour at two stations at once: one booking wins, the other
is told the deputy is busy (the deputies' rows are locked while the check runs)."""
import datetime
import threading

import pytest
from django.db import connection

from congress.services import CongressError
from stations.models import ReceptionDay


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_bookings_of_one_deputy_leave_one():
    if connection.vendor != "postgresql":
        pytest.skip("the race needs a server database")
    from congress import roles
    from congress.models import Organization, Term
    from congress.roles import sync_role_permissions
    from congress.services import create_user_with_role
    from deputies.tests.conftest import make_deputy
    from stations.models import Station
    from stations.services import reception_schedule

    sync_role_permissions()  # a flushed database has no role groups
    term = Term.objects.create(number=17, start_date=datetime.date(2021, 10, 1), is_current=True)
    town = Organization.objects.create(name="城东街道", kind=Organization.Kind.STREET)
    deputy = make_deputy(960, town, term, None, "周代表")
    stations = [Station.objects.create(name=f"城东联络站{i}", kind=Station.Kind.LIAISON, town=town, address="人民路")
                for i in range(2)]
    clerks = [create_user_with_role(username=f"race_staff{i}", password="Renda@2026pass", role=roles.COMMITTEE_STAFF)
              for i in range(2)]
    day = datetime.date.today() + datetime.timedelta(days=10)
    barrier = threading.Barrier(2)
    outcomes, errors = [None, None], []

    def book(slot):
        from django.db import connections

        try:
            barrier.wait()
            reception_schedule(actor=clerks[slot], station_id=stations[slot].pk, date=day, starts_at=datetime.time(9),
                               ends_at=datetime.time(11), deputy_ids=[deputy.pk])
            outcomes[slot] = "booked"
        except CongressError as exc:
            outcomes[slot] = exc.messages[0]
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=book, args=(i,)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert outcomes.count("booked") == 1, outcomes
    refused = next(o for o in outcomes if o != "booked")
    assert "已安排" in refused, outcomes
    assert ReceptionDay.objects.count() == 1
