"""The session engine: Django's cached_db (read from the cache, Redis in production; written through to the
database), with the idle timeout checked on the session's own clock.

cached_db saves every logged-in page its session query. A session read from the cache is not checked against the
database's expire_date, though: the cache's own expiry ends it, on the cache server's clock. The idle rule
(docs/rules.md, SESSION_IDLE_MINUTES) is ours to keep, so the time of the last renewal that IdleSessionMiddleware
stores in every session is checked here too: a session idle for SESSION_COOKIE_AGE is refused whichever store
answered, exactly when the database row's expire_date would refuse it."""
import time

from django.conf import settings
from django.contrib.sessions.backends import cached_db

RENEWED_KEY = "_refreshed"  # congress.middleware.IdleSessionMiddleware.KEY: when the expiry was last renewed


class SessionStore(cached_db.SessionStore):
    def load(self):
        data = super().load()
        renewed = data.get(RENEWED_KEY)
        if renewed is not None and time.time() - renewed >= settings.SESSION_COOKIE_AGE:
            self._session_key = None  # as Django's database store does with an expired row: a new, empty session
            return {}
        return data
