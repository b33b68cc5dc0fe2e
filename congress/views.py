import textwrap

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from congress import selectors, services
from congress.middleware import SecondFactorMiddleware


@require_GET
def home(request):
    """The public landing page: where each kind of user goes."""
    return render(request, "congress/home.html", {"counts": selectors.system_counts()})


@require_GET
def healthz(request):
    """Load balancers and docker-compose ask this; it touches the database."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


def csrf_failure(request, reason=""):
    """settings.CSRF_FAILURE_VIEW: Django's own page is in English and speaks to developers; this one tells the person
    what happened and what to do, in Chinese (templates/403_csrf.html)."""
    from django.middleware.csrf import REASON_NO_CSRF_COOKIE, REASON_NO_REFERER

    context = {"no_cookie": reason == REASON_NO_CSRF_COOKIE, "no_referer": reason == REASON_NO_REFERER}
    return render(request, "403_csrf.html", context, status=403)


@require_GET
@login_required
def go(request):
    """After login: each role to its own place."""
    return redirect(selectors.landing_url_for(request.user))


@require_GET
@login_required
def notification_list(request):
    page = Paginator(selectors.notification_list_for(user=request.user), 30).get_page(request.GET.get("page"))
    return render(request, "congress/notifications.html", {"page": page})


@login_required
@require_POST
def notification_read(request, pk=None):
    services.notification_mark_read(actor=request.user, notification_id=pk)
    target = request.POST.get("next", "")
    # only a path of this site: "//evil.example", "/\\evil.example" or "https://evil.example" go to the list instead
    if target.startswith("/") and url_has_allowed_host_and_scheme(
            target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return redirect(target)
    return redirect("congress:notifications")


@login_required
@require_http_methods(["GET", "POST"])
def second_factor(request):
    """The second step of logging in (and the place a staff member turns TOTP on): a 6-digit code from the phone app;
    the first time, the QR code and the key to add the account to that app."""
    import base64

    import segno

    if not request.user.is_staff:
        return redirect("congress:go")
    target = request.POST.get("next") or request.GET.get("next") or "/admin/"
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = "/admin/"
    if request.user.is_verified():
        return redirect(target)
    device = services.second_factor_device_for(actor=request.user)
    error = ""
    if request.method == "POST":
        try:
            services.second_factor_verify(actor=request.user, request=request, token=request.POST.get("token", ""))
        except services.CongressError as exc:
            error = exc.messages[0]
        else:
            request.session[SecondFactorMiddleware.SESSION_KEY] = True
            return redirect(target)
    context = {"next": target, "error": error, "enrolling": not device.confirmed}
    if not device.confirmed:
        context["qr"] = segno.make(device.config_url, error="m").svg_inline(scale=5)
        context["secret"] = " ".join(textwrap.wrap(base64.b32encode(device.bin_key).decode(), 4))
    return render(request, "registration/second_factor.html", context, status=200 if not error else 400)


@require_GET
@login_required
def search(request):
    """全局搜索: one box over suggestions, replies, voter opinions, duty activities and deputies (congress.lib.search's
    registered sources), grouped by kind, each scoped to what this staff member may see."""
    from django.contrib import admin
    from django.core.exceptions import PermissionDenied

    from congress.lib import search as finder
    from congress.predicates import can_search

    if not can_search(request.user):
        raise PermissionDenied(can_search.refusal)
    query, error = finder.clean_query(request.GET.get("q", ""))
    groups = finder.search(request.user, query, limit=finder.PER_KIND) if query and not error else []
    return render(request, "congress/search.html", {
        **admin.site.each_context(request), "title": "全局搜索", "q": query, "error": error, "groups": groups,
        "per_kind": finder.PER_KIND})


@require_GET
@login_required
def overdue_list(request):
    """逾期事项: every item past its due date across the apps (congress.lib.dashboard.register_overdue: suggestions'
    assignments, rectification items …), the longest overdue first, for leaders and committee staff; by organ. The
    page costs what its own rows cost: the merged query is counted and paged in SQL, each source draws its page."""
    from django.contrib import admin
    from django.core.exceptions import PermissionDenied
    from django.utils import timezone

    from congress.lib import dashboard
    from congress.lib.paging import paginate
    from congress.predicates import can_see_overdue_list

    if not can_see_overdue_list(request.user):
        raise PermissionDenied(can_see_overdue_list.refusal)
    today = timezone.localdate()
    merged = dashboard.MergedOverdue.of(today)  # the sources' UNION, built once for the counts and the page
    organs = merged.organs() if merged is not None else []
    counts = {pk: n for pk, _, n in organs}
    wanted = request.GET.get("organization", "")
    organization_id = int(wanted) if wanted.isdigit() and int(wanted) in counts else None
    total = sum(counts.values())
    shown = total if organization_id is None else counts[organization_id]
    # the organs' counts are the merged items' count: the pager takes it instead of counting the UNION again
    items = merged.for_organization(organization_id) if merged is not None else []
    page, params = paginate(request, items, 30, count=shown)
    return render(request, "congress/overdue.html", {
        **admin.site.each_context(request), "title": "逾期事项", "page": page, "query": params, "organs": organs,
        "rows": dashboard.overdue_rows(list(page), today), "wanted": organization_id, "shown": shown, "total": total})


@require_GET
@login_required
def dashboard(request):
    """领导驾驶舱: this year against the same days of last year, panel by panel, each drawn by its app from its selectors
    (congress.lib.dashboard.register_panel), with the overdue items by organ as a league table linked to the overdue
    list. Charts are SVG drawn here (congress.lib.charts), no JavaScript; a fixed number of queries."""
    from django.contrib import admin
    from django.core.exceptions import PermissionDenied
    from django.utils import timezone

    from congress.lib import charts, statcache
    from congress.lib import dashboard as seams
    from congress.predicates import can_see_dashboard

    if not can_see_dashboard(request.user):
        raise PermissionDenied(can_see_dashboard.refusal)
    today = timezone.localdate()
    period = seams.Period.year_to_date(today)

    def compute():
        panels = [{"panel": panel, "charts": [charts.draw(chart) for chart in panel.charts]}
                  for panel in seams.panels(period)]
        league = seams.overdue_league(today)
        league_chart = charts.bar_chart([name for _, name, _ in league[:10]], [n for _, _, n in league[:10]],
                                        title="逾期事项最多的单位", unit="件")
        return panels, league, league_chart

    (panels, league, league_chart), taken_at = statcache.cached("dashboard", (today,), compute)
    return render(request, "congress/dashboard.html", {
        # the admin's frame without its app list: each_context would read the user's permissions (two queries)
        "site_title": admin.site.site_title, "site_header": admin.site.site_header, "site_url": admin.site.site_url,
        "has_permission": admin.site.has_permission(request), "available_apps": [], "is_popup": False,
        "is_nav_sidebar_enabled": False, "title": "领导驾驶舱", "period": period, "panels": panels,
        "league": league, "league_chart": league_chart, "overdue_total": sum(n for _, _, n in league),
        "taken_at": taken_at, "stats_minutes": settings.STATS_CACHE_SECONDS // 60})
