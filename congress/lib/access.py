"""View decorators shared by the apps' own (non-admin) pages."""
import functools

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied


def unit_required(view):
    """Handling units' pages: anonymous users go to the login page; anyone who is not a unit user with an organization
    gets 403."""
    from congress import roles

    @login_required
    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        user = request.user
        if not user.organization_id or not user.groups.filter(name=roles.HANDLING_UNIT).exists():
            raise PermissionDenied("只有承办单位可以使用承办单位工作台")
        return view(request, *args, **kwargs)

    return wrapper
