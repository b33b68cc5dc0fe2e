"""A small world for the suggestion lifecycle: a session, deputies with logins, three handling units with users,
and helpers that move a suggestion to any state through the services themselves."""
import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from conftest import PASSWORD
from congress import roles
from congress.models import CongressSession, Organization
from congress.services import create_user_with_role
from deputies.models import Deputy
from proposals import services
from proposals.models import SuggestionCategory
from tests.sample import sample_id_number


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    # the named actors log in with real passwords; hashing them at full strength makes each test seconds slower
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def pdf(name="答复函.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n",
                              content_type="application/pdf")


def make_deputy(name, town, number, user=None) -> Deputy:
    return Deputy.objects.create(full_name=name, gender="M", id_number=sample_id_number(900 + number), town=town,
                                 user=user)


@pytest.fixture
def session(term):
    return CongressSession.objects.create(term=term, number=2, start_date=datetime.date(2026, 1, 5),
                                          end_date=datetime.date(2026, 1, 8))


@pytest.fixture
def next_session(term):
    return CongressSession.objects.create(term=term, number=3, start_date=datetime.date(2099, 1, 5),
                                          end_date=datetime.date(2099, 1, 8))


@pytest.fixture
def category(db):
    return SuggestionCategory.objects.create(name="城乡建设")


@pytest.fixture
def lead(deputy_user, town_a):
    return make_deputy("周代表", town_a, 1, user=deputy_user)


@pytest.fixture
def cosigner_user(db):
    return create_user_with_role(username="cosigner", password=PASSWORD, role=roles.DEPUTY, full_name="吴代表")


@pytest.fixture
def cosigner(cosigner_user, town_a):
    return make_deputy("吴代表", town_a, 2, user=cosigner_user)


@pytest.fixture
def other_deputy_user(db, town_b):
    user = create_user_with_role(username="deputy2", password=PASSWORD, role=roles.DEPUTY, full_name="郑代表")
    make_deputy("郑代表", town_b, 3, user=user)
    return user


@pytest.fixture
def unit2(db):
    return Organization.objects.create(name="区交通运输局", kind=Organization.Kind.DEPARTMENT, is_handling_unit=True)


@pytest.fixture
def unit3(db):
    return Organization.objects.create(name="区水务局", kind=Organization.Kind.DEPARTMENT, is_handling_unit=True)


@pytest.fixture
def unit2_user(unit2):
    return create_user_with_role(username="unit2", password=PASSWORD, role=roles.HANDLING_UNIT, organization=unit2)


@pytest.fixture
def unit3_user(unit3):
    return create_user_with_role(username="unit3", password=PASSWORD, role=roles.HANDLING_UNIT, organization=unit3)


class Flow:
    """Moves a suggestion forward through the real services."""

    def __init__(self, staff, deputy_user, lead, session, category):
        self.staff, self.deputy_user, self.lead, self.session, self.category = staff, deputy_user, lead, session, category

    def draft(self, title="关于加快老旧小区加装电梯的建议", content="老旧小区居民上下楼困难，建议加快加装电梯。"):
        return services.suggestion_create(actor=self.deputy_user, title=title, content=content,
                                          category=self.category, session=self.session)

    def submitted(self, **kwargs):
        s = self.draft(**kwargs)
        return services.suggestion_submit(actor=self.deputy_user, suggestion=s)

    def registered(self, **kwargs):
        return services.suggestion_register(actor=self.staff, suggestion=self.submitted(**kwargs))

    def assigned(self, lead_unit, assisting=(), assigned_on=None, **kwargs):
        s = self.registered(**kwargs)
        made = services.suggestion_assign(actor=self.staff, suggestion=s, lead=lead_unit, assisting=assisting,
                                          assigned_on=assigned_on)
        s.refresh_from_db()
        return s, made

    def replied(self, lead_unit, unit_user, result="A", **kwargs):
        s, made = self.assigned(lead_unit, **kwargs)
        reply = services.assignment_reply(actor=unit_user, assignment=made[0], letter=pdf(), result=result,
                                          publishable=True)
        s.refresh_from_db()
        return s, made[0], reply


@pytest.fixture
def flow(staff, deputy_user, lead, session, category):
    return Flow(staff, deputy_user, lead, session, category)
