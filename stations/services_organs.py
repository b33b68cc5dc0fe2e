"""Writes about 国家机关进家站点: an organ's list of business items it handles at stations, and its visits.

Who may is asked of stations.predicates (can_manage_organ_items, can_record_organ_visit); the unit workspace
(stations/views_organs.py) and the admin (stations/admin_organs.py) call these functions and hold no rules."""
import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone

from congress.models import Organization
from congress.services import CongressError
from stations import predicates
from stations.models import Station
from stations.models_organs import OrganServiceItem, OrganVisit


def _organ(organ_id: int, *, lock: bool = False) -> Organization:
    qs = Organization.objects.select_for_update() if lock else Organization.objects
    organ = qs.filter(pk=organ_id).first()
    if organ is None or not predicates.is_station_organ(organ):
        raise CongressError("只有在用的国家机关和政府部门可以进家站点")
    return organ


def _clean_name(name: str) -> str:
    name = " ".join((name or "").split())
    if not name:
        raise CongressError("请填写事项名称")
    if len(name) > 100:
        raise CongressError("事项名称不能超过100个字")
    return name


@transaction.atomic
def organ_item_add(*, actor, organ_id: int, name: str, description: str = "", sort_order: int = 100) -> OrganServiceItem:
    organ = _organ(organ_id, lock=True)
    if not predicates.can_manage_organ_items(actor, organ):
        raise CongressError(predicates.organ_items_refusal(actor, organ))
    name = _clean_name(name)
    if OrganServiceItem.objects.filter(organ=organ, name=name).exists():
        raise CongressError(f"本单位已有“{name}”这一事项")
    item = OrganServiceItem(organ=organ, name=name, description=(description or "").strip(), sort_order=sort_order)
    item._history_user = actor
    item.save()
    return item


@transaction.atomic
def organ_item_update(*, actor, item_id: int, name: str, description: str = "", sort_order: int = 100,
                      is_active: bool = True) -> OrganServiceItem:
    """Rename, re-describe, or stop (is_active=False) an item; visits that handled it keep it."""
    item = OrganServiceItem.objects.select_for_update().select_related("organ").filter(pk=item_id).first()
    if item is None:
        raise CongressError("进站事项不存在")
    if not predicates.can_manage_organ_items(actor, item.organ):
        raise CongressError(predicates.organ_items_refusal(actor, item.organ))
    name = _clean_name(name)
    if OrganServiceItem.objects.filter(organ=item.organ, name=name).exclude(pk=item.pk).exists():
        raise CongressError(f"本单位已有“{name}”这一事项")
    item.name, item.description, item.sort_order, item.is_active = name, (description or "").strip(), sort_order, is_active
    item._history_user = actor
    try:
        with transaction.atomic():
            item.save(update_fields=["name", "description", "sort_order", "is_active"])
    except IntegrityError:  # a concurrent add of the same name
        raise CongressError(f"本单位已有“{name}”这一事项") from None
    return item


@transaction.atomic
def organ_visit_record(*, actor, organ_id: int, station_id: int, date: datetime.date, staff_names: str, item_ids,
                       voters_served: int, results: str) -> OrganVisit:
    """One visit of an organ to a station, with the items handled there (from the organ's own list, in use)."""
    organ = _organ(organ_id)
    station = Station.objects.select_related("town").filter(pk=station_id).first()
    if station is None:
        raise CongressError("家站点不存在")
    if not predicates.can_record_organ_visit(actor, organ, station):
        raise CongressError(predicates.organ_visit_refusal(actor, organ, station))
    if not station.is_active:
        raise CongressError(f"“{station.name}”已停止运行，不能登记进站活动")
    if date is None or date > timezone.localdate():
        raise CongressError("进站日期不能晚于今天（活动结束后再登记）")
    staff_names = " ".join((staff_names or "").split())
    if not staff_names:
        raise CongressError("请填写进站工作人员")
    if voters_served is None or voters_served < 0:
        raise CongressError("服务群众人次须为不小于0的整数")
    if not (results or "").strip():
        raise CongressError("请填写办理结果")
    item_ids = list(dict.fromkeys(int(i) for i in item_ids or ()))
    if not item_ids:
        raise CongressError("请至少选择一项办理的事项")
    items = list(OrganServiceItem.objects.filter(pk__in=item_ids, organ=organ, is_active=True))
    if len(items) != len(item_ids):
        raise CongressError("办理事项须是本单位在用的进站事项")
    visit = OrganVisit(organ=organ, station=station, date=date, staff_names=staff_names[:200],
                       voters_served=voters_served, results=results.strip(), recorded_by=actor)
    visit._history_user = actor
    visit.save()
    visit.items.set(items)
    return visit
