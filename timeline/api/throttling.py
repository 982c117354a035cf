"""Rate limits for anonymous clients."""
from __future__ import annotations

from rest_framework import throttling
from rest_framework.settings import api_settings


class AnonRateThrottle(throttling.AnonRateThrottle):
    """DRF's anonymous throttle, reading its rate at request time.

    DRF copies DEFAULT_THROTTLE_RATES into a class attribute at import, so a changed
    setting (a deployment's reload, a test's override_settings) would be ignored.
    """

    def get_rate(self) -> str | None:
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)
