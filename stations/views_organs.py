"""国家机关进家站点 in the handling units' workspace (/unit/organ/): an organ keeps its list of items handled at
stations and records its visits; and what the station's public page shows of the organs and of its figures."""
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from congress.lib.access import unit_required
from congress.lib.paging import paginate
from congress.services import CongressError
from stations import figures, predicates
from stations import selectors_organs as sel
from stations.conf import stations_setting
from stations.forms_organs import OrganItemForm, OrganVisitForm
from stations.services_organs import organ_item_add, organ_item_update, organ_visit_record


def _organ(request):
    """The user's own organization, if it is one that comes to stations (a department that is not gets 403)."""
    organ = request.user.organization
    if not predicates.is_station_organ(organ):
        raise PermissionDenied("只有国家机关和政府部门可以登记进家站点活动")
    return organ


def _save(request, form, perform, success: str, target: str):
    """Call the service with the form's data; a refusal comes back as the form's error."""
    if request.method == "POST" and form.is_valid():
        try:
            perform(form.cleaned_data)
        except CongressError as exc:
            form.add_error(None, exc.messages)
        else:
            messages.success(request, success)
            return redirect(target)
    return None


@unit_required
@require_http_methods(["GET", "POST"])
def item_list(request):
    """/unit/organ/: the organ's items, and a form to add one."""
    organ = _organ(request)
    form = OrganItemForm(request.POST or None)
    done = _save(request, form, lambda d: organ_item_add(
        actor=request.user, organ_id=organ.pk, name=d["name"], description=d["description"], sort_order=d["sort_order"]),
        "已添加进站事项。", "stations_organ_unit:items")
    if done is not None:
        return done
    return render(request, "stations/unit_organ_items.html", {
        "organ": organ, "items": list(sel.organ_items(organ.pk)), "form": form})


@unit_required
@require_http_methods(["GET", "POST"])
def item_edit(request, pk):
    _organ(request)
    item = sel.get_item_for_unit(request.user, pk)
    form = OrganItemForm(request.POST or None, initial={"name": item.name, "description": item.description,
                                                        "sort_order": item.sort_order, "is_active": item.is_active})
    done = _save(request, form, lambda d: organ_item_update(
        actor=request.user, item_id=item.pk, name=d["name"], description=d["description"], sort_order=d["sort_order"],
        is_active=d["is_active"]), "已保存。", "stations_organ_unit:items")
    if done is not None:
        return done
    return render(request, "stations/unit_organ_item.html", {"item": item, "form": form})


@require_GET
@unit_required
def visit_list(request):
    """/unit/organ/visits/: the organ's visits, newest first."""
    organ = _organ(request)
    page, query = paginate(request, sel.organ_visit_list(organ_id=organ.pk),
                           stations_setting("UNIT_ORGAN_VISITS_PAGE_SIZE"))
    return render(request, "stations/unit_organ_visits.html", {"organ": organ, "page": page, "query": query})


@unit_required
@require_http_methods(["GET", "POST"])
def visit_new(request):
    organ = _organ(request)
    form = OrganVisitForm(request.POST or None, organ=organ, user=request.user)
    done = _save(request, form, lambda d: organ_visit_record(
        actor=request.user, organ_id=organ.pk, station_id=d["station"].pk, date=d["date"], staff_names=d["staff_names"],
        item_ids=[i.pk for i in d["items"]], voters_served=d["voters_served"], results=d["results"]),
        "已登记进站活动。", "stations_organ_unit:visits")
    if done is not None:
        return done
    return render(request, "stations/unit_organ_visit_new.html", {"organ": organ, "form": form})


def public_station_extras(station) -> dict:
    """The station's public page: the organs' items handled here and their recent visits, and its figures (this year
    and in all). Six queries."""
    from congress.lib import statcache

    year = timezone.localdate().year
    # kept STATS_CACHE_SECONDS like the other published figures (the page itself may be kept 300 s by browsers)
    (this_year, total), taken_at = statcache.cached("station_figures", (station.pk, year),
                                                    lambda: figures.one_station_figures(station.pk, year))
    return {**{f"organ_{k}": v for k, v in sel.public_station_organs(station).items()},
            "figures_year": year, "figures_this": this_year, "figures_total": total,
            "figures_taken_at": taken_at if statcache.keeping() else None}
