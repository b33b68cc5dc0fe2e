"""Writes about stations: reception days (接待选民日).

| service            | who                                  | from state | to state  |
|--------------------|--------------------------------------|------------|-----------|
| reception_schedule | committee staff; town staff, own town | —          | scheduled |
| reception_cancel   | same                                  | scheduled  | cancelled |
| reception_record   | same, on or after the day             | scheduled  | held      |

Scheduling notifies the deputies on duty (and the notice is public on the station's page at once); cancelling
tells them; recording the outcome writes one verified 接待选民 duty activity for the deputies who came, so their
points, checklist and duty record follow without any step of theirs.
"""
import datetime

from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from congress.selectors import towns_for
from congress.services import CongressError, notification_send
from deputies.models import Deputy, Mandate
from stations.conf import stations_setting
from stations.models import ReceptionDay, ReceptionDuty, Station


def _require_perm(actor, perm: str, message: str) -> None:
    if not actor.is_authenticated or not actor.has_perm(perm):
        raise CongressError(message)


def _check_scope(actor, station: Station) -> None:
    towns = towns_for(actor)
    if towns is not None and not towns.filter(pk=station.town_id).exists():
        raise CongressError("只能安排本镇街家站点的接待")


def _lock(reception_id: int) -> ReceptionDay:
    reception = ReceptionDay.objects.select_for_update().select_related("station").filter(pk=reception_id).first()
    if reception is None:
        raise CongressError("接待安排不存在")
    return reception


def _when(reception: ReceptionDay) -> str:
    return f"{reception.date:%-m月%-d日} {reception.starts_at:%H:%M}—{reception.ends_at:%H:%M}"


def _duty_users(reception: ReceptionDay) -> list:
    return [d.user for d in Deputy.objects.filter(reception_duties__reception=reception).select_related("user")]


def reception_times_check(starts_at: datetime.time, ends_at: datetime.time) -> None:
    """The one rule for a reception's hours (the schedule form shows it beside the field)."""
    if ends_at <= starts_at:
        raise CongressError("结束时间须晚于开始时间")


@transaction.atomic
def reception_schedule(*, actor, station_id: int, date: datetime.date, starts_at: datetime.time,
                       ends_at: datetime.time, deputy_ids, topic: str = "", unit_ids=()) -> ReceptionDay:
    _require_perm(actor, "stations.add_receptionday", "没有安排接待选民日的权限")
    station = Station.objects.filter(pk=station_id).first()
    if station is None:
        raise CongressError("家站点不存在")
    _check_scope(actor, station)
    if not station.is_active:
        raise CongressError(f"“{station.name}”已停止运行，不能安排接待")
    notice = stations_setting("RECEPTION_NOTICE_DAYS")
    earliest = timezone.localdate() + datetime.timedelta(days=notice)
    if date < earliest:
        raise CongressError(f"接待选民日须至少提前{notice}天公告，最早可安排在{earliest:%Y年%-m月%-d日}")
    reception_times_check(starts_at, ends_at)
    deputy_ids = list(dict.fromkeys(int(i) for i in deputy_ids))
    if not deputy_ids:
        raise CongressError("请至少安排一位接待代表")
    # lock the deputies' rows (in pk order) so two staff booking the same deputy at once cannot both pass the check
    list(Deputy.objects.select_for_update().filter(pk__in=deputy_ids).order_by("pk").values_list("pk", flat=True))
    deputies = list(Deputy.objects.filter(pk__in=deputy_ids, mandates__status=Mandate.Status.SERVING).distinct())
    if len(deputies) != len(deputy_ids):
        raise CongressError("接待代表须为在任代表")
    busy = (ReceptionDuty.objects.filter(deputy_id__in=deputy_ids, reception__date=date,
                                         reception__status=ReceptionDay.Status.SCHEDULED,
                                         reception__starts_at__lt=ends_at, reception__ends_at__gt=starts_at)
            .select_related("deputy", "reception__station").first())
    if busy is not None:
        raise CongressError(f"{busy.deputy.full_name}代表在该时段已安排在“{busy.reception.station.name}”接待")
    reception = ReceptionDay(station=station, date=date, starts_at=starts_at, ends_at=ends_at, topic=topic.strip(),
                             created_by=actor)
    reception._history_user = actor
    reception.save()
    bulk_create_with_history([ReceptionDuty(reception=reception, deputy=d) for d in deputies], ReceptionDuty,
                             default_user=actor, default_change_reason="安排接待代表")
    if unit_ids:
        reception.visiting_units.set(list(unit_ids))
    notification_send(recipients=[d.user for d in deputies], kind="reception_duty",
                      title=f"请您于{_when(reception)}到{station.name}接待选民",
                      body=f"地址：{station.address}" + (f"；主题：{reception.topic}" if reception.topic else ""),
                      link=("portal:home",))
    return reception


@transaction.atomic
def reception_cancel(*, actor, reception_id: int, reason: str) -> ReceptionDay:
    _require_perm(actor, "stations.change_receptionday", "没有管理接待选民日的权限")
    reception = _lock(reception_id)
    _check_scope(actor, reception.station)
    if reception.status != ReceptionDay.Status.SCHEDULED:
        raise CongressError(f"该接待状态为“{reception.get_status_display()}”，不能取消")
    if not reason.strip():
        raise CongressError("请填写取消原因（将在家站点页面公告）")
    reception.status, reception.cancel_reason = ReceptionDay.Status.CANCELLED, reason.strip()[:200]
    reception._history_user = actor
    reception.save(update_fields=["status", "cancel_reason"])
    notification_send(recipients=_duty_users(reception), kind="reception_duty",
                      title=f"{_when(reception)}{reception.station.name}的接待已取消", body=reception.cancel_reason,
                      link=("portal:home",))
    return reception


@transaction.atomic
def reception_record(*, actor, reception_id: int, visitor_count: int, opinion_count: int = 0, summary: str = "",
                     present_ids=None) -> ReceptionDay:
    """After the day: how many voters came, how many opinions were taken, and which deputies on duty came (all of
    them unless `present_ids` says otherwise). Those deputies get a verified 接待选民 activity."""
    from deputies.services import activity_record_verified

    _require_perm(actor, "stations.change_receptionday", "没有管理接待选民日的权限")
    reception = _lock(reception_id)
    _check_scope(actor, reception.station)
    if reception.status != ReceptionDay.Status.SCHEDULED:
        raise CongressError(f"该接待状态为“{reception.get_status_display()}”，不能登记接待情况")
    if reception.date > timezone.localdate():
        raise CongressError("接待日尚未到，不能登记接待情况")
    if visitor_count is None or visitor_count < 0 or (opinion_count or 0) < 0:
        raise CongressError("接待人次和意见条数须为不小于0的整数")
    on_duty = {d.pk: d for d in Deputy.objects.filter(reception_duties__reception=reception)}
    present = list(on_duty) if present_ids is None else [int(i) for i in present_ids]
    if not present:
        raise CongressError("请至少勾选一位到场的接待代表")
    strangers = [i for i in present if i not in on_duty]
    if strangers:
        raise CongressError("到场代表须是本次安排的接待代表")
    station = reception.station
    activity = activity_record_verified(
        actor=actor, type_name=stations_setting("RECEPTION_ACTIVITY_TYPE"), type_checklist="visit", date=reception.date,
        title=f"在{station.name}接待选民" + (f"（{reception.topic}）" if reception.topic else ""),
        place=station.name, description=summary, deputies=[on_duty[i] for i in present], organizer=station.town)
    reception.status, reception.activity = ReceptionDay.Status.HELD, activity
    reception.visitor_count, reception.opinion_count, reception.summary = visitor_count, opinion_count or 0, summary
    reception._history_user = actor
    reception.save(update_fields=["status", "activity", "visitor_count", "opinion_count", "summary"])
    return reception


def reception_reminders_send(*, today: datetime.date) -> list[int]:
    """Remind the deputies on duty RECEPTION_REMINDER_DAYS before their reception; each reception once (a claim
    row keyed by reception and date, so a re-run or a second beat sends nothing twice)."""
    from congress.services import reminder_claim

    day = today + datetime.timedelta(days=stations_setting("RECEPTION_REMINDER_DAYS"))
    sent = []
    for reception in (ReceptionDay.objects.filter(date=day, status=ReceptionDay.Status.SCHEDULED)
                      .select_related("station").prefetch_related("duties__deputy__user")):
        with transaction.atomic():  # the claim and the notifications commit together, or neither does
            if not reminder_claim(f"reception:{reception.pk}:{reception.date:%Y%m%d}"):
                continue
            notification_send(recipients=[d.deputy.user for d in reception.duties.all()], kind="reception_duty",
                              title=f"提醒：{_when(reception)}请到{reception.station.name}接待选民",
                              body=f"地址：{reception.station.address}", link=("portal:home",))
        sent.append(reception.pk)
    return sent


# -- 社情民意: a voter's opinion and its closed loop ------------------------------------------------------------
#
# | service          | who                                    | from state          | to state |
# |------------------|----------------------------------------|---------------------|----------|
# | opinion_submit   | a voter, no login (rate-limited)        | —                   | received |
# | opinion_refer    | committee staff; town staff, own town  | received            | referred |
# | opinion_reply    | same                                    | received, referred  | replied  |
# | opinion_unit_reply | the unit it was referred to (/unit/)  | referred            | replied  |
# | opinion_decline  | same                                    | received            | declined |
# | opinion_rate     | the voter, by tracking code             | replied             | closed   |
# | opinion_close    | staff, after a follow-up call           | replied             | closed   |

TRACKING_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I/L: read aloud over the phone


def _tracking_code() -> str:
    import secrets

    from stations.models import VoterOpinion

    while True:
        code = "".join(secrets.choice(TRACKING_ALPHABET) for _ in range(10))
        if not VoterOpinion.objects.filter(tracking_code=code).exists():
            return code


def _event(opinion, *, actor, action: str, old: str, note: str = "") -> None:
    from stations.models import OpinionEvent

    OpinionEvent.objects.create(opinion=opinion, actor=actor, action=action, from_state=old, to_state=opinion.status,
                                note=note)


def _lock_opinion(opinion_id: int):
    from stations.models import VoterOpinion

    opinion = VoterOpinion.objects.select_for_update().select_related("station").filter(pk=opinion_id).first()
    if opinion is None:
        raise CongressError("该社情民意不存在")
    return opinion


def _move(opinion, to: str, verb: str) -> str:
    """Check the move against VoterOpinion.MOVES; returns the old state."""
    if to not in opinion.MOVES.get(opinion.status, set()):
        raise CongressError(f"该意见状态为“{opinion.get_status_display()}”，不能{verb}")
    old, opinion.status = opinion.status, to
    return old


def _record_reply(opinion, *, actor, reply: str) -> None:
    """The answer itself, whoever gives it (staff, or the unit it was referred to): checked, moved, recorded."""
    if not reply.strip():
        raise CongressError("请填写答复内容")
    old = _move(opinion, opinion.Status.REPLIED, "答复")
    opinion.reply, opinion.replied_at = reply.strip(), timezone.now()
    opinion._history_user = actor
    opinion.save(update_fields=["status", "reply", "replied_at"])
    _event(opinion, actor=actor, action="reply", old=old, note=opinion.reply)


def _town_staff(town) -> list:
    """The town staff granted this town (django-guardian), who handle its stations' opinions."""
    from guardian.shortcuts import get_users_with_perms

    return list(get_users_with_perms(town, only_with_perms_in=["manage_town_records"], with_group_users=False))


def _staff_check(actor, opinion) -> None:
    _require_perm(actor, "stations.change_voteropinion", "没有办理社情民意的权限")
    towns = towns_for(actor)
    if towns is not None and not towns.filter(pk=opinion.station.town_id).exists():
        raise CongressError("只能办理本镇街家站点收到的意见")


@transaction.atomic
def opinion_submit(*, station_id: int, content: str, category: str = "", name: str = "", phone: str = "",
                   client_key: str = ""):
    """A voter leaves an opinion at a station; returns it with its tracking code. `client_key` (the address) limits
    how many one sender may leave an hour; the station's town staff are notified."""
    from django.core.cache import cache

    from stations.models import VoterOpinion

    station = Station.objects.select_related("town").filter(pk=station_id, is_active=True).first()
    if station is None:
        raise CongressError("该家站点不存在或已停止运行")
    content = (content or "").strip()
    least, most = stations_setting("OPINION_MIN_LENGTH"), stations_setting("OPINION_MAX_LENGTH")
    if len(content) < least:
        raise CongressError(f"请把意见写得具体一些（至少{least}个字）")
    if len(content) > most:
        raise CongressError(f"意见请不要超过{most}个字")
    if category and category not in VoterOpinion.Category.values:
        raise CongressError("请选择意见类别")
    phone = (phone or "").strip().replace(" ", "").replace("-", "")
    if phone and not (phone.isdigit() and 7 <= len(phone) <= 12):
        raise CongressError("联系电话格式不对（手机号11位，或带区号的固定电话）")
    if client_key:
        key, limit = f"opinion-rate:{client_key}", stations_setting("OPINION_PER_HOUR")
        cache.add(key, 0, timeout=3600)
        try:
            sent = cache.incr(key)
        except ValueError:  # the key expired between add and incr: a new hour starts with this one
            cache.set(key, sent := 1, timeout=3600)
        if sent > limit:
            raise CongressError(f"同一网络一小时内最多提交{limit}条意见，请稍后再试或到站点当面反映")
    opinion = VoterOpinion(tracking_code=_tracking_code(), station=station, content=content,
                           category=category or VoterOpinion.Category.OTHER, name=(name or "").strip()[:30],
                           phone=phone[:20])
    opinion.save()
    _event(opinion, actor=None, action="submit", old="", note="")
    notification_send(recipients=_town_staff(station.town), kind="voter_opinion", title=f"{station.name}收到一条社情民意",
                      body=content[:60], link=("admin:stations_voteropinion_change", opinion.pk))
    return opinion


@transaction.atomic
def opinion_refer(*, actor, opinion_id: int, unit_id: int, note: str = ""):
    """Refer to a handling unit (转办); the unit's name is shown to the voter."""
    from congress.models import Organization

    opinion = _lock_opinion(opinion_id)
    _staff_check(actor, opinion)
    unit = Organization.objects.filter(pk=unit_id, is_handling_unit=True, is_active=True).first()
    if unit is None:
        raise CongressError("请选择承办单位")
    old = _move(opinion, opinion.Status.REFERRED, "转办")
    opinion.unit = unit
    opinion._history_user = actor
    opinion.save(update_fields=["status", "unit"])
    _event(opinion, actor=actor, action="refer", old=old, note=f"转{unit.name}办理" + (f"：{note.strip()}" if note.strip() else ""))
    from congress import roles
    from congress.models import User

    notification_send(recipients=list(User.objects.filter(organization=unit, groups__name=roles.HANDLING_UNIT,
                                                          is_active=True)),
                      kind="voter_opinion", title=f"{opinion.station.name}转来一条社情民意，请办理并答复",
                      body=opinion.content[:60], link=("stations_unit:detail", opinion.pk))
    return opinion


@transaction.atomic
def opinion_reply(*, actor, opinion_id: int, reply: str):
    opinion = _lock_opinion(opinion_id)
    _staff_check(actor, opinion)
    _record_reply(opinion, actor=actor, reply=reply)
    return opinion


@transaction.atomic
def opinion_unit_reply(*, actor, opinion_id: int, reply: str):
    """The unit an opinion was referred to answers it in /unit/ (the voter sees the answer by the tracking code, the
    station's town staff are told)."""
    from congress import roles

    opinion = _lock_opinion(opinion_id)
    if not actor.is_authenticated or not actor.groups.filter(name=roles.HANDLING_UNIT).exists() \
            or not opinion.unit_id or actor.organization_id != opinion.unit_id:
        raise CongressError("只有转办到的承办单位可以答复这条意见")
    _record_reply(opinion, actor=actor, reply=reply)
    notification_send(recipients=_town_staff(opinion.station.town), kind="voter_opinion", title=f"{opinion.unit.name}已答复社情民意",
                      body=opinion.reply[:60], link=("admin:stations_voteropinion_change", opinion.pk))
    return opinion


@transaction.atomic
def opinion_decline(*, actor, opinion_id: int, reason: str):
    """Not for the congress to handle (a lawsuit in progress, a private dispute …): the reason is shown publicly."""
    opinion = _lock_opinion(opinion_id)
    _staff_check(actor, opinion)
    if not reason.strip():
        raise CongressError("请填写不予受理的理由（群众可以看到）")
    old = _move(opinion, opinion.Status.DECLINED, "不予受理")
    opinion.decline_reason, opinion.closed_at = reason.strip()[:200], timezone.now()
    opinion._history_user = actor
    opinion.save(update_fields=["status", "decline_reason", "closed_at"])
    _event(opinion, actor=actor, action="decline", old=old, note=opinion.decline_reason)
    return opinion


@transaction.atomic
def opinion_rate(*, tracking_code: str, satisfaction: str):
    """The voter rates the answer on the tracking page; that closes the loop."""
    from stations.models import VoterOpinion

    opinion = (VoterOpinion.objects.select_for_update().filter(tracking_code=(tracking_code or "").strip().upper())
               .first())
    if opinion is None:
        raise CongressError("查询码不正确")
    if satisfaction not in VoterOpinion.Satisfaction.values:
        raise CongressError("请选择满意、基本满意或不满意")
    old = _move(opinion, opinion.Status.CLOSED, "评价")
    opinion.satisfaction, opinion.closed_at = satisfaction, timezone.now()
    opinion.save(update_fields=["status", "satisfaction", "closed_at"])
    _event(opinion, actor=None, action="rate", old=old, note=opinion.get_satisfaction_display())
    return opinion


@transaction.atomic
def opinion_close(*, actor, opinion_id: int, satisfaction: str = "", note: str = ""):
    """Staff close an answered opinion after calling the voter back (回访), recording what the voter said."""
    from stations.models import VoterOpinion

    opinion = _lock_opinion(opinion_id)
    _staff_check(actor, opinion)
    if satisfaction and satisfaction not in VoterOpinion.Satisfaction.values:
        raise CongressError("请选择满意、基本满意或不满意")
    old = _move(opinion, opinion.Status.CLOSED, "办结")
    opinion.satisfaction, opinion.closed_at = satisfaction, timezone.now()
    opinion._history_user = actor
    opinion.save(update_fields=["status", "satisfaction", "closed_at"])
    label = dict(VoterOpinion.Satisfaction.choices).get(satisfaction, "")
    _event(opinion, actor=actor, action="close", old=old,
           note="回访办结" + (f"，群众评价：{label}" if label else "") + (f"。{note.strip()}" if note.strip() else ""))
    return opinion


def voter_contact_view_record(*, actor, opinion_id: int) -> None:
    """RULES.md: every view of a full phone number is logged."""
    from stations.models import VoterContactView

    VoterContactView.objects.create(user=actor, opinion_id=opinion_id)


@transaction.atomic
def station_appraise(*, actor, station_id: int, year: int, stars: int, appraised_on: datetime.date,
                     score=None, basis: str = ""):
    """星级评定 by the committee (town staff propose, the committee decides, so only committee staff may record it);
    one appraisal per station and year."""
    from congress import roles
    from stations.models import StationAppraisal

    _require_perm(actor, "stations.add_stationappraisal", "没有星级评定的权限")
    if actor.groups.filter(name=roles.TOWN_STAFF).exists():
        raise CongressError("星级评定由区人大常委会确定，镇街人大工作人员不能录入")
    station = Station.objects.select_for_update().filter(pk=station_id).first()
    if station is None:
        raise CongressError("家站点不存在")
    if not 1 <= int(stars) <= 5:
        raise CongressError("星级须为一至五星")
    if year > appraised_on.year or appraised_on > timezone.localdate():
        raise CongressError("评定日期不能早于评定年度，也不能晚于今天")
    if score is not None and not 0 <= score <= 100:
        raise CongressError("考核得分须在0至100之间")
    if StationAppraisal.objects.filter(station=station, year=year).exists():
        raise CongressError(f"“{station.name}”{year}年已评定；如需更正，请删除原评定后重新录入")
    appraisal = StationAppraisal(station=station, year=year, stars=int(stars), score=score, basis=basis.strip(),
                                 appraised_on=appraised_on, appraised_by=actor)
    appraisal._history_user = actor
    appraisal.save()
    return appraisal
