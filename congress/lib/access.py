"""View decorators shared by the apps' own (non-admin) pages.

``deputy_required`` needs the Deputy behind a user, which the deputies app owns; congress must not import deputies
(import-linter's layers contract), so the deputies app registers its lookup here from ``DeputiesConfig.ready()``."""
import functools
from collections.abc import Callable

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied


def unit_required(view):
    """Handling units' pages: anonymous users go to the login page; anyone who is not a unit user with an organization
    gets 403."""
    from congress.predicates import is_unit_user

    @login_required
    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        user = request.user
        if not is_unit_user(user):
            raise PermissionDenied("只有承办单位可以使用承办单位工作台")
        return view(request, *args, **kwargs)

    return wrapper


_deputy_lookup: Callable | None = None


def register_deputy_lookup(lookup: Callable) -> None:
    """``lookup(user) -> Deputy | None``: the deputy a portal user stands for (deputies.selectors.deputy_for_user)."""
    global _deputy_lookup
    _deputy_lookup = lookup


def deputy_required(view):
    """Deputies' portal pages: anonymous users go to the login page; anyone logged in who is not a linked deputy gets
    403. The view finds the deputy on ``request.deputy``."""

    @login_required
    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        if _deputy_lookup is None:
            raise RuntimeError("deputy_required needs the deputies app installed (it registers the lookup)")
        deputy = _deputy_lookup(request.user)
        if deputy is None:
            raise PermissionDenied("只有人大代表可以使用代表履职平台")
        request.deputy = deputy
        return view(request, *args, **kwargs)

    return wrapper
