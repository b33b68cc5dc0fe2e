"""Who somebody is: the role and scope questions every app's predicates are built from.

Each answer is cached on the user object for the request (one query for the role names, one for the granted towns,
one for the linked deputy), so a page that asks twenty predicates runs three queries, not sixty. The apps' own
`predicates.py` combine these with the object at hand (`can_reply(user, assignment)`); services, views, templates,
the admin and the access-matrix tests all ask those functions, and nothing else decides who may."""
from __future__ import annotations

from congress import roles


def _active(user) -> bool:
    return bool(user is not None and getattr(user, "is_authenticated", False) and user.is_active)


def role_names(user) -> frozenset[str]:
    if not _active(user):
        return frozenset()
    cached = getattr(user, "_role_names", None)
    if cached is None:
        cached = frozenset(user.groups.values_list("name", flat=True))
        user._role_names = cached
    return frozenset(cached)


def has_role(user, role: str) -> bool:
    return role in role_names(user)


def is_committee_staff(user, obj=None) -> bool:
    """常委会机关工作人员 (or a superuser): the committee's own staff, who register, assign and supervise."""
    return _active(user) and (user.is_superuser or has_role(user, roles.COMMITTEE_STAFF))


is_committee_staff.refusal = "只有常委会机关工作人员可以{action}"


def is_town_staff(user, obj=None) -> bool:
    return has_role(user, roles.TOWN_STAFF)


def is_leader(user, obj=None) -> bool:
    return has_role(user, roles.LEADER)


def is_unit_user(user, obj=None) -> bool:
    """A handling unit's account (承办单位), linked to its organization."""
    return has_role(user, roles.HANDLING_UNIT) and bool(user.organization_id)


def unit_id(user) -> int | None:
    return user.organization_id if is_unit_user(user) else None


def is_deputy_user(user, obj=None) -> bool:
    return deputy_of(user) is not None


def deputy_of(user):
    """The Deputy linked to a 人大代表 account, or None."""
    if not has_role(user, roles.DEPUTY):
        return None
    if not hasattr(user, "_deputy"):
        # the reverse one-to-one of deputies.Deputy.user (congress imports no app: import-linter's layers)
        user._deputy = getattr(user, "deputy", None)
    return user._deputy


def deputy_id(user) -> int | None:
    deputy = deputy_of(user)
    return deputy.pk if deputy is not None else None


def town_ids(user) -> frozenset[int] | None:
    """The towns a town staff member was granted (django-guardian object permission), or None for "every town"
    (committee staff, leaders, superusers). Somebody who is neither sees no town: an empty set."""
    if not _active(user):
        return frozenset()
    if user.is_superuser or not is_town_staff(user):
        return None
    cached = getattr(user, "_town_ids", None)
    if cached is None:
        from congress.models import OrganizationUserObjectPermission

        cached = frozenset(OrganizationUserObjectPermission.objects.filter(
            user=user, permission__codename="manage_town_records").values_list("content_object_id", flat=True))
        user._town_ids = cached
    return cached


def in_towns(user, town_id) -> bool:
    """Whether a record of town `town_id` is within the user's town scope (always, for committee-wide roles)."""
    towns = town_ids(user)
    return towns is None or (town_id is not None and town_id in towns)


def can_see_overdue_list(user, obj=None) -> bool:
    """The leaders' list of every overdue item (逾期事项): leaders and the committee's staff."""
    return is_committee_staff(user) or is_leader(user)


can_see_overdue_list.refusal = "只有领导和常委会机关工作人员可以查看逾期事项"


def can_see_dashboard(user, obj=None) -> bool:
    """The leaders' dashboard (领导驾驶舱): leaders and the committee's staff, as the overdue list it links to."""
    return is_committee_staff(user) or is_leader(user)


can_see_dashboard.refusal = "只有领导和常委会机关工作人员可以查看领导驾驶舱"


def can_search(user, obj=None) -> bool:
    """The admin's search across the apps (全局搜索): committee staff, leaders and town staff; each source then shows
    only what this user may see."""
    return is_committee_staff(user) or is_leader(user) or is_town_staff(user)


can_search.refusal = "只有常委会机关工作人员、领导和镇街工作人员可以使用全局搜索"
