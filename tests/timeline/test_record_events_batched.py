"""record_events writes in bulk: its queries do not grow with the events and mentions it
records, and the bulk writes keep what the one-by-one writes guaranteed (idempotent
re-runs, suppression, locked fields, tombstones, history).
"""
from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import ClaimStub, ExtractedStub, make_article, make_place, mention_of
from timeline.models import Actor, Claim, Event, Evidence, Place, Tombstone
from timeline.services import (
    record_events,
    refresh_event_summaries,
    refresh_event_summary,
)

pytestmark = pytest.mark.django_db


def sentences(n: int, tag: str = "") -> list[str]:
    return [f"Forces{tag} shelled district {i} of the city on day {i}, officials said." for i in range(n)]


def article_with(n: int, tag: str = ""):
    return make_article(" ".join(sentences(n, tag)))


def events_of(article, n: int, tag: str = "", mentions_each: int = 1) -> list[ExtractedStub]:
    """n events, each with its own actors, place, claims and `mentions_each` mentions."""
    lines = sentences(n * mentions_each, tag)
    out = []
    for i in range(n):
        own = lines[i * mentions_each : (i + 1) * mentions_each]
        out.append(
            ExtractedStub(
                date_start=date(2025, 5, 1) + timedelta(days=i),
                title=f"Shelling {tag}{i}",
                event_type="ASSAULT",
                actors=(f"Army{tag} {i}", f"Militia{tag} {i}"),
                place=f"District{tag} {i}",
                mentions=tuple(
                    mention_of(article.text, s, claims=(ClaimStub("fatalities", str(i + 1)),))
                    for s in own
                ),
            )
        )
    return out


def count_queries(article, extracted) -> int:
    with CaptureQueriesContext(connection) as queries:
        record_events(article, extracted, "t1")
    return len(queries)


def test_the_queries_do_not_grow_with_the_events_and_mentions():
    one = article_with(1, "a")
    many = article_with(16, "b")
    few_queries = count_queries(one, events_of(one, 1, "a"))
    many_queries = count_queries(many, events_of(many, 8, "b", mentions_each=2))
    assert Event.objects.count() == 9
    assert Evidence.objects.count() == 17
    assert few_queries == many_queries
    assert many_queries <= 20
    # Joining stored events (all found, nothing to create) takes no more either.
    again = count_queries(many, events_of(many, 8, "b", mentions_each=2))
    assert again <= many_queries


def test_a_batch_records_every_event_with_its_actors_place_claims_and_summary():
    article = article_with(6)
    result = record_events(article, events_of(article, 3, mentions_each=2), "t1")
    assert (result.created, result.merged, result.evidence_added) == (3, 0, 6)
    for i, event in enumerate(Event.objects.order_by("date_start")):
        assert event.title == f"Shelling {i}"
        assert sorted(event.actors.values_list("name", flat=True)) == [f"Army {i}", f"Militia {i}"]
        assert event.place.name == f"District {i}"
        assert event.evidence.count() == 2
        assert event.claims.count() == 2  # the same figure in both quotes: one claim per quote
        assert event.extractor_version == "t1"
        stored = (event.source_count, event.search_text)
        refresh_event_summary(event)
        assert stored == (event.source_count, event.search_text) == (1, event.search_text)
    assert Claim.objects.count() == 6


def test_a_re_run_adds_no_row_and_no_history():
    article = article_with(6)
    extracted = events_of(article, 3, mentions_each=2)
    record_events(article, extracted, "t1")
    counts = [m.history.model.objects.count() for m in (Event, Evidence, Claim)]
    rows = (Event.objects.count(), Evidence.objects.count(), Claim.objects.count(),
            Actor.objects.count(), Place.objects.count(), Event.actors.through.objects.count())
    again = record_events(article, extracted, "t1")
    assert (again.created, again.merged, again.evidence_added) == (0, 0, 0)
    assert rows == (Event.objects.count(), Evidence.objects.count(), Claim.objects.count(),
                    Actor.objects.count(), Place.objects.count(),
                    Event.actors.through.objects.count())
    assert counts == [m.history.model.objects.count() for m in (Event, Evidence, Claim)]


def test_history_has_a_row_per_created_event_evidence_and_claim_with_the_actors():
    article = article_with(2)
    record_events(article, events_of(article, 2), "t1")
    for event in Event.objects.all():
        (row,) = event.history.all()
        assert row.history_type == "+"
        assert row.title == event.title
        assert row.source_count == 1 and row.search_text == event.search_text
        assert sorted(a.actor.name for a in row.actors.all()) == sorted(
            event.actors.values_list("name", flat=True)
        )
    assert Evidence.history.filter(history_type="+").count() == 2
    assert Claim.history.filter(history_type="+").count() == 2


def test_a_join_that_changes_the_event_or_its_actors_writes_a_change_row():
    first = article_with(1)
    (stub,) = events_of(first, 1)
    record_events(first, [ExtractedStub(**{**stub.__dict__, "confidence": 0.3, "actors": ()})])
    event = Event.objects.get()
    assert event.status == Event.Status.DRAFT
    second = make_article("Another report of the shelling, with more detail, officials said.")
    joined = ExtractedStub(
        date(2025, 5, 1), "x", "ASSAULT", (mention_of(second.text, second.text),),
        confidence=0.9, actors=("Army 0",), existing_id=event.pk,
    )
    result = record_events(second, [joined])
    assert (result.created, result.merged, result.evidence_added) == (0, 1, 1)
    event.refresh_from_db()
    assert (event.confidence, event.status, event.source_count) == (0.9, "published", 2)
    latest = event.history.latest()
    assert (latest.history_type, latest.confidence, latest.status) == ("~", 0.9, "published")
    assert [a.actor.name for a in latest.actors.all()] == ["Army 0"]
    assert event.history.count() == 2


def test_a_join_writes_its_changes_and_the_summary_in_one_update_of_the_event():
    # An event's row is in a dozen indexes: each UPDATE of it writes them all again.
    first = article_with(1)
    (stub,) = events_of(first, 1)
    record_events(first, [ExtractedStub(
        **{**stub.__dict__, "confidence": 0.3, "needs_review": True, "place": None}
    )])
    event = Event.objects.get()
    second = make_article("Another report of the shelling, with more detail, officials said.")
    joined = ExtractedStub(
        date(2025, 5, 1), "x", "ASSAULT", (mention_of(second.text, second.text),),
        confidence=0.9, place="Odesa", existing_id=event.pk,
    )

    with CaptureQueriesContext(connection) as queries:
        record_events(second, [joined])

    updates = [q["sql"] for q in queries if re.match(r'\s*UPDATE "?timeline_event"? ', q["sql"])]
    assert len(updates) == 1, updates
    before = event.updated_at
    event.refresh_from_db()
    assert (event.confidence, event.needs_review, event.status, event.place.name) == (
        0.9, False, "published", "Odesa"
    )
    assert event.source_count == 2 and event.updated_at > before
    assert event.search_text.endswith(second.text)
    with pytest.raises(ValueError, match="writes only"):
        refresh_event_summaries([event.pk], [(event, ["title"])])


def test_a_change_is_written_even_for_an_event_not_among_the_ids():
    article = article_with(1)
    record_events(article, events_of(article, 1))
    event = Event.objects.get()
    event.confidence = 0.42

    refresh_event_summaries([], [(event, ["confidence"])])

    event.refresh_from_db()
    assert event.confidence == 0.42 and event.source_count == 1


def test_locked_fields_are_kept_in_a_batch():
    article = article_with(2)
    record_events(article, events_of(article, 2))
    locked, free = Event.objects.order_by("date_start")
    Event.objects.filter(pk=locked.pk).update(
        place=None, confidence=0.2, locked_fields=["place", "confidence", "actors"]
    )
    locked.actors.clear()
    Event.objects.filter(pk=free.pk).update(place=None, confidence=0.2)
    other = make_article(" ".join(sentences(2, "z")))
    lines = sentences(2, "z")
    joins = [
        ExtractedStub(date(2025, 5, 1), "x", "ASSAULT", (mention_of(other.text, lines[0]),),
                      actors=("New actor",), place="Somewhere", existing_id=locked.pk),
        ExtractedStub(date(2025, 5, 2), "y", "ASSAULT", (mention_of(other.text, lines[1]),),
                      actors=("New actor",), place="Somewhere", existing_id=free.pk),
    ]
    result = record_events(other, joins)
    assert (result.created, result.merged) == (0, 2)
    locked.refresh_from_db()
    free.refresh_from_db()
    assert (locked.place, locked.confidence, locked.actors.count()) == (None, 0.2, 0)
    assert free.place.name == "Somewhere" and free.confidence == 0.9
    assert "New actor" in free.actors.values_list("name", flat=True)


def test_only_the_deleted_event_stays_away_on_re_extraction():
    article = article_with(2)
    extracted = events_of(article, 2)
    record_events(article, extracted)
    Event.objects.get(title="Shelling 0").delete()  # an editor's delete leaves a tombstone
    assert Tombstone.objects.filter(reason="deleted").count() == 1
    result = record_events(article, extracted)
    assert (result.created, result.merged, result.evidence_added) == (0, 0, 0)
    assert list(Event.objects.values_list("title", flat=True)) == ["Shelling 1"]
    # A new quote of the article (a re-extraction that finds more) still comes in.
    longer = article_with(3)
    lines = sentences(3)
    fresh = ExtractedStub(date(2025, 5, 9), "New", "ASSAULT", (mention_of(longer.text, lines[2]),))
    assert record_events(longer, [fresh]).created == 1


def test_merged_events_are_followed_to_their_survivors_for_several_events_at_once():
    keep_a = Event.objects.create(date_start=date(2025, 5, 1), title="A", event_type="ASSAULT")
    keep_b = Event.objects.create(date_start=date(2025, 5, 1), title="B", event_type="ASSAULT")
    gone = {}
    for survivor in (keep_a, keep_b):
        old = Event.objects.create(date_start=date(2025, 5, 1), title="old", event_type="ASSAULT")
        gone[survivor.pk] = old.pk
        Event.objects.filter(pk=old.pk).delete()
        Tombstone.objects.update_or_create(
            event_id=gone[survivor.pk],
            defaults={"merged_into": survivor, "reason": "merged", "evidence_keys": []},
        )
    article = article_with(3)
    lines = sentences(3)
    result = record_events(article, [
        ExtractedStub(date(2025, 5, 1), "a", "ASSAULT", (mention_of(article.text, lines[0]),),
                      existing_id=gone[keep_a.pk]),
        ExtractedStub(date(2025, 5, 1), "b", "ASSAULT", (mention_of(article.text, lines[1]),),
                      existing_id=gone[keep_b.pk]),
        ExtractedStub(date(2025, 5, 1), "c", "ASSAULT", (mention_of(article.text, lines[2]),),
                      existing_id=keep_a.pk),
    ])
    assert (result.created, result.merged, result.evidence_added) == (0, 3, 3)
    assert sorted(Event.objects.values_list("title", flat=True)) == ["A", "B"]
    assert (keep_a.evidence.count(), keep_b.evidence.count()) == (2, 1)


def test_a_mention_at_an_offset_already_recorded_goes_to_that_event():
    article = article_with(2)
    lines = sentences(2)
    a = mention_of(article.text, lines[0])
    b = mention_of(article.text, lines[1])
    record_events(article, [ExtractedStub(date(2025, 5, 1), "A", "ASSAULT", (a,))])
    # The re-extraction clusters differently: the second event cites the first quote too.
    result = record_events(article, [
        ExtractedStub(date(2025, 5, 3), "B", "ASSAULT", (b, a)),
    ])
    assert (result.created, result.evidence_added) == (0, 1)
    event = Event.objects.get()
    assert event.title == "A" and event.evidence.count() == 2


def test_mentions_are_stored_on_evidence_when_created_and_refreshed_when_changed():
    article = article_with(1)
    (stub,) = events_of(article, 1)
    record_events(article, [stub], mention_json=lambda m: {"start": m.char_start, "v": 1})
    evidence = Evidence.objects.get()
    assert evidence.mention == {"start": evidence.char_start, "v": 1}
    record_events(article, [stub], mention_json=lambda m: {"start": m.char_start, "v": 2})
    evidence.refresh_from_db()
    assert evidence.mention == {"start": evidence.char_start, "v": 2}


def test_places_are_found_by_name_then_alias_and_created_once():
    make_place("Kyiv", country="Ukraine", aliases=["Kiev"])
    article = article_with(3)
    lines = sentences(3)
    stubs = [
        ExtractedStub(date(2025, 5, 1 + i), f"e{i}", "ASSAULT", (mention_of(article.text, s),),
                      place=name)
        for i, (s, name) in enumerate(zip(lines, ["Kiev", " Kyiv ", "Nowhere"]))
    ]
    record_events(article, stubs)
    places = {e.title: e.place.name for e in Event.objects.select_related("place")}
    assert places == {"e0": "Kyiv", "e1": "Kyiv", "e2": "Nowhere"}
    assert Place.objects.count() == 2


def test_summaries_of_many_events_match_the_one_by_one_refresh():
    article = article_with(4)
    record_events(article, events_of(article, 2, mentions_each=2))
    events = list(Event.objects.all())
    Event.objects.update(source_count=0, search_text="")
    fresh = refresh_event_summaries(e.pk for e in events)
    for event in events:
        refresh_event_summary(event)
        assert fresh[event.pk] == (event.source_count, event.search_text)
