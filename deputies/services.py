"""Writes about deputies."""
import datetime
import logging
import uuid

from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_update_with_history

from congress.lib import uploads
from congress.services import CongressError, notification_send
from deputies import predicates, selectors
from deputies.conf import portal_setting
from deputies.models import (
    ActivityPhoto,
    Deputy,
    DutyActivity,
    DutyActivityParticipant,
    DutyActivityType,
    LeaveRequest,
    Mandate,
    PersonalDataView,
    ScoreSnapshot,
    ScoreSnapshotRow,
    VoterReport,
)
from deputies.workflows import ACTIVITY, LEAVE

logger = logging.getLogger(__name__)


def personal_data_view_record(*, actor, deputy_id: int) -> None:
    """docs/rules.md: every view of a full ID or phone number is logged."""
    PersonalDataView.objects.create(user=actor, deputy_id=deputy_id)


@transaction.atomic
def mandates_end(*, actor, mandates, reason: str, end_date: datetime.date | None = None) -> int:
    """End several serving mandates at once. A bulk update, written with history so the audit trail has each
    row with the acting user (a plain queryset.update() would leave no trace)."""
    if not actor.has_perm("deputies.change_mandate"):
        raise CongressError("没有修改代表资格的权限")
    end_date = end_date or timezone.localdate()
    rows = list(Mandate.objects.select_for_update(of=("self",)).select_related("deputy")
                .filter(pk__in=[m.pk for m in mandates]))
    outside = [m for m in rows if not predicates.can_end_mandate(actor, m)]
    if outside:
        raise CongressError(f"有 {len(outside)} 个代表资格不属于您管理的镇街，未终止任何代表资格")
    not_serving = [m for m in rows if m.status != Mandate.Status.SERVING]
    if not_serving:
        raise CongressError(f"有 {len(not_serving)} 个代表资格不是“在任”状态，不能再终止")
    for mandate in rows:
        mandate.status = Mandate.Status.ENDED
        mandate.end_date = end_date
        mandate.end_reason = reason
    bulk_update_with_history(rows, Mandate, ["status", "end_date", "end_reason"], default_user=actor,
                             default_change_reason=reason)
    return len(rows)




# -- the deputy portal ------------------------------------------------------------------------------------------------
# Every transition below: one transaction, the row locked, a wrong actor or state refused with CongressError, the
# acting user on the simple-history row (_history_user), notifications queued after the commit.


def _deputy_of(actor) -> Deputy:
    from congress.predicates import deputy_of

    deputy = deputy_of(actor)
    if deputy is None:
        raise CongressError("只有人大代表本人可以执行此操作")
    return deputy


def _require_perm(actor, perm: str, message: str) -> None:
    if not (actor and actor.is_authenticated and actor.has_perm(perm)):
        raise CongressError(message)




@transaction.atomic
def activity_report(*, actor, activity_type: DutyActivityType, date: datetime.date, title: str = "", place: str = "",
                    description: str = "", photos=(), co_deputies=()) -> DutyActivity:
    """A deputy logs an activity on the phone: they attend (confirmed now); co-participants are asked to confirm."""
    deputy = _deputy_of(actor)
    if not activity_type.is_active:
        raise CongressError("该活动类型已停用")
    if date > timezone.localdate():
        raise CongressError("活动日期不能晚于今天")
    photos = list(photos)
    if len(photos) > portal_setting("MAX_PHOTOS"):
        raise CongressError(f"每次最多上传 {portal_setting('MAX_PHOTOS')} 张照片")
    prepared = [uploads.reencode_image(p) for p in photos]
    others = [d for d in co_deputies if d.pk != deputy.pk]
    activity = DutyActivity(title=(title or f"{activity_type.name}：{place}".rstrip("："))[:120],
                            activity_type=activity_type, date=date, place=place, description=description,
                            created_by=actor, reported_by=deputy)
    activity._history_user = actor
    activity.save()
    ACTIVITY.record_created(activity, actor=actor, name="report")
    now = timezone.now()
    DutyActivityParticipant.objects.bulk_create(
        [DutyActivityParticipant(activity=activity, deputy=deputy, confirmed_at=now)]
        + [DutyActivityParticipant(activity=activity, deputy=d) for d in others])
    for content in prepared:
        ActivityPhoto.objects.create(activity=activity, image=content)
    notification_send(recipients=[d.user for d in others], kind="activity_confirm",
                      title=f"{deputy.full_name}代表登记了您共同参加的履职活动，请确认",
                      body=activity.title, link=("portal:activity_detail", activity.pk))
    return activity


@transaction.atomic
def activity_record_verified(*, actor, type_name: str, date: datetime.date, title: str, place: str = "",
                             description: str = "", deputies=(), organizer=None, type_checklist: str = "") -> DutyActivity:
    """Staff record an activity they organised and saw happen (a reception day, for one): it is verified at once and
    every listed deputy is a confirmed participant, so it counts for their points and checklist without any step of
    theirs. The activity type is found by name (created, active and counting for `type_checklist` of the "五个一",
    if staff have not made it yet; an existing type keeps the staff's settings)."""
    from simple_history.utils import bulk_create_with_history

    _require_perm(actor, "deputies.add_dutyactivity", "没有登记履职活动的权限")
    deputies = list(dict.fromkeys(deputies))
    if not deputies:
        raise CongressError("请至少选择一位参加代表")
    if date > timezone.localdate():
        raise CongressError("活动日期不能晚于今天")
    activity_type, created = DutyActivityType.objects.get_or_create(name=type_name,
                                                                    defaults={"checklist_item": type_checklist})
    if created:
        activity_type._history_user = actor
        activity_type.save()
    now = timezone.now()
    activity = DutyActivity(title=title[:120], activity_type=activity_type, date=date, place=place[:120],
                            description=description, organizer=organizer, created_by=actor,
                            status=DutyActivity.Status.VERIFIED, verified_by=actor, verified_at=now)
    activity._history_user = actor
    activity.save()
    ACTIVITY.record_created(activity, actor=actor, name="record_verified", reason=title[:100])
    bulk_create_with_history([DutyActivityParticipant(activity=activity, deputy=d, confirmed_at=now) for d in deputies],
                             DutyActivityParticipant, default_user=actor, default_change_reason=title[:100])
    selectors.forget_year_summaries([d.pk for d in deputies], date.year)
    return activity


@transaction.atomic
def participation_confirm(*, actor, activity_id: int) -> DutyActivityParticipant:
    deputy = _deputy_of(actor)
    row = (DutyActivityParticipant.objects.select_for_update().select_related("activity")
           .filter(activity_id=activity_id, deputy=deputy).first())
    if row is None:
        raise CongressError("您不是这项活动的参加代表")
    if not predicates.can_confirm_participation(actor, row.activity):
        raise CongressError("该活动已被退回，不能确认" if row.activity.status == DutyActivity.Status.RETURNED
                            else "您已确认过参加这项活动")
    row.confirmed_at = timezone.now()
    row._history_user = actor
    row.save(update_fields=["confirmed_at"])
    return row


def _lock_activity(activity_id: int) -> DutyActivity:
    activity = DutyActivity.objects.select_for_update().filter(pk=activity_id).first()
    if activity is None:
        raise CongressError("履职活动不存在")
    return activity


def _notify_reporter(activity: DutyActivity, title: str) -> None:
    reporter = activity.reported_by
    if reporter is not None and reporter.user_id:
        notification_send(recipients=[reporter.user], kind="activity_checked", title=title, body=activity.title,
                          link=("portal:activity_detail", activity.pk))


@transaction.atomic
def activity_verify(*, actor, activity_id: int) -> DutyActivity:
    """Staff confirm an activity happened: it now counts for points and the checklist."""
    _require_perm(actor, "deputies.change_dutyactivity", "没有审核履职活动的权限")
    activity = _lock_activity(activity_id)
    ACTIVITY.check(actor, activity, "verify")
    activity.verified_by, activity.verified_at, activity.return_reason = actor, timezone.now(), ""
    ACTIVITY.apply(activity, "verify", actor=actor, fields=["verified_by", "verified_at", "return_reason"])
    selectors.forget_year_summaries(activity.participations.values_list("deputy_id", flat=True), activity.date.year)
    _notify_reporter(activity, "您登记的履职活动已审核通过")
    return activity


@transaction.atomic
def activity_return(*, actor, activity_id: int, reason: str) -> DutyActivity:
    _require_perm(actor, "deputies.change_dutyactivity", "没有审核履职活动的权限")
    if not reason.strip():
        raise CongressError("请填写退回原因")
    activity = _lock_activity(activity_id)
    ACTIVITY.check(actor, activity, "return")
    activity.return_reason = reason.strip()[:200]
    activity.verified_by, activity.verified_at = actor, timezone.now()
    ACTIVITY.apply(activity, "return", actor=actor, reason=activity.return_reason,
                            fields=["return_reason", "verified_by", "verified_at"])
    _notify_reporter(activity, "您登记的履职活动被退回")
    return activity


def activities_return(*, actor, reasons: dict) -> tuple[int, list[str]]:
    """Staff return several activities at once, each with its own reason ({activity id: reason}, in the order shown).
    A blank or too long reason returns nothing and names the rows; otherwise each is returned by activity_return, and
    one that may not be (already verified, another town's) is listed in the refusals while the others go ahead."""
    limit = DutyActivity._meta.get_field("return_reason").max_length
    problems = []
    for n, (activity_id, reason) in enumerate(reasons.items(), 1):
        title = DutyActivity.objects.filter(pk=activity_id).values_list("title", flat=True).first() or activity_id
        if not (reason or "").strip():
            problems.append(f"第{n}项“{title}”：请填写退回原因")
        elif len(reason.strip()) > limit:
            problems.append(f"第{n}项“{title}”：退回原因不能超过{limit}字")
    if problems:
        raise CongressError(problems)
    returned, refusals = 0, []
    for activity_id, reason in reasons.items():
        try:
            activity_return(actor=actor, activity_id=activity_id, reason=reason)
            returned += 1
        except CongressError as exc:
            title = DutyActivity.objects.filter(pk=activity_id).values_list("title", flat=True).first()
            refusals.append(f"{title}：{exc.messages[0]}")
    return returned, refusals


@transaction.atomic
def signin_open(*, actor, activity_id: int) -> DutyActivity:
    """Staff open QR sign-in for an event (视察, 调研, 会议 …); the code stays the same if reopened."""
    _require_perm(actor, "deputies.change_dutyactivity", "没有管理履职活动的权限")
    activity = _lock_activity(activity_id)
    if not predicates.can_manage_signin(actor, activity):
        raise CongressError("只能管理本镇街的活动签到")
    if activity.status == DutyActivity.Status.RETURNED:
        raise CongressError("已退回的活动不能签到")
    activity.signin_token = activity.signin_token or uuid.uuid4()
    activity.signin_open = True
    activity._history_user = actor
    activity.save(update_fields=["signin_token", "signin_open"])
    return activity


@transaction.atomic
def signin_close(*, actor, activity_id: int) -> DutyActivity:
    _require_perm(actor, "deputies.change_dutyactivity", "没有管理履职活动的权限")
    activity = _lock_activity(activity_id)
    if not predicates.can_manage_signin(actor, activity):
        raise CongressError("只能管理本镇街的活动签到")
    if not activity.signin_open:
        raise CongressError("该活动未开放扫码签到")
    activity.signin_open = False
    activity._history_user = actor
    activity.save(update_fields=["signin_open"])
    return activity


@transaction.atomic
def signin_record(*, actor, token) -> DutyActivityParticipant:
    """A deputy scanned the event's code and tapped 确认签到: present and confirmed. Twice is refused."""
    deputy = _deputy_of(actor)
    activity = DutyActivity.objects.select_for_update().filter(signin_token=token).first()
    if activity is None:
        raise CongressError("签到码无效")
    if not activity.signin_open:
        raise CongressError("该活动的扫码签到已关闭")
    if activity.date != timezone.localdate():
        raise CongressError(f"扫码签到只在活动当天（{activity.date:%Y年%-m月%-d日}）有效")
    row = DutyActivityParticipant.objects.select_for_update().filter(activity=activity, deputy=deputy).first()
    if row is not None and row.confirmed_at is not None and row.attendance == DutyActivityParticipant.Attendance.PRESENT:
        raise CongressError("您已签到")
    row = row or DutyActivityParticipant(activity=activity, deputy=deputy)
    row.attendance, row.confirmed_at = DutyActivityParticipant.Attendance.PRESENT, timezone.now()
    row._history_user = actor
    row.save()
    return row


@transaction.atomic
def participants_import(*, actor, activity_id: int, id_numbers_or_names: list[str]) -> int:
    """Staff add an event's participants from a spreadsheet column (ID number, or a name that is unique).

    All or nothing: when any row names nobody (or a name shared by several deputies), nothing is added and the
    error lists those rows. Deputies already recorded are skipped. Rows are written with history."""
    from simple_history.utils import bulk_create_with_history

    _require_perm(actor, "deputies.add_dutyactivityparticipant", "没有登记活动参加代表的权限")
    activity = _lock_activity(activity_id)
    from congress.selectors import towns_for

    pool = Deputy.objects.all()
    towns = towns_for(actor)
    if towns is not None:
        pool = pool.filter(town__in=towns)
    keys = [(row, k.strip()) for row, k in enumerate(id_numbers_or_names, start=2) if k and str(k).strip()]
    if not keys:
        raise CongressError("文件中没有代表：第一列应为身份证号码或姓名")
    by_id = {d.id_number: d for d in pool.filter(id_number__in=[k.upper() for _, k in keys])}
    by_name: dict[str, list] = {}
    for d in pool.filter(full_name__in=[k for _, k in keys]):
        by_name.setdefault(d.full_name, []).append(d)
    existing = set(activity.participations.values_list("deputy_id", flat=True))
    found, problems = [], []
    for row, key in keys:
        namesakes = by_name.get(key, [])
        deputy = by_id.get(key.upper()) or (namesakes[0] if len(namesakes) == 1 else None)
        if deputy is None:
            why = "同名代表不止一位，请改用身份证号码" if len(namesakes) > 1 else "找不到这位代表"
            problems.append(f"第{row}行“{key}”：{why}")
        elif deputy.pk not in existing:
            existing.add(deputy.pk)
            found.append(DutyActivityParticipant(activity=activity, deputy=deputy))
    if problems:
        raise CongressError("未导入任何代表。" + "；".join(problems))
    bulk_create_with_history(found, DutyActivityParticipant, default_user=actor,
                             default_change_reason="导入活动参加代表")
    return len(found)


# a district's ranking is computed in seconds; one unfinished after this long lost its worker
SNAPSHOT_STALE_AFTER = datetime.timedelta(minutes=30)


@transaction.atomic
def score_snapshot_request(*, actor, year: int, quarter: int) -> ScoreSnapshot:
    """Ask for a quarter's ranking: a queued snapshot (the unique year+quarter keeps it one), computed by a Celery task
    after the commit. A failed or stale one for the quarter is asked for again; a published one is refused."""
    _require_perm(actor, "deputies.add_scoresnapshot", "没有发布积分排名的权限")
    if quarter not in (1, 2, 3, 4):
        raise CongressError("季度应为 1–4")
    end = selectors.quarter_end(year, quarter)
    if end > timezone.localdate():
        raise CongressError("该季度尚未结束，不能发布")
    S = ScoreSnapshot.State
    existing = ScoreSnapshot.objects.select_for_update().filter(year=year, quarter=quarter).first()
    if existing is not None and existing.state in (S.QUEUED, S.RUNNING) \
            and existing.published_at < timezone.now() - SNAPSHOT_STALE_AFTER:
        existing.state = S.FAILED
    if existing is not None and existing.state == S.PUBLISHED:
        raise CongressError(f"{year}年第{quarter}季度的积分排名已发布")
    if existing is not None and existing.state != S.FAILED:
        raise CongressError(f"{year}年第{quarter}季度的积分排名正在计算，请稍候")
    if existing is not None:
        existing.rows.all().delete()
        existing.delete()
    snapshot = ScoreSnapshot.objects.create(year=year, quarter=quarter, published_by=actor, state=S.QUEUED, percent=0,
                                            stage="等待计算")
    transaction.on_commit(lambda: _queue_snapshot(snapshot.pk))
    return snapshot


def _queue_snapshot(snapshot_id: int) -> None:
    from deputies.tasks import score_snapshot_build as task

    task.delay(snapshot_id)


def score_snapshot_build(*, snapshot_id: int) -> ScoreSnapshot:
    """Compute a requested ranking: claim it (queued → running, a conditional update, so a task delivered twice
    computes it once), compute the scores outside any transaction (no row is locked while the grouped queries run),
    then write the frozen rows and publish in one short transaction. Progress and any error are stored on the row."""
    S = ScoreSnapshot.State
    if not ScoreSnapshot.objects.filter(pk=snapshot_id, state=S.QUEUED).update(state=S.RUNNING, percent=5,
                                                                               stage="开始计算"):
        return ScoreSnapshot.objects.get(pk=snapshot_id)
    snapshot = ScoreSnapshot.objects.get(pk=snapshot_id)

    def progress(percent: int, stage: str) -> None:
        ScoreSnapshot.objects.filter(pk=snapshot_id, state=S.RUNNING).update(percent=percent, stage=stage)

    try:
        progress(10, "计算各代表的积分")
        table = selectors.score_table(year=snapshot.year, until=selectors.quarter_end(snapshot.year, snapshot.quarter))
        progress(70, f"写入{len(table)}名代表的排名")
        with transaction.atomic():
            ScoreSnapshotRow.objects.bulk_create([ScoreSnapshotRow(snapshot=snapshot, **row) for row in table],
                                                 batch_size=1000)
            ScoreSnapshot.objects.filter(pk=snapshot_id).update(state=S.PUBLISHED, percent=100, stage="已完成",
                                                                published_at=timezone.now())
    except Exception as exc:
        logger.exception("ranking %s failed", snapshot_id)
        ScoreSnapshot.objects.filter(pk=snapshot_id).update(state=S.FAILED, stage="计算失败",
                                                            error=f"{type(exc).__name__}: {exc}"[:2000])
        raise
    return ScoreSnapshot.objects.get(pk=snapshot_id)


def score_snapshot_publish(*, actor, year: int, quarter: int) -> ScoreSnapshot:
    """Ask for a quarter's ranking and compute it now (the management commands, the demo and tests; the admin asks and
    leaves the computing to the worker)."""
    snapshot = score_snapshot_request(actor=actor, year=year, quarter=quarter)
    return score_snapshot_build(snapshot_id=snapshot.pk)


@transaction.atomic
def leave_request_submit(*, actor, reason: str, congress_session=None, meeting=None) -> LeaveRequest:
    deputy = _deputy_of(actor)
    if (congress_session is None) == (meeting is None):
        raise CongressError("请选择一次人代会会议或常委会会议")
    if not reason.strip():
        raise CongressError("请填写请假事由")
    day = congress_session.start_date if congress_session else meeting.date
    if day < timezone.localdate():
        raise CongressError("会议已召开，不能再请假")
    if LeaveRequest.objects.filter(deputy=deputy, congress_session=congress_session, meeting=meeting).exclude(
            status=LeaveRequest.Status.REJECTED).exists():
        raise CongressError("您已为这次会议请假")
    leave = LeaveRequest(deputy=deputy, congress_session=congress_session, meeting=meeting, reason=reason.strip())
    leave._history_user = actor
    leave.save()
    LEAVE.record_created(leave, actor=actor, name="request", reason=leave.reason)
    return leave


@transaction.atomic
def leave_request_decide(*, actor, leave_id: int, approve: bool) -> LeaveRequest:
    _require_perm(actor, "deputies.change_leaverequest", "没有批准请假的权限")
    leave = LeaveRequest.objects.select_for_update(of=("self",)).select_related("deputy__user").filter(pk=leave_id).first()
    if leave is None:
        raise CongressError("请假申请不存在")
    name = "approve" if approve else "reject"
    LEAVE.check(actor, leave, name)
    leave.decided_by, leave.decided_at = actor, timezone.now()
    LEAVE.apply(leave, name, actor=actor, fields=["decided_by", "decided_at"])
    # an approved leave excuses the matching session attendance, if staff recorded it already
    if approve and leave.congress_session_id:
        DutyActivityParticipant.objects.filter(
            deputy=leave.deputy, activity__congress_session=leave.congress_session_id,
            attendance=DutyActivityParticipant.Attendance.ABSENT).update(attendance=DutyActivityParticipant.Attendance.EXCUSED)
    notification_send(recipients=[leave.deputy.user], kind="leave_decided",
                      title=f"您的请假申请{leave.get_status_display()}", body=str(leave), link=("portal:leave",))
    return leave


@transaction.atomic
def voter_report_record(*, actor, date: datetime.date, place: str, attendance: int, text: str = "",
                        file=None) -> VoterReport:
    deputy = _deputy_of(actor)
    if date > timezone.localdate():
        raise CongressError("述职日期不能晚于今天")
    if file:
        uploads.check(file, "report")
    if not (text.strip() or file):
        raise CongressError("请填写述职报告或上传文件")
    report = VoterReport(deputy=deputy, date=date, place=place, attendance=attendance, text=text.strip())
    if file:
        report.file = file
    report._history_user = actor
    report.save()
    selectors.forget_year_summaries([deputy.pk], date.year)
    return report
