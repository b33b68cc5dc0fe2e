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
import functools

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import ValidationError
from django.db import connection

from congress.lib.prepared import Prepared

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


@functools.cache
def _folded_columns(model) -> dict:
    """The three arrays read with the user on PostgreSQL, as SQL of their own: built with the ORM (ArraySubquery) they
    cost more to compile on every request (1.3 ms) than the query they save. Table and column names come from the
    models; the outer user row is the query's base table, which Django names by its table name."""
    from django.contrib.postgres.fields import ArrayField
    from django.db.models import IntegerField, TextField
    from django.db.models.expressions import RawSQL

    q = connection.ops.quote_name
    user_groups, user_permissions = model.groups.through._meta, model.user_permissions.through._meta
    group_permissions = Group.permissions.through._meta
    user = f"{q(model._meta.db_table)}.{q(model._meta.pk.column)}"
    ug_user, ug_group = q(user_groups.get_field("user").column), q(user_groups.get_field("group").column)
    up_user = q(user_permissions.get_field("user").column)
    up_permission = q(user_permissions.get_field("permission").column)
    gp_group = q(group_permissions.get_field("group").column)
    gp_permission = q(group_permissions.get_field("permission").column)
    return {
        "group_names": RawSQL(
            f"ARRAY(SELECT g.{q('name')} FROM {q(Group._meta.db_table)} g JOIN {q(user_groups.db_table)} ug "
            f"ON ug.{ug_group} = g.{q(Group._meta.pk.column)} WHERE ug.{ug_user} = {user})", (),
            output_field=ArrayField(TextField())),
        "own_permissions": RawSQL(
            f"ARRAY(SELECT up.{up_permission} FROM {q(user_permissions.db_table)} up WHERE up.{up_user} = {user})", (),
            output_field=ArrayField(IntegerField())),
        "group_permissions": RawSQL(
            f"ARRAY(SELECT gp.{gp_permission} FROM {q(group_permissions.db_table)} gp JOIN {q(user_groups.db_table)} ug "
            f"ON ug.{ug_group} = gp.{gp_group} WHERE ug.{ug_user} = {user})", (),
            output_field=ArrayField(IntegerField())),
    }


def _user_with_related(user_id):
    model = get_user_model()
    users = model._default_manager.select_related(*_related)
    if connection.vendor == "postgresql":
        users = users.annotate(**_folded_columns(model))
    return users.filter(pk=user_id)


_user_of_request = Prepared(_user_with_related, params=("user_id",))  # compiled once per process


class CongressBackend(ModelBackend):
    def get_user(self, user_id):
        model = get_user_model()
        try:
            user_id = model._meta.pk.to_python(user_id)
        except ValidationError:
            return None
        found = _user_of_request(user_id=user_id)
        if not found:
            return None
        user = found[0]
        if connection.vendor == "postgresql":
            values = user.__dict__
            user._role_names = frozenset(values.pop("group_names"))  # what role_names would read
            own, of_groups = values.pop("own_permissions"), values.pop("group_permissions")
            if not user.is_superuser:  # (a superuser's are all: ModelBackend reads them itself)
                # what ModelBackend would read
                user._user_perm_cache, user._group_perm_cache = _permission_names_of(own), _permission_names_of(of_groups)
        return user if self.user_can_authenticate(user) else None
