"""Writes about users and their access. Each service checks who acts, writes in one transaction, and leaves
an audit record (django-simple-history rows, with the acting user)."""
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from guardian.shortcuts import assign_perm, remove_perm

from congress import roles
from congress.models import Organization, User
from congress.selectors import TOWN_PERMISSION, forget_unread_counts


class CongressError(ValidationError):
    """A refused action; the message is Chinese and shown to the person who tried."""


def _require_role(actor: User, role: str) -> None:
    from congress.predicates import has_role

    if not (actor.is_superuser or has_role(actor, role)):
        raise PermissionDenied(f"只有{role}可以执行此操作")


@transaction.atomic
def user_set_managed_towns(*, actor: User, user: User, towns) -> None:
    """The security administrator grants a town staff member access to the deputies and stations of towns."""
    _require_role(actor, roles.SECURITY_ADMIN)
    towns = list(towns)
    bad = [t.name for t in towns if not t.is_town]
    if bad:
        raise CongressError(f"只能授权镇或街道：{'、'.join(bad)}")
    if towns and not user.groups.filter(name=roles.TOWN_STAFF).exists():  # the target's roles, read fresh
        raise CongressError("只有镇街人大工作人员可以被授权管理镇街")
    current = set(managed_town_ids(user))
    wanted = {t.pk for t in towns}
    for town in Organization.objects.filter(pk__in=current - wanted):
        remove_perm(TOWN_PERMISSION, user, town)
    for town in Organization.objects.filter(pk__in=wanted - current):
        assign_perm(TOWN_PERMISSION, user, town)


def managed_town_ids(user: User) -> list[int]:
    from congress.models import OrganizationUserObjectPermission

    return list(OrganizationUserObjectPermission.objects.filter(
        user=user, permission__codename="manage_town_records").values_list("content_object_id", flat=True))


@transaction.atomic
def user_set_roles(*, actor: User, user: User, groups) -> None:
    """Only the security administrator assigns roles (三员分立). Staff status follows the roles."""
    _require_role(actor, roles.SECURITY_ADMIN)
    groups = list(groups)
    if user.pk == actor.pk:
        raise CongressError("不能修改自己的角色")
    names = {g.name for g in groups}
    admin_roles = names & {roles.SYSTEM_ADMIN, roles.SECURITY_ADMIN, roles.AUDIT_ADMIN}
    if len(admin_roles) > 1 or (admin_roles and names - admin_roles):
        raise CongressError("系统管理员、安全管理员、审计管理员三员分立，不能兼任其他角色")
    user.groups.set(groups)
    staff = bool(names & roles.ADMIN_ROLES)
    if user.is_staff != staff:
        user.is_staff = staff
        user.save(update_fields=["is_staff"])


def appointment_steps_check(*, kind: str, decided_on, law_exam_passed: bool, oath_taken_on=None,
                            certificate_issued_on=None, statement_made: bool = False) -> None:
    """The order of an appointment's steps (地方组织法, 宪法宣誓制度; local practice): the pre-appointment law exam is passed
    before the appointment, the oath is taken after the appointment (and never without the passed exam), and the
    certificate is issued after the appointment. Removals and resignations take no exam, statement or oath. The admin's
    form shows these refusals at once; any other writer calls the same check."""
    from congress.models import Appointment

    taking_office = kind in (Appointment.Kind.APPOINT, Appointment.Kind.ELECT, Appointment.Kind.APPROVE)
    problems = []
    if not taking_office and (law_exam_passed or statement_made or oath_taken_on):
        problems.append("免职、接受辞职不需要任前法律考试、表态发言和宪法宣誓")
    if oath_taken_on and not law_exam_passed:
        problems.append("任前法律考试合格后才能进行宪法宣誓（法律考试 → 任命 → 宪法宣誓）")
    if oath_taken_on and decided_on and oath_taken_on < decided_on:
        problems.append("宪法宣誓须在任命决定之后（不早于决定日期）")
    if certificate_issued_on and decided_on and certificate_issued_on < decided_on:
        problems.append("颁发任命书须在任命决定之后（不早于决定日期）")
    if problems:
        raise CongressError(problems)


def create_user_with_role(*, username: str, password: str, role: str, full_name: str = "",
                          organization: Organization | None = None) -> User:
    """Used by seeding and tests to make an account of one role (not an admin action)."""
    user = User(username=username, full_name=full_name, organization=organization,
                is_staff=role in roles.ADMIN_ROLES)
    user.set_password(password)
    user.save()
    user.groups.add(Group.objects.get(name=role))
    return user


def notification_send(*, recipients, kind: str, title: str, body: str = "", link: tuple = (), url: str = "") -> list:
    """Create in-app notifications now (inside the caller's transaction) and queue the e-mail and SMS copies
    for after the commit, so a rolled-back change never reaches anyone's phone.

    The page a notification opens is given as ``link``, a URL name and its arguments that are reversed here, e.g.
    ``link=("unit:detail", assignment.pk)`` or ``link=("admin:stations_voteropinion_change", opinion.pk)``; or as
    ``url``, a path already built with reverse(). Either must be one of this site's pages: a literal path that no
    longer matches the URLconf is refused here rather than sent to a phone as a dead link."""
    from django.db import transaction

    from congress.models import Notification

    url = notification_url(link=link, url=url)
    recipients = [r for r in recipients if r is not None]
    rows = Notification.objects.bulk_create([
        Notification(recipient=r, kind=kind, title=title, body=body, url=url) for r in recipients])
    ids = [n.pk for n in rows if n.pk]
    if ids:
        transaction.on_commit(lambda: _deliver_after_commit(ids))
    forget_unread_counts(n.recipient_id for n in rows)
    return rows


def notification_send_many(messages) -> list:
    """notification_send for a batch of different messages (a scan's reminders): each message a dict of
    notification_send's arguments; one insert and one delivery task for all, whatever their number."""
    from django.db import transaction

    from congress.models import Notification

    rows = [Notification(recipient=r, kind=m["kind"], title=m["title"], body=m.get("body", ""),
                         url=notification_url(link=m.get("link", ()), url=m.get("url", "")))
            for m in messages for r in m["recipients"] if r is not None]
    rows = Notification.objects.bulk_create(rows) if rows else []
    ids = [n.pk for n in rows if n.pk]
    if ids:
        transaction.on_commit(lambda: _deliver_after_commit(ids))
    forget_unread_counts(n.recipient_id for n in rows)
    return rows


def notification_url(*, link: tuple = (), url: str = "") -> str:
    """The path of a notification's page: ``link`` reversed, or ``url`` checked against the URLconf."""
    from django.urls import Resolver404, resolve, reverse

    if link:
        name, *args = link
        return reverse(name, args=args)
    if url:
        if not url.startswith("/"):
            raise ValueError(f"notification url {url!r} must be a path built with reverse()")
        try:
            resolve(url.split("?", 1)[0])
        except Resolver404:
            raise ValueError(f"notification url {url!r} is not a page of this site") from None
    return url


def _deliver_after_commit(ids):
    from congress.tasks import deliver_notifications

    deliver_notifications.delay(ids)


@transaction.atomic
def notification_mark_read(*, actor: User, notification_id: int | None = None) -> int:
    """Mark one (or, without an id, all) of the actor's own notifications read. Others' are untouched."""
    from django.utils import timezone

    from congress.models import Notification

    qs = Notification.objects.filter(recipient=actor, read_at__isnull=True)
    if notification_id is not None:
        qs = qs.filter(pk=notification_id)
    marked = qs.update(read_at=timezone.now())
    if marked:
        forget_unread_counts([actor.pk])
    return marked


def audit_purge_expired(*, now=None) -> int:
    """Delete change history, login records and personal-data views older than the retention period.
    The period is a setting that cannot be under six months; 0 (the default) keeps everything."""
    import datetime

    from axes.models import AccessFailureLog, AccessLog
    from django.apps import apps
    from django.conf import settings
    from django.utils import timezone

    days = settings.CONGRESS_RULES["AUDIT_RETENTION_DAYS"]
    if not days:
        return 0
    cutoff = (now or timezone.now()) - datetime.timedelta(days=days)
    deleted = 0
    for model in apps.get_models():
        # change history (django-simple-history) and every log that names its time field
        field = "history_date" if model.__name__.startswith("Historical") else getattr(model, "AUDIT_TIME_FIELD", None)
        if field:
            deleted += model.objects.filter(**{f"{field}__lt": cutoff}).delete()[0]
    deleted += AccessLog.objects.filter(attempt_time__lt=cutoff).delete()[0]
    deleted += AccessFailureLog.objects.filter(attempt_time__lt=cutoff).delete()[0]
    return deleted


def reminder_claim(key: str) -> bool:
    """True when this call is the first to claim `key` (and so must send the reminder); False when another
    scan, now or earlier, already did. Safe under concurrency: the insert races on a unique index."""
    from django.db import IntegrityError

    from congress.models import ReminderClaim

    try:
        with transaction.atomic():
            ReminderClaim.objects.create(key=key)
    except IntegrityError:
        return False
    return True


def reminder_claim_many(keys) -> set[str]:
    """Claim a scan's reminders in a batch: returns the keys this call claimed (and so must send); the others were
    claimed before, or now by a concurrent scan. One query reads the keys already claimed, one statement claims the new
    ones (INSERT … ON CONFLICT DO NOTHING RETURNING), so a scan with nothing new costs one query and no duplicate ever
    raises a database error."""
    from django.db import connection

    from congress.models import ReminderClaim

    keys = list(dict.fromkeys(keys))
    if not keys:
        return set()
    taken = set(ReminderClaim.objects.filter(key__in=keys).values_list("key", flat=True))
    new = [k for k in keys if k not in taken]
    claimed: set[str] = set()
    table, qn = ReminderClaim._meta.db_table, connection.ops.quote_name
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    with connection.cursor() as cursor:
        for start in range(0, len(new), 400):
            chunk = new[start:start + 400]
            cursor.execute(
                f"INSERT INTO {qn(table)} ({qn('key')}, {qn('sent_at')}) VALUES {', '.join(['(%s, %s)'] * len(chunk))} "
                f"ON CONFLICT ({qn('key')}) DO NOTHING RETURNING {qn('key')}",
                [value for key in chunk for value in (key, now)])
            claimed.update(row[0] for row in cursor.fetchall())
    return claimed


def calendar_load_defaults() -> int:
    """Load the State Council's holiday schedules shipped in congress/data (2025-2026) where the calendar has
    no row for the day yet; staff's own edits are kept. Returns the number of days added."""
    import csv
    import datetime
    from pathlib import Path

    from congress.models import CalendarDay, HolidaySchedule

    path = Path(__file__).resolve().parent / "data" / "cn-holidays-2025-2026.csv"
    with path.open(encoding="utf-8") as f:
        rows = [CalendarDay(date=datetime.date.fromisoformat(r["date"]), kind=r["kind"], name=r["name"])
                for r in csv.DictReader(f)]
    before = CalendarDay.objects.count()
    CalendarDay.objects.bulk_create(rows, ignore_conflicts=True)
    # the shipped years are official schedules: their deadlines are final
    HolidaySchedule.objects.bulk_create([HolidaySchedule(year=y, source="随系统提供的国务院办公厅通知")
                                         for y in sorted({r.date.year for r in rows})], ignore_conflicts=True)
    return CalendarDay.objects.count() - before


@transaction.atomic
def holiday_schedule_enter(*, actor, year: int, text: str) -> tuple[int, int]:
    """Staff enter a year's holiday schedule by pasting the State Council's notice (or "日期,类型,名称" lines): the
    year's calendar rows are replaced by the notice's, the year counts as entered, and every app recomputes the
    deadlines it stored for that year (congress.lib.workdays.schedule_hooks), recording and notifying each change.
    All or nothing: a line that cannot be read changes nothing and is named in the refusal. Returns (days entered,
    deadlines changed)."""
    from simple_history.utils import bulk_create_with_history

    from congress.lib import workdays
    from congress.lib.holidays import ScheduleError, parse_schedule
    from congress.models import CalendarDay, HolidaySchedule

    if not (actor.is_authenticated and actor.has_perm("congress.add_calendarday") and actor.has_perm(
            "congress.change_calendarday")):
        raise CongressError("没有录入节假日安排的权限")
    if not 2000 <= int(year) <= 2100:
        raise CongressError("年度须在2000年至2100年之间")
    try:
        days = parse_schedule(int(year), text)
    except ScheduleError as exc:
        raise CongressError([f"未录入任何日期。{problem}" for problem in exc.problems]) from None
    span = [d.date for d in days]
    for old in CalendarDay.objects.filter(date__year=year).exclude(date__in=span) | CalendarDay.objects.filter(
            date__in=span):
        old._history_user = actor
        old.delete()  # one by one: each deletion leaves its history row
    bulk_create_with_history([CalendarDay(date=d.date, kind=d.kind, name=d.name) for d in days], CalendarDay,
                             default_user=actor, default_change_reason=f"录入{year}年节假日安排")
    HolidaySchedule.objects.update_or_create(
        year=year, defaults={"source": text.strip()[:20000], "entered_by": actor, "entered_at": timezone.now()})
    changed = sum(hook(actor, int(year)) for hook in workdays.schedule_hooks)
    return len(days), changed


def second_factor_device_for(*, actor):
    """The actor's TOTP device: the confirmed one, or an unconfirmed one to enrol (made once, kept until confirmed, so
    the QR code does not change between page loads)."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.filter(user=actor, confirmed=True).first()
    if device is None:
        device = TOTPDevice.objects.filter(user=actor, confirmed=False).first() or TOTPDevice.objects.create(
            user=actor, name="手机动态口令", confirmed=False)
    return device


def second_factor_verify(*, actor, request, token: str):
    """Check a 6-digit token against the actor's device (enrolling it if this is the first good token) and mark the
    session verified. Refusals: a wrong token, or too many wrong tokens in a row (django-otp's growing delay). The
    failure count is committed before the refusal is raised, or a rollback would forget it and never throttle."""
    import django_otp
    from django_otp.plugins.otp_totp.models import TOTPDevice

    token = (token or "").strip().replace(" ", "")
    with transaction.atomic():
        device = TOTPDevice.objects.select_for_update().get(pk=second_factor_device_for(actor=actor).pk)
        allowed, _why = device.verify_is_allowed()
        ok = bool(allowed and token.isdigit() and len(token) == 6 and device.verify_token(token))
        if ok and not device.confirmed:
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            _history_note(actor, by=actor, reason="启用动态口令")
    if not allowed:
        raise CongressError("动态口令错误次数过多，请稍后再试")
    if not ok:
        raise CongressError("动态口令不正确，请输入手机应用中当前显示的 6 位数字")
    django_otp.login(request, device)
    return device


@transaction.atomic
def second_factor_reset(*, actor, user) -> int:
    """The security administrator removes a user's devices (a lost phone); the user enrols again at the next login.
    Recorded in the user's history with the actor."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from congress.predicates import has_role

    if not actor.has_perm("congress.change_user") or not has_role(actor, roles.SECURITY_ADMIN):
        raise CongressError("只有安全管理员可以重置动态口令")
    if user.pk == actor.pk:
        raise CongressError("不能重置自己的动态口令")
    removed, _ = TOTPDevice.objects.filter(user=user).delete()
    _history_note(user, by=actor, reason="重置动态口令")
    return removed


def _history_note(user, *, by, reason: str) -> None:
    """A row in the user's audit history (django-simple-history) for a change kept outside the user's table."""
    user._change_reason, user._history_user = reason, by
    user.save(update_fields=["password_changed_at"])  # rewrites the same value: the save is for the history row
