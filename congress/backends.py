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
from django.db.models import F, OuterRef, Value
from django.db.models.functions import Concat

_related: list[str] = []


def register_user_related(*paths: str) -> None:
    """select_related paths (reverse one-to-one relations of the user, for instance) read with every request's user."""
    for path in paths:
        if path not in _related:
            _related.append(path)


class CongressBackend(ModelBackend):
    def get_user(self, user_id):
        model = get_user_model()
        users = model._default_manager.select_related(*_related)
        folded = connection.vendor == "postgresql"
        if folded:
            from django.contrib.postgres.expressions import ArraySubquery

            def names(permissions):  # "app_label.codename", as ModelBackend keeps them
                return ArraySubquery(permissions.order_by().annotate(
                    full=Concat(F("content_type__app_label"), Value("."), F("codename"))).values("full"))

            users = users.annotate(
                group_names=ArraySubquery(Group.objects.filter(user=OuterRef("pk")).order_by().values("name")),
                own_permissions=names(Permission.objects.filter(user=OuterRef("pk"))),
                group_permissions=names(Permission.objects.filter(group__user=OuterRef("pk"))))
        try:
            user = users.get(pk=user_id)
        except model.DoesNotExist:
            return None
        if folded:
            values = user.__dict__
            user._role_names = frozenset(values.pop("group_names"))  # what role_names would read
            own, of_groups = set(values.pop("own_permissions")), set(values.pop("group_permissions"))
            if not user.is_superuser:  # (a superuser's are all: ModelBackend reads them itself)
                user._user_perm_cache, user._group_perm_cache = own, of_groups  # what ModelBackend would read
        return user if self.user_can_authenticate(user) else None
