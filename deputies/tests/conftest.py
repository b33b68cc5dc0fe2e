"""Portal fixtures: a deputy linked to the conftest deputy user, another deputy (the outsider), an activity type
with a point rule, and photos written to a temporary MEDIA_ROOT."""
import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from congress import roles
from congress.services import create_user_with_role
from deputies.models import Deputy, DutyActivityType, Mandate, PointRule
from tests.sample import sample_id_number


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def make_deputy(number, town, term, user=None, name="周建华"):
    deputy = Deputy.objects.create(full_name=name, gender="M", id_number=sample_id_number(number), town=town, user=user)
    Mandate.objects.create(deputy=deputy, level=Mandate.Level.DISTRICT, term=term, start_date=datetime.date(2021, 10, 1))
    return deputy


@pytest.fixture
def deputy(deputy_user, town_a, term):
    return make_deputy(101, town_a, term, deputy_user, "周建华")


@pytest.fixture
def other_deputy_user(db):
    from conftest import PASSWORD

    return create_user_with_role(username="deputy2", password=PASSWORD, role=roles.DEPUTY, full_name="吴代表")


@pytest.fixture
def other_deputy(other_deputy_user, town_a, term):
    return make_deputy(102, town_a, term, other_deputy_user, "吴丽")


@pytest.fixture
def inspection(db):
    kind = DutyActivityType.objects.create(name="视察", checklist_item="supervision")
    PointRule.objects.create(activity_type=kind, points_present=3, points_absent=-1,
                             effective_from=datetime.date(2020, 1, 1))
    return kind


def jpeg(width=2400, height=1200, name="photo.jpg") -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", (width, height), (200, 30, 30)).save(out, "JPEG")
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/jpeg")
