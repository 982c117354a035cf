"""The editors' write services: quotes, review decisions, merge, split, and re-extraction."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import pytest

from tests.factories import make_actor, make_article, make_event, make_evidence, make_place
from timeline import editing
from timeline.models import Claim, Event, Evidence, Tombstone
from timeline.services import record_events

pytestmark = pytest.mark.django_db

TEXT = (
    "KYIV, June 4. Russian forces shelled Kharkiv on Monday, killing seven people. "
    "Officials said more than 100 were injured."
)


# Stand-ins for ingest's extraction output, satisfying services.EventLike.
@dataclass
class FakeClaim:
    kind: str
    value: str
    claimant: str = ""
    char_start: int = 0


@dataclass
class FakeMention:
    quote: str
    char_start: int
    char_end: int
    date_text: str = "on Monday"
    rule: str = "weekday before the publication date"
    anchor: date | None = date(2025, 6, 4)
    speaker: str = ""
    claims: list = field(default_factory=list)


@dataclass
class FakeEvent:
    date_start: date
    title: str
    mentions: list
    date_end: date | None = None
    precision: str = "day"
    event_type: str = "ASSAULT"
    mode: str = "artillery"
    actors: list = field(default_factory=lambda: ["Russia"])
    place: str | None = "Kharkiv"
    confidence: float = 0.9
    needs_review: bool = False
    existing_id: int | None = None


def mention_of(article, quote: str) -> FakeMention:
    start = article.text.index(quote)
    return FakeMention(quote=quote, char_start=start, char_end=start + len(quote))


# Quotes and evidence


def test_locate_quote_returns_the_offsets_of_a_verbatim_quote():
    assert editing.locate_quote(TEXT, "shelled Kharkiv on Monday") == (29, 54)


def test_locate_quote_prefers_the_given_place_of_a_repeated_quote():
    text = "Kharkiv was hit. Later Kharkiv was hit."
    assert editing.locate_quote(text, "Kharkiv was hit") == (0, 15)
    assert editing.locate_quote(text, "Kharkiv was hit", prefer_start=23) == (23, 38)
    assert editing.locate_quote(text, "Kharkiv was hit", prefer_start=5) == (0, 15)


def test_locate_quote_rejects_a_paraphrase():
    with pytest.raises(editing.QuoteNotFound):
        editing.locate_quote(TEXT, "Russian forces shelled Kharkiv on Tuesday")


def test_add_evidence_fills_offsets_marks_editor_origin_and_counts_the_source():
    article = make_article(TEXT)
    event = make_event(title="Shelling of Kharkiv")
    evidence = editing.add_evidence(event, article, "killing seven people")
    assert (evidence.char_start, evidence.char_end) == (56, 76)
    assert article.text[evidence.char_start:evidence.char_end] == "killing seven people"
    assert evidence.origin == Event.Origin.EDITOR
    event.refresh_from_db()
    assert event.source_count == 1
    assert "killing seven people" in event.search_text


def test_add_evidence_refuses_the_same_place_twice():
    article = make_article(TEXT)
    event = make_event()
    editing.add_evidence(event, article, "killing seven people")
    with pytest.raises(editing.EditingError):
        editing.add_evidence(event, article, "killing seven people")
    assert Evidence.objects.filter(event=event).count() == 1


def test_a_claim_cannot_rest_on_another_events_evidence():
    article = make_article(TEXT)
    event, other = make_event(), make_event()
    evidence = make_evidence(other, article, 56, 76)
    with pytest.raises(editing.EditingError):
        editing.add_claim(event, Claim.Kind.FATALITIES, "7", evidence=evidence)
    claim = editing.add_claim(
        other, Claim.Kind.FATALITIES, "7", claimant="officials", evidence=evidence
    )
    assert (claim.origin, claim.event_id) == (Event.Origin.EDITOR, other.pk)


# Review decisions


def test_publish_changes_status_only_and_locks_it():
    draft = make_event(status=Event.Status.DRAFT, verified=False)
    assert editing.publish(Event.objects.filter(pk=draft.pk)) == 1
    draft.refresh_from_db()
    assert (draft.status, draft.verified) == (Event.Status.PUBLISHED, False)
    assert draft.locked_fields == ["status"]


def test_publishing_twice_counts_only_real_changes():
    draft = make_event(status=Event.Status.DRAFT)
    published = make_event(status=Event.Status.PUBLISHED)
    assert editing.publish([draft, published]) == 1


def test_verifying_does_not_publish():
    draft = make_event(status=Event.Status.DRAFT)
    editing.mark_verified([draft])
    draft.refresh_from_db()
    assert (draft.status, draft.verified) == (Event.Status.DRAFT, True)


def test_review_decisions_are_recorded_in_history():
    draft = make_event(status=Event.Status.DRAFT)
    editing.reject([draft])
    latest = draft.history.latest()
    assert latest.status == Event.Status.REJECTED
    assert latest.history_type == "~"


def test_review_queue_holds_machine_drafts_most_confident_then_most_sourced():
    low = make_event(status=Event.Status.DRAFT, confidence=0.3, source_count=5)
    high_few = make_event(status=Event.Status.DRAFT, confidence=0.45, source_count=1)
    high_many = make_event(status=Event.Status.DRAFT, confidence=0.45, source_count=3)
    make_event(status=Event.Status.PUBLISHED, confidence=0.9)
    make_event(status=Event.Status.DRAFT, origin=Event.Origin.EDITOR, confidence=0.9)
    make_event(status=Event.Status.REJECTED, confidence=0.9)
    assert list(editing.review_queue()) == [high_many, high_few, low]


# Merge


def test_merge_unites_evidence_and_actors_and_drops_duplicate_places():
    shared, only_b = make_article(TEXT), make_article("Kharkiv was shelled again on Monday night.")
    russia, ukraine = make_actor("Russia"), make_actor("Ukraine")
    a = make_event(title="Shelling of Kharkiv", actors=[russia], evidence_from=[shared])
    b = make_event(title="Kharkiv shelled", actors=[ukraine], evidence_from=[shared, only_b])
    survivor = editing.merge_events([a, b])
    # b cites two articles, so it is kept.
    assert survivor.pk == b.pk
    assert sorted(survivor.evidence.values_list("article_id", "char_start")) == sorted(
        [(shared.pk, 0), (only_b.pk, 0)]
    )
    assert set(survivor.actors.values_list("name", flat=True)) == {"Russia", "Ukraine"}
    survivor.refresh_from_db()
    assert survivor.source_count == 2
    assert not Event.objects.filter(pk=a.pk).exists()
    tombstone = Tombstone.objects.get(event_id=a.pk)
    assert (tombstone.reason, tombstone.merged_into_id) == ("merged", b.pk)


def test_merge_ties_keep_the_oldest_event_and_an_explicit_choice_wins():
    a, b, c = (make_event(evidence_from=[make_article()]) for _ in range(3))
    assert editing.pick_survivor([c, b, a]) == a
    kept = editing.merge_events([a, b, c], survivor=c)
    assert kept.pk == c.pk
    assert set(Tombstone.objects.values_list("event_id", "merged_into_id")) == {
        (a.pk, c.pk), (b.pk, c.pk)
    }


def test_merge_moves_claims_and_repoints_claims_of_dropped_evidence():
    article = make_article(TEXT)
    a = make_event(evidence_from=[make_article(), make_article()])
    b = make_event()
    dup = make_evidence(b, article, 56, 76)
    keep_row = make_evidence(a, article, 56, 76)
    Claim.objects.create(event=a, kind="fatalities", value="7", evidence=keep_row)
    Claim.objects.create(event=b, kind="fatalities", value="7", evidence=dup)  # same claim
    Claim.objects.create(event=b, kind="injured", value="more than 100", evidence=dup)
    survivor = editing.merge_events([a, b])
    assert survivor.pk == a.pk
    assert sorted(survivor.claims.values_list("kind", "value", "evidence_id")) == [
        ("fatalities", "7", keep_row.pk), ("injured", "more than 100", keep_row.pk)
    ]
    assert not Evidence.objects.filter(pk=dup.pk).exists()


def test_merge_publishes_the_result_when_readers_saw_one_of_the_events():
    draft = make_event(status=Event.Status.DRAFT, evidence_from=[make_article(), make_article()])
    published = make_event(status=Event.Status.PUBLISHED, confidence=0.95)
    survivor = editing.merge_events([draft, published])
    assert survivor.pk == draft.pk
    assert (survivor.status, survivor.confidence) == (Event.Status.PUBLISHED, 0.95)


def test_merging_a_merged_event_again_repoints_the_old_permalinks(client):
    a, b, c = (make_event(evidence_from=[make_article()]) for _ in range(3))
    editing.merge_events([a, b], survivor=b)
    editing.merge_events([b, c], survivor=c)
    assert Tombstone.objects.get(event_id=a.pk).merged_into_id == c.pk
    response = client.get(f"/events/{a.pk}/")
    assert (response.status_code, response.url) == (301, f"/events/{c.pk}/")


def test_merge_needs_two_events():
    a = make_event()
    with pytest.raises(editing.EditingError):
        editing.merge_events([a])


# Split


def test_split_moves_evidence_and_its_claims_to_a_new_editor_draft():
    kharkiv = make_place("Kharkiv")
    russia = make_actor("Russia")
    first, second = make_article(TEXT), make_article("Odesa port was struck on Tuesday.")
    event = make_event(
        title="Strikes", place=kharkiv, actors=[russia], evidence_from=[first, second]
    )
    moving = event.evidence.get(article=second)
    claim = Claim.objects.create(event=event, kind="damage", value="port", evidence=moving)
    new = editing.split_event([moving], title="Strike on Odesa port")
    assert (new.title, new.status, new.origin) == (
        "Strike on Odesa port", Event.Status.DRAFT, Event.Origin.EDITOR
    )
    assert (new.place, list(new.actors.all())) == (kharkiv, [russia])
    assert list(new.evidence.values_list("pk", flat=True)) == [moving.pk]
    claim.refresh_from_db()
    assert claim.event_id == new.pk
    event.refresh_from_db()
    new.refresh_from_db()
    assert (event.source_count, new.source_count) == (1, 1)


def test_split_keeps_at_least_one_evidence_row_and_one_event_at_a_time():
    event = make_event(evidence_from=[make_article()])
    with pytest.raises(editing.EditingError):
        editing.split_event(event.evidence.all())
    one = make_event(evidence_from=[make_article()])
    two = make_event(evidence_from=[make_article()])
    with pytest.raises(editing.EditingError):
        editing.split_event([*one.evidence.all(), *two.evidence.all()])


# Deletion


def test_deleting_events_in_bulk_leaves_tombstones():
    a, b = make_event(), make_event()
    Event.objects.filter(pk__in=[a.pk, b.pk]).delete()
    assert sorted(Tombstone.objects.values_list("event_id", "reason", "merged_into")) == [
        (a.pk, "deleted", None), (b.pk, "deleted", None)
    ]


# Machine vs editor


def test_re_extraction_keeps_the_place_an_editor_cleared_and_the_status_they_set():
    article = make_article(TEXT)
    quote = "Russian forces shelled Kharkiv on Monday"
    extracted = FakeEvent(
        date_start=date(2025, 6, 2), title="Russian forces shelled Kharkiv",
        mentions=[mention_of(article, quote)], confidence=0.3,
    )
    record_events(article, [extracted])
    event = Event.objects.get()
    assert (event.place.name, event.status) == ("Kharkiv", Event.Status.DRAFT)

    # An editor removes a wrong place and says the event stays a draft.
    event.place = None
    event.title = "Shelling of Kharkiv (editor's title)"
    editing.lock_fields(event, ["place", "title"])
    event.save()

    # A second article strengthens it; the machine would fill the place and publish.
    second = make_article("Russian forces shelled Kharkiv on Monday, the governor said.")
    again = FakeEvent(
        date_start=date(2025, 6, 2), title="Russian forces shelled Kharkiv",
        mentions=[mention_of(second, quote)], confidence=0.95, existing_id=event.pk,
    )
    result = record_events(second, [again])
    assert result.merged == 1
    event.refresh_from_db()
    assert event.place is None
    assert event.title == "Shelling of Kharkiv (editor's title)"
    assert event.source_count == 2


def test_re_extraction_does_not_publish_a_draft_whose_status_an_editor_set():
    article = make_article(TEXT)
    quote = "Russian forces shelled Kharkiv on Monday"
    record_events(article, [FakeEvent(date(2025, 6, 2), "Shelling", [mention_of(article, quote)])])
    event = Event.objects.get()
    assert event.status == Event.Status.PUBLISHED
    # The editor unpublishes it for checking; the lock holds against a confident re-run.
    event.status = Event.Status.DRAFT
    editing.lock_fields(event, ["status"])
    event.save()
    second = make_article("Russian forces shelled Kharkiv on Monday, witnesses said.")
    again = FakeEvent(
        date(2025, 6, 2), "Shelling", [mention_of(second, quote)], confidence=0.99,
        existing_id=event.pk,
    )
    record_events(second, [again])
    event.refresh_from_db()
    assert event.status == Event.Status.DRAFT


def test_a_rejected_event_stays_rejected_when_its_article_is_extracted_again():
    article = make_article(TEXT)
    quote = "Russian forces shelled Kharkiv on Monday"
    extracted = FakeEvent(date(2025, 6, 2), "Shelling", [mention_of(article, quote)])
    record_events(article, [extracted])
    editing.reject(Event.objects.all())
    record_events(article, [extracted])
    assert list(Event.objects.values_list("status", flat=True)) == [Event.Status.REJECTED]


def test_re_extraction_of_the_same_article_leaves_an_editor_made_event_alone():
    article = make_article(TEXT)
    mine = make_event(title="Editor's event", origin=Event.Origin.EDITOR, status=Event.Status.DRAFT)
    editing.add_evidence(mine, article, "killing seven people")
    quote = "Russian forces shelled Kharkiv on Monday"
    record_events(article, [FakeEvent(date(2025, 6, 2), "Shelling", [mention_of(article, quote)])])
    record_events(article, [])  # a re-run that finds nothing
    mine.refresh_from_db()
    assert (mine.title, mine.origin, mine.status) == (
        "Editor's event", Event.Origin.EDITOR, Event.Status.DRAFT
    )
    assert mine.evidence.count() == 1
    assert Event.objects.count() == 2


def test_a_merge_writes_one_history_row_per_moved_evidence_and_claim():
    a = make_event(evidence_from=[make_article(), make_article()])
    b = make_event(evidence_from=[make_article()])
    moved = list(a.evidence.order_by("pk"))
    claim = Claim.objects.create(event=a, kind="fatalities", value="3", evidence=moved[0])
    editing.merge_events([a, b], survivor=b)
    for row in moved:
        (change,) = row.history.filter(history_type="~")
        assert change.event_id == b.pk and change.quote == row.quote
    (change,) = claim.history.filter(history_type="~")
    assert (change.event_id, change.evidence_id) == (b.pk, moved[0].pk)
    assert set(b.evidence.values_list("pk", flat=True)) >= {e.pk for e in moved}
