"""Reads about 国家机关进家站点: the organs' item lists, their visits, and the figures per organ, per station and per
item — each figure list one grouped query, whatever the number of organs or stations."""
from django.db.models import Count, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.http import Http404

from congress.models import Organization
from stations.conf import stations_setting
from stations.models import Station
from stations.models_organs import ORGAN_KINDS, OrganServiceItem, OrganVisit

VisitItem = OrganVisit.items.through


def station_organs() -> QuerySet[Organization]:
    """The organizations that may come to stations (the organ choices of the forms)."""
    return Organization.objects.filter(kind__in=ORGAN_KINDS, is_active=True).order_by("kind", "sort_order", "name")


def organ_items(organ_id: int, *, active_only: bool = False) -> QuerySet[OrganServiceItem]:
    qs = OrganServiceItem.objects.filter(organ_id=organ_id)
    return (qs.filter(is_active=True) if active_only else qs).order_by("sort_order", "name")


def get_item_for_unit(user, pk: int) -> OrganServiceItem:
    """An item of the user's own organ, or 404 (another organ's is not found either)."""
    item = OrganServiceItem.objects.filter(pk=pk, organ_id=user.organization_id).first()
    if item is None:
        raise Http404("没有这个进站事项")
    return item


def organ_visit_list(*, organ_id: int | None = None, station_ids=None) -> QuerySet[OrganVisit]:
    """Visits newest first, with their organ, station and items (a fixed number of queries for any page)."""
    qs = OrganVisit.objects.select_related("organ", "station__town").prefetch_related(
        Prefetch("items", queryset=OrganServiceItem.objects.order_by("sort_order", "name")))
    if organ_id is not None:
        qs = qs.filter(organ_id=organ_id)
    if station_ids is not None:
        qs = qs.filter(station__in=station_ids)
    return qs.order_by("-date", "-pk")


def _visit_filter(year, prefix=""):
    return Q(**{f"{prefix}date__year": year}) if year is not None else Q()


def _sub(qs, group: str, value):
    return Coalesce(Subquery(qs.order_by().values(group).annotate(v=value).values("v")[:1],
                             output_field=IntegerField()), Value(0))


def _with_visit_figures(qs, path: str, year):
    """`qs` annotated with visits, voters served and items handled (visit-item pairs) by its rows (path: "organ" or
    "station")."""
    visits = OrganVisit.objects.filter(**{path: OuterRef("pk")}).filter(_visit_filter(year))
    handled = VisitItem.objects.filter(**{f"organvisit__{path}": OuterRef("pk")}).filter(
        _visit_filter(year, "organvisit__"))
    return qs.annotate(visit_count=_sub(visits, path, Count("pk")), voters_served=_sub(visits, path, Sum("voters_served")),
                       items_handled=_sub(handled, f"organvisit__{path}", Count("pk")))


def organ_figures(*, year: int | None = None) -> list[Organization]:
    """Every organ with an item list or a visit: visits, voters served, items handled. One query."""
    qs = Organization.objects.filter(kind__in=ORGAN_KINDS).filter(
        Q(station_items__isnull=False) | Q(station_visits__isnull=False)).distinct()
    return list(_with_visit_figures(Organization.objects.filter(pk__in=qs.values("pk")), "organ", year)
                .order_by("kind", "sort_order", "name"))


def station_visit_figures(stations: QuerySet[Station], *, year: int | None = None) -> list[Station]:
    """The stations of `stations` that organs visited: visits, voters served, items handled. One query."""
    visited = OrganVisit.objects.filter(_visit_filter(year)).values("station_id")
    return list(_with_visit_figures(stations.filter(pk__in=visited).select_related("town"), "station", year)
                .order_by("town__sort_order", "name"))


def items_handled(*, organ_id: int | None = None, station_id: int | None = None, year: int | None = None,
                  station_ids=None) -> list[dict]:
    """How often each item was handled (visits that handled it), most first: organ, item, count. One query."""
    qs = VisitItem.objects.filter(_visit_filter(year, "organvisit__"))
    if organ_id is not None:
        qs = qs.filter(organvisit__organ_id=organ_id)
    if station_id is not None:
        qs = qs.filter(organvisit__station_id=station_id)
    if station_ids is not None:
        qs = qs.filter(organvisit__station__in=station_ids)
    return list(qs.values("organserviceitem__organ__name", "organserviceitem__name")
                .annotate(n=Count("pk")).order_by("-n", "organserviceitem__organ__name", "organserviceitem__name"))


def public_station_organs(station: Station) -> dict:
    """For the station's public page: the items that can be handled here (the active items of the organs that have
    come to this station, by organ) and its recent visits. Four queries."""
    organs = list(Organization.objects.filter(station_visits__station=station).distinct().order_by("kind", "sort_order", "name")
                  .prefetch_related(Prefetch("station_items", to_attr="active_items", queryset=OrganServiceItem.objects
                                             .filter(is_active=True).order_by("sort_order", "name"))))
    recent = list(organ_visit_list(station_ids=[station.pk]).select_related(None).select_related("organ")
                  [:stations_setting("PUBLIC_RECENT_ORGAN_VISITS")])
    return {"organs": [o for o in organs if o.active_items], "visits": recent}
