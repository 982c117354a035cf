"""Rate limits for anonymous clients."""
from __future__ import annotations

from rest_framework import throttling
from rest_framework.settings import api_settings

# A window's counter outlives its window by this much, so it never expires while counted.
COUNTER_GRACE_SECONDS = 60


class AnonRateThrottle(throttling.AnonRateThrottle):
    """DRF's anonymous throttle, counting requests per fixed window of the rate's period.

    DRF's own keeps the time of every request of the period in one cached list, read and
    written whole by each request: at a high rate the list holds thousands of entries,
    pickled both ways every time. A counter per client and window costs the same at any
    rate (a cache increment); the price is that a client may send up to twice the rate
    across the edge of two windows.

    The rate is read at request time: DRF copies DEFAULT_THROTTLE_RATES into a class
    attribute at import, so a changed setting (a deployment's reload, a test's
    override_settings) would be ignored.
    """

    def get_rate(self) -> str | None:
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)

    def allow_request(self, request, view) -> bool:
        if self.rate is None:
            return True
        self.key = self.get_cache_key(request, view)
        if self.key is None:  # not anonymous
            return True
        self.now = self.timer()
        window = int(self.now // self.duration)
        self.window_end = (window + 1) * self.duration
        counter = f"{self.key}:{window}"
        try:
            count = self.cache.incr(counter)
        except ValueError:  # the window's first request
            if self.cache.add(counter, 1, self.duration + COUNTER_GRACE_SECONDS):
                count = 1
            else:  # another process's first request came in between
                count = self.cache.incr(counter)
        return count <= self.num_requests

    def wait(self) -> float:
        """Seconds until the window ends (Retry-After)."""
        return self.window_end - self.now
