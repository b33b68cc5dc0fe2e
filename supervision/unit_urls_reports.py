"""The organs' special work reports and review opinions inside their workspace: /unit/work-reports/."""
from django.urls import path

from supervision.views import reports

app_name = "supervision_unit_reports"
urlpatterns = [
    path("", reports.work_report_list, name="work_reports"),
    path("<id:pk>/", reports.work_report_detail, name="work_report"),
    path("opinions/<id:pk>/", reports.review_opinion_detail, name="review_opinion"),
]
