"""Two workers recording reports of one event at the same time make one event (lock_days)."""
from __future__ import annotations

import threading

import pytest
from django.db import connection

from ingest import pipeline
from ingest.jobs import add_text, start_job
from ingest.models import IngestJob
from tests.ingest.test_pipeline import REPORT, SAME_EVENT_ELSEWHERE
from timeline.models import Event

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("dictionary")]


def test_two_workers_recording_one_attack_at_once_make_one_event(monkeypatch):
    job = start_job(IngestJob.Origin.COMMAND)
    ids = [add_text(job, text, source_name=f"r{n}").article_id
           for n, text in enumerate([REPORT, SAME_EVENT_ELSEWHERE])]
    # Each worker, having read its merge candidates, waits (up to a second) for the other
    # to have read its own before either records: the interleaving that, unlocked, makes
    # both create the attack. Locked, the second cannot read before the first commits.
    both_read = threading.Barrier(2, timeout=1.0)
    merge_readings = pipeline.merge_readings

    def merge_then_wait(readings):
        merged = merge_readings(readings)
        try:
            both_read.wait()
        except threading.BrokenBarrierError:
            pass
        return merged

    monkeypatch.setattr(pipeline, "merge_readings", merge_then_wait)
    outcomes = {}

    def worker(article_id):
        try:
            outcomes.update(pipeline.process_articles([article_id]))
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(pk,)) for pk in ids]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert [outcomes[pk].status for pk in ids] == ["done", "done"]
    attacks = Event.objects.filter(evidence__quote__contains="El Fasher", event_type="ASSAULT")
    assert attacks.distinct().count() == 1
    assert set(attacks.values_list("evidence__article_id", flat=True)) == set(ids)
