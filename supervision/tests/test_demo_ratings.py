"""The demo's rating of appointed officials: last year's round of eleven done with its "一书两函", this year's at 述职."""
import pytest

from congress.demo.seed import seed
from congress.letters.models import OfficialLetter
from supervision.models import RatedOfficial, RatingRound

pytestmark = pytest.mark.django_db


def test_the_demo_has_a_round_done_and_one_at_reporting(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    seed(factor=0.05)
    done, current = RatingRound.objects.order_by("year")
    assert done.status == RatingRound.Status.LETTERS_SENT and done.officials.count() == 11
    grades = list(RatedOfficial.objects.filter(round=done).order_by("id").values_list("grade", flat=True))
    assert grades.count("excellent") == 5 and len(grades) == 11
    assert OfficialLetter.objects.filter(kind="rating_reminder").count() == 6
    assert done.summary_letter.kind == "rating_summary"
    assert current.status == RatingRound.Status.REPORTING
    states = set(current.officials.values_list("status", flat=True))
    assert states == {RatedOfficial.Status.AWAITING, RatedOfficial.Status.REPORTED}
    from congress.models import User

    unit = User.objects.get(username="unit").organization_id
    assert current.officials.filter(organization_id=unit, status="awaiting").exists()
