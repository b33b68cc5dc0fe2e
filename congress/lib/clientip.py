"""The client's network address, for the login lock-out (django-axes' AXES_CLIENT_IP_CALLABLE) and the public form's
hourly limit.

Behind the TLS proxy (BEHIND_TLS_PROXY) every REMOTE_ADDR is the proxy's, so the address comes from the header the
proxy writes (PROXY_CLIENT_IP_HEADER): X-Forwarded-For, to which each proxy appends the address it received the request
from, or X-Real-IP. Only the entries the trusted proxies wrote are believed: with TRUSTED_PROXY_COUNT proxies in front,
that is the TRUSTED_PROXY_COUNT-th entry from the right; whatever a client put to the left of it is ignored, so nobody
can pick the address they are counted under. Without BEHIND_TLS_PROXY the header is ignored altogether."""
import ipaddress

from django.conf import settings


def _valid(candidate: str) -> str | None:
    """The address in canonical form, or None; tolerates a port ("192.0.2.1:443", "[2001:db8::1]:443")."""
    candidate = candidate.strip()
    if candidate.startswith("[") and "]" in candidate:
        candidate = candidate[1:candidate.index("]")]
    elif candidate.count(":") == 1:
        candidate = candidate.split(":", 1)[0]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return None


def meta_key(header: str) -> str:
    """"X-Forwarded-For" → "HTTP_X_FORWARDED_FOR", the name under which Django keeps a request header."""
    return "HTTP_" + header.strip().upper().replace("-", "_")


def client_address(request) -> str | None:
    remote = _valid(request.META.get("REMOTE_ADDR", "") or "")
    if not getattr(settings, "BEHIND_TLS_PROXY", False):
        return remote
    entries = [entry for entry in request.META.get(meta_key(settings.PROXY_CLIENT_IP_HEADER), "").split(",") if entry.strip()]
    count = settings.TRUSTED_PROXY_COUNT
    if len(entries) < count:
        # the request did not pass through every trusted proxy: only the connection's own address is known
        return remote
    return _valid(entries[-count]) or remote
