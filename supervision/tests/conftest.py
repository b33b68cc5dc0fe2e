"""Supervision's test world: a term's committee of members (each a deputy with an account), a meeting, an organ."""
import datetime

import pytest

from conftest import PASSWORD
from congress import roles
from congress.models import Meeting
from congress.services import create_user_with_role
from deputies.models import Deputy, Mandate
from supervision.models import CommitteeMember
from tests.sample import sample_id_number


def make_member(term, town, n: int, *, role=CommitteeMember.Role.MEMBER, account=True, start=None):
    user = create_user_with_role(username=f"member{n}", password=PASSWORD, role=roles.DEPUTY,
                                 full_name=f"委员{n}") if account else None
    deputy = Deputy.objects.create(full_name=f"委员{n}", gender="M", id_number=sample_id_number(500 + n), town=town,
                                   user=user)
    Mandate.objects.create(deputy=deputy, level=Mandate.Level.DISTRICT, term=term, start_date=datetime.date(2021, 10, 1))
    CommitteeMember.objects.create(term=term, deputy=deputy, role=role, start_date=start or datetime.date(2021, 10, 1))
    return deputy


@pytest.fixture
def members(term, town_a):
    """Ten members of the committee, each with an account."""
    return [make_member(term, town_a, n) for n in range(1, 11)]


@pytest.fixture
def meeting(term):
    return Meeting.objects.create(term=term, kind=Meeting.Kind.STANDING, number=40, date=datetime.date.today())


@pytest.fixture
def other_unit_user(db):
    from congress.models import Organization

    org = Organization.objects.create(name="区交通运输局", kind=Organization.Kind.DEPARTMENT, is_handling_unit=True)
    return create_user_with_role(username="unit_b", password=PASSWORD, role=roles.HANDLING_UNIT, full_name="钱科长",
                                 organization=org)
