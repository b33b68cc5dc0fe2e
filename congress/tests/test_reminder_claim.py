"""A reminder is claimed once, even by two scans racing on PostgreSQL."""
import threading

import pytest
from django.db import connection

from congress.models import ReminderClaim
from congress.services import reminder_claim


def test_the_first_claim_wins_and_a_repeat_loses(db):
    assert reminder_claim("assignment:1:due-15") is True
    assert reminder_claim("assignment:1:due-15") is False
    assert reminder_claim("assignment:1:due-7") is True
    assert ReminderClaim.objects.count() == 2


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_scans_claim_each_key_once():
    if connection.vendor != "postgresql":
        pytest.skip("the race needs a server database")
    keys = [f"assignment:{i}:due-3" for i in range(40)]
    barrier = threading.Barrier(2)
    won = [[], []]

    def scan(slot):
        from django.db import connections

        barrier.wait()
        try:
            for key in keys:
                if reminder_claim(key):
                    won[slot].append(key)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=scan, args=(i,)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(won[0] + won[1]) == sorted(keys)
    assert not set(won[0]) & set(won[1])
    assert ReminderClaim.objects.count() == len(keys)


def test_a_batch_claims_only_what_is_new_with_no_database_error(db):
    from django.test.utils import CaptureQueriesContext

    from congress.services import reminder_claim_many

    assert reminder_claim_many(["r:1:0", "r:2:0"]) == {"r:1:0", "r:2:0"}
    assert reminder_claim_many(["r:1:0", "r:2:0", "r:3:0", "r:3:0"]) == {"r:3:0"}
    with CaptureQueriesContext(connection) as ctx:
        assert reminder_claim_many(["r:1:0", "r:2:0", "r:3:0"]) == set()
    assert len(ctx.captured_queries) == 1  # the read: nothing is inserted, so nothing is refused
    assert reminder_claim_many([]) == set()
    assert ReminderClaim.objects.count() == 3
