"""Writes about stations: reception days (接待选民日).

The states, the transitions and who may take each are declared in stations/workflows.py (RECEPTION, OPINION), with
the predicates of stations/predicates.py; every service below takes one of those transitions.

Scheduling notifies the deputies on duty (and the notice is public on the station's page at once); cancelling
tells them; recording the outcome writes one verified 接待选民 duty activity for the deputies who came, so their
points, checklist and duty record follow without any step of theirs.
"""
import datetime

from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from congress.services import CongressError, notification_send
from deputies.models import Deputy, Mandate
from stations import predicates
from stations.conf import stations_setting
from stations.models import ReceptionDay, ReceptionDuty, Station
from stations.workflows import OPINION, RECEPTION


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
    station = Station.objects.filter(pk=station_id).first()
    if station is None:
        raise CongressError("家站点不存在")
    if not predicates.can_schedule_reception(actor, station):
        raise CongressError("只能安排本镇街家站点的接待" if getattr(actor, "is_authenticated", False) and
                            actor.has_perm("stations.add_receptionday") else "没有安排接待选民日的权限")
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
    RECEPTION.record_created(reception, actor=actor, name="schedule", reason=f"{_when(reception)} {station.name}")
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
    reception = _lock(reception_id)
    RECEPTION.check(actor, reception, "cancel")
    if not reason.strip():
        raise CongressError("请填写取消原因（将在家站点页面公告）")
    reception.cancel_reason = reason.strip()[:200]
    RECEPTION.apply(reception, "cancel", actor=actor, reason=reception.cancel_reason, fields=["cancel_reason"])
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

    reception = _lock(reception_id)
    RECEPTION.check(actor, reception, "record")
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
    reception.activity = activity
    reception.visitor_count, reception.opinion_count, reception.summary = visitor_count, opinion_count or 0, summary
    RECEPTION.apply(reception, "record", actor=actor, reason=f"接待群众{visitor_count}人次，收集意见{opinion_count or 0}条",
                    fields=["activity", "visitor_count", "opinion_count", "summary"])
    return reception


def reception_reminders_send(*, today: datetime.date) -> list[int]:
    """Remind the deputies on duty RECEPTION_REMINDER_DAYS before their reception; each reception once (a claim
    row keyed by reception and date, claimed for the whole scan in one batch, so a re-run or a second beat sends
    nothing twice and costs a fixed number of queries)."""
    from congress.services import notification_send_many, reminder_claim_many

    day = today + datetime.timedelta(days=stations_setting("RECEPTION_REMINDER_DAYS"))
    receptions = {f"reception:{r.pk}:{r.date:%Y%m%d}": r
                  for r in ReceptionDay.objects.filter(date=day, status=ReceptionDay.Status.SCHEDULED)
                  .select_related("station").prefetch_related("duties__deputy__user")}
    with transaction.atomic():  # the claims and the notifications commit together, or neither does
        claimed = reminder_claim_many(receptions)
        due = [reception for key, reception in receptions.items() if key in claimed]
        notification_send_many([{"recipients": [d.deputy.user for d in r.duties.all()], "kind": "reception_duty",
                                 "title": f"提醒：{_when(r)}请到{r.station.name}接待选民",
                                 "body": f"地址：{r.station.address}", "link": ("portal:home",)} for r in due])
    return [r.pk for r in due]


# -- 社情民意: a voter's opinion and its closed loop ------------------------------------------------------------
#
# opinion_submit (a voter, no login, rate-limited) makes one; opinion_refer, opinion_reply, opinion_decline and
# opinion_close are staff's (their towns'), opinion_unit_reply the unit's it was referred to, opinion_rate the voter's by
# the tracking code: each takes the transition of the same name in stations.workflows.OPINION.

TRACKING_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I/L: read aloud over the phone


def _tracking_code() -> str:
    import secrets

    from stations.models import VoterOpinion

    while True:
        code = "".join(secrets.choice(TRACKING_ALPHABET) for _ in range(10))
        if not VoterOpinion.objects.filter(tracking_code=code).exists():
            return code


def _lock_opinion(opinion_id: int):
    from stations.models import VoterOpinion

    opinion = VoterOpinion.objects.select_for_update().select_related("station").filter(pk=opinion_id).first()
    if opinion is None:
        raise CongressError("该社情民意不存在")
    return opinion


def _record_reply(opinion, *, actor, reply: str, name: str) -> None:
    """The answer itself, whoever gives it (staff, or the unit it was referred to): checked, moved, recorded."""
    OPINION.check(actor, opinion, name)
    if not reply.strip():
        raise CongressError("请填写答复内容")
    opinion.reply, opinion.replied_at = reply.strip(), timezone.now()
    OPINION.apply(opinion, name, actor=actor, reason=opinion.reply, fields=["reply", "replied_at"])


def _town_staff(town) -> list:
    """The town staff granted this town (django-guardian), who handle its stations' opinions."""
    from guardian.shortcuts import get_users_with_perms

    return list(get_users_with_perms(town, only_with_perms_in=["manage_town_records"], with_group_users=False))


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
    OPINION.record_created(opinion, actor=None, name="submit")
    notification_send(recipients=_town_staff(station.town), kind="voter_opinion", title=f"{station.name}收到一条社情民意",
                      body=content[:60], link=("admin:stations_voteropinion_change", opinion.pk))
    return opinion


@transaction.atomic
def opinion_refer(*, actor, opinion_id: int, unit_id: int, note: str = ""):
    """Refer to a handling unit (转办); the unit's name is shown to the voter."""
    from congress.models import Organization

    opinion = _lock_opinion(opinion_id)
    OPINION.check(actor, opinion, "refer")
    unit = Organization.objects.filter(pk=unit_id, is_handling_unit=True, is_active=True).first()
    if unit is None:
        raise CongressError("请选择承办单位")
    opinion.unit = unit
    OPINION.apply(opinion, "refer", actor=actor, fields=["unit"],
                  reason=f"转{unit.name}办理" + (f"：{note.strip()}" if note.strip() else ""))
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
    _record_reply(opinion, actor=actor, reply=reply, name="reply")
    return opinion


@transaction.atomic
def opinion_unit_reply(*, actor, opinion_id: int, reply: str):
    """The unit an opinion was referred to answers it in /unit/ (the voter sees the answer by the tracking code, the
    station's town staff are told)."""
    opinion = _lock_opinion(opinion_id)
    _record_reply(opinion, actor=actor, reply=reply, name="unit_reply")
    notification_send(recipients=_town_staff(opinion.station.town), kind="voter_opinion", title=f"{opinion.unit.name}已答复社情民意",
                      body=opinion.reply[:60], link=("admin:stations_voteropinion_change", opinion.pk))
    return opinion


@transaction.atomic
def opinion_decline(*, actor, opinion_id: int, reason: str):
    """Not for the congress to handle (a lawsuit in progress, a private dispute …): the reason is shown publicly."""
    opinion = _lock_opinion(opinion_id)
    OPINION.check(actor, opinion, "decline")
    if not reason.strip():
        raise CongressError("请填写不予受理的理由（群众可以看到）")
    opinion.decline_reason, opinion.closed_at = reason.strip()[:200], timezone.now()
    OPINION.apply(opinion, "decline", actor=actor, reason=opinion.decline_reason, fields=["decline_reason", "closed_at"])
    return opinion


@transaction.atomic
def opinion_rate(*, tracking_code: str, satisfaction: str):
    """The voter rates the answer on the tracking page; that closes the loop, but a first 不满意 reopens it once."""
    from stations.models import VoterOpinion

    opinion = (VoterOpinion.objects.select_for_update().filter(tracking_code=(tracking_code or "").strip().upper())
               .first())
    if opinion is None:
        raise CongressError("查询码不正确")
    if satisfaction not in VoterOpinion.Satisfaction.values:
        raise CongressError("请选择满意、基本满意或不满意")
    OPINION.check(None, opinion, "rate")
    label = dict(VoterOpinion.Satisfaction.choices)[satisfaction]
    if _reopen(opinion, actor=None, satisfaction=satisfaction, reason=f"群众评价：{label}"):
        return opinion
    opinion.satisfaction, opinion.closed_at = satisfaction, timezone.now()
    OPINION.apply(opinion, "rate", actor=None, reason=label, fields=["satisfaction", "closed_at"])
    return opinion


def _reopen(opinion, *, actor, satisfaction: str, reason: str) -> bool:
    """The loop's second chance: a first 不满意 sends the opinion back to whoever answered it (the unit it was
    referred to, or the station's staff) for a new answer; the first rating is kept and counts in the figures. A second
    不满意 closes it as 不满意. Returns whether it reopened."""
    from stations.models import VoterOpinion

    name = "reopen_to_unit" if opinion.unit_id else "reopen"
    if satisfaction != VoterOpinion.Satisfaction.DISSATISFIED or not OPINION.can(actor, opinion, name):
        return False
    OPINION.check(actor, opinion, name)  # (its guard reads first_satisfaction, set just below)
    opinion.first_satisfaction = satisfaction
    OPINION.apply(opinion, name, actor=actor, reason=f"{reason}，重新办理", fields=["first_satisfaction"])
    who = _town_staff(opinion.station.town)
    if opinion.unit_id:
        from congress import roles
        from congress.models import User

        who += list(User.objects.filter(organization_id=opinion.unit_id, groups__name=roles.HANDLING_UNIT, is_active=True))
    notification_send(recipients=who, kind="voter_opinion", title=f"{opinion.station.name}的一条社情民意群众不满意，请重新答复",
                      body=opinion.content[:60],
                      link=("stations_unit:detail", opinion.pk) if opinion.unit_id else
                      ("admin:stations_voteropinion_change", opinion.pk))
    return True


@transaction.atomic
def opinion_close(*, actor, opinion_id: int, satisfaction: str = "", note: str = ""):
    """Staff close an answered opinion after calling the voter back (回访), recording what the voter said."""
    from stations.models import VoterOpinion

    opinion = _lock_opinion(opinion_id)
    OPINION.check(actor, opinion, "close")
    if satisfaction and satisfaction not in VoterOpinion.Satisfaction.values:
        raise CongressError("请选择满意、基本满意或不满意")
    label = dict(VoterOpinion.Satisfaction.choices).get(satisfaction, "")
    if _reopen(opinion, actor=actor, satisfaction=satisfaction, reason=f"回访时群众评价：{label}"):
        return opinion
    opinion.satisfaction, opinion.closed_at = satisfaction, timezone.now()
    OPINION.apply(opinion, "close", actor=actor, fields=["satisfaction", "closed_at"],
                  reason="回访办结" + (f"，群众评价：{label}" if label else "") + (f"。{note.strip()}" if note.strip() else ""))
    return opinion


def voter_contact_view_record(*, actor, opinion_id: int) -> None:
    """docs/rules.md: every view of a full phone number is logged."""
    from stations.models import VoterContactView

    VoterContactView.objects.create(user=actor, opinion_id=opinion_id)
