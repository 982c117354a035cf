"""Merging mentions into events, within and across articles, and into stored events."""
from datetime import date

from ingest.extraction.clustering import merge_mentions
from ingest.extraction.events import extract_mentions
from ingest.extraction.lexicon import load_starter_lexicon
from ingest.extraction.types import ArticleInput, ExtractedEvent, PublicationDate

LEX = load_starter_lexicon()
PUB = PublicationDate(date(2024, 9, 11), "dateline")


def _mentions(key, text, published=PUB):
    return extract_mentions(ArticleInput(key, text), LEX, published=published)[1]


def test_same_attack_told_by_two_articles_is_one_event_citing_both():
    a = _mentions("a.txt", "The RSF shelled the Abu Shouk camp near El Fasher on Tuesday.")
    b = _mentions("b.txt", "Rapid Support Forces shelling hit the Abu Shouk camp on Tuesday, "
                           "medics said.")
    [event] = merge_mentions(a + b, lexicon=LEX)
    assert event.date_start == date(2024, 9, 10)
    assert {m.article for m in event.mentions} == {"a.txt", "b.txt"}


def test_two_calls_on_one_day_with_different_leaders_stay_two_events():
    text = ("Pashinyan spoke by phone with Putin on Tuesday. "
            "Separately on Tuesday, Pashinyan also spoke by phone with Macron.")
    events = merge_mentions(_mentions("a.txt", text), lexicon=LEX)
    assert sorted(tuple(sorted(e.actors)) for e in events) == [
        ("Emmanuel Macron", "Nikol Pashinyan"), ("Nikol Pashinyan", "Vladimir Putin")]


def test_attacks_by_opposite_sides_on_one_day_stay_apart():
    text = ("Russia's drone attacks on Kharkiv on Sunday killed two. "
            "Ukrainian drone attacks on the Belgorod region on Sunday hit a depot.")
    events = merge_mentions(_mentions("a.txt", text), lexicon=LEX)
    assert sorted(e.mentions[0].agent for e in events) == ["Russia", "Ukraine"]


def test_undated_reference_joins_the_dated_event_it_names_in_another_article():
    dated = _mentions("a.txt", "Drones destroyed the Chonhar bridge on Saturday.")
    later = _mentions("b.txt", "Officials condemned the attack on the Chonhar bridge.")
    [event] = merge_mentions(dated + later, lexicon=LEX)
    assert {m.article for m in event.mentions} == {"a.txt", "b.txt"}
    assert event.date_start == date(2024, 9, 7)


def test_undated_reference_naming_nothing_dated_is_dropped():
    refs = _mentions("b.txt", "Officials condemned the attack on the Chonhar bridge.")
    assert merge_mentions(refs, lexicon=LEX) == []


def test_reference_to_talks_in_a_city_picks_the_most_recent_talks_there():
    early = _mentions("a.txt", "Delegations held talks in Jeddah on August 1.")
    late = _mentions("b.txt", "Delegations held peace talks in Jeddah on September 9.")
    ref = _mentions("c.txt", "The army walked out of the peace talks in Jeddah.")
    events = merge_mentions(early + late + ref, lexicon=LEX)
    [with_ref] = [e for e in events if any(m.article == "c.txt" for m in e.mentions)]
    assert with_ref.date_start == date(2024, 9, 9)


def test_mention_joining_a_stored_event_carries_its_id():
    stored_mentions = tuple(_mentions("old.txt", "The RSF shelled the Abu Shouk camp on Tuesday."))
    stored = ExtractedEvent(date(2024, 9, 10), None, "day", "RSF shells Abu Shouk camp",
                            "ASSAULT", "", ("Rapid Support Forces",), "El Fasher", 0.8,
                            stored_mentions, existing_id=42)
    new = _mentions("new.txt", "The RSF shelled the Abu Shouk camp near El Fasher on Tuesday.")
    [event] = merge_mentions(new, existing=[stored], lexicon=LEX)
    assert event.existing_id == 42
    assert [m.article for m in event.mentions] == ["new.txt"]


def test_events_only_from_related_dates_need_review():
    related = PublicationDate(date(2024, 9, 11), "related")
    [event] = merge_mentions(_mentions("a.txt", "The RSF shelled the camp on Tuesday.", related),
                             lexicon=LEX)
    assert event.needs_review is True
