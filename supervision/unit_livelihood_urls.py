"""The owner organs' livelihood projects inside their workspace: /unit/livelihood/."""
from django.urls import path

from supervision.views import livelihood

app_name = "supervision_livelihood_unit"
urlpatterns = [
    path("", livelihood.unit_list, name="list"),
    path("rounds/<id:pk>/propose/", livelihood.unit_propose, name="propose"),
    path("<id:pk>/", livelihood.unit_project, name="project"),
]
