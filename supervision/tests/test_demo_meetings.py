"""The demo's 代表约见: the demo deputy's requests in different states, one replied to for them to rate."""
import pytest

from congress.demo.seed import seed
from supervision.models import MeetingRequest
from supervision.workflows import MEETING_REQUEST

pytestmark = pytest.mark.django_db


def test_the_demo_has_requests_in_different_states(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    seed(factor=0.05)
    assert set(MeetingRequest.objects.values_list("status", flat=True)) == {"draft", "proposed", "replied"}
    replied = MeetingRequest.objects.get(status="replied")
    assert replied.attendees.exists() and replied.reply
    assert "rate" in {t.name for t in MEETING_REQUEST.available(replied.drafted_by.user, replied, "portal")}
