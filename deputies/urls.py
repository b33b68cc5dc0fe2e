"""The deputy portal (/portal/): phone-first pages for deputies, plus the printable QR code staff put up."""
from django.urls import path

from congress.lib import offline
from deputies import views

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("activities/new/", views.activity_new, name="activity_new"),
    path("activities/<id:pk>/", views.activity_detail, name="activity_detail"),
    path("activities/<id:pk>/confirm/", views.activity_confirm, name="activity_confirm"),
    path("photos/<id:pk>/", views.photo, name="photo"),
    path("deputies/<id:pk>/photo/", views.deputy_photo, name="deputy_photo"),
    path("reports/<id:pk>/file/", views.report_file, name="report_file"),
    path("record/", views.record, name="record"),
    path("record/pdf/", views.record_pdf, name="record_pdf"),
    path("points/", views.points, name="points"),
    path("search/", views.search, name="search"),
    path("signin/<uuid:token>/", views.signin, name="signin"),
    path("leave/", views.leave, name="leave"),
    path("reports/", views.reports, name="reports"),
    path("events/<id:pk>/qr.svg", views.event_qr, name="event_qr"),
    # the offline drafts' service worker, served here so that its scope is the portal (congress/lib/offline.py)
    path("sw.js", offline.service_worker, name="sw"),
]
