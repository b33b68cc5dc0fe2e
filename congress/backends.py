"""The login backend: Django's ModelBackend (passwords, permissions), loading the user of each request together with
the rows that every page of theirs reads next.

Django loads the logged-in user on each request with one query; the deputy portal then asks for the Deputy behind
the user (and its town) with another, on every page. The deputies app registers that relation here
(``register_user_related("deputy__town")`` from its ``ready()``: congress does not import deputies), so both come
in the one query. A user without a linked deputy gets ``None`` in the relation's cache, and nothing is asked again."""
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend

_related: list[str] = []


def register_user_related(*paths: str) -> None:
    """select_related paths (reverse one-to-one relations of the user, for instance) read with every request's user."""
    for path in paths:
        if path not in _related:
            _related.append(path)


class CongressBackend(ModelBackend):
    def get_user(self, user_id):
        model = get_user_model()
        try:
            user = model._default_manager.select_related(*_related).get(pk=user_id)
        except model.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None
