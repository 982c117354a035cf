"""The dictionaries the extractor matches (actors, places, event keywords) as data.

A ``Lexicon`` is built from plain lists of dicts, the shape of the JSON files under
``data/`` and of the Actor/Place/EventKeyword tables, so the database layer can build
one from what editors changed in the admin. A text is cut into words once (one compiled
regex) and each dictionary is one hash table of word n-grams: the cost per text does
not grow with the number of names, which a regex alternation of thousands of city names
would (Python's ``re`` tries alternatives one by one).
"""
from __future__ import annotations

import bisect
import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import accumulate, chain
from operator import attrgetter
from pathlib import Path

DATA_DIR = Path(__file__).with_name("data")



@dataclass(frozen=True, slots=True)
class Actor:
    name: str
    kind: str  # state, person, organization, government, armed group
    country: str = ""  # ISO 3166 alpha-2
    aliases: tuple[str, ...] = ()
    demonyms: tuple[str, ...] = ()  # "Russian" for Russia: only states have them


@dataclass(frozen=True, slots=True)
class Place:
    name: str
    country: str = ""
    region: str = ""  # country, region, city
    latitude: float | None = None
    longitude: float | None = None
    gazetteer_id: str = ""
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class EventKeyword:
    phrase: str
    event_type: str  # PLOVER
    mode: str = ""


# not frozen: made by the thousand per article, and a frozen dataclass costs
# three times as much to build; nothing changes one after it is made
@dataclass(slots=True)
class Hit:
    """One dictionary match in a text: ``name`` is the canonical entry it stands for."""

    start: int
    end: int
    text: str
    name: str


# Words as the matcher sees them: letters and digits, joined by "." or "-" ("U.S",
# "al-Sharaa", "US-born") or by an apostrophe that is not the possessive "'s".
_TOKEN = re.compile(r"\w+(?:[.\-]\w+|['’](?![sS]\b)\w+)*")


def _plain_apostrophes(text: str) -> str:
    # U+02BC (ʼ, "Ukraineʼs") is a letter to Python's \w: read it as an apostrophe; the
    # replacement keeps every offset
    return text.replace("ʼ", "'") if "ʼ" in text else text


_SPAN = re.Match.span
# _TOKEN as a group: re.split gives the text between the words and the words in turn, so
# the offsets are running sums of lengths, all made in C (no match object per word)
_TOKEN_SPLIT = re.compile(f"({_TOKEN.pattern})")


def tokenize(text: str, start: int = 0,
             end: int | None = None) -> tuple[list[str], list[int], list[int]]:
    """Return the words of ``text[start:end]`` (lower-case), their starts and their ends."""
    end = len(text) if end is None else end
    plain = _plain_apostrophes(text)
    low = plain.lower()
    if len(low) == len(text):  # lower-casing kept every offset (almost always): the words
        # of the lower-case text are the same words
        parts = _TOKEN_SPLIT.split(low[start:end])
        offsets = list(accumulate(map(len, parts), initial=start))
        return parts[1::2], offsets[1:-1:2], offsets[2::2]
    spans = list(map(_SPAN, _TOKEN.finditer(plain, start, end)))
    return [text[s:e].lower() for s, e in spans], [s for s, _ in spans], [e for _, e in spans]


class Words:
    """The words of a text, and where each distinct word occurs (for dictionary lookups)."""

    __slots__ = ("text", "start", "end", "words", "starts", "ends", "where")

    def __init__(self, text: str, start: int = 0, end: int | None = None):
        self.text, self.start = text, start
        self.end = len(text) if end is None else end
        self.words, self.starts, self.ends = tokenize(text, start, self.end)
        where: dict[str, list[int]] = {}
        for i, word in enumerate(self.words):
            positions = where.get(word)
            if positions is None:
                where[word] = [i]
            else:
                positions.append(i)
        self.where = where

    def positions(self, words) -> list[int]:
        """Return, in order, the positions of the tokens that are among ``words``."""
        found = self.where.keys() & words  # a set operation in C, not a loop over tokens
        if not found:
            return []
        if len(found) == 1:
            return self.where[next(iter(found))]
        return sorted(chain.from_iterable(map(self.where.__getitem__, found)))


# past forms whose "-ing" form is mostly an adjective ("declining support")
_NO_ING = frozenset({"declined", "welcomed", "interested"})


def inflections(phrase: str) -> list[str]:
    """Return a keyword phrase with the regular inflections of its last word."""
    *head, last = phrase.lower().split()
    forms = {last}
    if last.endswith("ed") and len(last) > 5 and last not in _NO_ING:
        # a past form stands for its verb: "killed" -> "killing", "planned" -> "planning"
        forms |= {last[:-2] + "ing", last[:-2] + "ings"}
    elif last[-1].isalpha() and len(last) > 3:
        stem = last[:-1] if last.endswith("e") else last
        forms |= {last + "s", last + "es", stem + "ed", stem + "ing", stem + "ings"}
        if last.endswith("y") and last[-2] not in "aeiou":
            forms |= {last[:-1] + "ies", last[:-1] + "ied"}
        if re.match(r".*[^aeiou][aeiou][bdgmnprt]$", last):  # plan -> planned
            forms |= {last + last[-1] + "ed", last + last[-1] + "ing"}
    return [" ".join([*head, f]) for f in sorted(forms)]


_END = attrgetter("end")


def within(items: Sequence, starts: Sequence[int], start: int, end: int) -> list:
    """Return the items (sorted by ``start``, with ``starts`` their starts) inside a span."""
    inside = items[bisect.bisect_left(starts, start):bisect.bisect_left(starts, end)]
    if inside and max(map(_END, inside)) > end:  # one runs past the end (tested in C)
        return [x for x in inside if x.end <= end]
    return inside


class SpanSet:
    """Spans of a text (sorted, not overlapping) that a new span may not overlap."""

    def __init__(self, spans: Iterable[tuple[int, int]]):
        self.spans = sorted(spans)
        self.starts = [s for s, _ in self.spans]

    def overlaps(self, start: int, end: int) -> bool:
        i = bisect.bisect_left(self.starts, end)
        return i > 0 and self.spans[i - 1][1] > start


def _joins(gap: str) -> bool:
    """Return whether the text between two words keeps them in one name."""
    return gap.isspace() or gap in ("'", "’", "ʼ")


def _needs_exact_case(alias: str) -> bool:
    # "US", "UN", "SBU", "WHO" are words too in lower or mixed case
    return len(alias) <= 4 or alias.isupper()


def _case_fits(alias: str, found: str) -> bool:
    if found == alias:
        return True
    if _needs_exact_case(alias):
        return False
    if found.isupper():  # headlines and shouted quotes: "PRESIDENT RUTO"
        return True
    # proper names keep their capitals: "Georgia" the state, not "georgia" in a URL slug
    return all(a[0] == f[0] for a, f in zip(alias.split(), found.split()) if a[0].isupper())


class PhraseMatcher:
    """Finds dictionary phrases in a text by looking its word n-grams up in a dict.

    One pass over the words; only a word that starts some phrase costs more than a set
    lookup, so the cost does not grow with the size of the dictionary.
    """

    def __init__(self, phrases: dict[str, str], case_sensitive: bool = True):
        self.case_sensitive = case_sensitive
        self._entries: dict[str, list[tuple[str, str]]] = {}
        lengths: dict[str, set[int]] = {}
        seconds: dict[str, set[str]] = {}
        for phrase, value in phrases.items():
            spans = list(_TOKEN.finditer(_plain_apostrophes(phrase)))
            if not spans:
                continue
            words = [m.group().lower() for m in spans]
            key = " ".join(words)
            # compared, for case, with the words the text has: "U.S." is the words "U.S"
            self._entries.setdefault(key, []).append((" ".join(m.group() for m in spans), value))
            lengths.setdefault(words[0], set()).add(len(words))
            if len(words) > 1:
                seconds.setdefault(words[0], set()).add(words[1])
        # by first word, the lengths of the phrases it starts, longest first
        self._lengths = {w: tuple(sorted(n, reverse=True)) for w, n in lengths.items()}
        # by first word, the second words of its longer phrases: most words that start a
        # phrase ("attack") are not followed by one that goes on with it
        self._seconds = {w: frozenset(second) for w, second in seconds.items()}
        self._singles = frozenset(w for w, n in lengths.items() if 1 in n)

    def find(self, words: Words) -> list[Hit]:
        hits = []
        text, tokens, starts, ends = words.text, words.words, words.starts, words.ends
        n_tokens = len(tokens)
        lengths, entries, seconds = self._lengths, self._entries, self._seconds
        exact = self.case_sensitive
        skip_to = 0
        # a word that only starts longer phrases ("the" of "the Hague") starts none in a
        # text that has none of the words that can follow it: its places are not visited
        present = words.where.keys()
        first_words = [w for w in present & lengths.keys()
                       if w in self._singles or not present.isdisjoint(seconds[w])]
        for i in words.positions(first_words):
            if i < skip_to:
                continue
            first = tokens[i]
            goes_on = i + 1 < n_tokens and tokens[i + 1] in seconds.get(first, ())
            for n in lengths[first]:
                if i + n > n_tokens or (n > 1 and not goes_on):
                    continue
                if n == 1:  # most names are one word: no joining
                    candidates = entries.get(first)
                    if not candidates:
                        continue
                    start, end = starts[i], ends[i]
                    found = written = text[start:end]
                else:
                    last = i + n - 1
                    candidates = entries.get(" ".join(tokens[i:i + n]))
                    if not candidates or not all(
                            _joins(text[ends[k]:starts[k + 1]]) for k in range(i, last)):
                        continue
                    start, end = starts[i], ends[last]
                    found = text[start:end]
                    written = " ".join([text[a:b] for a, b in zip(starts[i:i + n],
                                                                   ends[i:i + n])]) if exact else ""
                value = _first_fitting(candidates, written) if exact else candidates[0][1]
                if value is not None:
                    hits.append(Hit(start, end, found, value))
                    skip_to = i + n
                    break
        return hits


def _first_fitting(candidates: list[tuple[str, str]], written: str) -> str | None:
    """Return the value of the first alias the words as written fit, if any."""
    for alias, value in candidates:
        if _case_fits(alias, written):
            return value
    return None


class Lexicon:
    """Actors, places and event keywords with fast matching over a whole text."""

    def __init__(self, actors: Sequence[Actor], places: Sequence[Place],
                 keywords: Sequence[EventKeyword]):
        self.actors = {a.name: a for a in actors}
        self.places = {p.name: p for p in places}
        self.keywords = list(keywords)
        names: dict[str, str] = {}
        # later entries do not steal an alias an earlier, more specific entry holds;
        # people and organisations come before states so "Kremlin" stays itself
        order = {"person": 0, "armed group": 1, "government": 1, "organization": 2, "state": 3}
        for actor in sorted(actors, key=lambda a: order.get(a.kind, 2)):
            for alias in (actor.name, *actor.aliases):
                names.setdefault(alias, actor.name)
        self._actors = PhraseMatcher(names)
        demonyms: dict[str, str] = {}
        for actor in actors:
            for dem in actor.demonyms:
                demonyms.setdefault(dem, actor.name)
                if dem[-1] in "n" and " " not in dem:  # Russians, Ukrainians, Americans
                    demonyms.setdefault(dem + "s", actor.name)
        self._demonyms = PhraseMatcher(demonyms)
        place_names: dict[str, str] = {}
        for place in sorted(places, key=lambda p: {"region": 0, "city": 1}.get(p.region, 2)):
            for alias in (place.name, *place.aliases):
                place_names.setdefault(alias, place.name)
        self._places = PhraseMatcher(place_names)
        self._keyword_by_phrase = {k.phrase: k for k in self.keywords}
        forms: dict[str, str] = {}
        for keyword in sorted(self.keywords, key=lambda k: len(k.phrase), reverse=True):
            for form in inflections(keyword.phrase):
                forms.setdefault(form, keyword.phrase)
        self._keywords = PhraseMatcher(forms, case_sensitive=False)
        self.state_names = {a.country: a.name for a in actors if a.kind == "state" and a.country}
        self._words_of: Words | None = None

    @classmethod
    def from_dicts(cls, actors: Iterable[dict], places: Iterable[dict],
                   keywords: Iterable[dict]) -> Lexicon:
        """Build a lexicon from the JSON/table shape (unknown keys are ignored)."""
        return cls(
            [Actor(d["name"], d.get("kind", ""), d.get("country") or "",
                   tuple(d.get("aliases") or ()), tuple(d.get("demonyms") or ()))
             for d in actors],
            [Place(d["name"], d.get("country") or "", d.get("region") or "",
                   d.get("latitude"), d.get("longitude"), d.get("gazetteer_id") or "",
                   tuple(d.get("aliases") or ()))
             for d in places],
            [EventKeyword(d["phrase"], d["event_type"], d.get("mode") or "") for d in keywords],
        )

    def words(self, text: str, start: int = 0, end: int | None = None) -> Words:
        """Return the words of a text; the dictionaries scanning one text share them."""
        end = len(text) if end is None else end
        cached = self._words_of
        if cached is not None and cached.text is text and cached.start == start and \
                cached.end == end:
            return cached
        self._words_of = Words(text, start, end)
        return self._words_of

    def actor(self, name: str) -> Actor | None:
        return self.actors.get(name)

    def place(self, name: str) -> Place | None:
        return self.places.get(name)

    def find_actors(self, text: str, start: int = 0, end: int | None = None) -> list[Hit]:
        return self._actors.find(self.words(text, start, end))

    def find_demonyms(self, text: str, start: int = 0, end: int | None = None) -> list[Hit]:
        return self._demonyms.find(self.words(text, start, end))

    def find_places(self, text: str, start: int = 0, end: int | None = None) -> list[Hit]:
        return self._places.find(self.words(text, start, end))

    def find_keywords(self, text: str, start: int = 0,
                      end: int | None = None) -> list[tuple[Hit, EventKeyword]]:
        """Return event keyword hits with the keyword entry each stands for."""
        return [(hit, self._keyword_by_phrase[hit.name])
                for hit in self._keywords.find(self.words(text, start, end))]


def load_json_lists(folder: Path = DATA_DIR) -> tuple[list[dict], list[dict], list[dict]]:
    """Return the starter dictionaries as plain lists (actors, places, keywords)."""
    return tuple(json.loads((folder / name).read_text(encoding="utf-8"))
                 for name in ("actors.json", "places.json", "event_keywords.json"))


@lru_cache(maxsize=1)
def load_starter_lexicon() -> Lexicon:
    """Return the lexicon built from the JSON files shipped under ``data/`` (cached)."""
    return Lexicon.from_dicts(*load_json_lists())
