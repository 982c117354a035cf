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
_UNKNOWN_PLACE = re.compile(
    r"\b(?:(?:village|town|city|settlement|district|region|province|port|base)\s+of\s+"
    r"(?P<a>[A-Z][\w'’\-]+(?:\s+[A-Z][\w'’\-]+)?)"
    r"|(?P<b>[A-Z][\w'’\-]+(?:\s+[A-Z][\w'’\-]+)?)"
    r"\s+(?:region|oblast|province|governorate|district))\b"
)


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

    ``taken`` holds the spans of actor names ("Nyala" in a person's name "Nyala Hassan" is no city).
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
    for m in _UNKNOWN_PLACE.finditer(text, start, end):
        group = "a" if m.group("a") else "b"
        s, e = m.span(group)
        if any(p.start < e and s < p.end for p in found) or taken.overlaps(s, e):
            continue
        found.append(PlaceMention(s, e, m.group(group), m.group(group)))
    found.sort(key=lambda p: p.start)
    return found
