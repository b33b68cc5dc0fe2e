"""The appraised departments' work appraisals inside their workspace: /unit/appraisals/."""
from django.urls import path

from supervision.views import appraisals

app_name = "supervision_appraisal_unit"
urlpatterns = [
    path("", appraisals.appraisal_list, name="list"),
    path("<id:pk>/", appraisals.appraisal_detail, name="detail"),
]
