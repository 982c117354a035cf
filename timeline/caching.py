"""Rendered answers kept under the timeline's generation: exact, with no invalidation code.

Every committed transaction that touches what the timeline shows moves a counter in the
database (migration 0007: a deferred trigger on the timeline's tables). A cached page or
API answer is stored under the counter's value, read with one primary-key lookup per
request, so the first request after any change renders afresh and the others are served
from the cache. The cache itself (Django's CACHES) may be per process or shared: the
counter lives in Postgres, so every process agrees on what is current.
"""
from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable

from django.conf import settings
from django.core.cache import caches
from django.db import connection

GENERATION_SQL = "SELECT value FROM timeline_generation WHERE id = 1"


def generation() -> int:
    """The counter's committed value (this transaction's own writes count once it commits)."""
    with connection.cursor() as cursor:
        cursor.execute(GENERATION_SQL)
        row = cursor.fetchone()
    return row[0] if row else 0


def cache_key(namespace: str, parts: Iterable[str], generation_value: int) -> str:
    digest = hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:40]
    return f"timeline:{namespace}:{generation_value}:{digest}"


def cached(
    namespace: str, parts: Iterable[str], build: Callable[[], object],
    keep: Callable[[object], bool] | None = None,
) -> object:
    """`build()`'s value for these parts at the current generation, built at most once.

    With RENDER_CACHE_SECONDS = 0 nothing is stored (nor the generation read) and `build()`
    runs every time. Values must pickle (bytes, str, tuples of them...). The generation is
    read before the data: a value built while a change commits is stored under the older
    generation, which that change has just made stale.
    """
    if settings.RENDER_CACHE_SECONDS <= 0:
        return build()
    return stored(cache_key(namespace, parts, generation()), build, keep)


def stored(
    key: str, build: Callable[[], object], keep: Callable[[object], bool] | None = None
) -> object:
    """The value kept under `key` (from cache_key), else `build()`'s, kept unless `keep`
    refuses it (a page rendered with something of one user's own)."""
    timeout = settings.RENDER_CACHE_SECONDS
    if timeout <= 0:
        return build()
    store = caches[settings.RENDER_CACHE_ALIAS]
    value = store.get(key)
    if value is None:
        value = build()
        if keep is None or keep(value):
            store.set(key, value, timeout)
    return value
