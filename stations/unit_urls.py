"""The handling units' part of the opinions' closed loop, inside their workspace: /unit/opinions/."""
from django.urls import path

from stations import views

app_name = "stations_unit"
urlpatterns = [
    path("", views.unit_opinion_list, name="list"),
    path("<id:pk>/", views.unit_opinion_detail, name="detail"),
]
