"""Places named in a text: dictionary places and "the town of X" / "X region" patterns.

A country or capital is a place only after a word of location ("in Ukraine", "near
Moscow"); elsewhere it stands for a government ("Moscow said") and is an actor.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from .lexicon import Hit, Lexicon, SpanSet

_LOCATIVE_BEFORE = re.compile(
    r"(?:\b(?:in|at|near|outside|inside|around|across|over|from|into|to|towards?|of|"
    r"throughout|within|off|on)\s+(?:the\s+)?(?:(?:[a-z\-]+|[A-Z][a-z]+)\s+)?)$")
_IN_COUNTRY = re.compile(r"\b(?:in|inside|across|throughout|within|into)\s+(?:the\s+)?"
                         r"(?:[a-z\-]+\s+)?$")
_PLACE_NAME = r"[A-Z][\w'’\-]+(?:\s+[A-Z][\w'’\-]+)?"
# "the village of Sotk": the name follows the head word
_HEAD_OF_PLACE = re.compile(r"(?:village|town|city|settlement|district|region|province|port|base)"
                            rf"\s+of\s+({_PLACE_NAME})\b")
_OF_HEADS = frozenset("village town city settlement district region province port base".split())
# "the Kassala region": the name comes before the head word
_PLACE_BEFORE_HEAD = re.compile(rf"\b({_PLACE_NAME})\s+$")
_AFTER_HEADS = frozenset("region oblast province governorate district".split())


# not frozen: made by the thousand per article, and a frozen dataclass costs
# three times as much to build; nothing changes one after it is made
@dataclass(slots=True)
class PlaceMention:
    start: int
    end: int
    text: str
    name: str
    country: str = ""
    region: str = ""  # country, region, city, or "" for a place the dictionary lacks


def find_places(text: str, lexicon: Lexicon, start: int = 0, end: int | None = None,
                hits: list[Hit] | None = None,
                taken: list[tuple[int, int]] = ()) -> list[PlaceMention]:
    """Return the places named in ``text[start:end]`` outside the spans in ``taken``.

    ``taken`` holds the spans of actor names ("Nyala" in the name "Nyala Hassan" is no city).
    """
    end = len(text) if end is None else end
    if hits is None:
        hits = lexicon.find_places(text, start, end)
    found: list[PlaceMention] = []
    taken = SpanSet(taken)
    for hit in hits:
        if taken.overlaps(hit.start, hit.end):
            if not _LOCATIVE_BEFORE.search(text, max(0, hit.start - 30), hit.start):
                continue
        place = lexicon.place(hit.name)
        if place is None:
            continue
        if place.region == "country" and not _IN_COUNTRY.search(
                text, max(0, hit.start - 30), hit.start):
            continue
        found.append(PlaceMention(hit.start, hit.end, hit.text, place.name, place.country,
                                  place.region))
    for s, e in _unknown_place_spans(text, lexicon, start, end):
        if any(p.start < e and s < p.end for p in found) or taken.overlaps(s, e):
            continue
        found.append(PlaceMention(s, e, text[s:e], text[s:e]))
    found.sort(key=lambda p: p.start)
    return found


def _unknown_place_spans(text: str, lexicon: Lexicon, start: int, end: int):
    """Yield the spans of names that a place word introduces ("village of X", "X region")."""
    words = lexicon.words(text, start, end)
    for i in words.positions(_OF_HEADS | _AFTER_HEADS):
        head_start, head = words.starts[i], words.words[i]
        if head in _OF_HEADS:
            m = _HEAD_OF_PLACE.match(text, head_start, end)
            if m:
                yield m.span(1)
        if head in _AFTER_HEADS:
            m = _PLACE_BEFORE_HEAD.search(text, max(start, head_start - 60), head_start)
            if m:
                yield m.span(1)
