"""The login backend: Django's ModelBackend (passwords, permissions), loading the user of each request together with
the rows that every page of theirs reads next.

Django loads the logged-in user on each request with one query; the deputy portal then asks for the Deputy behind
the user (and its town) with another, on every page. The deputies app registers that relation here
(``register_user_related("deputy__town")`` from its ``ready()``: congress does not import deputies), so both come
in the one query. A user without a linked deputy gets ``None`` in the relation's cache, and nothing is asked again.

On PostgreSQL the names of the user's groups (their roles: congress.predicates.role_names, asked on nearly every page)
come in the same query too, as an array subquery; elsewhere role_names reads them with its own query, as before. Both
are read afresh on every request: a role taken away counts from the next page."""
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Group
from django.db import connection
from django.db.models import OuterRef

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
        with_roles = connection.vendor == "postgresql"
        if with_roles:
            from django.contrib.postgres.expressions import ArraySubquery

            users = users.annotate(group_names=ArraySubquery(
                Group.objects.filter(user=OuterRef("pk")).order_by().values("name")))
        try:
            user = users.get(pk=user_id)
        except model.DoesNotExist:
            return None
        if with_roles:
            user._role_names = frozenset(user.__dict__.pop("group_names"))  # what role_names would read
        return user if self.user_can_authenticate(user) else None
