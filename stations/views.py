"""Public station pages (no login: voters find a station and its announced reception days) and what stations plugs
into the deputy portal (deputies.seams: the upcoming reception duty on the home page)."""
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET, require_http_methods

from congress.lib.access import unit_required
from congress.lib.paging import paginate
from congress.services import CongressError
from stations import selectors, services
from stations.conf import stations_setting
from stations.forms import OpinionForm, OpinionRateForm, OpinionReplyForm, StationSearchForm
from stations.workflows import OPINION


@require_GET
@cache_control(public=True, max_age=300)
def station_list(request):
    form = StationSearchForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    stations = selectors.public_station_pages(today=timezone.localdate(), q=filters.get("q", ""),
                                              town=filters.get("town"), kind=filters.get("kind", ""))
    page, query = paginate(request, stations, stations_setting("PUBLIC_PAGE_SIZE"))
    return render(request, "stations/list.html", {"form": form, "page": page, "query": query})


@require_GET
@cache_control(public=True, max_age=300)
def station_detail(request, pk):
    from stations.views_organs import public_station_extras  # 国家机关进家站点 and the station's figures

    station = selectors.public_station(pk, today=timezone.localdate())
    return render(request, "stations/detail.html", {"station": station, **public_station_extras(station)})


def reception_duty_panel(request, deputy):
    """Portal home: the deputy's next reception duties (none: no panel)."""
    duties = selectors.home_duties(deputy, timezone.localdate(), limit=stations_setting("HOME_RECEPTION_LIMIT"))
    if not duties:
        return None
    return {"template": "stations/panel_reception.html", "context": {"receptions": duties}}


def _client_key(request) -> str:
    """The sender's address for the hourly limit (behind the TLS proxy, the one the proxy passes on)."""
    from congress.lib.clientip import client_address

    return client_address(request) or ""


@require_http_methods(["GET", "POST"])
def opinion_new(request, pk):
    """What a voter's phone opens after scanning the station's QR code."""
    station = selectors.running_station(pk)
    form = OpinionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            opinion = services.opinion_submit(station_id=station.pk, content=data["content"], category=data["category"],
                                              name=data["name"], phone=data["phone"], client_key=_client_key(request))
        except CongressError as exc:
            form.add_error(None, exc.messages)
        else:
            messages.success(request, f"已收到您的意见。查询码 {opinion.tracking_code}，请记下或截图，凭它查看办理进度。")
            return redirect("stations:opinion_track", code=opinion.tracking_code)
    return render(request, "stations/opinion_new.html", {"station": station, "form": form})


@require_GET
def opinion_lookup(request):
    # only the code's own characters: a typed "/" would otherwise break the redirect (a 500 instead of "not found")
    code = "".join(c for c in request.GET.get("code", "").upper() if c.isascii() and c.isalnum())[:12]
    if code:
        return redirect("stations:opinion_track", code=code)
    return render(request, "stations/opinion_lookup.html")


@require_http_methods(["GET", "POST"])
def opinion_track(request, code):
    opinion = selectors.opinion_for_tracking(code)
    target = reverse("stations:opinion_track", args=[opinion.tracking_code])
    form, done = _step(request, OpinionRateForm, target, "感谢您的评价，这条意见已办结。", lambda d: services.opinion_rate(
        tracking_code=opinion.tracking_code, satisfaction=d["satisfaction"]))
    if done is not None:
        return done
    return render(request, "stations/opinion_track.html", {
        "opinion": opinion, "form": form if OPINION.can(request.user, opinion, "rate") else None,
        "timeline": selectors.opinion_timeline(opinion, public=True)})


def _step(request, form_class, target: str, success: str, perform):
    """One closed-loop step from a public or unit page: the service decides whether it may happen (a refusal comes
    back as a message); returns (form to show, redirect or None)."""
    form = form_class(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            perform(form.cleaned_data)
        except CongressError as exc:
            messages.error(request, exc.messages[0])
        else:
            messages.success(request, success)
        return form, redirect(target)
    return form, None


@require_GET
@cache_control(public=True, max_age=3600)
def station_qr(request, pk):
    """The code printed on the station's notice board: it opens the opinion form on a voter's phone."""
    import io

    import segno

    station = selectors.running_station(pk)
    url = request.build_absolute_uri(reverse("stations:opinion_new", args=[station.pk]))
    out = io.BytesIO()
    segno.make(url, error="m").save(out, kind="svg", scale=8, title=station.name[:60])
    return HttpResponse(out.getvalue(), content_type="image/svg+xml")


@require_GET
@unit_required
def unit_opinion_list(request):
    """/unit/opinions/: the opinions referred to this unit (waiting ones, or all with ?all=1)."""
    everything = request.GET.get("all") == "1"
    items = selectors.opinion_list_for_unit(unit_id=request.user.organization_id, open_only=not everything)
    page, query = paginate(request, items, stations_setting("PUBLIC_PAGE_SIZE"))
    return render(request, "stations/unit_opinions.html", {"page": page, "everything": everything, "query": query})


@unit_required
@require_http_methods(["GET", "POST"])
def unit_opinion_detail(request, pk):
    opinion = selectors.get_opinion_for_unit(request.user, pk)
    target = reverse("stations_unit:detail", args=[opinion.pk])
    form, done = _step(request, OpinionReplyForm, target, "已答复，群众凭查询码可以看到。", lambda d: services.opinion_unit_reply(
        actor=request.user, opinion_id=opinion.pk, reply=d["reply"]))
    if done is not None:
        return done
    return render(request, "stations/unit_opinion.html", {
        "opinion": opinion, "form": form if OPINION.can(request.user, opinion, "unit_reply") else None,
        "timeline": selectors.opinion_timeline(opinion, public=True)})
