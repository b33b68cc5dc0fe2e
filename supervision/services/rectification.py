"""整改事项: made by a piece of supervision work (or by staff directly), reported on by the organ, accepted by staff."""
import datetime

from django.db import transaction
from django.utils import timezone

from congress.lib import uploads
from congress.models import Organization, User
from congress.services import CongressError, notification_send
from supervision.models import Rectification, RectificationReport
from supervision.predicates import is_committee_staff
from supervision.workflows import RECTIFICATION


def _unit_users(unit_id: int) -> list[User]:
    from congress import roles

    return list(User.objects.filter(organization_id=unit_id, groups__name=roles.HANDLING_UNIT, is_active=True))


def _staff_users() -> list[User]:
    from congress import roles

    return list(User.objects.filter(groups__name=roles.COMMITTEE_STAFF, is_active=True))


def _lock(rectification: Rectification) -> Rectification:
    return Rectification.objects.select_for_update().get(pk=rectification.pk)


@transaction.atomic
def rectification_create(*, actor: User, organization: Organization, title: str, due_date: datetime.date,
                         description: str = "", source=None, source_label: str = "") -> Rectification:
    """A problem assigned to an organ to fix by `due_date`; `source` the supervision object it comes from."""
    if not is_committee_staff(actor):
        raise CongressError("只有常委会机关工作人员可以交办整改事项")
    if not title.strip():
        raise CongressError("请填写整改事项")
    if not organization.is_handling_unit or not organization.is_active:
        raise CongressError(f"{organization.name}不是可交办的责任单位")
    if due_date <= timezone.localdate():
        raise CongressError("整改期限须晚于今天")
    item = Rectification(organization=organization, title=title.strip(), description=description.strip(),
                         due_date=due_date, source_label=source_label.strip()[:200], created_by=actor)
    if source is not None:
        from congress.lib.workflow import workflow_of

        flow = workflow_of(source)
        item.source_workflow, item.source_id = (flow.name if flow else source._meta.model_name), source.pk
        item.source_label = item.source_label or str(source)[:200]
    item._history_user = actor
    item.save()
    RECTIFICATION.record_created(item, actor=actor, reason=f"{organization.name}，期限{due_date:%Y-%m-%d}")
    notification_send(recipients=_unit_users(organization.pk), kind="rectification_new",
                      title=f"新交办整改事项：{item.title}", body=f"整改期限 {due_date:%Y-%m-%d}",
                      link=("supervision_unit:rectification", item.pk))
    return item


@transaction.atomic
def rectification_report(*, actor: User, rectification: Rectification, text: str, evidence=None,
                         final: bool = False) -> RectificationReport:
    """The organ reports progress, or (final) that the item is done, with its closing evidence: then staff accept it."""
    item = _lock(rectification)
    name = "submit" if final else "report"
    RECTIFICATION.check(actor, item, name)
    if not text.strip():
        raise CongressError("请填写整改情况")
    if evidence:
        uploads.check(evidence, "attachment")
    if final and not evidence and not text.strip():
        raise CongressError("整改完成报告须说明整改情况")
    report = RectificationReport.objects.create(rectification=item, text=text.strip(), final=final,
                                                evidence=evidence or "", reported_by=actor)
    RECTIFICATION.apply(item, name, actor=actor, reason=text.strip()[:200])
    if final:
        notification_send(recipients=_staff_users(), kind="rectification_submitted",
                          title=f"{item.organization.name}报告整改完成：{item.title}",
                          link=("admin:supervision_rectification_change", item.pk))
    return report


@transaction.atomic
def rectification_accept(*, actor: User, rectification: Rectification, note: str = "") -> Rectification:
    item = _lock(rectification)
    item.accepted_at = timezone.now()
    RECTIFICATION.apply(item, "accept", actor=actor, reason=note, fields=["accepted_at"])
    notification_send(recipients=_unit_users(item.organization_id), kind="rectification_accepted",
                      title=f"整改事项已验收：{item.title}", link=("supervision_unit:rectification", item.pk))
    return item


@transaction.atomic
def rectification_return(*, actor: User, rectification: Rectification, reason: str) -> Rectification:
    item = _lock(rectification)
    RECTIFICATION.check(actor, item, "return")
    if not reason.strip():
        raise CongressError("请填写退回继续整改的理由")
    RECTIFICATION.apply(item, "return", actor=actor, reason=reason)
    notification_send(recipients=_unit_users(item.organization_id), kind="rectification_returned",
                      title=f"整改事项退回继续整改：{item.title}", body=reason.strip(),
                      link=("supervision_unit:rectification", item.pk))
    return item
