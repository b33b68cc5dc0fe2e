"""国家机关进家站点 in the handling units' workspace: /unit/organ/ (the organ's items and visits)."""
from django.urls import path

from stations import views_organs

app_name = "stations_organ_unit"
urlpatterns = [
    path("", views_organs.item_list, name="items"),
    path("items/<id:pk>/", views_organs.item_edit, name="item"),
    path("visits/", views_organs.visit_list, name="visits"),
    path("visits/new/", views_organs.visit_new, name="visit_new"),
]
