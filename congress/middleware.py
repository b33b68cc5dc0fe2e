import time
from datetime import timedelta
from urllib.parse import quote

from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone


class IdleSessionMiddleware:
    """docs/rules.md: a session ends after SESSION_IDLE_MINUTES without a request. Django's SESSION_SAVE_EVERY_REQUEST
    would write the session row on every page (an UPDATE and a commit per request, 0.5 ms of the deputy's home page
    and a WAL flush where fsync is on); this refreshes its expiry only when the last refresh is older than
    SESSION_REFRESH_SECONDS, so an idle session ends between the idle time less that margin and the idle time.
    Anonymous visitors without a session get none."""

    from congress.sessions import RENEWED_KEY as KEY  # congress.sessions refuses a session idle this long

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        session = getattr(request, "session", None)
        if session is None or session.is_empty():
            return response
        now = int(time.time())
        if session.modified or now - session.get(self.KEY, 0) >= settings.SESSION_REFRESH_SECONDS:
            session[self.KEY] = now  # marks it modified: SessionMiddleware saves it with a new expiry
        return response


class PasswordExpiryMiddleware:
    """docs/rules.md: staff change their password every PASSWORD_MAX_AGE_DAYS days. Until they do, every admin
    page sends them to the password-change form."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.is_staff and self._expired(user):
            allowed = {reverse("admin:password_change"), reverse("admin:password_change_done"), reverse("admin:logout")}
            if request.path not in allowed and request.path.startswith("/admin/"):
                messages.warning(request, f"您的密码已超过 {settings.PASSWORD_MAX_AGE_DAYS} 天未修改，请先修改密码。")
                return redirect("admin:password_change")
        return self.get_response(request)

    @staticmethod
    def _expired(user) -> bool:
        changed = user.password_changed_at
        return changed is None or timezone.now() - changed > timedelta(days=settings.PASSWORD_MAX_AGE_DAYS)


class SecondFactorMiddleware:
    """docs/rules.md: administrators log in with a second factor. After the password, a user who needs one (see
    congress.selectors.second_factor_required) reaches nothing but the second-factor page and logout until the
    session is verified (django-otp's OTPMiddleware sets `is_verified`). The answer is kept in the session so the
    check costs no query once known."""

    SESSION_KEY = "second_factor_required"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.is_staff and not user.is_verified():
            if self._required(request) and not self._exempt(request.path):
                return redirect(f"{reverse('accounts:second_factor')}?next={quote(request.get_full_path())}")
        return self.get_response(request)

    def _required(self, request) -> bool:
        from congress.selectors import second_factor_required

        if self.SESSION_KEY not in request.session:
            request.session[self.SESSION_KEY] = second_factor_required(request.user)
        return request.session[self.SESSION_KEY]

    @staticmethod
    def _exempt(path: str) -> bool:
        exempt = (reverse("accounts:second_factor"), reverse("accounts:logout"), reverse("admin:logout"),
                  reverse("admin:login"), "/static/", "/media/", "/i18n/", "/healthz")
        return path.startswith(exempt)


class PageGZipMiddleware:
    """Pages, JSON and CSV compressed with gzip when the browser accepts it (a change list of 57 KB travels as about
    8 KB: deputies open the portal on village phone networks). Django's GZipMiddleware, which since 4.2 pads each
    response against BREACH, limited to text: PDFs, spreadsheets and images are compressed already, and private files
    are sent by the web server (X-Accel-Redirect) with no body here."""

    COMPRESSED_TYPES = ("text/html", "text/plain", "text/csv", "application/json", "image/svg+xml")

    def __init__(self, get_response):
        from django.middleware.gzip import GZipMiddleware

        self.get_response = get_response
        self.gzip = GZipMiddleware(get_response)

    def __call__(self, request):
        response = self.get_response(request)
        if response.get("Content-Type", "").split(";")[0].strip() in self.COMPRESSED_TYPES:
            return self.gzip.process_response(request, response)
        return response
