"""Django's Redis cache, with one redis.Redis client per connection pool.

Django's client builds a new redis.Redis for every cache operation, and its __init__ fills
a table of ~170 response callbacks (about 0.1 ms of CPU); a warm API answer makes three
such operations (the throttle's read and write, the answer's read). A redis.Redis is only a
thread-safe handle on its pool, so one per pool serves every operation.
"""
from __future__ import annotations

from django.core.cache.backends import redis


class RedisCacheClient(redis.RedisCacheClient):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # By pool: Django keeps one pool per server for the cache's life.
        self._clients: dict[int, object] = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class RedisCache(redis.RedisCache):
    def __init__(self, server, params) -> None:
        super().__init__(server, params)
        self._class = RedisCacheClient
