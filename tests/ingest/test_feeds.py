"""Feeds polled against a local server: only new entries are queued, 304 costs nothing."""
from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from ingest import pipeline
from ingest.models import Feed, FeedEntry
from ingest.sources.feeds import claim_due_feeds, poll
from tests.ingest.conftest import article_html
from timeline.models import Article

pytestmark = pytest.mark.django_db

BODY = (
    "GOMA, March 3, 2025 (AFP) - M23 fighters attacked army positions near Goma on Sunday, "
    "killing 9 soldiers, the army said. Angola called on both sides to protect civilians. "
    "Aid agencies say access to the area remains difficult for convoys."
)


def rss(entries: list[tuple[str, str]]) -> str:
    items = "".join(
        f"<item><guid>{guid}</guid><title>Report {guid}</title><link>{link}</link>"
        "<pubDate>Mon, 03 Mar 2025 10:00:00 GMT</pubDate></item>"
        for guid, link in entries
    )
    return (
        "<?xml version='1.0'?><rss version='2.0'><channel><title>Local wire</title>"
        f"<link>http://127.0.0.1/</link><description>d</description>{items}</channel></rss>"
    )


class GrowingFeed:
    """A feed whose entries the test adds; it answers 304 to a matching ETag."""

    def __init__(self, server):
        self.server = server
        self.entries: list[tuple[str, str]] = []
        self.served_304 = 0
        server.add("/feed.xml", self.serve)

    def add_entry(self, guid: str) -> None:
        link = self.server.add_page(f"/story/{guid}", article_html(f"Story {guid}", BODY + f" Story {guid}."))
        self.entries.append((guid, link))

    def serve(self, handler) -> None:
        etag = f'"v{len(self.entries)}"'
        if handler.headers.get("If-None-Match") == etag:
            self.served_304 += 1
            handler.send_response(304)
            handler.end_headers()
            return
        data = rss(self.entries).encode()
        handler.send_response(200)
        handler.send_header("Content-Type", "application/rss+xml")
        handler.send_header("ETag", etag)
        handler.send_header("Content-Length", str(len(data)))
        handler.end_headers()
        handler.wfile.write(data)


def test_a_growing_feed_queues_only_its_new_entries(http_server, dictionary):
    feed_server = GrowingFeed(http_server)
    for guid in ("a1", "a2"):
        feed_server.add_entry(guid)
    feed = Feed.objects.create(url=http_server.url("/feed.xml"), poll_interval=15)

    first = poll(feed.pk)
    assert (first.queued, first.seen) == (2, 0)
    feed.refresh_from_db()
    assert feed.title == "Local wire" and feed.etag == '"v2"' and feed.last_error == ""
    assert feed.next_poll_at - feed.last_polled_at == timedelta(minutes=15)
    for article in Article.objects.filter(source="feed"):
        pipeline.process_article(article.pk)

    feed_server.add_entry("a3")
    second = poll(feed.pk)
    assert (second.queued, second.seen) == (1, 2)
    assert sorted(FeedEntry.objects.values_list("entry_id", flat=True)) == ["a1", "a2", "a3"]
    new = Article.objects.get(feed_entries__entry_id="a3")
    assert new.status == "queued" and new.url.endswith("/story/a3")
    assert Article.objects.filter(source="feed").count() == 3
    assert Article.objects.filter(status="done").count() == 2


def test_an_unchanged_feed_answers_304_and_queues_nothing(http_server):
    feed_server = GrowingFeed(http_server)
    feed_server.add_entry("b1")
    feed = Feed.objects.create(url=http_server.url("/feed.xml"))
    assert poll(feed.pk).queued == 1
    again = poll(feed.pk)
    assert again.not_modified and again.queued == 0
    assert feed_server.served_304 == 1


def test_broken_feed_xml_is_recorded_on_the_feed(http_server):
    http_server.add_page("/bad.xml", "<rss><channel><<<&&& not xml", "application/rss+xml")
    feed = Feed.objects.create(url=http_server.url("/bad.xml"))
    result = poll(feed.pk)
    feed.refresh_from_db()
    assert result.queued == 0 and result.error.startswith("broken feed XML")
    assert feed.last_error.startswith("broken feed XML")
    assert feed.last_polled_at is not None


def test_entries_recovered_from_broken_xml_are_taken_and_the_feed_shows_the_problem(http_server):
    link = http_server.add_page("/story/d1", article_html("Story d1", BODY))
    broken = (
        f"<rss><channel><item><guid>d1</guid><link>{link}</link></item>"
        "<item><title>Only a title</title></item><item><title>cut"
    )
    http_server.add_page("/half.xml", broken, "application/rss+xml")
    feed = Feed.objects.create(url=http_server.url("/half.xml"))
    result = poll(feed.pk)
    assert (result.queued, result.seen) == (2, 1)  # the cut entry has no id at all
    feed.refresh_from_db()
    assert feed.last_error.startswith("broken feed XML")
    untitled = Article.objects.get(source="feed", url__isnull=True)
    assert (untitled.status, untitled.error) == ("failed", "empty")


def test_a_feed_entry_seen_through_another_feed_is_one_article(http_server):
    feed_server = GrowingFeed(http_server)
    feed_server.add_entry("c1")
    http_server.routes["/mirror.xml"] = feed_server.serve
    first = Feed.objects.create(url=http_server.url("/feed.xml"))
    mirror = Feed.objects.create(url=http_server.url("/mirror.xml"))
    poll(first.pk)
    poll(mirror.pk)
    assert Article.objects.count() == 1
    assert FeedEntry.objects.filter(article__isnull=False).count() == 2


def test_only_due_active_feeds_are_claimed_and_only_once():
    now = timezone.now()
    due = Feed.objects.create(url="http://127.0.0.1/due.xml", next_poll_at=now - timedelta(minutes=1))
    Feed.objects.create(url="http://127.0.0.1/later.xml", next_poll_at=now + timedelta(minutes=5))
    Feed.objects.create(url="http://127.0.0.1/off.xml", active=False, next_poll_at=now)
    assert claim_due_feeds(now) == [due.pk]
    assert claim_due_feeds(now) == []
