"""Reads about the institution and about who may see which town."""
from django.db import connection
from django.db.models import QuerySet
from guardian.shortcuts import get_objects_for_user

from congress.models import Organization, Term

TOWN_PERMISSION = "congress.manage_town_records"


def current_term() -> Term | None:
    return Term.objects.filter(is_current=True).first()


def towns_for(user) -> QuerySet[Organization] | None:
    """The towns whose deputies and stations this user may see and edit, or None for all of them.

    Committee staff and leaders (who hold the model permission without an object grant) see every town; town
    staff see the towns a security administrator granted them through django-guardian."""
    from congress.predicates import is_town_staff

    if user.is_superuser or not is_town_staff(user):
        return None
    return get_objects_for_user(user, TOWN_PERMISSION, klass=Organization.objects.filter(kind__in=Organization.TOWN_KINDS),
                                accept_global_perms=False)


def unit_accounts(org_ids) -> dict[int, list]:
    """The active 承办单位 accounts of these organizations, {organization id: [user, …]} in one query: who is told or
    reminded of an organ's work (organs without an account are missing from the answer)."""
    from collections import defaultdict

    from congress import roles
    from congress.models import User

    found: dict[int, list] = defaultdict(list)
    for user in User.objects.filter(organization_id__in=list(org_ids), is_active=True,
                                    groups__name=roles.HANDLING_UNIT).distinct().order_by("id"):
        found[user.organization_id].append(user)
    return found


def town_list() -> QuerySet[Organization]:
    return Organization.objects.filter(kind__in=Organization.TOWN_KINDS, is_active=True)


FIGURES_CACHE_SECONDS = 60


def figures_cache_key() -> str:
    from congress.lib.statcache import database_key

    return database_key("figures")


def system_counts() -> dict[str, int]:
    """The headline figures: the institution's own (organizations) and those each app registers
    (congress.lib.dashboard.register_figures; deputies and stations count their own tables). Kept for a minute in the
    cache: they are counts of whole tables, and the admin index and the public home page show them on every visit."""
    from django.core.cache import cache

    from congress.lib.dashboard import figures

    def compute():
        return {**figures(), "organizations": Organization.objects.count()}

    return cache.get_or_set(figures_cache_key(), compute, FIGURES_CACHE_SECONDS)


def units_without_account() -> QuerySet[Organization]:
    """Organizations with work waiting for them (each app registers what that is: congress.lib.dashboard
    .register_unit_work) and no active 承办单位 account to see it: nobody there is reminded or notified, so staff must
    create an account (the deadline reminders wait for it, proposals.reminders)."""
    from django.db.models import Exists, OuterRef, Q

    from congress import roles
    from congress.lib.dashboard import unit_work_sources
    from congress.models import User

    if not unit_work_sources:
        return Organization.objects.none()
    waiting = Q()
    for source in unit_work_sources:
        waiting |= Q(pk__in=source())
    account = User.objects.filter(organization=OuterRef("pk"), is_active=True, groups__name=roles.HANDLING_UNIT)
    return Organization.objects.filter(waiting).exclude(Exists(account))


def admin_todos(user, today):
    """The institution's own item of the admin index's 待办 (congress.lib.dashboard): units with waiting work and no
    account, for committee-wide staff (the system administrator creates the accounts)."""
    from congress.lib.dashboard import Todo

    todos = []
    if user.has_perm("congress.add_calendarday"):
        todos += holiday_schedule_todos(today)
    if not user.has_perm("congress.view_organization") or towns_for(user) is not None:
        return todos
    return todos + [Todo("单位无账号", units_without_account().count(), "/admin/congress/organization/?account=missing")]


def holiday_schedule_todos(today) -> list:
    """This year's schedule when it is missing, and from HOLIDAY_SCHEDULE_REMIND_MONTH on next year's: deadlines that
    fall in a year without one are only provisional (待定)."""
    from django.conf import settings
    from django.urls import reverse

    from congress.lib.dashboard import Todo
    from congress.lib.workdays import known_schedule_years

    known = known_schedule_years()
    wanted = [today.year] + ([today.year + 1] if today.month >= settings.CONGRESS_RULES["HOLIDAY_SCHEDULE_REMIND_MONTH"]
                             else [])
    url = reverse("admin:congress_calendarday_enter_schedule")
    return [Todo(f"请录入{year}年节假日安排（国务院办公厅通知）", 1, f"{url}?year={year}") for year in wanted
            if year not in known]


def estimated_row_count(table: str) -> int | None:
    """PostgreSQL's planner estimate for a table's rows, or None elsewhere or when the table was never analysed."""
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT reltuples::bigint FROM pg_class WHERE relname = %s", [table])
        row = cursor.fetchone()
    if not row or row[0] is None or row[0] < 0:
        return None
    return int(row[0])


def notification_list_for(*, user, unread_only: bool = False):
    from congress.models import Notification

    qs = Notification.objects.filter(recipient=user)
    if unread_only:
        qs = qs.filter(read_at__isnull=True)
    return qs


def unread_count_key(user_id: int) -> str:
    """The cache key of a user's unread count."""
    from congress.lib.statcache import database_key

    return database_key("unread", user_id)


def unread_notification_count(*, user) -> int:
    """The bell's count on every page: kept NOTIFICATION_COUNT_CACHE_SECONDS per user and dropped by the services that
    change it (notification_send, notification_send_many, notification_mark_read: forget_unread_counts)."""
    from django.conf import settings
    from django.core.cache import cache

    seconds = settings.NOTIFICATION_COUNT_CACHE_SECONDS
    if seconds <= 0:
        return notification_list_for(user=user, unread_only=True).count()
    key = unread_count_key(user.pk)
    count = cache.get(key)
    if count is None:
        count = notification_list_for(user=user, unread_only=True).count()
        cache.set(key, count, seconds)
    return count


def forget_unread_counts(user_ids) -> None:
    """After the transaction commits: a page counting meanwhile would store the old count again."""
    from django.core.cache import cache
    from django.db import transaction

    keys = [unread_count_key(pk) for pk in set(user_ids)]
    if keys:
        transaction.on_commit(lambda: cache.delete_many(keys))


def landing_url_for(user) -> str:
    """Where a user goes after logging in: deputies to their portal, units to their workspace, staff to the admin."""
    from congress import roles
    from congress.predicates import role_names

    names = role_names(user)
    if roles.DEPUTY in names:
        return "/portal/"
    if roles.HANDLING_UNIT in names:
        return "/unit/"
    if user.is_staff:
        return "/admin/"
    return "/"


def second_factor_required(user) -> bool:
    """docs/rules.md: TOTP is required for the three administrators (TOTP_REQUIRED_FOR=admins) or for every staff account
    (=staff); a staff member who turned it on must use it too."""
    from django.conf import settings
    from django_otp import user_has_device

    from congress import roles

    if not user.is_authenticated or not user.is_staff:
        return False
    if settings.TOTP_REQUIRED_FOR == "staff" or user.is_superuser:
        return True
    from congress.predicates import role_names

    if role_names(user) & {roles.SYSTEM_ADMIN, roles.SECURITY_ADMIN, roles.AUDIT_ADMIN}:
        return True
    return user_has_device(user, confirmed=True)


def meeting_period_counts(start, end) -> dict:
    """For the reports: standing committee and council meetings held in the period, their agenda items by kind (reports
    heard, inquiries …) and the appointments decided in it by kind. Three queries."""
    from django.db.models import Count

    from congress.models import AgendaItem, Appointment, Meeting

    meetings = dict(Meeting.objects.filter(date__range=(start, end)).values("kind").annotate(n=Count("pk"))
                    .values_list("kind", "n"))
    agenda = dict(AgendaItem.objects.filter(meeting__date__range=(start, end)).values("kind").annotate(n=Count("pk"))
                  .values_list("kind", "n"))
    appointments = dict(Appointment.objects.filter(decided_on__range=(start, end)).values("kind")
                        .annotate(n=Count("pk")).values_list("kind", "n"))
    return {"meetings": meetings, "agenda": agenda, "appointments": appointments}
