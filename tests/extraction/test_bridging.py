"""Merging into stored events: a new mention that ties two stored events names both."""
from dataclasses import replace
from datetime import date

from ingest.extraction import clustering
from ingest.extraction.clustering import merge_mentions
from ingest.extraction.events import extract_mentions
from ingest.extraction.lexicon import load_starter_lexicon
from ingest.extraction.types import ArticleInput, PublicationDate

LEX = load_starter_lexicon()
PUB = PublicationDate(date(2024, 9, 11), "dateline")
BASES = "Officials counted the Ukrainian drone attacks on four strategic air bases in Russian " \
        "territory on Sunday."
AIRFIELDS = "The drone strikes on Russian airfields on Sunday caused alarm."
BRIDGE = "Ministers discussed Ukraine's attack on Russian strategic bombers on Sunday."


def _mentions(key, text):
    return extract_mentions(ArticleInput(key, text), LEX, published=PUB)[1]


def _stored(event_id, mentions):
    [event] = merge_mentions(mentions, lexicon=LEX)
    return replace(event, existing_id=event_id)


def test_read_together_the_third_report_ties_the_other_two():
    bases, airfields, bridge = _mentions("a", BASES), _mentions("b", AIRFIELDS), _mentions("c", BRIDGE)
    assert len(merge_mentions(bases + airfields, lexicon=LEX)) == 2
    assert len(merge_mentions(bases + airfields + bridge, lexicon=LEX)) == 1


def test_arriving_last_it_joins_one_stored_event_and_names_the_other():
    stored = [_stored(1, _mentions("a", BASES)), _stored(2, _mentions("b", AIRFIELDS))]
    [event] = merge_mentions(_mentions("c", BRIDGE), stored, lexicon=LEX)
    assert (event.existing_id, event.merge_ids) == (1, (2,))
    assert [m.article for m in event.mentions] == ["c"]


def test_a_mention_joining_one_stored_event_names_no_other():
    stored = [_stored(1, _mentions("a", BASES))]
    [event] = merge_mentions(_mentions("c", BRIDGE), stored, lexicon=LEX)
    assert (event.existing_id, event.merge_ids) == (1, ())


def test_stored_events_are_not_compared_with_each_other_again(monkeypatch):
    """They were linked when stored: a new mention costs comparisons with each stored event
    of its day, not with every pair of them."""
    stored = [_stored(n, _mentions(f"s{n}", AIRFIELDS)) for n in range(1, 31)]
    calls = []
    real = clustering.tie_score

    def counting(a, b, *args):
        calls.append((a.article, b.article))
        return real(a, b, *args)

    monkeypatch.setattr(clustering, "tie_score", counting)
    [event] = merge_mentions(_mentions("c", BASES), stored, lexicon=LEX)
    assert (event.existing_id, event.merge_ids) == (None, ())
    assert 30 <= len(calls) <= 2 * 30
