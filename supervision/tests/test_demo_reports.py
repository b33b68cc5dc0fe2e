"""The demo's year of special work reports: every stage a page shows, one re-report after a 不满意 poll."""
import pytest

from congress.demo.seed import seed
from supervision.models import ReportSubmission, ReviewOpinion, SatisfactionPoll, WorkReport

pytestmark = pytest.mark.django_db


def test_the_demo_has_a_year_of_work_reports(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    seed(factor=0.05)
    assert set(WorkReport.objects.values_list("status", flat=True)) >= {"opinion_sent", "draft", "planned"}
    assert set(ReviewOpinion.objects.values_list("status", flat=True)) == {"closed", "rereported", "sent"}
    polls = SatisfactionPoll.objects.filter(source_workflow="review_opinion")
    assert set(polls.values_list("result", flat=True)) == {"satisfied", "unsatisfied"}
    assert ReportSubmission.objects.filter(kind="rereport").count() == 1
