"""Reads about deputies. Town staff's scope comes from congress.selectors.towns_for."""
import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Exists, F, OuterRef, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from congress.lib.prepared import Prepared, year_days
from congress.lib.queries import related_count
from congress.selectors import towns_for
from deputies import seams
from deputies.conf import portal_setting
from deputies.models import (
    ActivityPhoto,
    Deputy,
    DutyActivity,
    DutyActivityParticipant,
    DutyActivityType,
    LeaveRequest,
    Mandate,
    PointRule,
    ScoreSnapshot,
    VoterReport,
)


def deputy_scope(*, user) -> QuerySet[Deputy]:
    """The deputies this staff member's roster holds (town staff: their towns'), without the roster's extras."""
    qs = Deputy.objects.select_related("town")
    towns = towns_for(user)
    if towns is not None:
        qs = qs.filter(town__in=towns)
    return qs


def deputy_list_for(*, user) -> QuerySet[Deputy]:
    return deputy_admin_queryset(deputy_scope(user=user))


def deputy_admin_queryset(qs: QuerySet[Deputy]) -> QuerySet[Deputy]:
    """The roster's shape: each deputy's mandates in one extra query, whatever the page size."""
    return qs.prefetch_related(Prefetch("mandates", queryset=Mandate.objects.order_by("level")))


def activity_admin_queryset(qs: QuerySet[DutyActivity], *, user) -> QuerySet[DutyActivity]:
    qs = qs.annotate(participant_count=related_count(DutyActivityParticipant, "activity"))
    return activity_scope(qs, user=user)


def activity_scope(qs: QuerySet[DutyActivity], *, user) -> QuerySet[DutyActivity]:
    """The activities this staff member may see: town staff a town's, those it organised and those with a participant
    who is its deputy (deputies.predicates.activity_in_scope, one activity at a time); everybody else all."""
    towns = towns_for(user)
    if towns is not None:
        qs = qs.filter(Q(organizer__in=towns) | Exists(DutyActivityParticipant.objects.filter(
            activity=OuterRef("pk"), deputy__town__in=towns)))
    return qs


# -- the deputy portal ------------------------------------------------------------------------------------------------

def deputy_for_user(user) -> Deputy | None:
    """The Deputy behind a portal user: a member of 人大代表 linked by Deputy.user, else None."""
    from congress import roles
    from congress.predicates import has_role

    if not user.is_authenticated or not has_role(user, roles.DEPUTY):
        return None
    cached = user._state.fields_cache.get("deputy")
    if cached is not None:  # loaded with the request's user (congress.backends), or found earlier in this request
        return cached
    deputy = Deputy.objects.filter(user=user).select_related("town").first()
    if deputy is not None:
        user.deputy = deputy  # the reverse one-to-one's cache: ``user.deputy`` later in the request asks nothing more
    return deputy


def quarter_start(year: int, quarter: int) -> datetime.date:
    return datetime.date(year, 3 * quarter - 2, 1)


def quarter_end(year: int, quarter: int) -> datetime.date:
    return datetime.date(year, 12, 31) if quarter == 4 else quarter_start(year, quarter + 1) - datetime.timedelta(days=1)


def quarter_of(day: datetime.date) -> int:
    return (day.month - 1) // 3 + 1


def point_rules(type_ids=None) -> dict[int, list]:
    """Each activity type's point rules (of these types, or all), newest first, each with its type's checklist_item:
    one query. With rule_points, the one reading of the rules every source of points uses (activities here, inspection
    visits in supervision, suggestions by the type of "一件好建议" in proposals)."""
    qs = PointRule.objects.annotate(checklist_item=F("activity_type__checklist_item")).order_by("-effective_from")
    if type_ids is not None:
        qs = qs.filter(activity_type_id__in=set(type_ids) - {None})
    rules: dict[int, list] = {}
    for rule in qs:
        rules.setdefault(rule.activity_type_id, []).append(rule)
    return rules


def rule_points(rules: dict, type_id: int, day: datetime.date, attendance: str) -> Decimal:
    for rule in rules.get(type_id, []):
        if rule.effective_from <= day:
            if attendance == DutyActivityParticipant.Attendance.PRESENT:
                return rule.points_present
            if attendance == DutyActivityParticipant.Attendance.ABSENT:
                return rule.points_absent
            return Decimal(0)
    return Decimal(0)


def _verified_participations(year: int, until: datetime.date | None = None):
    qs = DutyActivityParticipant.objects.filter(activity__status=DutyActivity.Status.VERIFIED, activity__date__year=year)
    if until is not None:
        qs = qs.filter(activity__date__lte=until)
    return qs


def deputy_score(deputy: Deputy, year: int, until: datetime.date | None = None) -> Decimal:
    """Verified activities under the rule in force on each date, plus points from registered sources."""
    rules = point_rules()
    total = Decimal(0)
    for type_id, day, attendance in _verified_participations(year, until).filter(deputy=deputy).values_list(
            "activity__activity_type_id", "activity__date", "attendance"):
        total += rule_points(rules, type_id, day, attendance)
    return total + seams.external_points([deputy.pk], year, until or datetime.date(year, 12, 31)).get(deputy.pk, Decimal(0))


def score_table(*, year: int, until: datetime.date) -> list[dict]:
    """Rows for a published ranking: serving district deputies of the current term, ranked within their
    delegation and within their town (equal scores share a rank)."""
    mandates = (Mandate.objects.filter(level=Mandate.Level.DISTRICT, status=Mandate.Status.SERVING, term__is_current=True)
                .select_related("deputy__town", "delegation"))
    rules = point_rules()
    scores: dict[int, Decimal] = {}
    for deputy_id, type_id, day, attendance in _verified_participations(year, until).values_list(
            "deputy_id", "activity__activity_type_id", "activity__date", "attendance"):
        scores[deputy_id] = scores.get(deputy_id, Decimal(0)) + rule_points(rules, type_id, day, attendance)
    mandates = list(mandates)
    external = seams.external_points([m.deputy_id for m in mandates], year, until)
    rows = []
    for mandate in mandates:
        deputy = mandate.deputy
        score = scores.get(deputy.pk, Decimal(0)) + external.get(deputy.pk, Decimal(0))
        rows.append({"deputy": deputy, "deputy_name": deputy.full_name, "town_name": deputy.town.name,
                     "delegation_name": mandate.delegation.name if mandate.delegation else "", "score": score})
    for key, field in (("town_name", "rank_in_town"), ("delegation_name", "rank_in_delegation")):
        groups: dict[str, list] = {}
        for row in rows:
            groups.setdefault(row[key], []).append(row)
        for name, members in groups.items():
            members.sort(key=lambda r: -r["score"])
            for row in members:
                # competition ranking: 1, 1, 3
                row[field] = None if (key == "delegation_name" and not name) else \
                    1 + sum(1 for other in members if other["score"] > row["score"])
    return rows


def checklist_done(deputy_ids, year: int) -> dict[int, set[str]]:
    """Which of the yearly "五个一" each deputy has done: verified activities they attended, reports to voters, and the
    registered sources (seams.external_checklist: suggestions, site visits). Grouped queries whatever the number of
    deputies; checklist_for and the per-town table both come from here (the portal home: deputy_year_summary)."""
    ids = list(deputy_ids)
    done: dict[int, set[str]] = {pk: set() for pk in ids}
    for pk, key in (_verified_participations(year).filter(deputy_id__in=ids,
                                                          attendance=DutyActivityParticipant.Attendance.PRESENT)
                    .exclude(activity__activity_type__checklist_item="")
                    .values_list("deputy_id", "activity__activity_type__checklist_item").distinct()):
        done[pk].add(key)
    for pk in VoterReport.objects.filter(deputy_id__in=ids, date__year=year).values_list("deputy_id", flat=True).distinct():
        done[pk].add(DutyActivityType.ChecklistItem.REPORT)
    for pk, keys in seams.external_checklist(ids, year).items():
        done.setdefault(pk, set()).update(keys)
    return done


def checklist_for(deputy: Deputy, year: int) -> list[dict]:
    """The yearly "五个一" of one deputy: each item with done True/False (checklist_done)."""
    done = checklist_done([deputy.pk], year)[deputy.pk]
    return [{"key": key, "label": label, "done": key in done} for key, label in DutyActivityType.ChecklistItem.choices]


def activities_to_confirm(deputy: Deputy):
    """Activities others reported with the deputy among the participants, which the deputy has not confirmed."""
    return _to_confirm(deputy.pk)


def home_activities_to_confirm(deputy: Deputy, limit: int) -> list[DutyActivityParticipant]:
    """The first `limit` of activities_to_confirm, for the portal home (compiled once per process:
    congress.lib.prepared)."""
    return _home_to_confirm(deputy_id=deputy.pk, limit=limit)


def _to_confirm(deputy_id):
    return (DutyActivityParticipant.objects.filter(deputy_id=deputy_id, confirmed_at__isnull=True)
            .exclude(activity__status=DutyActivity.Status.RETURNED)
            .select_related("activity__activity_type", "activity__reported_by")
            # what the home's list shows (portal/snippets/confirm_item.html), not the activities' texts
            .only("activity__title", "activity__date", "activity__activity_type__name", "activity__reported_by__full_name")
            .order_by("-activity__date"))


_home_to_confirm = Prepared(lambda deputy_id, limit: _to_confirm(deputy_id)[:limit], params=("deputy_id",))


def _unexcused(**lookup):
    return DutyActivityParticipant.objects.filter(
        attendance=DutyActivityParticipant.Attendance.ABSENT, activity__congress_session__isnull=False,
        activity__congress_session__term__is_current=True, **lookup)


def unexcused_absences(deputy: Deputy) -> int:
    """Absences from congress sessions of the current term not covered by an approved leave."""
    return _unexcused(deputy=deputy).count()


@dataclass(frozen=True)
class YearSummary:
    """The portal home's figures of one deputy's year: the "五个一" (as checklist_for), the points (as deputy_score
    up to the year's end) and the unexcused absences of the current term (as unexcused_absences)."""

    checklist: list[dict]
    score: Decimal
    absences: int

    @property
    def checklist_done(self) -> int:
        return sum(1 for item in self.checklist if item["done"])


def deputy_year_summary(deputy: Deputy, year: int) -> YearSummary:
    """checklist_for, deputy_score and unexcused_absences of one deputy in one reading of their participations: the
    year's verified ones and the absences from congress sessions of the current term, each row with the columns every
    computation needs, sorted out here. The three selectors stay for their other callers (and the ranking and the
    per-town table use the grouped versions); a test keeps this equal to them. The point rules are read once, for the
    deputy's activities and the registered sources alike (seams.external_year)."""
    present, absent = DutyActivityParticipant.Attendance.PRESENT, DutyActivityParticipant.Attendance.ABSENT
    verified = DutyActivity.Status.VERIFIED
    rows = (DutyActivityParticipant.objects.filter(deputy=deputy)
            .filter(Q(activity__status=verified, activity__date__year=year)
                    | Q(attendance=absent, activity__congress_session__term__is_current=True))
            .values_list("attendance", "activity__status", "activity__date", "activity__activity_type_id",
                         "activity__activity_type__checklist_item", "activity__congress_session__term__is_current"))
    rules = point_rules()
    done: set[str] = set()
    score, absences = Decimal(0), 0
    for attendance, status, day, type_id, checklist_item, current_term_session in rows:
        if status == verified and day.year == year:
            score += rule_points(rules, type_id, day, attendance)
            if attendance == present and checklist_item:
                done.add(checklist_item)
        if attendance == absent and current_term_session:
            absences += 1
    if VoterReport.objects.filter(deputy=deputy, date__year=year).exists():
        done.add(DutyActivityType.ChecklistItem.REPORT)
    external_done, external_score = seams.external_year(deputy, year, rules)
    done |= external_done
    score += external_score
    checklist = [{"key": key, "label": label, "done": key in done} for key, label in DutyActivityType.ChecklistItem.choices]
    return YearSummary(checklist=checklist, score=score, absences=absences)


def kept_year_summary(deputy: Deputy, year: int) -> tuple[YearSummary, datetime.datetime]:
    """deputy_year_summary as the portal home shows it: kept per deputy and year for STATS_CACHE_SECONDS like the
    other published figures (the page says 数据截至), and dropped at once by the writes of deputies.services that
    change it (forget_year_summaries). Points from other sources (a suggestion's, an inspection visit's) show within
    the period; the 积分明细 and 履职档案 pages are always read fresh."""
    from congress.lib import statcache

    return statcache.cached("deputy_year_summary", (deputy.pk, year), lambda: deputy_year_summary(deputy, year))


def forget_year_summaries(deputy_ids, year: int) -> None:
    """After the transaction commits (a page computing meanwhile would store the old figures again)."""
    from django.db import transaction

    from congress.lib import statcache

    parts = [(pk, year) for pk in set(deputy_ids)]
    if parts:
        transaction.on_commit(lambda: statcache.forget("deputy_year_summary", *parts))


def absence_flagged(qs: QuerySet[Deputy]) -> QuerySet[Deputy]:
    """Deputies with at least UNEXCUSED_ABSENCE_FLAG unexcused absences from this term's congress sessions (代表法
    第六十二条: two such absences may end the mandate): the same count as unexcused_absences, grouped once over the
    absences (few) and matched by id — not a count per deputy of the roll (province scale: 337 ms → a few ms)."""
    flagged = (_unexcused().order_by().values("deputy").annotate(n=Count("*"))
               .filter(n__gte=portal_setting("UNEXCUSED_ABSENCE_FLAG")).values("deputy"))
    return qs.filter(pk__in=flagged)


def participation_list_for(*, user, year: int | None = None):
    """A deputy's own activities (their participations), newest first; nobody else's."""
    deputy = deputy_for_user(user)
    if deputy is None:
        return DutyActivityParticipant.objects.none()
    qs = _own_participations(deputy.pk).select_related("activity__activity_type")
    if year is not None:
        qs = qs.filter(activity__date__year=year)
    return qs


def _own_participations(deputy_id):
    """A deputy's participations, newest first: participation_list_for's rows and the duty record's."""
    return DutyActivityParticipant.objects.filter(deputy_id=deputy_id).order_by("-activity__date", "-activity_id")


# the duty record's own rows (participation_list_for's and the reports to voters), compiled once per process
_record_activities = Prepared(
    lambda deputy_id, first, last: _own_participations(deputy_id).filter(activity__date__range=(first, last))
    .values_list("activity_id", "activity__date", "activity__title", "activity__activity_type__name", "activity__status"),
    params=("deputy_id", "first", "last"))
_record_reports = Prepared(
    lambda deputy_id, first, last: VoterReport.objects.filter(deputy_id=deputy_id, date__range=(first, last))
    .values_list("date", "place"), params=("deputy_id", "first", "last"))


def duty_record(deputy: Deputy, year: int) -> list[seams.DutyItem]:
    """履职档案: the deputy's activities, reports to voters and every registered source, newest first. The deputy's
    own rows are read as the columns the items show, not as model rows."""
    items = []
    statuses = dict(DutyActivity.Status.choices)
    first, last = year_days(year)
    own = _record_activities(deputy_id=deputy.pk, first=first, last=last) if deputy.user_id else []
    for activity_id, day, title, kind, status in own:
        items.append(seams.DutyItem(date=day, title=title, kind=kind, url=f"/portal/activities/{activity_id}/",
                                    status=statuses.get(status, status)))
    for day, place in _record_reports(deputy_id=deputy.pk, first=first, last=last):
        items.append(seams.DutyItem(date=day, title=f"向选民述职（{place}）", kind="述职",
                                    url="/portal/reports/", checklist=DutyActivityType.ChecklistItem.REPORT))
    items += seams.external_items(deputy, year)
    items.sort(key=lambda i: i.date, reverse=True)
    return items


def calendar_months(items, year: int) -> list[dict]:
    """Twelve month grids (weeks of day numbers, Monday first) with the days that have records marked."""
    import calendar

    marked = {}
    for item in items:
        marked[item.date] = marked.get(item.date, 0) + 1
    cal = calendar.Calendar()
    months = []
    for month in range(1, 13):
        weeks = [[(d, marked.get(d, 0)) if d.month == month else (None, 0) for d in week]
                 for week in cal.monthdatescalendar(year, month)]
        months.append({"month": month, "weeks": weeks, "count": sum(v for k, v in marked.items() if k.month == month)})
    return months


def get_participation_for_user(user, activity_id: int) -> DutyActivityParticipant:
    deputy = deputy_for_user(user)
    row = None
    if deputy is not None:
        row = (DutyActivityParticipant.objects.select_related("activity__activity_type", "activity__reported_by")
               .filter(deputy=deputy, activity_id=activity_id).first())
    if row is None:
        raise Http404("没有找到这项活动")
    return row


def activity_photos(activity_id: int):
    return ActivityPhoto.objects.filter(activity_id=activity_id)


def get_activity_photo_for_user(user, pk) -> ActivityPhoto:
    """A photo, for whoever may see its activity (deputies.predicates.can_see_activity), else 404."""
    from deputies.predicates import can_see_activity

    photo = ActivityPhoto.objects.select_related("activity").filter(pk=pk).first()
    if photo is None or not can_see_activity(user, photo.activity):
        raise Http404("照片不存在或无权查看")
    return photo


def get_deputy_photo_for_user(user, pk) -> Deputy:
    """A deputy's photo: the deputy, and staff who may view that deputy's record (deputies.predicates)."""
    from deputies.predicates import can_see_deputy

    deputy = Deputy.objects.filter(pk=pk).exclude(photo="").first()
    if deputy is None or not can_see_deputy(user, deputy):
        raise Http404("照片不存在或无权查看")
    return deputy


def get_voter_report_for_user(user, pk) -> VoterReport:
    """The file of a 向选民述职, for whoever may see that record (deputies.predicates.can_see_deputy_record)."""
    from deputies.predicates import can_see_deputy_record

    report = VoterReport.objects.select_related("deputy").filter(pk=pk).exclude(file="").first()
    if report is None or not can_see_deputy_record(user, report, perm="deputies.view_voterreport"):
        raise Http404("文件不存在或无权查看")
    return report


def co_deputy_choices(deputy: Deputy):
    """Deputies a deputy may name as co-participants: serving ones, their own town first."""
    qs = (Deputy.objects.filter(mandates__status=Mandate.Status.SERVING).exclude(pk=deputy.pk).distinct()
          .select_related("town"))
    ids = qs.filter(town=deputy.town_id).order_by("full_name").values("pk")[:portal_setting("CO_DEPUTY_CHOICES")]
    # a limited subquery, not a slice: the form field filters the queryset again to validate the choices
    return Deputy.objects.filter(pk__in=ids).order_by("full_name")


def leave_list_for(*, user):
    deputy = deputy_for_user(user)
    if deputy is None:
        return LeaveRequest.objects.none()
    return LeaveRequest.objects.filter(deputy=deputy).select_related("congress_session__term", "meeting__term")


def upcoming_meetings():
    from congress.models import CongressSession, Meeting

    today = timezone.localdate()
    return (CongressSession.objects.filter(start_date__gte=today).select_related("term").order_by("start_date")[:5],
            Meeting.objects.filter(date__gte=today, kind=Meeting.Kind.STANDING).select_related("term").order_by("date")[:5])


def voter_report_list_for(*, user):
    deputy = deputy_for_user(user)
    if deputy is None:
        return VoterReport.objects.none()
    return VoterReport.objects.filter(deputy=deputy)


def published_ranking_for(deputy: Deputy):
    """The latest published snapshot's row for this deputy and their town's ranking (frozen)."""
    snapshot = ScoreSnapshot.objects.filter(state=ScoreSnapshot.State.PUBLISHED).first()
    if snapshot is None:
        return None, None, []
    mine = snapshot.rows.filter(deputy=deputy).first()
    town_rows = list(snapshot.rows.filter(town_name=deputy.town.name).order_by("rank_in_town", "deputy_name")[:50])
    return snapshot, mine, town_rows


# -- staff views ------------------------------------------------------------------------------------------------------

def serving_deputies():
    return Deputy.objects.filter(mandates__status=Mandate.Status.SERVING).distinct()


def inactive_deputies(qs: QuerySet[Deputy], *, day: datetime.date | None = None) -> QuerySet[Deputy]:
    """Serving deputies without any activity (present) in the quarter of `day`."""
    day = day or timezone.localdate()
    q = quarter_of(day)
    active = DutyActivityParticipant.objects.filter(
        deputy=OuterRef("pk"), attendance=DutyActivityParticipant.Attendance.PRESENT,
        activity__date__gte=quarter_start(day.year, q), activity__date__lte=quarter_end(day.year, q)).exclude(
        activity__status=DutyActivity.Status.RETURNED)
    serving = Mandate.objects.filter(deputy=OuterRef("pk"), status=Mandate.Status.SERVING)
    return qs.filter(Exists(serving)).exclude(Exists(active))


def checklist_by_town(towns, year: int) -> dict[int, dict]:
    """{town id: {"deputies": n, item key: serving deputies who have done it}}: the serving deputies of the towns, then
    checklist_done for all of them at once (the same computation as each deputy's portal), counted per town."""
    result = {t.pk: {"deputies": 0} for t in towns}
    town_of = dict(Deputy.objects.filter(town__in=list(result), mandates__status=Mandate.Status.SERVING)
                   .values_list("pk", "town").distinct())
    for town in town_of.values():
        result[town]["deputies"] += 1
    for pk, keys in checklist_done(town_of, year).items():
        for key in keys:
            result[town_of[pk]][key] = result[town_of[pk]].get(key, 0) + 1
    return result


def admin_todos(user, today):
    """The admin index's to-do items of the deputies app (congress.lib.dashboard)."""
    from congress.lib.dashboard import Todo

    todos = []
    if user.has_perm("deputies.change_dutyactivity"):
        waiting = activity_admin_queryset(DutyActivity.objects.filter(status=DutyActivity.Status.SUBMITTED), user=user)
        todos.append(Todo("履职活动待审核", waiting.count(), "/admin/deputies/dutyactivity/?status__exact=submitted"))
    if user.has_perm("deputies.view_deputy"):
        flagged = absence_flagged(deputy_list_for(user=user))
        todos.append(Todo(f"未经批准缺席人代会达到{portal_setting('UNEXCUSED_ABSENCE_FLAG')}次的代表", flagged.count(),
                          "/admin/deputies/deputy/?absences=flagged"))
    if user.has_perm("deputies.change_leaverequest"):
        leaves = LeaveRequest.objects.filter(status=LeaveRequest.Status.SUBMITTED)
        towns = towns_for(user)
        if towns is not None:
            leaves = leaves.filter(deputy__town__in=towns)
        todos.append(Todo("请假申请待批准", leaves.count(), "/admin/deputies/leaverequest/?status__exact=submitted"))
    return todos


def system_figures() -> dict[str, int]:
    """The deputies app's headline figures (congress.lib.dashboard.register_figures)."""
    return {
        "deputies": Deputy.objects.count(),
        "district_deputies": Mandate.objects.filter(level=Mandate.Level.DISTRICT, status=Mandate.Status.SERVING,
                                                    term__is_current=True).count(),
        "town_deputies": Mandate.objects.filter(level=Mandate.Level.TOWN, status=Mandate.Status.SERVING).count(),
        "activities": DutyActivity.objects.count(),
    }


def activity_period_counts(start: datetime.date, end: datetime.date) -> dict[str, int]:
    """For the reports: verified activities dated in the period, the deputies' attendances at them (人次, present) and
    how many different deputies attended at least one. One query."""
    present = Q(participations__attendance=DutyActivityParticipant.Attendance.PRESENT)
    return DutyActivity.objects.filter(status=DutyActivity.Status.VERIFIED, date__range=(start, end)).aggregate(
        activities=Count("pk", distinct=True), attendances=Count("participations", filter=present),
        deputies=Count("participations__deputy", filter=present, distinct=True))


def activities_by_type(start: datetime.date, end: datetime.date) -> list[tuple[str, int]]:
    """Verified activities of the period per type, largest first."""
    rows = (DutyActivity.objects.filter(status=DutyActivity.Status.VERIFIED, date__range=(start, end))
            .values("activity_type__name").annotate(n=Count("pk")).order_by("-n", "activity_type__name"))
    return [(row["activity_type__name"], row["n"]) for row in rows]


def checklist_totals(year: int) -> dict:
    """{"deputies": serving district deputies of the current term, item key: how many of them have done it this year}
    (checklist_done: the same computation as each deputy's portal)."""
    ids = list(Mandate.objects.filter(level=Mandate.Level.DISTRICT, status=Mandate.Status.SERVING, term__is_current=True)
               .values_list("deputy_id", flat=True).distinct())
    totals = {"deputies": len(ids)}
    for keys in checklist_done(ids, year).values():
        for key in keys:
            totals[key] = totals.get(key, 0) + 1
    return totals


def score_summary(*, year: int, until: datetime.date, top: int = 10) -> dict:
    """The points of serving district deputies of the current term for the year up to `until` (score_table, the
    published ranking's computation): how many, the average and the highest `top` (name, town, score)."""
    rows = score_table(year=year, until=until)
    scores = [row["score"] for row in rows]
    average = (sum(scores, Decimal(0)) / len(scores)) if scores else None
    best = sorted(rows, key=lambda r: (-r["score"], r["deputy_name"]))[:top]
    return {"deputies": len(rows), "average": None if average is None else round(float(average), 1),
            "top": [(r["deputy_name"], r["town_name"], float(r["score"])) for r in best]}


def activities_by_town(start: datetime.date, end: datetime.date, last_start: datetime.date,
                       last_end: datetime.date) -> list[tuple[str, int, int]]:
    """The leaders' dashboard: (town, verified activities in start..end, in last_start..last_end) per town of the
    deputies present at them (an activity with deputies of two towns counts for both), by town order. One query."""
    present = Q(participations__attendance=DutyActivityParticipant.Attendance.PRESENT,
                participations__deputy__town__isnull=False)
    this, last = Q(date__range=(start, end)), Q(date__range=(last_start, last_end))
    rows = (DutyActivity.objects.filter(present, this | last, status=DutyActivity.Status.VERIFIED)
            .values("participations__deputy__town__name", "participations__deputy__town__sort_order")
            .annotate(n=Count("pk", filter=this, distinct=True), n_last=Count("pk", filter=last, distinct=True))
            .order_by("participations__deputy__town__sort_order", "participations__deputy__town__name"))
    return [(row["participations__deputy__town__name"], row["n"], row["n_last"]) for row in rows]


def activity_totals(start: datetime.date, end: datetime.date, last_start: datetime.date,
                    last_end: datetime.date) -> dict:
    """The leaders' dashboard: verified activities dated in start..end and in last_start..last_end, in all and by month
of the year ({month number: n}). One query, grouped by month."""
    from django.db.models.functions import ExtractMonth

    this, last = Q(date__range=(start, end)), Q(date__range=(last_start, last_end))
    rows = (DutyActivity.objects.filter(this | last, status=DutyActivity.Status.VERIFIED)
            .annotate(month=ExtractMonth("date")).values("month")
            .annotate(n=Count("pk", filter=this), n_last=Count("pk", filter=last)).order_by())
    by_month = {row["month"]: row["n"] for row in rows}
    by_month_last = {row["month"]: row["n_last"] for row in rows}
    return {"activities": sum(by_month.values()), "activities_last": sum(by_month_last.values()),
            "by_month": by_month, "by_month_last": by_month_last}


# -- search (congress.lib.search) -------------------------------------------------------------------------------------

def activity_hits(user, query: str, limit: int) -> list:
    """Duty activities this staff member may see (town staff: their towns', as in the admin list) whose name,
    place or content contains `query`: name matches first, then the latest."""
    from django.urls import reverse

    from congress.lib.search import Hit, excerpt, ranked

    if not user.has_perm("deputies.view_dutyactivity"):
        return []
    qs = activity_scope(DutyActivity.objects.select_related("activity_type"), user=user)
    rows = ranked(qs, query, "title", ("description", "place"), ("-date", "-id"), limit)
    return [Hit(title=a.title, url=reverse("admin:deputies_dutyactivity_change", args=[a.pk]),
                body=excerpt(a.description, query), meta=f"{a.activity_type.name} · {a.date:%Y-%m-%d} · {a.get_status_display()}",
                title_match=bool(a.title_match)) for a in rows]


def portal_activity_hits(user, query: str, limit: int) -> list:
    """The deputy's own activities (participation_list_for) whose name, place or content contains `query`."""
    from django.urls import reverse

    from congress.lib.search import Hit, excerpt, ranked

    deputy = deputy_for_user(user)
    if deputy is None:
        return []
    qs = DutyActivity.objects.filter(pk__in=DutyActivityParticipant.objects.filter(deputy=deputy).values("activity_id"))
    rows = ranked(qs.select_related("activity_type"), query, "title", ("description", "place"), ("-date", "-id"), limit)
    return [Hit(title=a.title, url=reverse("portal:activity_detail", args=[a.pk]), body=excerpt(a.description, query),
                meta=f"{a.activity_type.name} · {a.date:%Y-%m-%d} · {a.get_status_display()}",
                title_match=bool(a.title_match)) for a in rows]


def deputy_hits(user, query: str, limit: int) -> list:
    """Deputies on this staff member's roster (deputy_list_for: town staff their towns') by name or workplace."""
    from django.urls import reverse

    from congress.lib.search import Hit, ranked

    if not user.has_perm("deputies.view_deputy"):
        return []
    rows = ranked(deputy_scope(user=user), query, "full_name", ("workplace",), ("full_name", "id"), limit)
    return [Hit(title=d.full_name, url=reverse("admin:deputies_deputy_change", args=[d.pk]),
                body=" ".join(filter(None, [d.workplace, d.job_title])), meta=d.town.name,
                title_match=bool(d.title_match)) for d in rows]
