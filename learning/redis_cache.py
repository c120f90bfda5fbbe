"""Django's Redis cache backend, reusing one Redis client per connection pool.

Django's ``RedisCacheClient.get_client`` builds a new ``redis.Redis`` object for every cache operation
(the pool is shared, but each client object sets up its ~170 response callbacks): about 0.5 ms of Python
per ``cache.get`` on the benchmark machine, several times the round trip to Redis itself. A signed-in
page view makes several cache reads (session, page-cache version, route, outline, lesson body,
navigation), so the client is built once per pool and reused. ``redis.Redis`` is thread-safe (each
command checks a connection out of the pool), and every process builds its own after fork.
"""

from __future__ import annotations

from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient as DjangoRedisCacheClient


class RedisCacheClient(DjangoRedisCacheClient):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._clients: dict[int, object] = {}  # id of the pool (kept for the process's life) → client

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients.setdefault(id(pool), self._client(connection_pool=pool))
        return client


class RedisCache(DjangoRedisCache):
    def __init__(self, server, params) -> None:
        super().__init__(server, params)
        self._class = RedisCacheClient
