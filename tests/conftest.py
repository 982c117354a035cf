"""Fixtures shared by the whole suite."""
from __future__ import annotations

import pytest
from django.conf import settings
from django.core.cache import caches

from timeline import caching
from timeline.roles import ensure_editors_group


@pytest.fixture(autouse=True)
def _empty_render_cache():
    """Rendered pages and API answers are kept under the generation counter
    (timeline.caching); a rolled-back test takes the counter back with it, so the next test
    could find answers rendered for other data under the same value. The API's anonymous
    throttle counts requests in the same cache. Each test starts with an empty cache (and
    no local copies of its answers).
    """
    caches[settings.RENDER_CACHE_ALIAS].clear()
    caching.local_copies.clear()
    yield
    caches[settings.RENDER_CACHE_ALIAS].clear()
    caching.local_copies.clear()


@pytest.fixture
def local_copies(settings):
    """The render cache on, with this process's first level of 1 MB in front of it."""
    settings.RENDER_CACHE_SECONDS = 60
    settings.RENDER_LOCAL_CACHE_BYTES = 1_000_000
    return caching.local_copies


@pytest.fixture(autouse=True)
def _generation_moves_inside_test_transactions(request):
    """TestCase-style tests roll back instead of committing, so the deferred trigger that
    moves the timeline's generation (timeline.caching) would never run in them: there it
    runs after each statement instead. Transactional tests commit and need nothing.
    """
    marker = request.node.get_closest_marker("django_db")
    if marker is None and "db" not in request.fixturenames:
        return
    if (
        "transactional_db" in request.fixturenames
        or "live_server" in request.fixturenames
        or (marker is not None and (marker.kwargs.get("transaction") or marker.kwargs.get("reset_sequences")))
    ):
        return
    request.getfixturevalue("_django_db_helper")
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS timeline_generation IMMEDIATE")


@pytest.fixture
def editor(db, django_user_model, settings):
    """A staff user in the Editors group, with exactly the permissions setup_roles gives it."""
    # PBKDF2 is slow on purpose (over a second per password on a busy machine); the
    # password still works for the admin login form in the browser tests.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    user = django_user_model.objects.create_user("editor", password="editor-pass-123", is_staff=True)
    # The data migration made the group, but a transactional test's flush may have removed it.
    user.groups.add(ensure_editors_group())
    return user


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client
