"""The generation counter moves once per committed change; cached answers follow it."""
from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest
from django.core.cache import caches
from django.db import connection, transaction

from tests.factories import make_article, make_event
from timeline import caching
from timeline.models import Actor, Event


def counting_build(built: list) -> Callable[[], str]:
    """A build function that counts its calls in `built` and answers with the count."""

    def build() -> str:
        built.append(1)
        return f"answer {len(built)}"

    return build


@pytest.mark.django_db(transaction=True)
def test_a_committed_transaction_moves_the_generation_once():
    before = caching.generation()
    with transaction.atomic():
        event = make_event(date_start=date(2025, 6, 1))
        event.title = "changed"
        event.save()
        Actor.objects.create(name="Someone")
    assert caching.generation() == before + 1


@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_transaction_leaves_it():
    before = caching.generation()
    with pytest.raises(RuntimeError), transaction.atomic():
        make_event(date_start=date(2025, 6, 1))
        raise RuntimeError
    assert caching.generation() == before


@pytest.mark.django_db(transaction=True)
def test_bulk_writes_deletes_and_truncate_move_it():
    make_event(date_start=date(2025, 6, 1))
    steps = [
        lambda: Event.objects.update(title="bulk"),
        lambda: Event.objects.all().delete(),
        lambda: make_article(),
        lambda: connection.cursor().execute("TRUNCATE timeline_article CASCADE"),
    ]
    for step in steps:
        before = caching.generation()
        step()
        assert caching.generation() > before


@pytest.mark.django_db(transaction=True)
def test_cached_builds_once_per_generation(settings):
    settings.RENDER_CACHE_SECONDS = 60
    built = []
    build = counting_build(built)
    assert caching.cached("t", ["a"], build) == "answer 1"
    assert caching.cached("t", ["a"], build) == "answer 1"
    assert caching.cached("t", ["b"], build) == "answer 2"
    make_event(date_start=date(2025, 6, 1))
    assert caching.cached("t", ["a"], build) == "answer 3"


def test_inside_a_test_transaction_changes_move_it_too(db):
    # The autouse fixture in tests/conftest.py makes the trigger run per statement here.
    before = caching.generation()
    make_event(date_start=date(2025, 6, 1))
    assert caching.generation() > before


@pytest.mark.django_db(transaction=True)
def test_zero_seconds_turns_the_cache_off(settings):
    settings.RENDER_CACHE_SECONDS = 0
    built = []
    caching.cached("t", ["a"], lambda: built.append(1))
    caching.cached("t", ["a"], lambda: built.append(1))
    assert len(built) == 2


@pytest.mark.django_db(transaction=True)
def test_a_local_copy_answers_without_the_shared_cache(settings, local_copies):
    built = []
    assert caching.cached("t", ["a"], counting_build(built)) == "answer 1"
    caches[settings.RENDER_CACHE_ALIAS].clear()
    assert caching.cached("t", ["a"], counting_build(built)) == "answer 1"
    assert len(built) == 1
    assert len(local_copies) == 1


@pytest.mark.django_db(transaction=True)
def test_a_shared_answer_is_copied_locally_on_its_first_read(settings, local_copies):
    key = caching.cache_key("t", ["a"], caching.generation())
    caches[settings.RENDER_CACHE_ALIAS].set(key, "from another process", 60)
    assert caching.stored(key, lambda: "built here") == "from another process"
    assert local_copies.get(key) == "from another process"


@pytest.mark.django_db(transaction=True)
def test_a_new_generation_is_never_answered_from_the_local_copy(local_copies):
    built = []
    assert caching.cached("t", ["a"], counting_build(built)) == "answer 1"
    make_event(date_start=date(2025, 6, 1))  # commits: the generation moves
    assert caching.cached("t", ["a"], counting_build(built)) == "answer 2"
    assert caching.cached("t", ["a"], counting_build(built)) == "answer 2"
    assert len(built) == 2


@pytest.mark.django_db(transaction=True)
def test_an_answer_keep_refuses_is_kept_nowhere(settings, local_copies):
    built = []
    for _ in range(2):
        caching.cached("t", ["a"], counting_build(built), keep=lambda value: False)
    assert len(built) == 2
    assert len(local_copies) == 0


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    ("seconds", "local_bytes", "builds"),
    [(0, 1_000_000, 2), (60, 0, 1)],
    ids=["render cache off: built each time", "no local bytes: the shared cache only"],
)
def test_nothing_is_copied_locally_with_the_cache_off_or_no_local_bytes(
    settings, local_copies, seconds, local_bytes, builds
):
    settings.RENDER_CACHE_SECONDS = seconds
    settings.RENDER_LOCAL_CACHE_BYTES = local_bytes
    built = []
    for _ in range(2):
        caching.cached("t", ["a"], counting_build(built))
    assert len(built) == builds
    assert len(local_copies) == 0


def test_local_copies_drop_the_least_recently_used_beyond_the_limit():
    copies = caching.LocalCopies()
    value = b"x" * 400
    copies.put("a", value, limit=1000, timeout=60)
    copies.put("b", value, limit=1000, timeout=60)
    assert copies.get("a") == value  # "a" is now the most recently used
    copies.put("c", value, limit=1000, timeout=60)
    assert (copies.get("a"), copies.get("b"), copies.get("c")) == (value, None, value)
    assert len(copies) == 2
    assert 800 < copies.size <= 1000


def test_a_value_larger_than_the_limit_is_not_copied_and_replaces_nothing():
    copies = caching.LocalCopies()
    copies.put("a", b"small", limit=1000, timeout=60)
    copies.put("big", b"x" * 2000, limit=1000, timeout=60)
    copies.put("a", b"x" * 2000, limit=1000, timeout=60)
    assert (copies.get("big"), copies.get("a"), len(copies), copies.size) == (None, None, 0, 0)


def test_a_lower_limit_drops_copies_at_the_next_put():
    copies = caching.LocalCopies()
    for key in "abcd":
        copies.put(key, b"x" * 100, limit=1000, timeout=60)
    copies.put("e", b"x" * 100, limit=250, timeout=60)
    assert [key for key in "abcde" if copies.get(key) is not None] == ["d", "e"]


def test_a_local_copy_expires_with_the_shared_cache_timeout(monkeypatch):
    copies = caching.LocalCopies()
    now = 1000.0
    monkeypatch.setattr(caching.time, "monotonic", lambda: now)
    copies.put("a", b"answer", limit=1000, timeout=60)
    now = 1059.0
    assert copies.get("a") == b"answer"
    now = 1060.0
    assert copies.get("a") is None
    assert (len(copies), copies.size) == (0, 0)
