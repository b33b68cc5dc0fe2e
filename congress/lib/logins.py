"""Login throttling: django-axes' database handler plus a limit per network address across usernames.

axes locks a (username, address) pair after AXES_FAILURE_LIMIT failures, so an attacker cannot lock a known account for
everyone: the owner, from another address, still logs in. That alone lets one address try any number of usernames
(password spraying), and axes applies one failure limit to every lock-out parameter group, so adding a bare
"ip_address" group would lock an address after as few failures as a single account. Here the address gets its own,
higher limit (LOGIN_FAILURE_LIMIT_PER_ADDRESS, counted from axes' own attempt rows in the same cool-off window): past
it, the address is locked for every username. 0 turns the address limit off."""
from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username
from axes.models import AccessAttempt
from axes.signals import user_locked_out
from django.conf import settings
from django.db.models import Sum

# axes' attempt and log tables keep the username in a 255-character column; Django's login form checks no length
# before it authenticates, so a longer name used to end in "value too long", a 500.
USERNAME_COLUMN = AccessAttempt._meta.get_field("username").max_length


def attempted_username(request, credentials=None) -> str | None:
    """AXES_USERNAME_CALLABLE: the username tried, as axes would read it, cut to fit its column and without NUL."""
    field = settings.AXES_USERNAME_FORM_FIELD
    value = credentials.get(field) if credentials else getattr(request, "data", request.POST).get(field)
    if value is None:
        return None
    return str(value).replace("\x00", "")[:USERNAME_COLUMN]


def address_failures(request) -> int:
    """Failed logins from the request's address within the cool-off window, whatever the username."""
    attempts = AccessAttempt.objects.filter(ip_address=request.axes_ip_address)
    if settings.AXES_COOLOFF_TIME is not None:
        attempts = attempts.filter(attempt_time__gte=get_cool_off_threshold(request))
    return attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0


def address_locked(request) -> bool:
    limit = settings.LOGIN_FAILURE_LIMIT_PER_ADDRESS
    if not limit or not settings.AXES_LOCK_OUT_AT_FAILURE or request.axes_ip_address is None:
        return False
    return address_failures(request) >= limit


class AddressLimitedHandler(AxesDatabaseHandler):
    def is_locked(self, request, credentials=None) -> bool:
        if super().is_locked(request, credentials):
            return True
        if address_locked(request):
            request.axes_address_locked = True
            return True
        return False

    def user_login_failed(self, sender, credentials: dict, request=None, **kwargs):
        super().user_login_failed(sender, credentials, request=request, **kwargs)
        if request is None or getattr(request, "axes_locked_out", False) or not address_locked(request):
            return
        # this failure reached the address limit: answer it with the lock-out page, as axes does for its own limit
        request.axes_locked_out = True
        request.axes_address_locked = True
        request.axes_credentials = credentials
        user_locked_out.send("axes", request=request, username=get_client_username(request, credentials),
                             ip_address=request.axes_ip_address)
