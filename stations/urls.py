"""Public station pages, no login: find a 家站点 and its reception days (接待选民日); leave an opinion (社情民意) by
scanning the station's QR code and follow it by its tracking code."""
from django.urls import path

from stations import views

app_name = "stations"
urlpatterns = [
    path("stations/", views.station_list, name="public_list"),
    path("stations/<id:pk>/", views.station_detail, name="public_detail"),
    path("stations/<id:pk>/qr.svg", views.station_qr, name="qr"),
    path("stations/<id:pk>/opinion/", views.opinion_new, name="opinion_new"),
    path("opinions/", views.opinion_lookup, name="opinion_lookup"),
    path("opinions/<code:code>/", views.opinion_track, name="opinion_track"),
]
