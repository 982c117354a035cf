"""Evidence identity across re-runs: one sentence may tell two events; a new reading of an
article withdraws what the old reading said and the new one does not."""
from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from tests.factories import ExtractedStub, make_article, make_event, make_evidence, mention_of
from timeline.models import Event, Evidence, Tombstone
from timeline.services import evidence_key, record_events, withdraw_stale_evidence

pytestmark = pytest.mark.django_db

TEXT = "On Wednesday the two presidents spoke about the attack on the bridges."
SENTENCE = TEXT


def _call(article) -> ExtractedStub:
    return ExtractedStub(
        date_start=date(2025, 6, 4), title="The presidents spoke", event_type="CONSULT",
        mentions=(mention_of(article.text, SENTENCE, date_text="On Wednesday"),),
    )


def _attack(article) -> ExtractedStub:
    return ExtractedStub(
        date_start=date(2025, 5, 31), title="Attack on the bridges", event_type="ASSAULT",
        mentions=(mention_of(article.text, SENTENCE, date_text="", rule=""),),
    )


def test_one_sentence_telling_two_events_is_evidence_of_both_and_stays_so():
    article = make_article(TEXT)
    first = record_events(article, [_attack(article), _call(article)])
    assert (first.created, first.evidence_added) == (2, 2)
    by_type = {e.event_type: e for e in Event.objects.all()}
    assert by_type["CONSULT"].evidence.get().date_text == "On Wednesday"
    assert by_type["ASSAULT"].evidence.get().date_text == ""
    again = record_events(article, [_call(article), _attack(article)])
    assert (again.created, again.evidence_added) == (0, 0)
    assert Event.objects.count() == 2 and Evidence.objects.count() == 2


def test_withdrawing_removes_what_the_new_reading_no_longer_says():
    article = make_article(TEXT)
    record_events(article, [_call(article)])
    call = Event.objects.get()
    # The article's date changed: "On Wednesday" is now read against another anchor.
    moved = replace(_call(article).mentions[0], anchor=date(2025, 6, 11))
    removed = withdraw_stale_evidence([article], lambda _, key, __: key == evidence_key(moved))
    assert removed == 1
    assert not Event.objects.filter(pk=call.pk).exists()
    assert Tombstone.objects.get(event_id=call.pk).reason == "withdrawn"


def test_withdrawing_spares_what_editors_touched_and_events_with_other_sources():
    article, other = make_article(TEXT), make_article()
    verified = make_event(verified=True, evidence_from=[article])
    shared = make_event(evidence_from=[article, other])
    by_editor = make_event()
    make_evidence(by_editor, article, origin=Event.Origin.EDITOR)
    removed = withdraw_stale_evidence([article], lambda article_id, key, event_id: False)
    assert removed == 1  # only the row in `shared`
    assert Event.objects.filter(pk__in=[verified.pk, shared.pk, by_editor.pk]).count() == 3
    shared.refresh_from_db()
    assert shared.source_count == 1
    assert list(shared.evidence.values_list("article_id", flat=True)) == [other.pk]
