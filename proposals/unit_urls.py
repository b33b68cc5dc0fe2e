"""The handling units' workspace (/unit/)."""
from django.urls import path

from proposals.views import unit

app_name = "unit"
urlpatterns = [
    path("", unit.inbox, name="inbox"),
    path("<int:pk>/", unit.assignment_detail, name="detail"),
    path("<int:pk>/send-back/", unit.send_back, name="send_back"),
    path("<int:pk>/contact/", unit.contact, name="contact"),
    path("<int:pk>/opinion/", unit.opinion, name="opinion"),
    path("<int:pk>/reply/", unit.reply, name="reply"),
    path("<int:pk>/followup/", unit.followup, name="followup"),
]
