"""EventJSON: each event's actors and evidence as the API writes them, kept by triggers
(migration 0010) through every way they change, and never left stale by two writers."""
from __future__ import annotations

import json
import threading
from datetime import date

import psycopg
import pytest
from django.db import connection
from rest_framework.test import APIRequestFactory

from tests.factories import (
    make_actor,
    make_article,
    make_event,
    make_evidence,
    make_outlet,
    make_place,
)
from timeline.api.serializers import EventSerializer
from timeline.editing import merge_events, split_event
from timeline.models import Event, EventJSON, Evidence

# Events whose stored JSON differs from what their rows give now (no row: both empty).
STALE_SQL = """
    SELECT e.id FROM timeline_event e
    LEFT JOIN timeline_eventjson j ON j.event_id = e.id
    CROSS JOIN LATERAL timeline_event_json_of(ARRAY[e.id]) now
    WHERE coalesce(j.actors::text, '[]') <> now.actors::text
       OR coalesce(j.evidence::text, '[]') <> now.evidence::text
    ORDER BY e.id
"""


def stale() -> list[int]:
    with connection.cursor() as cursor:
        cursor.execute(STALE_SQL)
        return [row[0] for row in cursor.fetchall()]


def stored(event: Event) -> tuple[list, list]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT actors::text, evidence::text FROM timeline_eventjson WHERE event_id = %s",
            [event.pk],
        )
        row = cursor.fetchone()
    return (json.loads(row[0]), json.loads(row[1])) if row else ([], [])


@pytest.fixture
def strike(db):
    outlet = make_outlet(name="Kyiv Independent")
    return make_event(
        title="Strike", date_start=date(2025, 3, 1), place=make_place("Odesa"),
        actors=[make_actor("Russia", kind="state", aliases=["RF"]), make_actor("Navy")],
        evidence_from=[make_article(outlet=outlet, url="https://kyivindependent.com/x"),
                       make_article(published_on=None)],
    )


def test_the_stored_json_is_what_drf_writes_from_the_rows(strike):
    event = Event.objects.for_timeline().get(pk=strike.pk)
    generic = EventSerializer(event, context={"request": APIRequestFactory().get("/")}).data
    actors, evidence = stored(strike)
    assert (actors, evidence) == (generic["actors"], generic["evidence"])
    assert [list(row) for row in evidence] == [list(row) for row in generic["evidence"]]
    assert [a["name"] for a in actors] == ["Navy", "Russia"]
    assert len(evidence) == 2
    assert EventJSON.objects.count() == 1
    assert stale() == []


def test_evidence_added_changed_and_removed(strike):
    article = make_article(title="Third")
    added = make_evidence(strike, article, quote="A third report")
    assert [e["quote"] for e in stored(strike)[1]][-1] == "A third report"
    Evidence.objects.filter(pk=added.pk).update(speaker="Kyiv", date_text="on Sunday")
    assert stored(strike)[1][-1]["speaker"] == "Kyiv"
    Evidence.objects.filter(event=strike).delete()
    assert stored(strike)[1] == []
    assert stale() == []


def test_actors_added_removed_and_renamed(strike):
    navy = strike.actors.get(name="Navy")
    strike.actors.add(make_actor("Air Force"))
    assert [a["name"] for a in stored(strike)[0]] == ["Air Force", "Navy", "Russia"]
    strike.actors.remove(navy)
    navy.name = "Fleet"  # no longer shown on the strike: nothing to rebuild there
    navy.save()
    russia = strike.actors.get(name="Russia")
    russia.aliases = ["RF", "Russian Federation"]
    russia.save()
    assert stored(strike)[0][1]["aliases"] == ["RF", "Russian Federation"]
    strike.actors.clear()
    assert stored(strike)[0] == []
    assert stale() == []


def test_articles_and_outlets_shown_in_the_evidence(strike):
    evidence = Evidence.objects.filter(event=strike).select_related("article__outlet")
    first = evidence.get(article__outlet__isnull=False)
    article, outlet = first.article, first.article.outlet
    article.title = "Corrected title"
    article.save()
    outlet.name = "The Kyiv Independent"
    outlet.save()
    rows = {row["id"]: row for row in stored(strike)[1]}
    assert (rows[first.pk]["article_title"], rows[first.pk]["outlet"]) == (
        "Corrected title", "The Kyiv Independent"
    )
    outlet.delete()  # the article's outlet becomes NULL
    assert {row["id"]: row for row in stored(strike)[1]}[first.pk]["outlet"] is None
    assert stale() == []


def test_merges_splits_and_deletions(strike):
    other = make_event(title="Same strike", date_start=date(2025, 3, 1),
                       actors=[make_actor("Black Sea Fleet")],
                       evidence_from=[make_article(title="Another report")])
    kept = merge_events([strike, other], survivor=strike)
    assert len(stored(kept)[1]) == 3
    assert "Black Sea Fleet" in [a["name"] for a in stored(kept)[0]]
    assert not EventJSON.objects.filter(event_id=other.pk).exists()
    moved = Evidence.objects.filter(event=kept).order_by("pk").last()
    new = split_event([moved], title="Split off")
    assert [row["id"] for row in stored(new)[1]] == [moved.pk]
    assert len(stored(kept)[1]) == 2
    assert stale() == []
    kept.delete()
    assert not EventJSON.objects.filter(event_id=kept.pk).exists()


@pytest.mark.django_db(transaction=True)
def test_two_writers_of_one_event_leave_both_changes():
    """Two transactions add evidence to one event at the same time. Without the lock the
    rebuild takes, the later commit writes JSON built before the other's commit."""
    event = make_event(title="Siege", evidence_from=[make_article()])
    first_article, second_article = make_article(), make_article()
    params = connection.get_connection_params()
    params.pop("cursor_factory", None)
    params.pop("context", None)
    insert = (
        "INSERT INTO timeline_evidence (event_id, article_id, quote, char_start, char_end,"
        " date_text, date_rule, speaker, origin, mention, created_at)"
        " VALUES (%s, %s, %s, 0, 5, '', '', '', 'extracted', '{}', now())"
    )
    with psycopg.connect(**params) as one, psycopg.connect(**params) as two:
        one.execute(insert, [event.pk, first_article.pk, "first"])  # open, holds the lock
        second_done = threading.Event()

        def second_writer():
            two.execute(insert, [event.pk, second_article.pk, "second"])
            two.commit()
            second_done.set()

        writer = threading.Thread(target=second_writer)
        writer.start()
        assert not second_done.wait(0.5)  # waits for the first to commit
        one.commit()
        writer.join(10)
        assert second_done.is_set()
    assert sorted(row["quote"] for row in stored(event)[1])[-2:] == ["first", "second"]
    assert stale() == []
