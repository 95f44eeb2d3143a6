"""Django's Redis cache, with one Redis client per connection pool instead of one per call.

Django's backend builds a new `redis.Redis` for every cache operation, and each one
fills in a table of several hundred response handlers: about 150 µs a call, more than
the call itself takes on a local Redis. A page served from the shared cache makes
three calls. Clients are thread-safe and share their pool, so one is kept per pool.
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
