"""Reads about stations: the public station pages, the deputy's upcoming duties, the monthly reception rule."""
import datetime

from django.db.models import Count, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.shortcuts import get_object_or_404

from congress.lib.prepared import Prepared
from stations.conf import stations_setting
from stations.models import ReceptionDay, ReceptionDuty, Station, StationDeputy


def receptions_this_month(today: datetime.date) -> QuerySet[ReceptionDay]:
    """Reception days of today's month that are not cancelled (scheduled or held). A date range, not year and month
    lookups: EXTRACT() cannot use the (station, date) index, and the admin index counts this for every station."""
    first = today.replace(day=1)
    following = (first + datetime.timedelta(days=32)).replace(day=1)
    return ReceptionDay.objects.filter(date__gte=first, date__lt=following).exclude(
        status=ReceptionDay.Status.CANCELLED)


def upcoming_duties_for(deputy, today: datetime.date) -> QuerySet[ReceptionDay]:
    """The deputy's scheduled reception days from today on, soonest first (one query with the station)."""
    return _upcoming_duties(deputy.pk, today)


def _upcoming_duties(deputy_id, today):
    return (ReceptionDay.objects.filter(duties__deputy_id=deputy_id, status=ReceptionDay.Status.SCHEDULED,
                                        date__gte=today)
            .select_related("station").order_by("date", "starts_at"))


_home_duties = Prepared(lambda deputy_id, today, limit: _upcoming_duties(deputy_id, today)[:limit],
                        params=("deputy_id", "today"))


def home_duties(deputy, today: datetime.date, limit: int) -> list[ReceptionDay]:
    """The first `limit` of upcoming_duties_for, for the portal home (compiled once per process:
    congress.lib.prepared)."""
    return _home_duties(deputy_id=deputy.pk, today=today, limit=limit)


PUBLIC_ORDER = ("town__sort_order", "name", "pk")


def _public_stations(*, q: str = "", town=None, kind: str = "") -> QuerySet[Station]:
    qs = Station.objects.filter(is_active=True)
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(address__icontains=q))
    if town is not None:
        qs = qs.filter(town=town)
    if kind:
        qs = qs.filter(kind=kind)
    return qs


def _with_public_columns(qs, today: datetime.date) -> QuerySet[Station]:
    """The town, the next announced reception day and the latest confirmed stars (subqueries: one query per page)."""
    from stations.selectors_standards import confirmed_stars_subquery

    upcoming = ReceptionDay.objects.filter(station=OuterRef("pk"), status=ReceptionDay.Status.SCHEDULED,
                                           date__gte=today).order_by("date", "starts_at")
    return qs.select_related("town").annotate(next_reception=Subquery(upcoming.values("date")[:1]),
                                              stars=confirmed_stars_subquery())


def public_station_list(*, today: datetime.date, q: str = "", town=None, kind: str = "") -> QuerySet[Station]:
    """Running stations with their next announced reception day and stars, in town order then by name."""
    return _with_public_columns(_public_stations(q=q, town=town, kind=kind), today).order_by(*PUBLIC_ORDER)


class TownOrderedStations:
    """The public list as the pager takes it (count() and slices), in the order of public_station_list, without sorting
    every station of the district for each page: one grouped count of stations per town tells which towns a page
    spans and where in them it starts; then only those towns' stations are read (by the town's index), sorted and
    cut. Towns sharing a sort order stay interleaved by name, as in the one ordered query."""

    def __init__(self, qs: QuerySet[Station], today: datetime.date, filters: tuple = ()):
        self.qs, self.today, self.filters, self._groups = qs, today, filters, None

    def _by_sort_order(self) -> list[tuple[int, list[int], int]]:
        """(town sort order, its towns, stations) in list order. The counts are kept for STATS_CACHE_SECONDS per
        filter (the page itself may be cached that long by browsers: Cache-Control max-age 300)."""
        if self._groups is None:
            from congress.lib import statcache

            self._groups = statcache.cached("public_station_counts", self.filters, self._count_by_town)[0]
        return self._groups

    def _count_by_town(self) -> list[tuple[int, list[int], int]]:
        from congress.models import Organization

        counts = dict(self.qs.order_by().values_list("town_id").annotate(n=Count("pk")))
        groups: dict[int, tuple[list[int], int]] = {}
        for town_id, order in Organization.objects.filter(pk__in=counts).values_list("pk", "sort_order"):
            towns, total = groups.get(order, ([], 0))
            groups[order] = (towns + [town_id], total + counts[town_id])
        return [(order, towns, n) for order, (towns, n) in sorted(groups.items())]

    def count(self) -> int:
        return sum(n for _, _, n in self._by_sort_order())

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, key):
        if not isinstance(key, slice) or key.step not in (None, 1):
            raise TypeError("只支持按页读取")
        start, stop = key.start or 0, key.stop if key.stop is not None else self.count()
        if stop <= start:
            return []
        towns, seen, skip = [], 0, None
        for _, group_towns, n in self._by_sort_order():
            if seen + n > start and seen < stop:
                towns += group_towns
                skip = start - seen if skip is None else skip
            seen += n
        if not towns:
            return []
        # a page within one town (most pages) is read in the order of the index station_public_order
        page = (_with_public_columns(self.qs.filter(town_id=towns[0]), self.today).order_by("name", "pk") if len(towns) == 1
                else _with_public_columns(self.qs.filter(town_id__in=towns), self.today).order_by(*PUBLIC_ORDER))
        return list(page[skip:skip + stop - start])


def public_station_pages(*, today: datetime.date, q: str = "", town=None, kind: str = "") -> TownOrderedStations:
    return TownOrderedStations(_public_stations(q=q, town=town, kind=kind), today,
                               filters=(q, getattr(town, "pk", town), kind))


def running_station(pk: int) -> Station:
    """A station that is running (with its town), or 404: what the QR code and the opinion form open."""
    return get_object_or_404(Station.objects.select_related("town"), pk=pk, is_active=True)


def public_station(pk: int, *, today: datetime.date) -> Station:
    """A running station for its public page, with its deputies, its announced (and cancelled) reception days from
    today on, and the last few held ones: a fixed number of queries."""
    duties = Prefetch("duties", queryset=ReceptionDuty.objects.select_related("deputy").order_by("pk"))
    station = running_station(pk)
    station.upcoming = list(station.receptions.filter(date__gte=today).exclude(status=ReceptionDay.Status.HELD)
                            .order_by("date", "starts_at").prefetch_related(duties, "visiting_units"))
    station.recent = list(station.receptions.filter(status=ReceptionDay.Status.HELD)
                          .order_by("-date", "-starts_at")[:stations_setting("PUBLIC_RECENT_RECEPTIONS")])
    members = StationDeputy.objects.filter(station=station)
    # resident deputies first, then in the order they joined the station: ordering by name made PostgreSQL join every
    # member to the deputies table before taking the first few (49 ms for a station of 3,917 at province scale)
    station.members = list(members.order_by("-is_resident", "pk")
                           .values("deputy__full_name", "is_resident")[:stations_setting("PUBLIC_MEMBERS_SHOWN")])
    station.member_count = len(station.members) if len(station.members) < stations_setting("PUBLIC_MEMBERS_SHOWN") \
        else members.count()
    from stations.selectors_standards import latest_confirmed_appraisal

    station.appraisal = latest_confirmed_appraisal(station)
    return station


def station_year_figures(station, year: int) -> dict:
    """What a 星级评定 weighs, for one station and year: reception days held and voters received, opinions taken
    with their 办结率 and 满意率. Three queries."""
    from django.db.models import Count, Sum

    from stations.models import VoterOpinion

    held = ReceptionDay.objects.filter(station=station, date__year=year, status=ReceptionDay.Status.HELD).aggregate(
        days=Count("pk"), visitors=Sum("visitor_count"), opinions=Sum("opinion_count"))
    return {"year": year, "receptions": held["days"], "visitors": held["visitors"] or 0,
            "reception_opinions": held["opinions"] or 0,
            **opinion_rates(VoterOpinion.objects.filter(station=station, created_at__year=year))}


def opinion_for_tracking(code: str):
    """The opinion a tracking code names, with its station and timeline (for the public page), or 404."""
    from django.http import Http404

    from stations.models import VoterOpinion

    opinion = (VoterOpinion.objects.select_related("station", "unit")
               .filter(tracking_code=(code or "").strip().upper().replace("-", "").replace(" ", "")).first())
    if opinion is None:
        raise Http404("查询码不正确")
    return opinion


def opinion_rates(queryset) -> dict:
    """办结率 and 满意率 of a set of opinions: closed or declined over all; satisfied or basically satisfied over the
    ratings given — an opinion reopened after a first 不满意 counts both of its ratings. One query."""
    from django.db.models import Count

    from stations.models import VoterOpinion

    S, V = VoterOpinion.Status, VoterOpinion.Satisfaction
    row = queryset.aggregate(
        total=Count("pk"), done=Count("pk", filter=Q(status__in=[S.CLOSED, S.DECLINED])),
        rated=Count("pk", filter=~Q(satisfaction="")), rated_first=Count("pk", filter=~Q(first_satisfaction="")),
        satisfied=Count("pk", filter=Q(satisfaction__in=[V.SATISFIED, V.BASIC])))
    row["rated"] += row.pop("rated_first")  # a first rating is always 不满意: it adds to the ratings, not the satisfied
    return {**row, "closed_rate": round(100 * row["done"] / row["total"], 1) if row["total"] else None,
            "satisfied_rate": round(100 * row["satisfied"] / row["rated"], 1) if row["rated"] else None}


def admin_todos(user, today):
    """The admin index's to-do items of the stations app (congress.lib.dashboard): opinions waiting for a first step,
    reception days past whose outcome is not recorded, liaison stations below the monthly reception rule."""
    from congress.lib.dashboard import Todo
    from congress.selectors import towns_for
    from stations.conf import stations_setting
    from stations.models import VoterOpinion

    towns = towns_for(user)

    def scoped(qs, path="station__town__in"):
        return qs if towns is None else qs.filter(**{path: towns})

    todos = []
    if user.has_perm("stations.change_voteropinion"):
        waiting = scoped(VoterOpinion.objects.filter(status=VoterOpinion.Status.RECEIVED))
        todos.append(Todo("社情民意待处理", waiting.count(), "/admin/stations/voteropinion/?status__exact=received"))
    if user.has_perm("stations.change_receptionday"):
        unrecorded = scoped(ReceptionDay.objects.filter(status=ReceptionDay.Status.SCHEDULED, date__lt=today))
        todos.append(Todo("接待选民日待登记接待情况", unrecorded.count(), "/admin/stations/receptionday/?to_record=1"))
    if user.has_perm("stations.view_station"):
        below = count_below_monthly_rule(scoped(Station.objects.filter(kind=Station.Kind.LIAISON, is_active=True),
                                                "town__in"), today, stations_setting("RECEPTION_MIN_PER_MONTH"))
        todos.append(Todo("本月接待选民日未达标的联络站", below,
                          "/admin/stations/station/?reception_month=none&kind__exact=liaison&is_active__exact=1"))
    return todos


def stations_below_monthly_rule(qs, today, least: int):
    """Stations of `qs` with fewer than `least` reception days (scheduled or held) in today's month."""
    return with_month_receptions(qs, today).filter(month_receptions__lt=least)


def count_below_monthly_rule(qs, today, least: int) -> int:
    """How many stations of `qs` stations_below_monthly_rule would list, counted the other way round: the stations not
    among those with `least` reception days this month (found by grouping this month's reception days), so the
    count reads one month of reception days instead of a correlated count per station (14 ms at province scale)."""
    from django.db.models import Count

    if least <= 0:
        return 0
    enough = (receptions_this_month(today).order_by().values("station").annotate(n=Count("pk"))
              .filter(n__gte=least).values("station"))
    return qs.exclude(pk__in=enough).count()


def with_month_receptions(qs, today):
    from django.db.models import Count
    from django.db.models.functions import Coalesce

    month = (receptions_this_month(today).filter(station=OuterRef("pk")).order_by().values("station")
             .annotate(n=Count("pk")).values("n"))
    return qs.annotate(month_receptions=Coalesce(Subquery(month), 0))


def opinion_list_for_unit(*, unit_id: int, open_only: bool = True):
    """Opinions referred to a handling unit, oldest waiting first: the unit's own list in /unit/opinions/."""
    from stations.models import VoterOpinion

    qs = VoterOpinion.objects.filter(unit_id=unit_id).select_related("station__town")
    if open_only:
        qs = qs.filter(status=VoterOpinion.Status.REFERRED)
    return qs.order_by("created_at")


def get_opinion_for_unit(user, pk: int):
    """An opinion referred to the user's unit, or 404 (another unit's is not found either)."""
    from django.http import Http404

    from stations.models import VoterOpinion

    opinion = (VoterOpinion.objects.select_related("station__town", "unit")
               .filter(pk=pk, unit_id=user.organization_id).first())
    if opinion is None:
        raise Http404("没有这条转办的意见")
    return opinion


# the steps whose note a voter (and the unit) may read on the opinion's page: the unit it went to, the rating; the
# answer and the reason for declining show in their own sections, and no staff member is named
PUBLIC_NOTES = {"refer", "rate"}


def opinion_timeline(opinion, *, public: bool) -> list[dict]:
    """The opinion's steps, oldest first, with their Chinese labels; `public` (the voter's tracking page and the unit's
    page) leaves out who acted and every note but PUBLIC_NOTES."""
    from congress.lib.workflow import timeline_rows
    from stations.workflows import OPINION

    rows = timeline_rows(OPINION.history(opinion))
    if public:
        for row in rows:
            row["actor"] = ""
            if row["change"].action not in PUBLIC_NOTES:
                row["reason"] = ""
    return rows


def system_figures() -> dict[str, int]:
    """The stations app's headline figures (congress.lib.dashboard.register_figures)."""
    return {"stations": Station.objects.filter(is_active=True).count()}


def units_with_referred_opinions():
    """Organization ids with a voter opinion referred to them and not answered (congress.lib.dashboard
    .register_unit_work)."""
    from stations.models import VoterOpinion

    return VoterOpinion.objects.filter(status=VoterOpinion.Status.REFERRED).values("unit_id")


def station_period_counts(start: datetime.date, end: datetime.date) -> dict:
    """For the reports: running stations, reception days held in the period with the voters received and the opinions
    collected there, and the voter opinions left in the period with their 办结率 and 满意率 (opinion_rates)."""
    from django.db.models import Count, Sum

    from stations.models import VoterOpinion

    held = ReceptionDay.objects.filter(date__range=(start, end), status=ReceptionDay.Status.HELD).aggregate(
        days=Count("pk"), visitors=Sum("visitor_count"), opinions=Sum("opinion_count"))
    rates = opinion_rates(VoterOpinion.objects.filter(created_at__date__range=(start, end)))
    return {"stations": Station.objects.filter(is_active=True).count(), "receptions": held["days"],
            "visitors": held["visitors"] or 0, "reception_opinions": held["opinions"] or 0,
            "opinions": rates["total"], "opinions_done": rates["done"], "closed_rate": rates["closed_rate"],
            "satisfied_rate": rates["satisfied_rate"]}


def stations_by_kind() -> list[tuple[str, int]]:
    """Running stations per kind (代表之家、联络站 …), in the kinds' order."""
    from django.db.models import Count

    counts = dict(Station.objects.filter(is_active=True).values("kind").annotate(n=Count("pk")).values_list("kind", "n"))
    return [(label, counts[kind]) for kind, label in Station.Kind.choices if counts.get(kind)]


def opinions_by_category(start: datetime.date, end: datetime.date) -> list[tuple[str, int]]:
    """Voter opinions left in the period per category, largest first."""
    from django.db.models import Count

    from stations.models import VoterOpinion

    labels = dict(VoterOpinion.Category.choices)
    rows = (VoterOpinion.objects.filter(created_at__date__range=(start, end)).values("category")
            .annotate(n=Count("pk")).order_by("-n", "category"))
    return [(labels.get(row["category"], row["category"]), row["n"]) for row in rows]


def receptions_by_town(start: datetime.date, end: datetime.date) -> list[tuple[str, int, int]]:
    """(town, reception days held, voters received) in the period, per town of the station, by town order."""
    from django.db.models import Count, Sum

    rows = (ReceptionDay.objects.filter(date__range=(start, end), status=ReceptionDay.Status.HELD)
            .values("station__town__name", "station__town__sort_order")
            .annotate(n=Count("pk"), visitors=Sum("visitor_count"))
            .order_by("station__town__sort_order", "station__town__name"))
    return [(row["station__town__name"], row["n"], row["visitors"] or 0) for row in rows]


def station_dashboard_figures(start: datetime.date, end: datetime.date, last_start: datetime.date,
                         last_end: datetime.date) -> dict:
    """The leaders' dashboard: reception days held and voters received in start..end and in last_start..last_end
    (one query), and the voter opinions left in each with their 办结率 and 满意率 (opinion_rates' definitions: one query)."""
    from django.db.models import Count, Sum

    from stations.models import VoterOpinion

    this, last = Q(date__range=(start, end)), Q(date__range=(last_start, last_end))
    held = ReceptionDay.objects.filter(status=ReceptionDay.Status.HELD).filter(this | last).aggregate(
        days=Count("pk", filter=this), days_last=Count("pk", filter=last),
        visitors=Sum("visitor_count", filter=this), visitors_last=Sum("visitor_count", filter=last))
    return {"receptions": held["days"], "receptions_last": held["days_last"], "visitors": held["visitors"] or 0,
            "visitors_last": held["visitors_last"] or 0,
            **opinion_rates_two_periods(VoterOpinion.objects.all(), Q(created_at__date__range=(start, end)),
                                        Q(created_at__date__range=(last_start, last_end)))}


def opinion_rates_two_periods(queryset, this: Q, last: Q) -> dict:
    """opinion_rates of the opinions matching `this` ("opinions") and of those matching `last` ("opinions_last"), the
    same definitions, in one query."""
    from django.db.models import Count

    from stations.models import VoterOpinion

    S, V = VoterOpinion.Status, VoterOpinion.Satisfaction
    sums = {}
    for key, period in (("", this), ("_last", last)):
        sums |= {f"total{key}": Count("pk", filter=period),
                 f"done{key}": Count("pk", filter=period & Q(status__in=[S.CLOSED, S.DECLINED])),
                 f"rated{key}": Count("pk", filter=period & ~Q(satisfaction="")),
                 f"rated_first{key}": Count("pk", filter=period & ~Q(first_satisfaction="")),
                 f"satisfied{key}": Count("pk", filter=period & Q(satisfaction__in=[V.SATISFIED, V.BASIC]))}
    row = queryset.filter(this | last).aggregate(**sums)
    result = {}
    for key, name in (("", "opinions"), ("_last", "opinions_last")):
        total, done = row[f"total{key}"], row[f"done{key}"]
        rated, satisfied = row[f"rated{key}"] + row[f"rated_first{key}"], row[f"satisfied{key}"]
        result[name] = {"total": total, "done": done, "rated": rated, "satisfied": satisfied,
                        "closed_rate": round(100 * done / total, 1) if total else None,
                        "satisfied_rate": round(100 * satisfied / rated, 1) if rated else None}
    return result


def opinion_hits(user, query: str, limit: int) -> list:
    """Voter opinions this staff member may see (town staff: their towns' stations, as in the admin list) whose
    content, answer or tracking code contains `query`, newest first. Their content is what matches: it has no title."""
    from django.urls import reverse

    from congress.lib.search import Hit, passage, ranked
    from congress.selectors import towns_for
    from stations.models import VoterOpinion

    if not user.has_perm("stations.view_voteropinion"):
        return []
    qs = VoterOpinion.objects.select_related("station")
    towns = towns_for(user)
    if towns is not None:
        qs = qs.filter(station__town__in=towns)
    rows = ranked(qs, query, "tracking_code", ("content", "reply"), ("-created_at", "-id"), limit)
    return [Hit(title=f"{o.station.name} · {o.get_category_display()}（{o.tracking_code}）",
                url=reverse("admin:stations_voteropinion_change", args=[o.pk]),
                body=passage(query, o.content, o.reply),
                meta=f"{o.get_status_display()} · {o.created_at:%Y-%m-%d}", title_match=bool(o.title_match)) for o in rows]
