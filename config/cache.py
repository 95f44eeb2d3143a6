"""Django's Redis cache, made to survive Redis and to cost less on every request.

Redis may go away: the site then works without it. Each operation that fails answers
as a cache miss would (reads find nothing, writes keep nothing), one warning is logged
per interval rather than per request, and for a few seconds Redis is not even asked,
so that a page does not wait on it several times. Sessions are read from the database
meanwhile (`cached_db`), rate limits and the page cache let everything through. When
Redis answers again it is used at once, but first emptied: what it holds was written
before the outage, and changes made meanwhile (a logout, a new comment) never reached it.
So REDIS_URL must name a database that only this site uses.

Django's backend also builds a new `redis.Redis` for every operation, filling in a table
of several hundred response handlers (about 150 µs, more than a local Redis takes to
answer): clients are thread-safe and share their pool, so one is kept per pool. And every
key is checked, character by character, against memcached's limits, which Redis has not.
"""

import logging
import threading
import time
from functools import wraps

from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient as DjangoRedisCacheClient
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

# After a failure, Redis is left alone this long; a warning is logged once per pause.
PAUSE_SECONDS = 5.0


class _Outage:
    """Whether Redis is failing, shared by the threads of a process."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.failing = False
        self.paused_until = 0.0

    def paused(self) -> bool:
        return self.failing and time.monotonic() < self.paused_until

    def failed(self, error: Exception) -> None:
        with self.lock:
            first = not self.failing
            self.failing = True
            self.paused_until = time.monotonic() + PAUSE_SECONDS
        logger.warning(
            "Redis is not answering (%s): working without it%s.",
            error,
            "" if first else ", still",
        )

    def answered(self) -> bool:
        """Note that Redis answered; True when that ends an outage."""
        if not self.failing:
            return False
        with self.lock:
            ended, self.failing = self.failing, False
        return ended


def _or_miss(answer):
    """Run a cache operation, or give what a miss would (`answer`, called with its arguments) when Redis fails."""

    def decorate(operation):
        @wraps(operation)
        def guarded(self, *args, **kwargs):
            if self._outage.paused():
                return answer(*args, **kwargs)
            try:
                result = operation(self, *args, **kwargs)
            except (RedisError, OSError) as error:
                self._outage.failed(error)
                return answer(*args, **kwargs)
            if self._outage.answered():
                self._forget_what_was_kept_before()
            return result

        return guarded

    return decorate


class RedisCacheClient(DjangoRedisCacheClient):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._clients = {}
        self._outage = _Outage()

    def get_client(self, key=None, *, write=False):
        index = self._get_connection_pool_index(write)
        if index not in self._clients:
            self._clients[index] = self._client(connection_pool=self._get_connection_pool(write))
        return self._clients[index]

    def _forget_what_was_kept_before(self) -> None:
        logger.warning("Redis answers again: emptied, since what it kept predates the outage.")
        try:
            super().clear()
        except (RedisError, OSError) as error:
            self._outage.failed(error)

    # As if added: what adds a key to take a lock (allauth's rate limits) goes on.
    @_or_miss(lambda key, value, timeout: True)
    def add(self, key, value, timeout):
        return super().add(key, value, timeout)

    @_or_miss(lambda key, default: default)
    def get(self, key, default):
        return super().get(key, default)

    @_or_miss(lambda key, value, timeout: None)
    def set(self, key, value, timeout):
        return super().set(key, value, timeout)

    @_or_miss(lambda key, timeout: False)
    def touch(self, key, timeout):
        return super().touch(key, timeout)

    @_or_miss(lambda key: False)
    def delete(self, key):
        return super().delete(key)

    @_or_miss(lambda key, delta: delta)
    def incr(self, key, delta):
        return super().incr(key, delta)

    @_or_miss(lambda keys: {})
    def get_many(self, keys):
        return super().get_many(keys)

    @_or_miss(lambda key: False)
    def has_key(self, key):
        return super().has_key(key)

    @_or_miss(lambda data, timeout: list(data))
    def set_many(self, data, timeout):
        return super().set_many(data, timeout)

    @_or_miss(lambda keys: None)
    def delete_many(self, keys):
        return super().delete_many(keys)


class RedisCache(DjangoRedisCache):
    def __init__(self, server, params) -> None:
        super().__init__(server, params)
        self._class = RedisCacheClient

    def validate_key(self, key: str) -> None:
        """Redis takes any key; memcached's limits (250 characters, no spaces) are not checked."""
