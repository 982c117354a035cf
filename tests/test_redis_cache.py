"""The Redis cache backend reuses one client per connection pool (config.redis_cache)."""
from __future__ import annotations

from django.core.cache.backends.redis import RedisCache as DjangoRedisCache

from config.redis_cache import RedisCache


def test_one_client_serves_every_operation_on_a_pool():
    # Clients connect lazily: no server is needed to see which client an operation gets.
    cache = RedisCache("redis://127.0.0.1:1/0", {})
    client = cache._cache.get_client("a")
    assert cache._cache.get_client("b") is client
    assert cache._cache.get_client("c", write=True) is client  # one server: one pool
    assert client.connection_pool is cache._cache._get_connection_pool(write=False)


def test_a_cache_with_a_replica_reads_and_writes_through_their_own_pools():
    cache = RedisCache("redis://127.0.0.1:1/0,redis://127.0.0.1:2/0", {})
    writer = cache._cache.get_client(write=True)
    reader = cache._cache.get_client()
    assert writer is not reader
    assert writer.connection_pool.connection_kwargs["port"] == 1
    assert reader.connection_pool.connection_kwargs["port"] == 2
    assert cache._cache.get_client() is reader


def test_djangos_own_client_builds_a_new_one_each_time():
    """What the subclass is for (if Django starts reusing clients, it can go)."""
    cache = DjangoRedisCache("redis://127.0.0.1:1/0", {})
    assert cache._cache.get_client() is not cache._cache.get_client()
