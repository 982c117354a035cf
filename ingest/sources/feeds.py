"""RSS and Atom feeds: poll with a conditional GET, queue only entries not seen before."""
from __future__ import annotations

import calendar
import logging
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from datetime import timezone as dt_timezone

import feedparser
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from ingest.errors import IngestError, TransientError
from ingest.jobs import add_text, add_url, enqueue_job, start_job
from ingest.models import Feed, FeedEntry, IngestJob
from ingest.sources.urls import FEED_TYPES, fetch
from timeline.models import Article

logger = logging.getLogger(__name__)

# An entry with at least this much text in the feed is ingested from the feed itself when
# it has no link to fetch.
MIN_ENTRY_TEXT = 200


@dataclass(frozen=True, slots=True)
class PollResult:
    queued: int = 0
    seen: int = 0  # entries already known
    not_modified: bool = False
    error: str = ""


def claim_due_feeds(now: datetime | None = None) -> list[int]:
    """Ids of active feeds due a poll, their next poll moved on so no one polls them twice."""
    now = now or timezone.now()
    due = list(
        Feed.objects.filter(active=True, next_poll_at__lte=now).values_list("pk", "poll_interval")
    )
    claimed = []
    for feed_id, minutes in due:
        # Conditional: another beat (two schedulers by mistake) cannot claim it too.
        if Feed.objects.filter(pk=feed_id, next_poll_at__lte=now).update(
            next_poll_at=now + timedelta(minutes=minutes)
        ):
            claimed.append(feed_id)
    return claimed


def _entry_id(entry) -> str:
    return (entry.get("id") or entry.get("link") or entry.get("title") or "").strip()[:2000]


def _entry_date(entry) -> date | None:
    parsed = entry.get("published_parsed") or entry.get("updated_parsed")
    if not parsed:
        return None
    try:
        return datetime.fromtimestamp(calendar.timegm(parsed), tz=dt_timezone.utc).date()
    except (OverflowError, ValueError, TypeError):
        return None


def _entry_text(entry) -> str:
    from ingest.html import reduce_html

    for content in entry.get("content") or []:
        value = content.get("value") or ""
        if value:
            try:
                return reduce_html(value).text
            except IngestError:
                continue
    return ""


def parse_feed(body: bytes):
    """feedparser's result; IngestError when the XML is broken and holds no entry."""
    parsed = feedparser.parse(body)
    if parsed.get("bozo") and not parsed.entries:
        raise IngestError(broken_reason(parsed))
    return parsed


def broken_reason(parsed) -> str:
    """Why feedparser found the XML broken; "" when it is well formed."""
    reason = parsed.get("bozo_exception")
    if not parsed.get("bozo") or isinstance(reason, feedparser.CharacterEncodingOverride):
        return ""
    return f"broken feed XML: {reason}" if reason else "broken feed XML"


def _queue_entry(job: IngestJob, feed: Feed, entry) -> bool:
    """Queue one entry unless seen before; True when it is new."""
    entry_id = _entry_id(entry)
    if not entry_id:
        return False
    link = (entry.get("link") or "").strip()
    try:
        with transaction.atomic():
            record = FeedEntry.objects.create(feed=feed, entry_id=entry_id, link=link[:2000])
            title = (entry.get("title") or "").strip()
            published = _entry_date(entry)
            name = f"{feed} / {title or entry_id}"[:500]
            if link:
                item = add_url(
                    job, link, source=Article.Source.FEED, title=title, source_name=name,
                    published=published, metadata={"feed": feed.url, "entry_id": entry_id},
                )
            else:
                text = _entry_text(entry) or (entry.get("summary") or "")
                item = add_text(
                    job, text, title=title, source=Article.Source.FEED, source_name=name,
                    published=published, metadata={"feed": feed.url, "entry_id": entry_id},
                )
            record.article = item.article
            record.save(update_fields=["article"])
    except IntegrityError:
        return False  # seen before (unique per feed and entry id)
    return True


def poll(feed_id: int) -> PollResult:
    """Fetch the feed (conditional GET) and queue the entries never seen before."""
    feed = Feed.objects.get(pk=feed_id)
    headers = {}
    if feed.etag:
        headers["If-None-Match"] = feed.etag
    if feed.last_modified:
        headers["If-Modified-Since"] = feed.last_modified
    now = timezone.now()
    try:
        page = fetch(feed.url, accept=FEED_TYPES, headers=headers)
        if page.status == 304:
            _save_poll(feed, now, error="")
            return PollResult(not_modified=True)
        parsed = parse_feed(page.body)
    except (IngestError, TransientError) as exc:
        _save_poll(feed, now, error=str(exc))
        logger.warning("feed %s: %s", feed.url, exc)
        return PollResult(error=str(exc))
    job = start_job(IngestJob.Origin.FEED, label=feed.url)
    queued = seen = 0
    for entry in parsed.entries:
        if _queue_entry(job, feed, entry):
            queued += 1
        else:
            seen += 1
    with transaction.atomic():
        enqueue_job(job)
        feed.etag = (page.headers.get("ETag") or page.headers.get("etag") or "")[:300]
        feed.last_modified = (
            page.headers.get("Last-Modified") or page.headers.get("last-modified") or ""
        )[:100]
        if not feed.title:
            feed.title = (parsed.feed.get("title") or "")[:300]
        # Entries recovered from broken XML are taken; the feed still shows the problem.
        _save_poll(feed, now, error=broken_reason(parsed), new_entries=queued)
    if not queued:
        job.delete()
    return PollResult(queued=queued, seen=seen)


def _save_poll(feed: Feed, now: datetime, error: str, new_entries: int = 0) -> None:
    feed.schedule_next(now)
    feed.last_error = error
    Feed.objects.filter(pk=feed.pk).update(
        etag=feed.etag,
        last_modified=feed.last_modified,
        title=feed.title,
        last_polled_at=feed.last_polled_at,
        next_poll_at=feed.next_poll_at,
        last_error=error,
        entries_seen=F("entries_seen") + new_entries,
    )

