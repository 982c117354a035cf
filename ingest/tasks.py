"""Thin Celery tasks: each takes an id and calls a plain function of the pipeline."""
from __future__ import annotations

import logging
import random
import time
from datetime import datetime

from celery import shared_task
from django.conf import settings
from django.db import InterfaceError, OperationalError, connection
from django.db.models import Q
from django.utils import timezone

from ingest import pipeline
from ingest.jobs import enqueue_articles
from timeline.models import Article

logger = logging.getLogger(__name__)

DB_ERRORS = (OperationalError, InterfaceError)
MAX_RETRIES = 8


def backoff(retries: int) -> float:
    """Seconds before retry number `retries` + 1: exponential, capped, with jitter."""
    return min(2**retries, 60) * (0.5 + random.random() / 2)


def _drop_connection() -> None:
    """After "server closed the connection" the next query must open a new one (a
    deadlock or a serialization failure leaves the connection as good as it was)."""
    try:
        if connection.connection is not None and not connection.is_usable():
            connection.close()
    except DB_ERRORS:
        pass


@shared_task(bind=True, acks_late=True, max_retries=MAX_RETRIES, ignore_result=True)
def process_article(self, article_id: int, owned_claim: str | None = None) -> str:
    """Run one article through the pipeline; retry only on transient errors."""
    claimed = datetime.fromisoformat(owned_claim) if owned_claim else None
    can_retry = self.request.retries < self.max_retries
    try:
        outcome = pipeline.process_article(
            article_id, owned_claim=claimed, retry_transient=can_retry
        )
    except pipeline.RetryLater as exc:
        if isinstance(exc.cause, DB_ERRORS):
            _drop_connection()
        claim = exc.claimed_at.isoformat() if exc.claimed_at else owned_claim
        logger.warning("article %s: transient error, retrying: %s", article_id, exc)
        raise self.retry(
            args=(article_id,), kwargs={"owned_claim": claim},
            countdown=backoff(self.request.retries),
        ) from None
    except DB_ERRORS as exc:
        # The database went away before (or while) claiming: try again with what we had.
        _drop_connection()
        if not can_retry:
            raise
        logger.warning("article %s: database unavailable, retrying: %s", article_id, exc)
        raise self.retry(
            args=(article_id,), kwargs={"owned_claim": owned_claim},
            countdown=backoff(self.request.retries),
        ) from None
    return outcome.status


# A chunk of articles (ingest.jobs.enqueue_articles) starts no new article after this many
# seconds; the rest go on in a chunk of their own. The chunk's time limits are this much
# longer than one article's, so every article keeps the whole per-article limit.
CHUNK_BUDGET_SECONDS = 30
# Times a chunk whose transaction met a transient error is sent again whole.
CHUNK_RETRIES = 3


@shared_task(
    bind=True, acks_late=True, ignore_result=True,
    soft_time_limit=settings.CELERY_TASK_SOFT_TIME_LIMIT + CHUNK_BUDGET_SECONDS,
    time_limit=settings.CELERY_TASK_TIME_LIMIT + CHUNK_BUDGET_SECONDS,
)
def process_articles(self, article_ids: list[int], owned_claim: str | None = None) -> int:
    """Run several articles through the pipeline in one task and one transaction.

    One message, one claim and one recording save the broker round trips, the task
    bookkeeping and most of the queries of the others (pipeline.process_articles). Articles
    left unread after CHUNK_BUDGET_SECONDS go on in a chunk of their own. A transient error
    of the shared transaction (most often a deadlock with another worker's chunk) sends the
    chunk again with its claim, a few times, then each article alone to process_article,
    which retries it with its claim. A redelivered chunk (the worker died) skips the
    articles already taken.
    """
    claimed = datetime.fromisoformat(owned_claim) if owned_claim else None
    try:
        outcomes = pipeline.process_articles(
            article_ids, owned_claim=claimed, retry_transient=True,
            deadline=time.monotonic() + CHUNK_BUDGET_SECONDS,
        )
    except DB_ERRORS as exc:
        _drop_connection()
        logger.warning("articles %s: database unavailable, retrying alone: %s", article_ids, exc)
        for article_id in article_ids:
            process_article.apply_async(
                args=(article_id,), kwargs={"owned_claim": owned_claim}, countdown=backoff(0)
            )
        return 0
    released = [pk for pk in article_ids if outcomes[pk].status == "released"]
    if released:
        process_articles.delay(released)
    retry = [pk for pk in article_ids if outcomes[pk].status == "retry"]
    if any(isinstance(outcomes[pk].cause, DB_ERRORS) for pk in retry):
        _drop_connection()
    claims = {outcomes[pk].claimed_at for pk in retry}
    if len(retry) > 1 and len(claims) == 1 and None not in claims and (
        self.request.retries < CHUNK_RETRIES
    ):
        logger.warning("articles %s: transient error, retrying: %s", retry, outcomes[retry[0]].cause)
        raise self.retry(
            args=(retry,), kwargs={"owned_claim": claims.pop().isoformat()},
            countdown=backoff(self.request.retries), max_retries=CHUNK_RETRIES,
        )
    for article_id in retry:
        outcome = outcomes[article_id]
        claim = outcome.claimed_at.isoformat() if outcome.claimed_at else None
        logger.warning("article %s: transient error, retrying alone: %s", article_id, outcome.cause)
        process_article.apply_async(
            args=(article_id,), kwargs={"owned_claim": claim}, countdown=backoff(0)
        )
    return len(article_ids) - len(released)


def requeue_stale_articles() -> list[int]:
    """Re-queue articles a dead worker left: `processing` with an old claim, or `queued`
    long untouched (their message was lost with the worker that had prefetched it).
    """
    cutoff = pipeline.stale_before()
    now = timezone.now()
    stale = Q(status=Article.Status.PROCESSING, claimed_at__lt=cutoff) | Q(
        status=Article.Status.QUEUED, updated_at__lt=cutoff
    )
    ids = list(Article.objects.filter(stale).values_list("pk", flat=True)[:10_000])
    if not ids:
        return []
    # Conditional again: a worker may have finished one of them since the SELECT.
    Article.objects.filter(stale, pk__in=ids).update(
        status=Article.Status.QUEUED, updated_at=now
    )
    ids = list(
        Article.objects.filter(
            pk__in=ids, status=Article.Status.QUEUED, updated_at=now
        ).values_list("pk", flat=True)
    )
    enqueue_articles(ids)
    logger.info("re-queued %d stale articles", len(ids))
    return ids


@shared_task(ignore_result=True)
def requeue_stale() -> int:
    return len(requeue_stale_articles())


@shared_task(ignore_result=True)
def poll_due_feeds() -> int:
    """Start a poll of every active feed whose next poll is due (claimed, so once)."""
    from ingest.sources.feeds import claim_due_feeds

    feed_ids = claim_due_feeds()
    for feed_id in feed_ids:
        poll_feed.delay(feed_id)
    return len(feed_ids)


@shared_task(bind=True, acks_late=True, max_retries=3, ignore_result=True)
def poll_feed(self, feed_id: int) -> int:
    """Poll one feed and queue its new entries."""
    from ingest.sources.feeds import poll

    try:
        return poll(feed_id).queued
    except DB_ERRORS as exc:
        _drop_connection()
        raise self.retry(countdown=backoff(self.request.retries), exc=exc) from None
