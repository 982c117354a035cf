"""Articles through the pipeline: claim -> fetch -> extract -> record, or fail with a reason.

Plain functions; ingest.tasks wraps them in Celery tasks. Every step is safe to repeat:
the claim is a conditional UPDATE, and the record is one transaction whose writes are
unique per (event, article, offset), so a redelivered task adds nothing.
"""
from __future__ import annotations

import logging
import time
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from urllib.parse import urlsplit

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.db import (
    DatabaseError, IntegrityError, InterfaceError, OperationalError, connection, transaction,
)
from django.db.models import Case, F, Q, When, sql
from django.utils import timezone

from ingest.errors import IngestError, TransientError
from ingest.extracting import (
    FALLBACK_BASES,
    GIVEN_BASES,
    Reading,
    RelatedDates,
    extractor_version,
    join_concurrent_copies,
    mention_to_json,
    merge_bridged_events,
    merge_readings,
    read_article,
    stored_candidates_of,
)
from ingest.html import reduce_html
from ingest.jobs import enqueue_articles
from ingest.models import IngestItem, IngestJob
from ingest.sources.text import clean_text, content_sha256, decode_bytes
from ingest.sources.urls import fetch
from timeline.bulk import update_rows
from timeline.caching import generation
from timeline.models import Article, Outlet
from timeline.services import (
    RecordResult,
    evidence_key,
    lock_articles,
    record_articles,
    recorded_before,
    withdraw_stale_evidence,
)

logger = logging.getLogger(__name__)

TRANSIENT_ERRORS = (OperationalError, InterfaceError, TransientError)
# An article whose worker died this many times is given up (it may be what kills them).
MAX_ATTEMPTS = 5
# Passes over a job's articles (see finish_articles).
MAX_PASSES = 3


class RetryLater(Exception):
    """A transient failure; the claim was released (or is still ours: `claimed_at`)."""

    def __init__(self, cause: BaseException, claimed_at: datetime | None):
        super().__init__(str(cause))
        self.cause = cause
        self.claimed_at = claimed_at


@dataclass(frozen=True, slots=True)
class Outcome:
    status: str  # done, failed, duplicate, skipped (not ours to process), retry (see below)
    result: RecordResult = RecordResult()
    error: str = ""
    # retry: a transient failure with retries left; the claim (taken at claimed_at) is kept
    # for the retry, which re-takes it.
    cause: BaseException | None = None
    claimed_at: datetime | None = None


def stale_before() -> datetime:
    return timezone.now() - timedelta(seconds=settings.STALE_PROCESSING_SECONDS)


def claim(article_id: int, owned_claim: datetime | None = None) -> Article | None:
    """Take the article for processing, or None when someone else has it or it is finished."""
    taken = claim_many([article_id], owned_claim)
    return taken[0] if taken else None


def claim_many(article_ids: Sequence[int], owned_claim: datetime | None = None) -> list[Article]:
    """Take the articles that are free for processing (in id order); skip the others.

    One conditional UPDATE: of two workers handed the same id, only one sees its row.
    A retry of the same task re-takes its own claim (same claimed_at); a claim older than
    STALE_PROCESSING_SECONDS belongs to a worker that died.
    """
    processing = Q(status=Article.Status.PROCESSING)
    takeable = Q(status=Article.Status.QUEUED) | (processing & Q(claimed_at__lt=stale_before()))
    if owned_claim is not None:
        takeable |= processing & Q(claimed_at=owned_claim)
    now = timezone.now()
    # A retry re-taking its own claim is the same attempt; `attempts` counts deliveries
    # that found the article free (a dead worker's article counts each time).
    attempts = F("attempts") + 1
    if owned_claim is not None:
        attempts = Case(
            When(processing & Q(claimed_at=owned_claim), then=F("attempts")), default=attempts
        )
    taken = update_returning(
        Article.objects.filter(takeable, pk__in=list(article_ids)),
        {"status": Article.Status.PROCESSING, "claimed_at": now, "updated_at": now,
         "attempts": attempts},
    )
    return sorted(taken, key=lambda article: article.pk)


def update_returning(queryset, values: dict, returning: Sequence[str] = ()) -> list:
    """`queryset.update(**values)` in one statement that also returns the updated rows:
    model instances, or tuples of the `returning` columns.

    Only for updates of the queryset's own table filtered on its own columns (no joins).
    """
    query = queryset.query.chain(sql.UpdateQuery)
    query.add_update_values(values)
    query.annotations = {}
    compiler = query.get_compiler(queryset.db)
    statement, params = compiler.as_sql()
    if query.count_active_tables() != 1:
        raise ValueError("update_returning: the filter joins another table")
    model = queryset.model
    if not returning:
        return list(model._default_manager.raw(f"{statement} RETURNING *", params))
    columns = ", ".join(
        connection.ops.quote_name(model._meta.get_field(name).column) for name in returning
    )
    with connection.cursor() as cursor:
        cursor.execute(f"{statement} RETURNING {columns}", params)
        return cursor.fetchall()


def release(article: Article) -> None:
    """Give a claimed article back to the queue (a transient failure, retried later)."""
    Article.objects.filter(
        pk=article.pk, status=Article.Status.PROCESSING, claimed_at=article.claimed_at
    ).update(status=Article.Status.QUEUED, updated_at=timezone.now())


def fail(article: Article, reason: str) -> Outcome:
    """Mark the article failed with a readable reason; nothing of it was recorded."""
    reason = reason.strip() or "failed for an unknown reason"
    with transaction.atomic():
        Article.objects.filter(pk=article.pk).update(
            status=Article.Status.FAILED, error=reason[:2000], updated_at=timezone.now()
        )
        finish_items(article)
    logger.info("article %s failed: %s", article.pk, reason)
    return Outcome("failed", error=reason)


def _outlet_for(url: str) -> Outlet | None:
    host = (urlsplit(url).hostname or "").lower().removeprefix("www.")
    if not host:
        return None
    outlet, _ = Outlet.objects.get_or_create(domain=host[:253], defaults={"name": host[:200]})
    return outlet


def fetch_article(article: Article) -> Article | None:
    """Fill a URL article's text from the page; None when the same text is already stored."""
    page = fetch(article.url)
    if page.content_type == "text/plain":
        text = clean_text(decode_bytes(page.body, page.charset))
        title, published, metadata = "", None, {}
    else:
        body = page.body.decode(page.charset, "replace") if page.charset else page.body
        reduced = reduce_html(body, url=page.url)
        text, title, published, metadata = (
            clean_text(reduced.text), reduced.title, reduced.published, reduced.metadata
        )
    digest = content_sha256(text)
    duplicate_of = Article.objects.filter(content_sha256=digest).exclude(pk=article.pk).first()
    if duplicate_of is not None:
        mark_duplicate(article, duplicate_of)
        return None
    article.text = text
    article.title = article.title or title
    article.content_sha256 = digest
    article.raw = page.body
    article.metadata = {**metadata, **(article.metadata or {}), "final_url": page.url}
    article.outlet = article.outlet or _outlet_for(page.url)
    if published and not article.published_on:
        article.published_on, article.published_basis = published, Article.Basis.METADATA
        article.metadata.setdefault("date", published.isoformat())
    try:
        with transaction.atomic():
            article.save(
                update_fields=[
                    "text", "title", "content_sha256", "raw", "metadata", "outlet",
                    "published_on", "published_basis", "updated_at",
                ]
            )
    except IntegrityError:
        # The same text arrived by another way a moment ago.
        mark_duplicate(article, Article.objects.get(content_sha256=digest))
        return None
    return article


def mark_duplicate(article: Article, original: Article) -> None:
    """A URL whose page is an article already stored: done, adding nothing, pointing to it."""
    with transaction.atomic():
        Article.objects.filter(pk=article.pk).update(
            status=Article.Status.DONE,
            metadata={**(article.metadata or {}), "duplicate_of": original.pk},
            error="",
            updated_at=timezone.now(),
        )
        IngestItem.objects.filter(article=article, finished=False).update(duplicate=True)
        finish_items(article)


NOTHING = RecordResult()


def record_readings(readings: Sequence[tuple[Article, Reading]]) -> dict[int, RecordResult]:
    """Merge the articles' readings with each other and with the stored events, then record
    the events, the evidence and each article's date, all in one transaction.

    When the readings made new events and another transaction committed between the read
    of the stored events and this one's commit, another worker may have made the same news
    an event too: join_concurrent_copies looks after the commit, and merges the copies.
    """
    version = extractor_version()
    read = [reading for _, reading in readings]
    before = generation()  # every commit to the timeline moves it by one
    candidates = stored_candidates_of(read)
    events, unattached = merge_readings(read, candidates)
    articles = {str(article.pk): article for article, _ in readings}
    with transaction.atomic():
        lock_articles(article.pk for article, _ in readings)
        previous = recorded_before(articles.values())
        events = keep_previous_events(merge_bridged_events(events), previous)
        read_before = {article_id for article_id, _ in previous}
        withdraw_stale([a for a in articles.values() if a.pk in read_before], events)
        # The articles done, with their dates, before their evidence is written: an
        # event's stored JSON (EventJSON) shows its articles' dates, and a date changed
        # after would rebuild every event the articles cite.
        now = timezone.now()
        done = []
        for article, reading in readings:
            date, basis = article.published_on, article.published_basis
            if basis not in GIVEN_BASES or not date:
                date, basis = reading.published.date, reading.published.basis
            done.append(Article(
                pk=article.pk, status=Article.Status.DONE, error="", extractor_version=version,
                updated_at=now, published_on=date, published_basis=basis,
            ))
        update_rows(
            Article, done,
            ["status", "error", "extractor_version", "updated_at", "published_on", "published_basis"],
        )
        # Each evidence row keeps the mention the extractor made of it.
        # No savepoint: any error fails this whole transaction (and the articles).
        results = record_articles(
            list(articles.values()), events, lambda mention: articles[mention.article],
            version, mention_json=mention_to_json, savepoint=False,
        )
        finish_articles({
            article.pk: (results.get(article.pk, NOTHING), unattached[key])
            for key, article in articles.items()
        })
    made = [event for event in events if event.existing_id is None]
    try:
        if made and generation() > before + 1:
            join_concurrent_copies(read, made, {event.existing_id for event in candidates})
    except DatabaseError:
        # The articles are recorded: copies left apart merge when a later article ties them.
        logger.warning("could not join events made at the same time", exc_info=True)
    return results


def withdraw_stale(articles: Sequence[Article], events: Sequence) -> None:
    """A re-reading of the articles: what it no longer says goes (dated quotes it does not
    make, references it now places in another event)."""
    mine = [(int(m.article), m, e.existing_id) for e in events for m in e.mentions]
    dated = {(article_id, evidence_key(m)) for article_id, m, _ in mine if m.date_start}
    placed = {(article_id, evidence_key(m), event_id) for article_id, m, event_id in mine}
    withdraw_stale_evidence(
        articles,
        lambda article_id, key, event_id: (article_id, key) in dated
        or (article_id, key, event_id) in placed,
    )


def keep_previous_events(events: list, previous: dict) -> list:
    """The events split so a dated quote recorded before stays with the event it was in.

    A re-extraction (a later pass, `reextract`, a redelivered task) may cluster differently
    from the first run; recording a quote into a second event would cite it twice. New
    quotes of the same cluster follow its first previously recorded quote. Undated
    references ("the attack") follow this extraction: the event they name may have been
    stored only after their first reading. `previous`: recorded_before's answer.
    """
    if not previous:
        return events
    out = []
    for event in events:
        groups: dict[int | None, list] = {}
        for mention in event.mentions:
            pinned = (
                previous.get((int(mention.article), evidence_key(mention)))
                if mention.date_start else None
            )
            groups.setdefault(pinned[0] if pinned else None, []).append(mention)
        if list(groups) == [None]:
            out.append(event)
            continue
        new = groups.pop(None, [])
        for number, (event_id, mentions) in enumerate(groups.items()):
            extra = new if number == 0 else []
            out.append(replace(event, mentions=tuple(mentions + extra), existing_id=event_id))
    return out


def finish_items(article: Article) -> None:
    """Mark the article's open job items finished, adding nothing (see finish_articles)."""
    finish_articles({article.pk: None})


def finish_articles(counts: dict[int, tuple[RecordResult, int] | None]) -> None:
    """Mark the articles' open job items finished, adding to each item what its article
    added (`counts`: a RecordResult and the number of references left unattached, or None
    for nothing), in one statement; start a job's next pass when due.

    A batch is processed in whatever order the workers take it, so an undated reference
    ("the strike on the bridges") read before the article that dates its event finds
    nothing to join, and an article read before the ones that date it falls back to a
    guess. Once every article of a job is processed, the guessed ones are read again (what
    dates them is stored by then); once those are done, the articles whose references
    found nothing are read again, against every event at its final date.
    """
    ids = sorted(counts)
    added = [counts[pk] or (NOTHING, None) for pk in ids]
    with connection.cursor() as cursor:
        # Added, not set: a later pass adds what the first could not.
        cursor.execute(
            f"UPDATE {IngestItem._meta.db_table} AS i SET finished = true, "
            "events_created = i.events_created + v.created, "
            "events_merged = i.events_merged + v.merged, "
            "evidence_added = i.evidence_added + v.evidence, "
            "unattached = coalesce(v.unattached, i.unattached) "
            "FROM unnest(%s::int8[], %s::int[], %s::int[], %s::int[], %s::int[]) "
            "AS v(article_id, created, merged, evidence, unattached) "
            "WHERE i.article_id = v.article_id AND NOT i.finished RETURNING i.job_id",
            [ids, [r.created for r, _ in added], [r.merged for r, _ in added],
             [r.evidence_added for r, _ in added], [unattached for _, unattached in added]],
        )
        job_ids = {job_id for (job_id,) in cursor.fetchall()}
    for job_id in sorted(job_ids):
        # The job row lock orders the last two finishers: the second one sees the first.
        job = IngestJob.objects.select_for_update().filter(pk=job_id, passes__lt=MAX_PASSES).first()
        if job is None or job.items.filter(finished=False).exists():
            continue
        read = job.items.filter(duplicate=False, article__status=Article.Status.DONE)
        guessed = read.filter(article__published_basis__in=FALLBACK_BASES)
        unattached = read.filter(unattached__gt=0)
        passes = F("passes") + 1
        # First the guessed dates, then (the last pass) the references: those then see
        # every event at its final date, and are read once more, not twice.
        retry = list(guessed.values_list("article_id", flat=True)) if job.passes == 1 else []
        if not retry:
            retry = list(unattached.values_list("article_id", flat=True))
            passes = MAX_PASSES
        IngestJob.objects.filter(pk=job_id).update(passes=passes)
        if len(retry) and job.items.count() > 1:
            Article.objects.filter(pk__in=retry, status=Article.Status.DONE).update(
                status=Article.Status.QUEUED, claimed_at=None, updated_at=timezone.now()
            )
            job.items.filter(article_id__in=retry).update(finished=False)
            enqueue_articles(retry)


def process_article(
    article_id: int, *, owned_claim: datetime | None = None, retry_transient: bool = False
) -> Outcome:
    """Claim, fetch if needed, extract and record one article; failures end as `failed`.

    With retry_transient, a transient error (database down, network timeout) releases
    nothing and raises RetryLater so the caller can try again with the same claim.
    """
    outcome = process_articles(
        [article_id], owned_claim=owned_claim, retry_transient=retry_transient
    )[article_id]
    if outcome.status == "retry":
        raise RetryLater(outcome.cause, outcome.claimed_at)
    return outcome


def process_articles(
    article_ids: Sequence[int], *, owned_claim: datetime | None = None,
    retry_transient: bool = False, deadline: float | None = None,
) -> dict[int, Outcome]:
    """Claim, fetch if needed, read, merge and record several articles; an outcome each.

    The articles are claimed in one statement and recorded in one transaction, merged
    with each other as the extractor merges articles read together. An article that
    cannot be read fails alone (with its reason) and the others go on; when the shared
    transaction fails, each article is recorded on its own, so one bad article costs the
    others nothing. Articles not yet read at `deadline` (time.monotonic()) are given back
    to the queue, outcome "released", for the caller to send on.
    With retry_transient, a transient error ends as "retry" with the claim kept.
    """
    outcomes: dict[int, Outcome] = {pk: Outcome("skipped") for pk in article_ids}
    readings: list[tuple[Article, Reading]] = []
    related = RelatedDates()
    for article in claim_many(article_ids, owned_claim):
        if deadline is not None and readings and time.monotonic() > deadline:
            release(article)
            outcomes[article.pk] = Outcome("released")
            continue
        outcomes[article.pk], reading = _read(article, related, retry_transient)
        if reading is not None:
            readings.append((article, reading))
    if not readings:
        return outcomes
    try:
        results = record_readings(readings)
    except Exception as exc:
        if len(readings) == 1 or isinstance(exc, TRANSIENT_ERRORS):
            for article, _ in readings:
                outcomes[article.pk] = _failure(article, exc, retry_transient)
            return outcomes
        # One article's error fails the shared transaction: each is recorded on its own,
        # so that the error is then that article's alone.
        for article, reading in readings:
            outcomes[article.pk] = _record_one(article, reading, retry_transient)
        return outcomes
    for article, _ in readings:
        outcomes[article.pk] = Outcome("done", results.get(article.pk, NOTHING))
    return outcomes


def _read(article: Article, related, retry_transient: bool) -> tuple[Outcome, Reading | None]:
    """Fetch (a URL not fetched yet) and read one claimed article."""
    if article.attempts > MAX_ATTEMPTS:
        return fail(article, f"gave up after {MAX_ATTEMPTS} attempts (the worker stopped each time)"), None
    try:
        if article.url and not article.text:
            if fetch_article(article) is None:
                return Outcome("duplicate"), None
        if not article.text.strip():
            raise IngestError("empty: there is no text to extract events from")
        today = timezone.localdate(article.created_at) if article.created_at else timezone.localdate()
        return Outcome("processing"), read_article(article, today, related)
    except Exception as exc:
        return _failure(article, exc, retry_transient), None


def _record_one(article: Article, reading: Reading, retry_transient: bool) -> Outcome:
    try:
        return Outcome("done", record_readings([(article, reading)]).get(article.pk, NOTHING))
    except Exception as exc:
        return _failure(article, exc, retry_transient)


def _failure(article: Article, exc: BaseException, retry_transient: bool) -> Outcome:
    """The outcome of an error while processing a claimed article."""
    if isinstance(exc, TRANSIENT_ERRORS):
        if retry_transient:
            return Outcome("retry", cause=exc, claimed_at=article.claimed_at)
        return fail(article, f"gave up after a transient error: {exc}")
    if isinstance(exc, IngestError):
        return fail(article, str(exc))
    if isinstance(exc, SoftTimeLimitExceeded):
        return fail(article, f"took longer than {settings.CELERY_TASK_SOFT_TIME_LIMIT} s")
    # A bug in the extractor must not stop the batch; the reason names it.
    logger.error("article %s: unexpected error", article.pk, exc_info=exc)
    return fail(article, f"internal error: {type(exc).__name__}: {exc}")
