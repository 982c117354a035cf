"""The Celery tasks' own logic: retries keep the claim, stale articles are re-queued."""
from __future__ import annotations

import time
from datetime import timedelta

import pytest
from django.utils import timezone

from ingest import tasks
from ingest.jobs import add_text, add_url, enqueue_articles, start_job
from ingest.models import IngestJob
from timeline.models import Article

pytestmark = pytest.mark.django_db


def test_a_timeout_is_retried_with_the_same_claim_then_fails_with_the_reason(http_server, settings):
    settings.FETCH_TIMEOUT = 0.2
    http_server.add("/slow", lambda handler: time.sleep(0.6))
    item = add_url(start_job(IngestJob.Origin.COMMAND), http_server.url("/slow"))
    # apply() runs the task here, retries included (their countdown is not waited for).
    tasks.process_article.apply(args=(item.article_id,))
    article = Article.objects.get(pk=item.article_id)
    assert article.status == "failed"
    assert article.error.startswith("gave up after a transient error:")
    assert "did not answer within 0.2 s" in article.error
    assert article.attempts == 1  # every retry re-took its own claim, no new claim
    assert len(http_server.requests) == tasks.MAX_RETRIES + 1


def test_stale_and_lost_articles_are_requeued_and_fresh_ones_left_alone(settings):
    settings.STALE_PROCESSING_SECONDS = 60
    job = start_job(IngestJob.Origin.COMMAND)
    old = timezone.now() - timedelta(minutes=5)
    stale, lost, fresh, done = (
        add_text(job, f"Article {n}: troops shelled a village on Monday.").article_id
        for n in range(4)
    )
    Article.objects.filter(pk=stale).update(status="processing", claimed_at=old)
    Article.objects.filter(pk=lost).update(updated_at=old)
    Article.objects.filter(pk=fresh).update(status="processing", claimed_at=timezone.now())
    Article.objects.filter(pk=done).update(status="done", updated_at=old)
    assert sorted(tasks.requeue_stale_articles()) == sorted([stale, lost])
    assert Article.objects.get(pk=stale).status == "queued"
    assert Article.objects.get(pk=fresh).status == "processing"
    assert tasks.requeue_stale_articles() == []


def test_backoff_grows_and_is_capped():
    assert 0.5 <= tasks.backoff(0) <= 1
    assert 4 <= tasks.backoff(3) <= 8
    assert 30 <= tasks.backoff(12) <= 60


def test_a_batch_is_sent_in_chunks_of_the_configured_size(
    settings, monkeypatch, django_capture_on_commit_callbacks
):
    settings.INGEST_CHUNK_SIZE = 2
    sent = []
    monkeypatch.setattr(tasks.process_articles, "delay", sent.append)
    with django_capture_on_commit_callbacks(execute=True):
        enqueue_articles([5, 6, 7, 8, 9])
    assert sent == [[5, 6], [7, 8], [9]]


def test_a_chunk_processes_each_of_its_articles_once():
    job = start_job(IngestJob.Origin.COMMAND)
    ids = [
        add_text(job, f"KYIV, June 4 - Report {n}: troops shelled the village of Zarichne on Monday.").article_id
        for n in range(3)
    ]
    assert tasks.process_articles.apply(args=(ids,)).get() == 3
    assert set(Article.objects.filter(pk__in=ids).values_list("status", flat=True)) == {"done"}
    attempts = list(Article.objects.filter(pk__in=ids).values_list("attempts", flat=True))
    # A redelivered chunk (its worker died) adds nothing: every article is taken already.
    tasks.process_articles.apply(args=(ids,))
    assert list(Article.objects.filter(pk__in=ids).values_list("attempts", flat=True)) == attempts


def test_a_chunk_past_its_time_budget_sends_the_rest_on(monkeypatch):
    from celery import current_app

    job = start_job(IngestJob.Origin.COMMAND)
    ids = [
        add_text(job, f"KYIV, June 4 - Report {n}: troops shelled the village of Zarichne on Monday.").article_id
        for n in range(3)
    ]
    monkeypatch.setattr(tasks, "CHUNK_BUDGET_SECONDS", -1)
    # The rest is sent as a new task; run sent tasks here, as a worker would.
    eager = current_app.conf.task_always_eager
    current_app.conf.task_always_eager = True
    try:
        assert tasks.process_articles.apply(args=(ids,)).get() == 1  # one article, then on
    finally:
        current_app.conf.task_always_eager = eager
    assert set(Article.objects.filter(pk__in=ids).values_list("status", flat=True)) == {"done"}


def test_a_chunk_whose_transaction_deadlocked_is_sent_again_whole_with_its_claim(monkeypatch):
    from django.db import OperationalError

    from ingest import pipeline

    job = start_job(IngestJob.Origin.COMMAND)
    ids = [
        add_text(job, f"KYIV, June 4 - Report {n}: troops shelled the village of Zarichne on Monday.").article_id
        for n in range(3)
    ]
    record, calls = pipeline.record_articles, []

    def deadlock_once(articles, *args, **kwargs):
        calls.append(sorted(a.pk for a in articles))
        if len(calls) == 1:
            raise OperationalError("deadlock detected")
        return record(articles, *args, **kwargs)

    monkeypatch.setattr(pipeline, "record_articles", deadlock_once)
    # apply() runs the task here, its retry included (the countdown is not waited for).
    tasks.process_articles.apply(args=(ids,))
    assert calls == [sorted(ids), sorted(ids)]  # the same chunk again, not one by one
    articles = Article.objects.filter(pk__in=ids)
    assert {a.status for a in articles} == {"done"}
    assert {a.attempts for a in articles} == {1}  # the retry re-took its own claim
