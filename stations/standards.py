"""Writes about the 八有 standards and the star ratings (services; views, the admin and the demo call these).

- `standard_record`: town staff (their towns) or committee staff mark a station's item met or not; met needs a photo
  as evidence, checked against the photo allow-list and size cap and re-encoded (congress.lib.uploads).
- The yearly appraisal (stations.workflows.STAR_RATING): `appraisal_open` (a draft for a station and year whose
  criteria exist), `appraisal_score` (points per criterion, each from 0 to the criterion's points), `appraisal_submit`
  (every criterion scored), then the committee's `appraisal_confirm` (the stars follow from the total by
  STATIONS["STAR_THRESHOLDS"], fixed from then on) or `appraisal_return` (with the reason; scored and submitted again).
"""
from decimal import Decimal, InvalidOperation

from django.db import IntegrityError, transaction
from django.utils import timezone

from congress.lib import uploads
from congress.services import CongressError, notification_send
from stations import predicates
from stations import selectors_standards as sel
from stations.conf import stations_setting
from stations.models import RatingCriterion, StandardItem, Station, StationAppraisal, StationAppraisalScore, StationStandard
from stations.workflows import STAR_RATING

# the 八有 as the seed districts list them (the data migration 0011 made these rows; staff edit them in the admin)
EIGHT = ["有组织架构", "有履职服务内容公示栏", "有工作制度", "有服务群众联系卡", "有社情民意登记表",
         "有群众意见建议处理工作机制流程", "有互动群", "有活动记录"]


def standard_items_load_defaults() -> None:
    """The eight items, where missing (a database emptied by a test's flush gets them back, as the migration made them)."""
    for order, name in enumerate(EIGHT, start=1):
        StandardItem.objects.get_or_create(name=name, defaults={"order": order})


@transaction.atomic
def standard_record(*, actor, station_id: int, item_id: int, met: bool, photo=None, note: str = "",
                    clear_photo: bool = False) -> StationStandard:
    """Set a station's state against one 八有 item (one row per station and item, made on first use)."""
    station = Station.objects.filter(pk=station_id).first()
    if station is None:
        raise CongressError("家站点不存在")
    if not predicates.can_record_standards(actor, station):
        raise CongressError(predicates.standards_refusal(actor, station))
    item = StandardItem.objects.filter(pk=item_id, is_active=True).first()
    if item is None:
        raise CongressError("该标准项不存在或已停用")
    stored = uploads.reencode_image(photo) if photo else None
    for last_try in (False, True):
        state = StationStandard.objects.select_for_update().filter(station=station, item=item).first() \
            or StationStandard(station=station, item=item)
        has_photo = bool(stored) or (bool(state.photo) and not clear_photo)
        if met and not has_photo:
            raise CongressError(f"标记“{item.name}”已达标，须上传一张照片作为佐证")
        state.met, state.note, state.updated_by = bool(met), (note or "").strip()[:200], actor
        if stored is not None:
            stored.seek(0)
            state.photo.save(stored.name, stored, save=False)
        elif clear_photo:
            state.photo = ""
        state._history_user = actor
        try:
            with transaction.atomic():  # a savepoint: someone else may record this station's item first
                state.save()
        except IntegrityError:
            if last_try or state.pk is not None:
                raise
            if stored is not None:
                state.photo.delete(save=False)
            continue  # their row now exists: lock it and record over it, as if we had come second
        return state


def criteria_check_total(points) -> None:
    """A year's criteria add up to STAR_CRITERIA_TOTAL points (100), so the star thresholds mean the same every year.
    The admin's criteria form asks this before it saves the year's table."""
    total = sum(int(p or 0) for p in points)
    expected = stations_setting("STAR_CRITERIA_TOTAL")
    if total != expected:
        raise CongressError(f"各评分项目的分值合计须为{expected}分（现为{total}分）")


def _lock(appraisal_id: int) -> StationAppraisal:
    appraisal = (StationAppraisal.objects.select_for_update(of=("self",)).select_related("station__town")
                 .filter(pk=appraisal_id).first())
    if appraisal is None:
        raise CongressError("星级评定不存在")
    return appraisal


@transaction.atomic
def appraisal_open(*, actor, station_id: int, year: int) -> StationAppraisal:
    """A draft appraisal of a station for a year (one per station and year), to be scored against the year's criteria."""
    station = Station.objects.select_related("town").filter(pk=station_id).first()
    if station is None:
        raise CongressError("家站点不存在")
    draft = StationAppraisal(station=station, year=year)
    if not predicates.can_score_appraisal(actor, draft):
        raise CongressError(predicates.scoring_refusal(actor, draft))
    if year > timezone.localdate().year:
        raise CongressError("不能评定尚未开始的年度")
    if not sel.criteria_for_year(year):
        raise CongressError(f"{year}年度的星级评定标准尚未制定，请先由区人大常委会机关设置评分项目")
    if StationAppraisal.objects.filter(station=station, year=year).exists():
        raise CongressError(f"“{station.name}”{year}年度已有星级评定")
    draft.created_by = actor
    draft._history_user = actor
    draft.save()
    STAR_RATING.record_created(draft, actor=actor, name="open", reason=f"{year}年度")
    return draft


def _points(value, criterion: RatingCriterion) -> Decimal:
    try:
        points = Decimal(str(value)).quantize(Decimal("0.1"))
    except (InvalidOperation, ValueError):
        raise CongressError(f"“{criterion.name}”的得分须为数字") from None
    if points < 0:
        raise CongressError(f"“{criterion.name}”的得分不能为负数")
    if points > criterion.max_points:
        raise CongressError(f"“{criterion.name}”的得分不能超过该项分值{criterion.max_points}分")
    return points


@transaction.atomic
def appraisal_score(*, actor, appraisal_id: int, points: dict, basis: str | None = None) -> Decimal:
    """Points per criterion (keyed by criterion or its id; a blank leaves that criterion unscored), entered again as
    often as needed while the appraisal is a draft or returned. Returns the total, kept on the appraisal."""
    appraisal = _lock(appraisal_id)
    STAR_RATING.check(actor, appraisal, "score")
    criteria = {c.pk: c for c in sel.criteria_for_year(appraisal.year)}
    given = {int(getattr(k, "pk", k)): v for k, v in points.items() if v not in (None, "")}
    if set(given) - set(criteria):
        raise CongressError(f"所填评分项目不属于{appraisal.year}年度的星级评定标准")
    values = {pk: _points(value, criteria[pk]) for pk, value in given.items()}
    for pk, value in values.items():
        StationAppraisalScore.objects.update_or_create(appraisal=appraisal, criterion_id=pk, defaults={"points": value})
    appraisal.score = sel.appraisal_total(appraisal)
    fields = ["score"]
    if basis is not None:
        appraisal.basis = basis.strip()
        fields.append("basis")
    STAR_RATING.apply(appraisal, "score", actor=actor, fields=fields,
                      reason="；".join(f"{criteria[pk].name}{v}分" for pk, v in values.items()) + f"；合计{appraisal.score}分")
    return appraisal.score


def _committee_staff() -> list:
    from congress import roles
    from congress.models import User

    return list(User.objects.filter(groups__name=roles.COMMITTEE_STAFF, is_active=True))


@transaction.atomic
def appraisal_submit(*, actor, appraisal_id: int) -> StationAppraisal:
    appraisal = _lock(appraisal_id)
    STAR_RATING.check(actor, appraisal, "submit")
    appraisal.return_reason = ""
    STAR_RATING.apply(appraisal, "submit", actor=actor, fields=["return_reason"], reason=f"合计{appraisal.score}分")
    notification_send(recipients=_committee_staff(), kind="star_rating",
                      title=f"{appraisal.station.name}{appraisal.year}年度星级评定已提交，请确认",
                      link=("admin:stations_stationappraisal_change", appraisal.pk))
    return appraisal


@transaction.atomic
def appraisal_confirm(*, actor, appraisal_id: int, note: str = "") -> StationAppraisal:
    """The committee confirms: the stars follow from the total and are fixed (a later change of the thresholds does
    not rewrite a confirmed year); the year's criteria are locked from now on."""
    appraisal = _lock(appraisal_id)
    STAR_RATING.check(actor, appraisal, "confirm")
    appraisal.score = sel.appraisal_total(appraisal)
    appraisal.stars = sel.stars_for(appraisal.score)
    appraisal.appraised_on, appraisal.appraised_by = timezone.localdate(), actor
    STAR_RATING.apply(appraisal, "confirm", actor=actor, fields=["score", "stars", "appraised_on", "appraised_by"],
                      reason=f"合计{appraisal.score}分，评为{appraisal.stars}星级" + (f"。{note.strip()}" if note.strip() else ""))
    return appraisal


@transaction.atomic
def appraisal_return(*, actor, appraisal_id: int, reason: str) -> StationAppraisal:
    appraisal = _lock(appraisal_id)
    STAR_RATING.check(actor, appraisal, "return")
    if not (reason or "").strip():
        raise CongressError("请填写退回原因")
    appraisal.return_reason = reason.strip()[:300]
    STAR_RATING.apply(appraisal, "return", actor=actor, fields=["return_reason"], reason=appraisal.return_reason)
    if appraisal.created_by_id:
        notification_send(recipients=[appraisal.created_by], kind="star_rating",
                          title=f"{appraisal.station.name}{appraisal.year}年度星级评定被退回修改",
                          body=appraisal.return_reason, link=("admin:stations_stationappraisal_change", appraisal.pk))
    return appraisal
