"""The organs' part of 代表约见 inside their workspace: /unit/meetings/ (the written reply to the deputies)."""
from django.urls import path

from supervision.views import meetings

app_name = "supervision_unit_meetings"
urlpatterns = [
    path("", meetings.unit_meeting_list, name="list"),
    path("<id:pk>/", meetings.unit_meeting_detail, name="detail"),
]
