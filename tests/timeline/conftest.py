"""Fixtures of the timeline's tests."""
from __future__ import annotations

import pytest
from django.conf import settings
from django.core.cache import caches


@pytest.fixture(autouse=True)
def _empty_render_cache():
    """Rendered pages are kept under the generation counter (timeline.caching); a rolled-back
    test takes the counter back with it, so the next test could find pages rendered for
    other data under the same value. Each test starts with an empty cache."""
    caches[settings.RENDER_CACHE_ALIAS].clear()
    yield
    caches[settings.RENDER_CACHE_ALIAS].clear()
