"""The generation counter moves once per committed change; cached answers follow it."""
from __future__ import annotations

from datetime import date

import pytest
from django.db import connection, transaction

from tests.factories import make_article, make_event
from timeline import caching
from timeline.models import Actor, Event


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

    def build():
        built.append(1)
        return f"answer {len(built)}"

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
