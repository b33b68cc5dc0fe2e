"""The organs' rectification items inside their workspace: /unit/rectifications/."""
from django.urls import path

from supervision.views import unit

app_name = "supervision_unit"
urlpatterns = [
    path("", unit.rectification_list, name="rectifications"),
    path("<id:pk>/", unit.rectification_detail, name="rectification"),
]
