"""The handling units' workspace (/unit/)."""
from django.urls import path

from proposals.views import unit

app_name = "unit"
urlpatterns = [
    path("", unit.inbox, name="inbox"),
    path("<id:pk>/", unit.assignment_detail, name="detail"),
    path("<id:pk>/send-back/", unit.send_back, name="send_back"),
    path("<id:pk>/contact/", unit.contact, name="contact"),
    path("<id:pk>/opinion/", unit.opinion, name="opinion"),
    path("<id:pk>/reply/", unit.reply, name="reply"),
    path("<id:pk>/followup/", unit.followup, name="followup"),
]
