"""Public station pages (no login: voters find a station and its announced reception days) and what stations plugs
into the deputy portal (deputies.seams: the upcoming reception duty on the home page)."""
from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

from stations import selectors
from stations.conf import stations_setting
from stations.forms import StationSearchForm


@require_GET
@cache_control(public=True, max_age=300)
def station_list(request):
    form = StationSearchForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    stations = selectors.public_station_list(today=timezone.localdate(), q=filters.get("q", ""),
                                             town=filters.get("town"), kind=filters.get("kind", ""))
    page = Paginator(stations, stations_setting("PUBLIC_PAGE_SIZE")).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "stations/list.html", {"form": form, "page": page, "query": query.urlencode()})


@require_GET
@cache_control(public=True, max_age=300)
def station_detail(request, pk):
    return render(request, "stations/detail.html", {"station": selectors.public_station(pk, today=timezone.localdate())})


def reception_duty_panel(request, deputy):
    """Portal home: the deputy's next reception duties (none: no panel)."""
    duties = list(selectors.upcoming_duties_for(deputy, timezone.localdate())[:stations_setting("HOME_RECEPTION_LIMIT")])
    if not duties:
        return None
    return {"template": "stations/panel_reception.html", "context": {"receptions": duties}}
