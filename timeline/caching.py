"""Rendered answers kept under the timeline's generation: exact, with no invalidation code.

Every committed transaction that touches what the timeline shows moves a counter in the
database (migration 0007: a deferred trigger on the timeline's tables). A cached page or
API answer is stored under the counter's value, read with one primary-key lookup per
request, so the first request after any change renders afresh and the others are served
from the cache. The cache itself (Django's CACHES) may be per process or shared: the
counter lives in Postgres, so every process agrees on what is current.

In front of a shared cache, each process keeps its own copies of the answers it served
last (LocalCopies, RENDER_LOCAL_CACHE_BYTES): since keys carry the generation, a copy is
exact for as long as it is kept, and a hit costs no network read.
"""
from __future__ import annotations

import hashlib
import pickle
import threading
import time
from collections import OrderedDict
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
    refuses it (a page rendered with something of one user's own).

    This process's copy first (local_copies), then the shared cache. Callers must not
    change the value they get: a local copy is the same object for every request.
    """
    timeout = settings.RENDER_CACHE_SECONDS
    if timeout <= 0:
        return build()
    limit = settings.RENDER_LOCAL_CACHE_BYTES
    if limit > 0:
        value = local_copies.get(key)
        if value is not None:
            return value
    store = caches[settings.RENDER_CACHE_ALIAS]
    value = store.get(key)
    if value is None:
        value = build()
        if keep is not None and not keep(value):
            return value
        store.set(key, value, timeout)
    if limit > 0:
        local_copies.put(key, value, limit, timeout)
    return value


class LocalCopies:
    """The values this process served most recently, up to a number of bytes (LRU).

    A first level in front of a shared render cache: a hit is a dictionary lookup instead
    of a network round trip and an unpickling (about 0.3 ms of CPU for an API page from
    Redis). Nothing is ever invalidated here and nothing needs to be: the keys carry the
    generation, so a change makes the next request ask for a key no process holds yet,
    and the copies of older generations age out as newer ones are put. Only a generation
    counter that goes back (a restored database; a rolled-back test) would meet old
    copies: clear() them then, as the shared cache is cleared. Uncleared, a copy is
    dropped RENDER_CACHE_SECONDS after this process got it (the shared cache's lifetime
    for a value), so it outlives no more than one such lifetime of the shared value.
    """

    def __init__(self) -> None:
        # key: (value, its size, when it expires on time.monotonic()'s clock)
        self._values: OrderedDict[str, tuple[object, int, float]] = OrderedDict()
        self.size = 0  # bytes held: the sum of the values' pickled sizes
        # Threaded servers (runserver, gunicorn's gthread) share one instance per process.
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._values)

    def get(self, key: str) -> object | None:
        with self._lock:
            entry = self._values.get(key)
            if entry is None:
                return None
            if entry[2] <= time.monotonic():
                self._drop(key)
                return None
            self._values.move_to_end(key)
            return entry[0]

    def put(self, key: str, value: object, limit: int, timeout: float) -> None:
        """Keep `value` for `timeout` seconds, dropping the least recently used copies
        until at most `limit` bytes are held; a value larger than `limit` is not kept."""
        # The pickled size is what the shared cache holds too: bytes and strings count
        # their length, a tuple of them the sum, plus a few bytes of framing.
        size = len(pickle.dumps(value, pickle.HIGHEST_PROTOCOL))
        with self._lock:
            self._drop(key)
            if size > limit:
                return
            self._values[key] = (value, size, time.monotonic() + timeout)
            self.size += size
            while self.size > limit:
                self._drop(next(iter(self._values)))

    def clear(self) -> None:
        with self._lock:
            self._values.clear()
            self.size = 0

    def _drop(self, key: str) -> None:
        entry = self._values.pop(key, None)
        if entry is not None:
            self.size -= entry[1]


local_copies = LocalCopies()
