"""Django's Redis cache, without two costs that a page served from the cache pays on every request.

Django's backend builds a new `redis.Redis` for every cache operation, and each one
fills in a table of several hundred response handlers: about 150 µs a call, more than
the call itself takes on a local Redis. Clients are thread-safe and share their pool,
so one is kept per pool. And every key is checked, character by character, against
memcached's limits, which do not apply to Redis.
"""

from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient as DjangoRedisCacheClient


class RedisCacheClient(DjangoRedisCacheClient):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        index = self._get_connection_pool_index(write)
        if index not in self._clients:
            self._clients[index] = self._client(connection_pool=self._get_connection_pool(write))
        return self._clients[index]


class RedisCache(DjangoRedisCache):
    def __init__(self, server, params) -> None:
        super().__init__(server, params)
        self._class = RedisCacheClient

    def validate_key(self, key: str) -> None:
        """Redis takes any key; memcached's limits (250 characters, no spaces) are not checked."""
