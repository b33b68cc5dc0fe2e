"""The demo's 《消防法》执法检查: a team with the demo deputy on it, three site visits, problems assigned as rectification
items after the report was deliberated; the visits are in the demo deputy's duty record."""
import pytest

from congress.demo.seed import seed
from deputies import seams
from deputies.models import Deputy
from supervision.models import Inspection, Rectification

pytestmark = pytest.mark.django_db


def test_the_demo_has_a_fire_law_inspection(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    seed(factor=0.05)
    inspection = Inspection.objects.get()
    assert "消防法" in inspection.law and inspection.status == Inspection.Status.RECTIFYING
    assert inspection.team.count() == 5 and inspection.team.filter(role="leader").count() == 1
    assert inspection.visits.count() == 3 and inspection.problems.count() == 3
    assert Rectification.objects.filter(source_workflow="inspection", source_id=inspection.pk).count() == 3
    demo = Deputy.objects.get(user__username="deputy")
    assert inspection.team.filter(deputy=demo).exists()
    went = inspection.visits.filter(participants=demo)
    items = [i for year in {v.date.year for v in went} for i in seams.external_items(demo, year) if i.kind == "执法检查"]
    assert len(items) == went.count()
