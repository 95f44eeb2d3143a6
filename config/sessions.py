"""Sessions in the database, read through the cache: Django's cached_db, whose save never undoes a request's work.

When the database fails at the end of a request, after the request has done what it came
for (a comment saved), the session's save is logged and dropped rather than turning the
answer into an error page: the reader is told the truth about what they did. Where keeping
something in the session is the request's work (a comment's words kept while its writer signs
in), `keep_now` saves it at once and lets the failure reach the error page, which gives the
words back.
"""

import logging

from django.contrib.sessions.backends.base import CreateError, UpdateError
from django.contrib.sessions.backends.cached_db import SessionStore as CachedDbSessionStore
from django.db import DatabaseError, OperationalError

logger = logging.getLogger(__name__)


class SessionStore(CachedDbSessionStore):
    keeping_now = False

    def save(self, must_create: bool = False) -> None:
        try:
            super().save(must_create=must_create)
        except DatabaseError:
            if self.keeping_now:
                raise
            logger.warning("Session %s not saved: the database failed.", self.session_key, exc_info=True)

    def keep_now(self) -> None:
        """Save now, a database failure raised as one (it would otherwise pass unseen at the end of the request, or
        come out as Django's UpdateError, a 400 page that gives nothing back), a new session's creation included."""
        self.keeping_now = True
        try:
            super().save()
        except (CreateError, UpdateError) as error:
            raise OperationalError("The session could not be saved.") from error
        finally:
            self.keeping_now = False
