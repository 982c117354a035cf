"""The Atom feed of a filter."""
from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import date

import pytest

from tests.factories import make_event, make_place
from timeline.models import Event

pytestmark = pytest.mark.django_db
ATOM = "{http://www.w3.org/2005/Atom}"


def parse(response) -> ET.Element:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    return ET.fromstring(response.content)


def test_feed_lists_the_published_events_of_the_filter(client):
    make_event(title="Port shelled", event_type="ASSAULT", date_start=date(2025, 6, 2))
    make_event(title="Talks held", event_type="CONSULT", date_start=date(2025, 6, 2))
    make_event(title="Draft strike", event_type="ASSAULT", status=Event.Status.DRAFT)
    feed = parse(client.get("/feed/?event_type=ASSAULT"))
    titles = [e.findtext(f"{ATOM}title") for e in feed.iter(f"{ATOM}entry")]
    assert titles == ["2025-06-02: Port shelled"]


def test_feed_links_carry_the_filter_and_entries_link_to_permalinks(client):
    event = make_event(title="Port shelled", place=make_place("Kherson", country="Ukraine"))
    feed = parse(client.get("/feed/?event_type=ASSAULT&q=&date_from=2025-06-01"))
    links = {link.get("rel"): link.get("href") for link in feed.findall(f"{ATOM}link")}
    assert links == {
        "alternate": "http://testserver/?event_type=ASSAULT&date_from=2025-06-01",
        "self": "http://testserver/feed/?event_type=ASSAULT&date_from=2025-06-01",
    }
    entry = feed.find(f"{ATOM}entry")
    assert entry.find(f"{ATOM}link").get("href") == f"http://testserver/events/{event.pk}/"
    assert entry.findtext(f"{ATOM}summary") == (
        "<p>Assault · 2025-06-01 · Kherson, Ukraine · 0 sources</p>"
    )


def test_feed_newest_changes_come_first(client):
    older = make_event(title="Older")
    make_event(title="Newer")
    older.title = "Older, corrected"
    older.save()
    feed = parse(client.get("/feed/"))
    titles = [e.findtext(f"{ATOM}title") for e in feed.iter(f"{ATOM}entry")]
    assert titles == ["2025-06-01: Older, corrected", "2025-06-01: Newer"]


def test_feed_escapes_untrusted_text_in_summaries(client):
    make_event(title="<script>alert(1)</script>", summary='<img src=x onerror="alert(2)">')
    feed = parse(client.get("/feed/"))
    entry = feed.find(f"{ATOM}entry")
    assert entry.findtext(f"{ATOM}title") == "2025-06-01: <script>alert(1)</script>"
    # The summary is HTML for readers: the payload arrives as text, not as a tag.
    assert "&lt;img src=x onerror=&quot;alert(2)&quot;&gt;" in entry.findtext(f"{ATOM}summary")


def test_feed_of_an_invalid_filter_is_empty(client):
    make_event()
    feed = parse(client.get("/feed/?date_from=nonsense"))
    assert list(feed.iter(f"{ATOM}entry")) == []
