"""Writes about deputies."""
import datetime

from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_update_with_history

from congress.services import CongressError
from deputies.models import Deputy, Mandate, PersonalDataView


def personal_data_view_record(*, actor, deputy_id: int) -> None:
    """RULES.md: every view of a full ID or phone number is logged."""
    PersonalDataView.objects.create(user=actor, deputy_id=deputy_id)


@transaction.atomic
def mandates_end(*, actor, mandates, reason: str, end_date: datetime.date | None = None) -> int:
    """End several serving mandates at once. A bulk update, written with history so the audit trail has each
    row with the acting user (a plain queryset.update() would leave no trace)."""
    if not actor.has_perm("deputies.change_mandate"):
        raise CongressError("没有修改代表资格的权限")
    end_date = end_date or timezone.localdate()
    rows = list(Mandate.objects.select_for_update().filter(pk__in=[m.pk for m in mandates]))
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


__all__ = ["Deputy", "mandates_end", "personal_data_view_record"]
