"""Django's Redis cache, made to survive Redis and to cost less on every request.

Redis may go away: the site then works without it. Each operation that fails answers
as a cache miss would (reads find nothing, writes keep nothing), one warning is logged
per interval rather than per request, and for a few seconds Redis is not even asked,
so that a page does not wait on it several times. Sessions are read from the database
meanwhile (`cached_db`), rate limits and the page cache let everything through. When
Redis answers again it is used at once, but first emptied: what it holds was written
before the outage, and changes made meanwhile (a logout, a new comment) never reached it.
So REDIS_URL must name a database that only this site uses.

The few keys every page request reads (the page cache's generations and page descriptions)
are read through `get_many_current`: each process keeps a copy of what it read, and Redis
tells it, over a connection of its own, of every change to those keys (client-side caching:
CLIENT TRACKING with REDIRECT). A key is read again from Redis only after Redis said it
changed, so a request for a kept page usually costs no round trip, and the copy is never
older than what Redis told. The message is written before the writer's own reply in the same
pass of Redis's loop, and this process's own writes drop its copy at once.

Django's backend also builds a new `redis.Redis` for every operation, filling in a table
of several hundred response handlers (about 150 µs, more than a local Redis takes to
answer): clients are thread-safe and share their pool, so one is kept per pool. And every
key is checked, character by character, against memcached's limits, which Redis has not.
"""

import logging
import os
import re
import threading
import time
from functools import wraps

from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient as DjangoRedisCacheClient
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import RedisError, ResponseError
from redis.exceptions import TimeoutError as RedisTimeoutError

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

    def answered(self) -> None:
        """Note that Redis answered: the outage is over."""
        with self.lock:
            self.failing = False


def _or_miss(answer):
    """Run a cache operation, or give what a miss would (`answer`, called with its arguments) when Redis fails."""

    def decorate(operation):
        @wraps(operation)
        def guarded(self, *args, **kwargs):
            if self._outage.paused():
                return answer(*args, **kwargs)
            try:
                if self._outage.failing:
                    # Emptied before the operation: read first, it would answer with what predates the outage
                    # (a page kept under generations a change made meanwhile could not bump).
                    self._forget_what_was_kept_before()
                    self._outage.answered()
                result = operation(self, *args, **kwargs)
            except (RedisError, OSError) as error:
                self._outage.failed(error)
                return answer(*args, **kwargs)
            return result

        return guarded

    return decorate


INVALIDATIONS = "__redis__:invalidate"
# The copy is emptied when it holds more keys than this (pages of many addresses).
TRACKED_KEYS_KEPT = 10_000


class _TrackedCopy:
    """What this process read of some keys, kept while Redis says nothing of them changed.

    Two connections of its own: `reader` reads with tracking on, and Redis sends what changed
    of the keys it read to `listener`, subscribed to its invalidation channel. Anything odd (a
    connection lost, an unreadable message) empties the copy and starts again."""

    def __init__(self, pool, loads) -> None:
        self.pool = pool
        self.loads = loads
        self.lock = threading.Lock()
        self.values: dict = {}  # what Redis holds under each key, loaded; None: nothing
        self.reader = self.listener = None
        self.pid = 0
        self.trusted = False  # whether both connections are those tracking was set up on

    def get_many(self, keys: list[str]) -> list:
        """The values under `keys` (None where there is none), shared by the callers: they must not change them.

        A connection found lost (Redis restarted, a timeout) is made again once, with an empty copy."""
        with self.lock:
            try:
                try:
                    return self._get_many(keys)
                except (RedisConnectionError, RedisTimeoutError, OSError):
                    self._close()
                    return self._get_many(keys)
            except BaseException:
                self._close()
                raise

    def _get_many(self, keys: list[str]) -> list:
        if self.reader is None or self.pid != os.getpid():  # never read, or forked
            self._connect()
        self._take_invalidations()
        if self.reader.can_read(timeout=0) or not self.trusted:
            # Redis closed the reading connection (an idle timeout, a restart), or redis-py made one of the
            # two again by itself: what was read is no longer tracked, so nothing read before holds.
            self._connect()
        missing = [key for key in keys if key not in self.values]
        if missing:
            self.reader.send_command("MGET", *missing)
            if len(self.values) + len(missing) > TRACKED_KEYS_KEPT:
                self.values.clear()
            found = self.reader.read_response()
            loads = self.loads
            self.values.update(
                (key, None if value is None else loads(value)) for key, value in zip(missing, found, strict=True)
            )
        return [self.values[key] for key in keys]

    def forget(self, keys=None) -> None:
        """This process changed these keys (None: all): its copy of them goes at once."""
        with self.lock:
            if keys is None:
                self.values.clear()
            else:
                for key in keys:
                    self.values.pop(key, None)

    def _connect(self) -> None:
        self._close()
        self.pid = os.getpid()
        # RESP2: the invalidations come as plain Pub/Sub messages on `listener`, never amid `reader`'s replies.
        options = {**self.pool.connection_kwargs, "protocol": 2}
        listener = self.pool.connection_class(**options)
        listener.send_command("CLIENT", "ID")
        listener_id = listener.read_response()
        listener.send_command("SUBSCRIBE", INVALIDATIONS)
        listener.read_response()
        reader = self.pool.connection_class(**options)
        reader.send_command("CLIENT", "TRACKING", "ON", "REDIRECT", listener_id)
        if reader.read_response() not in (b"OK", "OK"):
            raise ResponseError("CLIENT TRACKING was not accepted")
        _empty_if_restarted(reader)
        self.reader, self.listener, self.trusted = reader, listener, True
        for connection in (reader, listener):
            connection.register_connect_callback(self._made_again)

    def _made_again(self, connection) -> None:
        """redis-py connected one of the two again by itself: without tracking, or without the subscription."""
        self.trusted = False

    def _take_invalidations(self) -> None:
        while self.listener.can_read(timeout=0):
            kind, _channel, keys = self.listener.read_response()
            if kind not in (b"message", "message"):
                continue
            if keys is None:  # the database was emptied
                self.values.clear()
            else:
                for key in keys:
                    self.values.pop(key.decode() if isinstance(key, bytes) else key, None)

    def _close(self) -> None:
        self.values.clear()
        self.trusted = False
        for connection in (self.reader, self.listener):
            if connection is not None:
                connection.disconnect()
        self.reader = self.listener = None


# The Redis instance the site's keys were last written to: a Redis restarted since may have reloaded a
# snapshot of them from before (generations older than changes made since), so it is emptied first.
RUN_ID_KEY = "leave-a-reply:redis-run-id"
_RUN_ID = re.compile(rb"^run_id:(\w+)", re.MULTILINE)


def _empty_if_restarted(connection) -> None:
    """Empty the site's Redis database if it was written to by an earlier run of this Redis (its run_id changed):
    restarted, it may have reloaded a snapshot (RDB or AOF) taken before later changes."""
    connection.send_command("INFO", "server")
    try:
        info = connection.read_response()
    except ResponseError as error:  # an ACL that forbids INFO: the copy is still kept, without this check
        logger.warning("Redis does not say whether it restarted (%s): a reloaded snapshot is not emptied.", error)
        return
    found = _RUN_ID.search(info if isinstance(info, bytes) else info.encode())
    if found is None:
        return
    run_id = found.group(1)
    connection.send_command("GET", RUN_ID_KEY)
    seen = connection.read_response()
    if seen == run_id:
        return
    if seen is not None:  # None: a Redis that started empty, or the site's first use of it
        connection.send_command("FLUSHDB")
        connection.read_response()
        logger.warning("Redis restarted since it was last used: emptied, as what it reloaded may predate changes.")
    connection.send_command("SET", RUN_ID_KEY, run_id)
    connection.read_response()


class RedisCacheClient(DjangoRedisCacheClient):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._clients = {}
        self._outage = _Outage()
        self._tracked: _TrackedCopy | None = None
        self._tracking_refused = False

    def get_client(self, key=None, *, write=False):
        index = self._get_connection_pool_index(write)
        if index not in self._clients:
            self._clients[index] = self._client(connection_pool=self._get_connection_pool(write))
        return self._clients[index]

    def _forget_what_was_kept_before(self) -> None:
        """Empty Redis after an outage; raises if it still does not answer."""
        self._forget(None)
        super().clear()
        self._note_run_id()
        logger.warning("Redis answers again: emptied, since what it kept predates the outage.")

    def _note_run_id(self) -> None:
        """After emptying the database: which run of Redis holds the site's keys now (FLUSHDB took RUN_ID_KEY too),
        so that the next restart with an old snapshot is still found out (_empty_if_restarted)."""
        client = self.get_client(write=True)
        client.set(RUN_ID_KEY, client.info("server")["run_id"])

    def _forget(self, keys) -> None:
        if self._tracked is not None:
            self._tracked.forget(keys)

    @_or_miss(lambda keys: {})
    def get_many_current(self, keys):
        """As get_many, from this process's copy of keys Redis has not said changed since they were read.

        The values are shared with the next callers: read them, never change them."""
        if self._tracking_refused:
            return super().get_many(keys)
        if self._tracked is None:
            self._tracked = _TrackedCopy(self._get_connection_pool(write=False), self._serializer.loads)
        keys = list(keys)
        try:
            values = self._tracked.get_many(keys)
        except ResponseError as error:
            # A Redis older than 6, or one whose ACL forbids CLIENT or SUBSCRIBE: every read asks Redis.
            self._tracking_refused = True
            logger.warning("Redis refuses client tracking (%s): each page request reads it.", error)
            return super().get_many(keys)
        return {key: value for key, value in zip(keys, values, strict=True) if value is not None}

    # As if added: what adds a key to take a lock (allauth's rate limits) goes on.
    @_or_miss(lambda key, value, timeout: True)
    def add(self, key, value, timeout):
        result = super().add(key, value, timeout)
        self._forget([key])
        return result

    @_or_miss(lambda key, default: default)
    def get(self, key, default):
        return super().get(key, default)

    @_or_miss(lambda key, value, timeout: None)
    def set(self, key, value, timeout):
        result = super().set(key, value, timeout)
        self._forget([key])
        return result

    @_or_miss(lambda key, timeout: False)
    def touch(self, key, timeout):
        return super().touch(key, timeout)

    @_or_miss(lambda key: False)
    def delete(self, key):
        result = super().delete(key)
        self._forget([key])
        return result

    @_or_miss(lambda key, delta: delta)
    def incr(self, key, delta):
        result = super().incr(key, delta)
        self._forget([key])
        return result

    @_or_miss(lambda keys: {})
    def get_many(self, keys):
        return super().get_many(keys)

    @_or_miss(lambda key: False)
    def has_key(self, key):
        return super().has_key(key)

    @_or_miss(lambda data, timeout: list(data))
    def set_many(self, data, timeout):
        result = super().set_many(data, timeout)
        self._forget(list(data))
        return result

    @_or_miss(lambda: False)
    def clear(self):
        result = super().clear()
        self._forget(None)
        self._note_run_id()
        return result

    @_or_miss(lambda keys: None)
    def delete_many(self, keys):
        result = super().delete_many(keys)
        self._forget(keys)
        return result


class RedisCache(DjangoRedisCache):
    def __init__(self, server, params) -> None:
        super().__init__(server, params)
        self._class = RedisCacheClient

    def get_many_current(self, keys, version=None):
        """The values under `keys`, from this process's copy where Redis has not said they changed (see above)."""
        made = {self.make_key(key, version=version): key for key in keys}
        return {made[key]: value for key, value in self._cache.get_many_current(list(made)).items()}

    def validate_key(self, key: str) -> None:
        """Redis takes any key; memcached's limits (250 characters, no spaces) are not checked."""
