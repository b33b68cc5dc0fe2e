"""The login backend: Django's ModelBackend (passwords, permissions), loading the user of each request together with
the rows that every page of theirs reads next.

Django loads the logged-in user on each request with one query; the deputy portal then asks for the Deputy behind
the user (and its town) with another, on every page. The deputies app registers that relation here
(``register_user_related("deputy__town")`` from its ``ready()``: congress does not import deputies), so both come
in the one query. A user without a linked deputy gets ``None`` in the relation's cache, and nothing is asked again.

On PostgreSQL the names of the user's groups (their roles: congress.predicates.role_names, asked on nearly every page)
come in the same query too, as an array subquery, and so do their permissions, their own and their groups' (what
ModelBackend reads with two more queries on every admin page, to build the menu and check each action); elsewhere
role_names and ModelBackend read them with their own queries, as before. All are read afresh on every request: a
role or a permission taken away counts from the next page."""
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.db.models import OuterRef

_related: list[str] = []


def register_user_related(*paths: str) -> None:
    """select_related paths (reverse one-to-one relations of the user, for instance) read with every request's user."""
    for path in paths:
        if path not in _related:
            _related.append(path)


_permission_names: dict[tuple, str] = {}  # (database, permission id) → "app_label.codename"


def _permission_names_of(ids) -> set[str]:
    """The names ModelBackend keeps for these permission ids: from a map of every permission read once per process
    (they change only with a migration), read again when an id is not in it."""
    database = connection.settings_dict["NAME"]
    if any((database, pk) not in _permission_names for pk in ids):
        for pk, app_label, codename in Permission.objects.values_list("pk", "content_type__app_label", "codename"):
            _permission_names[database, pk] = f"{app_label}.{codename}"
    return {_permission_names[database, pk] for pk in ids if (database, pk) in _permission_names}


class CongressBackend(ModelBackend):
    def get_user(self, user_id):
        model = get_user_model()
        users = model._default_manager.select_related(*_related)
        folded = connection.vendor == "postgresql"
        if folded:
            from django.contrib.postgres.expressions import ArraySubquery

            groups = model.groups.through.objects.filter(user_id=OuterRef("pk")).order_by()
            users = users.annotate(
                group_names=ArraySubquery(groups.values("group__name")),
                own_permissions=ArraySubquery(model.user_permissions.through.objects.filter(
                    user_id=OuterRef("pk")).order_by().values("permission_id")),
                group_permissions=ArraySubquery(Group.permissions.through.objects.filter(
                    group_id__in=model.groups.through.objects.filter(user_id=OuterRef(OuterRef("pk"))).values("group_id"))
                    .order_by().values("permission_id")))
        try:
            user = users.get(pk=user_id)
        except model.DoesNotExist:
            return None
        if folded:
            values = user.__dict__
            user._role_names = frozenset(values.pop("group_names"))  # what role_names would read
            own, of_groups = values.pop("own_permissions"), values.pop("group_permissions")
            if not user.is_superuser:  # (a superuser's are all: ModelBackend reads them itself)
                # what ModelBackend would read
                user._user_perm_cache, user._group_perm_cache = _permission_names_of(own), _permission_names_of(of_groups)
        return user if self.user_can_authenticate(user) else None
