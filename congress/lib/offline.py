"""Drafts that survive a bad connection (docs/architecture.md, "Offline drafts").

The browser side is static/js/offline_drafts.js (a form's text kept in localStorage, sent when the connection is back)
and static/js/sw.js (a service worker that keeps the portal's form pages and static files for offline use). The server
side is this module:

* `service_worker`: serves static/js/sw.js at /portal/sw.js, so the worker's scope is the portal, never cached by the
  browser's HTTP cache (an update must reach the phone) and with the JavaScript content type browsers require;
* `already_accepted` / `accepted`: a draft carries a random `draft_token` (made on the phone); a form view that created
  an item from it remembers token → item address in the session and answers a second POST of the same draft with a
  redirect to that item instead of a second item (the connection may drop after the server accepted the first POST but
  before the phone heard the answer), and tells the phone by a short-lived cookie that the draft can be deleted.
"""
import re

from django.conf import settings
from django.contrib import messages
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_GET

SESSION_KEY = "offline_drafts_accepted"
ACCEPTED_COOKIE = "draft_accepted"
TOKEN_FIELD = "draft_token"
TOKEN = re.compile(r"[0-9a-f-]{16,64}")
KEEP = 20  # accepted tokens remembered per session (a deputy sends a few drafts a day)


def _read_worker() -> bytes:
    path = finders.find("js/sw.js")
    if path:
        with open(path, "rb") as handle:
            return handle.read()
    if staticfiles_storage.exists("js/sw.js"):
        with staticfiles_storage.open("js/sw.js") as handle:
            return handle.read()
    raise Http404("找不到离线服务脚本")


@require_GET
def service_worker(request):
    response = HttpResponse(_read_worker(), content_type="text/javascript; charset=utf-8")
    response["Cache-Control"] = "no-cache"
    response["Service-Worker-Allowed"] = request.path.rsplit("/", 1)[0] + "/"
    return response


def _token(request) -> str | None:
    token = request.POST.get(TOKEN_FIELD, "")
    return token if TOKEN.fullmatch(token) else None


def already_accepted(request):
    """For a form view's POST: the redirect to the item this same draft already created, or None."""
    token = _token(request)
    url = request.session.get(SESSION_KEY, {}).get(token) if token else None
    if not url:
        return None
    messages.info(request, "这份草稿已经提交过，没有重复登记")
    return _tell_the_phone(redirect(url), token)


def accepted(request, response):
    """For a form view's redirect after a successful POST: remember the draft's token and tell the phone."""
    token = _token(request)
    if token:
        done = dict(request.session.get(SESSION_KEY, {}))
        done[token] = response.url
        request.session[SESSION_KEY] = dict(list(done.items())[-KEEP:])
        _tell_the_phone(response, token)
    return response


def _tell_the_phone(response, token):
    # read by offline_drafts.js on the next page, which then deletes the draft: not HttpOnly, and holds nothing secret
    response.set_cookie(ACCEPTED_COOKIE, token, max_age=600, samesite="Lax", secure=settings.SESSION_COOKIE_SECURE)
    return response
