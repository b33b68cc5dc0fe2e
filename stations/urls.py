"""Public station pages: find a 家站点 and its announced reception days (接待选民日), no login."""
from django.urls import path

from stations import views

app_name = "stations"
urlpatterns = [
    path("stations/", views.station_list, name="public_list"),
    path("stations/<int:pk>/", views.station_detail, name="public_detail"),
]
