"""Who may do what with deputies' records — activities, leave, reports to voters, photos: the one place that decides.
Committee staff hold the model permissions for every town; town staff hold them for their granted towns only (an
activity is a town's when one of its participants is that town's deputy); a deputy acts on their own records."""
from congress.predicates import deputy_id, in_towns, town_ids


def _perm(user, perm: str) -> bool:
    return bool(user is not None and getattr(user, "is_authenticated", False) and user.has_perm(perm))


def activity_in_scope(user, activity) -> bool:
    """An activity is within a town staff member's towns when their town organised it or one of its participants is
    their towns' deputy (the admin's list: deputies.selectors.activity_admin_queryset)."""
    towns = town_ids(user)
    if towns is None:
        return True
    return activity.organizer_id in towns or activity.participations.filter(deputy__town_id__in=towns).exists()


def can_manage_signin(user, activity) -> bool:
    """Open or close an event's QR sign-in, print its code: staff with the permission, for their towns' events."""
    return _perm(user, "deputies.change_dutyactivity") and activity_in_scope(user, activity)


def can_end_mandate(user, mandate) -> bool:
    return _perm(user, "deputies.change_mandate") and in_towns(user, mandate.deputy.town_id)


def can_review_activity(user, activity) -> bool:
    """Verify or return a deputy's activity: staff with the permission, within their towns."""
    return _perm(user, "deputies.change_dutyactivity") and activity_in_scope(user, activity)


def takes_part_in(user, activity) -> bool:
    mine = deputy_id(user)
    return mine is not None and activity.participations.filter(deputy_id=mine).exists()


def can_see_activity(user, activity) -> bool:
    """Its participants, and staff who may see activities (town staff: their towns')."""
    return takes_part_in(user, activity) or (_perm(user, "deputies.view_dutyactivity") and activity_in_scope(user, activity))


def can_confirm_participation(user, activity) -> bool:
    """A participant who has not confirmed yet, while the activity is not returned."""
    from deputies.models import DutyActivity

    mine = deputy_id(user)
    return (mine is not None and activity.status != DutyActivity.Status.RETURNED
            and activity.participations.filter(deputy_id=mine, confirmed_at__isnull=True).exists())


def can_decide_leave(user, leave) -> bool:
    return _perm(user, "deputies.change_leaverequest") and in_towns(user, leave.deputy.town_id)


def is_own_record(user, record) -> bool:
    """A deputy's own leave request, report to voters, … (anything with a deputy_id)."""
    mine = deputy_id(user)
    return mine is not None and record.deputy_id == mine


def can_see_deputy(user, deputy) -> bool:
    """The deputy themself, or staff who may view deputies of the deputy's town."""
    return (deputy_id(user) is not None and deputy_id(user) == deputy.pk) or (
        _perm(user, "deputies.view_deputy") and in_towns(user, deputy.town_id))


def can_see_deputy_record(user, record, perm: str = "deputies.view_deputy") -> bool:
    """A deputy's own record, or staff holding `perm` for the record's town."""
    return is_own_record(user, record) or (_perm(user, perm) and in_towns(user, record.deputy.town_id))
