from django.urls import path

from supervision.views import portal, unit

app_name = "supervision"
urlpatterns = [
    path("portal/polls/", portal.poll_list, name="polls"),
    path("portal/polls/<id:pk>/", portal.poll_vote, name="poll_vote"),
    path("supervision/rectification-reports/<id:pk>/evidence/", unit.rectification_evidence,
         name="rectification_evidence"),
]
