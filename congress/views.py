from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render

from congress.selectors import system_counts


def home(request):
    """The public landing page: where each kind of user goes."""
    return render(request, "congress/home.html", {"counts": system_counts()})


def healthz(request):
    """Load balancers and docker-compose ask this; it touches the database."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})
