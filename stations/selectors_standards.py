"""Reads about the 八有 standards and the star ratings: the stars a total earns, an appraisal's total and what is left
to score, whether a year's criteria are locked, the stations missing a standard item, a station's appraisal history."""
from decimal import Decimal

from django.db.models import Sum
from django.http import Http404

from stations.conf import stations_setting
from stations.models import (
    RatingCriterion,
    RatingScheme,
    StandardItem,
    Station,
    StationAppraisal,
    StationAppraisalScore,
    StationStandard,
)


def stars_for(total) -> int:
    """The stars a total earns: the first threshold (least total, stars) it reaches, from the top; else STAR_FLOOR."""
    total = Decimal(str(total or 0))
    for least, stars in sorted(stations_setting("STAR_THRESHOLDS"), reverse=True):
        if total >= Decimal(str(least)):
            return int(stars)
    return int(stations_setting("STAR_FLOOR"))


def criteria_for_year(year: int) -> list[RatingCriterion]:
    return list(RatingCriterion.objects.filter(scheme__year=year).order_by("order", "id"))


def appraisal_total(appraisal) -> Decimal:
    """The sum of the appraisal's points over its criteria (one query)."""
    return StationAppraisalScore.objects.filter(appraisal=appraisal).aggregate(t=Sum("points"))["t"] or Decimal(0)


def unscored_criteria(appraisal) -> list[str]:
    """The names of the year's criteria the appraisal has no points for yet (one query); none for a legacy entry."""
    if appraisal.is_legacy:
        return []
    return list(RatingCriterion.objects.filter(scheme__year=appraisal.year).exclude(scores__appraisal=appraisal)
                .order_by("order", "id").values_list("name", flat=True))


def scores_over_points(appraisal) -> list[str]:
    """The appraisal's scores above their criterion's points as they stand now (a criterion edited after it was scored
    can leave one), as "名称 得分/分值" texts (one query); none for a legacy entry."""
    if appraisal.is_legacy:
        return []
    from django.db.models import F

    rows = (StationAppraisalScore.objects.filter(appraisal=appraisal, points__gt=F("criterion__max_points"))
            .order_by("criterion__order", "criterion_id").values_list("criterion__name", "points", "criterion__max_points"))
    return [f"“{name}”{points}分（现分值{most}分）" for name, points, most in rows]


def scored_appraisals_in(year: int) -> int:
    """How many of the year's unconfirmed appraisals already hold points (editing the criteria affects them)."""
    return (StationAppraisal.objects.filter(year=year, is_legacy=False, scores__isnull=False)
            .exclude(status=StationAppraisal.Status.CONFIRMED).distinct().count())


def year_locked(year: int) -> bool:
    """A year's criteria are fixed once one of its appraisals (scored by them, not a legacy entry) is confirmed."""
    return _confirmed_in(year).exists()


def _confirmed_in(year):
    return StationAppraisal.objects.filter(year=year, status=StationAppraisal.Status.CONFIRMED, is_legacy=False)


def schemes_with_lock(qs):
    """The schemes with ``is_locked`` annotated (year_locked for each, in the list's one query)."""
    from django.db.models import Exists, OuterRef

    return qs.annotate(is_locked=Exists(_confirmed_in(OuterRef("year"))))


def scheme_locked(scheme) -> bool:
    if scheme is None or scheme.pk is None:
        return False
    annotated = getattr(scheme, "is_locked", None)  # from schemes_with_lock
    return annotated if annotated is not None else year_locked(scheme.year)


def scheme_for_year(year: int) -> RatingScheme | None:
    return RatingScheme.objects.filter(year=year).first()


def latest_confirmed_appraisal(station) -> StationAppraisal | None:
    """What the public station page shows: the latest confirmed appraisal (legacy entries included)."""
    return (StationAppraisal.objects.filter(station=station, status=StationAppraisal.Status.CONFIRMED)
            .order_by("-year").first())


def confirmed_stars_subquery():
    """For annotating stations with the stars of their latest confirmed appraisal (the public list)."""
    from django.db.models import OuterRef, Subquery

    latest = StationAppraisal.objects.filter(station=OuterRef("pk"), status=StationAppraisal.Status.CONFIRMED)
    return Subquery(latest.order_by("-year").values("stars")[:1])


def appraisal_history(station) -> list[StationAppraisal]:
    """A station's appraisals, latest year first, with who scored and confirmed them (one query)."""
    return list(StationAppraisal.objects.filter(station=station).select_related("created_by", "appraised_by")
                .order_by("-year"))


def standard_states(station) -> list[dict]:
    """Each active 八有 item with the station's state against it (None: never recorded, so not met). Two queries."""
    states = {s.item_id: s for s in StationStandard.objects.filter(station=station).select_related("updated_by")}
    return [{"item": item, "state": states.get(item.pk), "met": bool(states.get(item.pk) and states[item.pk].met)}
            for item in StandardItem.objects.filter(is_active=True)]


def standard_gaps(*, towns=None, item=None, town=None) -> list[dict]:
    """Running stations missing at least one active 八有 item (no row, or a row not met), each with the items it misses;
    `towns` is the reader's scope (None: every town), `item` and `town` the filters. Three queries, whatever the
    number of stations."""
    items = list(StandardItem.objects.filter(is_active=True))
    if item is not None:
        items = [i for i in items if i.pk == item.pk]
    stations = Station.objects.filter(is_active=True).select_related("town").order_by("town__sort_order", "name")
    if towns is not None:
        stations = stations.filter(town__in=towns)
    if town is not None:
        stations = stations.filter(town=town)
    stations = list(stations)
    met = set(StationStandard.objects.filter(met=True, station__in=[s.pk for s in stations],
                                             item__in=[i.pk for i in items]).values_list("station_id", "item_id"))
    rows = []
    for station in stations:
        missing = [i for i in items if (station.pk, i.pk) not in met]
        if missing:
            rows.append({"station": station, "missing": missing})
    return rows


def get_standard_photo_for_user(user, pk) -> StationStandard:
    """A state's photo, for whoever may see that station's standards (stations.predicates), else 404."""
    from stations.predicates import can_see_standards

    state = StationStandard.objects.select_related("station", "item").filter(pk=pk).exclude(photo="").first()
    if state is None or not can_see_standards(user, state.station):
        raise Http404("照片不存在或无权查看")
    return state


def appraisals_waiting(towns=None):
    """Submitted appraisals waiting for the committee's confirmation."""
    qs = StationAppraisal.objects.filter(status=StationAppraisal.Status.SUBMITTED)
    return qs if towns is None else qs.filter(station__town__in=towns)




def admin_todos(user, today):
    """The admin index's to-do items of the star ratings (congress.lib.dashboard): submitted appraisals waiting for the
    committee's confirmation; returned ones waiting for their town's staff to score again."""
    from congress.lib.dashboard import Todo
    from congress.predicates import is_committee_staff
    from congress.selectors import towns_for

    if not user.has_perm("stations.change_stationappraisal"):
        return []
    if is_committee_staff(user):
        return [Todo("星级评定待确认", appraisals_waiting().count(), "/admin/stations/stationappraisal/?status__exact=submitted")]
    towns = towns_for(user)
    returned = StationAppraisal.objects.filter(status=StationAppraisal.Status.RETURNED)
    returned = returned if towns is None else returned.filter(station__town__in=towns)
    return [Todo("星级评定被退回待修改", returned.count(), "/admin/stations/stationappraisal/?status__exact=returned")]
