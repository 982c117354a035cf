"""Two workers recording the same news at once, in real transactions on two connections:
the second waits for the first to commit the days where both create an event, then joins
the first one's event instead of making it again (extracting.settle_new_events)."""
from __future__ import annotations

import threading
import time
from datetime import date

import pytest
from django.db import connection, connections

from ingest import pipeline
from ingest.jobs import add_text, start_job
from ingest.models import IngestJob
from tests.ingest.test_pipeline import REPORT, SAME_EVENT_ELSEWHERE
from timeline.models import Event

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("dictionary")]


def _waiting_on_an_advisory_lock() -> bool:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted"
        )
        return cursor.fetchone()[0] > 0


def _in_thread(target, *args) -> tuple[threading.Thread, list]:
    errors: list = []

    def run():
        try:
            target(*args)
        except BaseException as exc:  # reported by the test
            errors.append(exc)
        finally:
            connections.close_all()

    thread = threading.Thread(target=run)
    thread.start()
    return thread, errors


def test_a_worker_waits_for_the_other_on_the_days_both_create_and_joins_its_event(monkeypatch):
    job = start_job(IngestJob.Origin.COMMAND)
    first = add_text(job, REPORT).article_id
    second = add_text(job, SAME_EVENT_ELSEWHERE).article_id
    written, release = threading.Event(), threading.Event()
    real_record = pipeline.record_articles

    def record_then_hold(articles, *args, **kwargs):
        # The first worker's evidence is written, not committed: it holds its locks.
        result = real_record(articles, *args, **kwargs)
        if any(article.pk == first for article in articles):
            written.set()
            assert release.wait(30)
        return result

    monkeypatch.setattr(pipeline, "record_articles", record_then_hold)
    holder, holder_errors = _in_thread(pipeline.process_article, first)
    assert written.wait(30)
    # The second worker reads no candidate (the first one's event is not committed), merges,
    # and must then wait for the first one's commit.
    waiter, waiter_errors = _in_thread(pipeline.process_article, second)
    deadline = time.monotonic() + 20
    while not _waiting_on_an_advisory_lock():
        assert time.monotonic() < deadline, "the second worker did not wait for the first"
        assert waiter.is_alive(), "the second worker finished without waiting"
        time.sleep(0.05)
    release.set()
    holder.join(30)
    waiter.join(30)

    assert not holder_errors and not waiter_errors, holder_errors + waiter_errors
    attack = Event.objects.get(event_type="ASSAULT", date_start=date(2025, 5, 12))
    assert set(attack.evidence.values_list("article_id", flat=True)) == {first, second}
