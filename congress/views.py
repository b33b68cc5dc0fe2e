from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from congress import selectors, services


def home(request):
    """The public landing page: where each kind of user goes."""
    return render(request, "congress/home.html", {"counts": selectors.system_counts()})


def healthz(request):
    """Load balancers and docker-compose ask this; it touches the database."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


@login_required
def go(request):
    """After login: each role to its own place."""
    return redirect(selectors.landing_url_for(request.user))


@login_required
def notification_list(request):
    page = Paginator(selectors.notification_list_for(user=request.user), 30).get_page(request.GET.get("page"))
    return render(request, "congress/notifications.html", {"page": page})


@login_required
@require_POST
def notification_read(request, pk=None):
    services.notification_mark_read(actor=request.user, notification_id=pk)
    target = request.POST.get("next") or "congress:notifications"
    if target.startswith("/") and not target.startswith("//"):
        return redirect(target)
    return redirect("congress:notifications")
