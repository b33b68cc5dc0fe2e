"""The figures of each station and each town (家站点、镇街工作数据): reception days held, voters received there, voters'
opinions taken, 办结率, 满意占比, and the median days to close — each a column of one grouped query, whatever the
number of stations or towns (correlated subqueries, one SQL statement).

Definitions (one place; docs/rules.md):
- receptions: reception days held (已接待); voters: the sum of their 接待群众人次;
- opinions: the voters' opinions left at the station; closed rate: closed or declined (办结, as opinion_rates) over all;
- satisfaction: of the closures the voter rated (办结 with a rating), the share rated 满意 — 基本满意 is not counted;
- median days: the median of (closed_at − created_at) in days over the opinions closed or declined.
A year limits receptions by their date and opinions by the day they were left. No data: the rates and the median are
None (shown as "—"), never a division by zero."""
import statistics
from dataclasses import dataclass

from django.db.models import Aggregate, Count, FloatField, Func, IntegerField, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce

from stations.models import ReceptionDay, Station, VoterOpinion


class Median(Aggregate):
    """The median: PostgreSQL's percentile_cont; on SQLite (the demo) the MEDIAN aggregate registered below."""

    function = "PERCENTILE_CONT"
    name = "Median"
    output_field = FloatField()
    template = "%(function)s(0.5) WITHIN GROUP (ORDER BY %(expressions)s)"

    def as_sqlite(self, compiler, connection, **extra_context):
        # a changed copy rather than template= in extra_context: Aggregate.as_sql builds its own template for FILTER
        clone = self.copy()
        clone.function, clone.template = "MEDIAN", "%(function)s(%(expressions)s)"
        return super(Median, clone).as_sql(compiler, connection, **extra_context)


class DaysBetween(Func):
    """(end − start) in days, fractional: DaysBetween(end, start)."""

    output_field = FloatField()
    arity = 2

    def as_postgresql(self, compiler, connection, **extra_context):
        return self.as_sql(compiler, connection, template="(EXTRACT(EPOCH FROM (%(expressions)s)) / 86400.0)",
                           arg_joiner=" - ", **extra_context)

    def as_sqlite(self, compiler, connection, **extra_context):
        return self.as_sql(compiler, connection, template="(julianday(%(expressions)s))", arg_joiner=") - julianday(",
                           **extra_context)


class _SqliteMedian:
    def __init__(self):
        self.values = []

    def step(self, value):
        if value is not None:
            self.values.append(value)

    def finalize(self):
        return statistics.median(self.values) if self.values else None


def register_sqlite_median(sender, connection, **kwargs):
    """connection_created: give SQLite a MEDIAN aggregate (PostgreSQL has percentile_cont)."""
    if connection.vendor == "sqlite":
        connection.connection.create_aggregate("MEDIAN", 1, _SqliteMedian)


@dataclass(frozen=True)
class Figures:
    receptions: int
    visitors: int
    opinions: int
    done: int
    rated: int
    satisfied: int
    median_days: float | None

    @property
    def closed_rate(self) -> float | None:
        return round(100 * self.done / self.opinions, 1) if self.opinions else None

    @property
    def satisfaction_rate(self) -> float | None:
        return round(100 * self.satisfied / self.rated, 1) if self.rated else None


EMPTY = Figures(0, 0, 0, 0, 0, 0, None)


def _scalar(qs, group: str, value, output=None):
    """One aggregate of `qs` for the outer row (grouped on `group`), as a subquery; 0 when there is none."""
    sub = Subquery(qs.order_by().values(group).annotate(v=value).values("v")[:1], output_field=output or IntegerField())
    return sub if output is not None else Coalesce(sub, Value(0))


def with_figures(qs, path: str, year: int | None = None):
    """`qs` (stations: path "station"; towns: path "station__town") annotated with the figures' columns."""
    S, V = VoterOpinion.Status, VoterOpinion.Satisfaction
    held = ReceptionDay.objects.filter(**{path: OuterRef("pk")}, status=ReceptionDay.Status.HELD)
    opinions = VoterOpinion.objects.filter(**{path: OuterRef("pk")})
    if year is not None:
        held, opinions = held.filter(date__year=year), opinions.filter(created_at__year=year)
    closures = opinions.filter(status=S.CLOSED).exclude(satisfaction="")
    done = opinions.filter(status__in=[S.CLOSED, S.DECLINED])
    return qs.annotate(
        f_receptions=_scalar(held, path, Count("pk")), f_visitors=_scalar(held, path, Sum("visitor_count")),
        f_opinions=_scalar(opinions, path, Count("pk")), f_done=_scalar(done, path, Count("pk")),
        f_rated=_scalar(closures, path, Count("pk")),
        f_satisfied=_scalar(closures, path, Count("pk", filter=Q(satisfaction=V.SATISFIED))),
        f_median=_scalar(done.exclude(closed_at=None), path, Median(DaysBetween("closed_at", "created_at")), FloatField()))


def figures_of(row) -> Figures:
    """The Figures of a row annotated by with_figures."""
    median = row.f_median
    return Figures(row.f_receptions, row.f_visitors, row.f_opinions, row.f_done, row.f_rated, row.f_satisfied,
                   round(median, 1) if median is not None else None)


def station_figures(station_ids, *, year: int | None = None) -> dict[int, Figures]:
    """Figures per station, for the given stations (one query for all of them); a station without data gets EMPTY."""
    ids = list(station_ids)
    rows = with_figures(Station.objects.filter(pk__in=ids).order_by(), "station", year)
    found = {row.pk: figures_of(row) for row in rows}
    return {pk: found.get(pk, EMPTY) for pk in ids}


def one_station_figures(station_id: int, year: int) -> tuple[Figures, Figures]:
    """(the year's figures, all-time figures) of one station, for its public page: two plain aggregate queries (its
    reception days, its opinions), each counting the year with a FILTER beside the total. The same definitions as
    with_figures, which the many-station tables use; a test holds the two equal."""
    S, V = VoterOpinion.Status, VoterOpinion.Satisfaction
    in_year, held_in_year = Q(created_at__year=year), Q(date__year=year)
    receptions = ReceptionDay.objects.filter(station_id=station_id, status=ReceptionDay.Status.HELD).aggregate(
        r=Count("pk"), v=Sum("visitor_count"), ry=Count("pk", filter=held_in_year), vy=Sum("visitor_count", filter=held_in_year))
    done, rated = Q(status__in=[S.CLOSED, S.DECLINED]), Q(status=S.CLOSED) & ~Q(satisfaction="")
    satisfied, timed = rated & Q(satisfaction=V.SATISFIED), done & Q(closed_at__isnull=False)
    days = DaysBetween("closed_at", "created_at")
    opinions = VoterOpinion.objects.filter(station_id=station_id).aggregate(
        o=Count("pk"), d=Count("pk", filter=done), r=Count("pk", filter=rated), s=Count("pk", filter=satisfied),
        m=Median(days, filter=timed), oy=Count("pk", filter=in_year), dy=Count("pk", filter=done & in_year),
        ry=Count("pk", filter=rated & in_year), sy=Count("pk", filter=satisfied & in_year),
        my=Median(days, filter=timed & in_year))

    def made(suffix: str) -> Figures:
        median = opinions["m" + suffix]
        return Figures(receptions["r" + suffix], receptions["v" + suffix] or 0, opinions["o" + suffix],
                       opinions["d" + suffix], opinions["r" + suffix], opinions["s" + suffix],
                       round(median, 1) if median is not None else None)

    return made("y"), made("")


def town_figures(towns, *, year: int | None = None) -> list:
    """The towns of `towns` (a queryset of Organization), each with .figures and .station_count: one query."""
    stations = (Station.objects.filter(town=OuterRef("pk"), is_active=True).order_by().values("town")
                .annotate(n=Count("pk")).values("n"))
    rows = with_figures(towns.order_by("sort_order", "name"), "station__town", year).annotate(
        station_count=Coalesce(Subquery(stations, output_field=IntegerField()), Value(0)))
    result = []
    for row in rows:
        row.figures = figures_of(row)
        result.append(row)
    return result


def percent(value) -> str:
    """A rate for the pages: "87.5%", or "—" when there is nothing to divide."""
    return "—" if value is None else f"{value}%"


def days(value) -> str:
    return "—" if value is None else f"{value}天"
