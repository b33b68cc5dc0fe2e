"""What the proposals services share: locking, the parties to notify, labels."""
import datetime

from django.utils import timezone

from congress import roles
from congress.models import Organization, User
from congress.predicates import deputy_of
from congress.services import CongressError, notification_send
from proposals.models import Assignment, Cosignature, Suggestion


def _today() -> datetime.date:
    return timezone.localdate()


def require_deputy(actor: User):
    deputy = deputy_of(actor)
    if deputy is None:
        raise CongressError("只有人大代表可以执行此操作")
    return deputy


def lock_suggestion(suggestion: Suggestion) -> Suggestion:
    return Suggestion.objects.select_for_update().get(pk=suggestion.pk)


def lock_assignment(assignment: Assignment) -> Assignment:
    found = Assignment.objects.select_for_update().get(pk=assignment.pk)
    found.suggestion = Suggestion.objects.get(pk=found.suggestion_id)
    return found


def unit_users(unit_ids) -> list[User]:
    return list(User.objects.filter(organization_id__in=list(unit_ids), groups__name=roles.HANDLING_UNIT,
                                    is_active=True).distinct())


def staff_users() -> list[User]:
    return list(User.objects.filter(groups__name=roles.COMMITTEE_STAFF, is_active=True).distinct())


def deputy_users(suggestion: Suggestion) -> list[User]:
    """The lead deputy's and the confirmed co-signers' logins."""
    ids = [suggestion.lead_deputy_id, *Cosignature.objects.filter(
        suggestion=suggestion, status=Cosignature.Status.CONFIRMED).values_list("deputy_id", flat=True)]
    return list(User.objects.filter(deputy__pk__in=ids, is_active=True))


def town_users(town: Organization) -> list[User]:
    from congress.models import OrganizationUserObjectPermission

    ids = OrganizationUserObjectPermission.objects.filter(
        content_object=town, permission__codename="manage_town_records").values_list("user_id", flat=True)
    return list(User.objects.filter(pk__in=ids, is_active=True, groups__name=roles.TOWN_STAFF))


def label(suggestion: Suggestion) -> str:
    return f"{suggestion.number}《{suggestion.title}》" if suggestion.number else f"《{suggestion.title}》"


def notify(users, kind: str, title: str, body: str = "", url: str = "", link: tuple = ()) -> None:
    notification_send(recipients=users, kind=kind, title=title[:200], body=body, url=url, link=link)
