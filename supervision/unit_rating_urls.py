"""The appointed officials' rating inside their organs' workspace: /unit/ratings/."""
from django.urls import path

from supervision.views import ratings

app_name = "supervision_rating_unit"
urlpatterns = [
    path("", ratings.rating_list, name="list"),
    path("<id:pk>/", ratings.rating_detail, name="detail"),
]
