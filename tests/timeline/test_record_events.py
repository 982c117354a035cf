"""timeline.services.record_events: the one write path for extracted events."""
from __future__ import annotations

from datetime import date

import pytest

from tests.factories import ClaimStub, ExtractedStub, make_article, mention_of
from timeline.models import Actor, Claim, Event, Evidence, Place, Tombstone
from timeline.services import record_events

pytestmark = pytest.mark.django_db

TEXT = (
    "Artillery shelled the port of Kherson on Monday, killing three people. "
    "Officials from both sides met in Geneva on Tuesday."
)


def shelling(article, **kw) -> ExtractedStub:
    sentence = "Artillery shelled the port of Kherson on Monday, killing three people."
    return ExtractedStub(
        date_start=date(2025, 6, 2),
        title="Artillery shelling of Kherson port",
        event_type="ASSAULT",
        mode="artillery",
        actors=("Russia",),
        place="Kherson",
        mentions=(mention_of(article.text, sentence, claims=(ClaimStub("fatalities", "3"),)),),
        **kw,
    )


def test_records_an_event_with_its_evidence_actors_place_and_claims():
    article = make_article(TEXT)
    result = record_events(article, [shelling(article)], extractor_version="t1")
    assert (result.created, result.merged, result.evidence_added) == (1, 0, 1)
    event = Event.objects.get()
    assert event.date_start == date(2025, 6, 2)
    assert event.status == Event.Status.PUBLISHED
    assert event.source_count == 1
    assert list(event.actors.values_list("name", flat=True)) == ["Russia"]
    assert event.place.name == "Kherson"
    evidence = Evidence.objects.get()
    assert article.text[evidence.char_start : evidence.char_end] == evidence.quote
    assert evidence.date_text == "on Monday"
    assert evidence.date_rule == "weekday before the publication date"
    assert Claim.objects.get().value == "3"
    assert "Kherson" in event.search_text


def test_running_it_again_for_the_same_article_changes_nothing():
    article = make_article(TEXT)
    record_events(article, [shelling(article)])
    again = record_events(article, [shelling(article)])
    assert (again.created, again.merged, again.evidence_added) == (0, 0, 0)
    assert (Event.objects.count(), Evidence.objects.count(), Claim.objects.count()) == (1, 1, 1)
    assert (Actor.objects.count(), Place.objects.count()) == (1, 1)


def test_a_second_article_joins_the_stored_event_it_names():
    first = make_article(TEXT)
    record_events(first, [shelling(first)])
    event = Event.objects.get()
    second = make_article("Shelling of Kherson port on Monday killed three, officials said.")
    joined = ExtractedStub(
        date_start=date(2025, 6, 2),
        title="Shelling",
        event_type="ASSAULT",
        mentions=(mention_of(second.text, second.text),),
        existing_id=event.pk,
    )
    result = record_events(second, [joined])
    assert (result.created, result.merged, result.evidence_added) == (0, 1, 1)
    event.refresh_from_db()
    assert event.source_count == 2
    assert Event.objects.count() == 1


def test_low_confidence_and_fallback_dated_events_wait_as_drafts():
    article = make_article(TEXT)
    record_events(article, [shelling(article, confidence=0.1)])
    assert Event.objects.get().status == Event.Status.DRAFT
    other = make_article(TEXT + " ")
    record_events(other, [shelling(other, needs_review=True)])
    flagged = Event.objects.get(needs_review=True)
    assert flagged.status == Event.Status.DRAFT


def test_joining_never_overwrites_a_field_an_editor_locked():
    article = make_article(TEXT)
    record_events(article, [shelling(article, confidence=0.3)])
    event = Event.objects.get()
    event.status = Event.Status.REJECTED
    event.locked_fields = ["status"]
    event.save()
    second = make_article("Another report of the Kherson port shelling.")
    record_events(
        second,
        [ExtractedStub(date(2025, 6, 2), "x", "ASSAULT", (mention_of(second.text, second.text),),
                   confidence=0.9, existing_id=event.pk)],
    )
    event.refresh_from_db()
    assert event.status == Event.Status.REJECTED
    assert event.confidence == 0.9


def test_a_failed_write_leaves_nothing_behind():
    article = make_article(TEXT)
    good = shelling(article)
    broken = ExtractedStub(
        date_start=date(2025, 6, 3),
        title="Broken",
        event_type="CONSULT",
        precision="range",  # a range without an end breaks a constraint
        mentions=(mention_of(article.text, "Officials from both sides met in Geneva on Tuesday."),),
    )
    with pytest.raises(Exception):
        record_events(article, [good, broken])
    assert Event.objects.count() == 0
    assert Evidence.objects.count() == 0


def test_an_event_an_editor_deleted_does_not_come_back_on_re_extraction():
    article = make_article(TEXT)
    record_events(article, [shelling(article)])
    Event.objects.get().delete()
    result = record_events(article, [shelling(article)])
    assert result.created == 0
    assert Event.objects.count() == 0


def test_joining_a_merged_event_follows_its_tombstone_to_the_survivor():
    article = make_article(TEXT)
    record_events(article, [shelling(article)])
    survivor = Event.objects.get()
    gone = Event.objects.create(date_start=date(2025, 6, 2), title="dup", event_type="ASSAULT")
    gone_id = gone.pk
    Tombstone.objects.create(event_id=gone_id, merged_into=survivor, reason="merged")
    gone.delete()
    second = make_article("A second report on the shelling of the port.")
    record_events(second, [ExtractedStub(date(2025, 6, 2), "x", "ASSAULT",
                                     (mention_of(second.text, second.text),), existing_id=gone_id)])
    assert Event.objects.count() == 1
    assert survivor.evidence.count() == 2


def test_actors_an_editor_locked_are_not_added_back():
    article = make_article(TEXT)
    record_events(article, [shelling(article)])
    event = Event.objects.get()
    event.actors.clear()
    event.locked_fields = ["actors"]
    event.save()
    record_events(article, [shelling(article)])
    assert event.actors.count() == 0
