"""The dictionaries the extractor matches (actors, places, event keywords) as data.

A ``Lexicon`` is built from plain lists of dicts, the shape of the JSON files under
``data/`` and of the Actor/Place/EventKeyword tables, so the database layer can build
one from what editors changed in the admin. Each dictionary is compiled into one
regular expression shaped as a trie, so a text is scanned once per dictionary
whatever the number of names.
"""
from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

DATA_DIR = Path(__file__).with_name("data")

# A name ends where no letter or hyphen follows; "ʼ" (a letter to Unicode) may, as in
# "Ukraineʼs".
_WORD_END = r")(?!-|[^\W\u02bc])"
# Suffixes a keyword's last word may take: "attack" -> attacks, attacked, attacking.
_INFLECTIONS = ("s", "es", "ed", "d", "ing", "ings")


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


@dataclass(frozen=True, slots=True)
class Hit:
    """One dictionary match in a text: ``name`` is the canonical entry it stands for."""

    start: int
    end: int
    text: str
    name: str


def _trie_pattern(words: Iterable[str]) -> str:
    """Return a regex alternation of ``words`` factored as a trie (longest first)."""
    trie: dict = {}
    for word in words:
        node = trie
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = True

    def build(node: dict) -> str:
        end = "" in node
        branches = [re.escape(ch) + build(child) for ch, child in sorted(node.items()) if ch]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        if end:
            # a complete word here: prefer the longer match, fall back to the shorter one
            return "(?:" + body + ")?" if len(branches) > 1 or len(body) > 1 else body + "?"
        return body

    return build(trie)


def _inflected(phrase: str) -> str:
    """Return a pattern for ``phrase`` whose last word may take a regular inflection."""
    words = phrase.lower().split()
    *head, last = words
    if last[-1].isalpha() and len(last) > 3:
        stem = last[:-1] if last.endswith("e") else last
        doubled = re.escape(last[-1]) + "?" if re.match(r".*[^aeiou][aeiou][bdgmnprt]$", last) else ""
        suffixes = "|".join(_INFLECTIONS)
        if last.endswith("e"):
            last_pat = re.escape(stem) + "(?:e|es|ed|ing|ings)?"
        else:
            last_pat = re.escape(last) + doubled + f"(?:{suffixes})?"
    else:
        last_pat = re.escape(last)
    return r"\s+".join([*(re.escape(w) for w in head), last_pat])


def _needs_exact_case(alias: str) -> bool:
    # "US", "UN", "SBU", "WHO" are words too in lower or mixed case
    return len(alias) <= 4 or alias.isupper()


class _NameMatcher:
    """Matches names with their aliases: one compiled trie, then case rules per hit."""

    def __init__(self, names: dict[str, str]):
        # alias as written -> canonical name; the regex runs on lower case
        self._by_lower: dict[str, list[tuple[str, str]]] = {}
        for alias, canonical in names.items():
            self._by_lower.setdefault(alias.lower(), []).append((alias, canonical))
        pattern = _trie_pattern(sorted(self._by_lower, key=len, reverse=True))
        self._regex = re.compile(r"(?<![\w\-])(?:" + pattern + _WORD_END, re.IGNORECASE) \
            if pattern else None

    def find(self, text: str, start: int = 0, end: int | None = None) -> list[Hit]:
        if self._regex is None:
            return []
        hits = []
        end = len(text) if end is None else end
        for m in self._regex.finditer(text, start, end):
            found = m.group()
            for alias, canonical in self._by_lower.get(found.lower(), ()):
                if self._case_fits(alias, found):
                    hits.append(Hit(m.start(), m.end(), found, canonical))
                    break
        return hits

    @staticmethod
    def _case_fits(alias: str, found: str) -> bool:
        if found == alias:
            return True
        if _needs_exact_case(alias):
            return False
        if found.isupper():  # headlines and shouted quotes: "PRESIDENT PUTIN"
            return True
        # proper names keep their capitals: "Georgia" the state, not "georgia" in a URL slug
        return all(a[0] == f[0] for a, f in zip(alias.split(), found.split()) if a[0].isupper())


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
        self._actors = _NameMatcher(names)
        demonyms: dict[str, str] = {}
        for actor in actors:
            for dem in actor.demonyms:
                demonyms.setdefault(dem, actor.name)
                if dem[-1] in "n" and " " not in dem:  # Russians, Ukrainians, Americans
                    demonyms.setdefault(dem + "s", actor.name)
        self._demonyms = _NameMatcher(demonyms)
        place_names: dict[str, str] = {}
        for place in sorted(places, key=lambda p: {"region": 0, "city": 1}.get(p.region, 2)):
            for alias in (place.name, *place.aliases):
                place_names.setdefault(alias, place.name)
        self._places = _NameMatcher(place_names)
        self._keyword_regex, self._keyword_groups = self._compile_keywords(self.keywords)
        self._keyword_cache: dict[str, EventKeyword | None] = {}

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

    @staticmethod
    def _compile_keywords(keywords: Sequence[EventKeyword]):
        # one named group per distinct pattern would exceed the group limit; instead one
        # alternation, longest phrases first, and a lookup of the match by normalised text
        patterns = sorted({_inflected(k.phrase) for k in keywords}, key=len, reverse=True)
        if not patterns:
            return None, []
        regex = re.compile(r"(?<![\w\-])(?:" + "|".join(patterns) + _WORD_END,
                           re.IGNORECASE)
        groups = [(re.compile(_inflected(k.phrase) + r"\Z", re.IGNORECASE), k)
                  for k in sorted(keywords, key=lambda k: len(k.phrase), reverse=True)]
        return regex, groups

    def actor(self, name: str) -> Actor | None:
        return self.actors.get(name)

    def place(self, name: str) -> Place | None:
        return self.places.get(name)

    def find_actors(self, text: str, start: int = 0, end: int | None = None) -> list[Hit]:
        return self._actors.find(text, start, end)

    def find_demonyms(self, text: str, start: int = 0, end: int | None = None) -> list[Hit]:
        return self._demonyms.find(text, start, end)

    def find_places(self, text: str, start: int = 0, end: int | None = None) -> list[Hit]:
        return self._places.find(text, start, end)

    def find_keywords(self, text: str, start: int = 0,
                      end: int | None = None) -> list[tuple[Hit, EventKeyword]]:
        """Return event keyword hits with the keyword entry each stands for."""
        if self._keyword_regex is None:
            return []
        out = []
        end = len(text) if end is None else end
        for m in self._keyword_regex.finditer(text, start, end):
            keyword = self._keyword_for(m.group())
            if keyword is not None:
                out.append((Hit(m.start(), m.end(), m.group(), keyword.phrase), keyword))
        return out

    def _keyword_for(self, found: str) -> EventKeyword | None:
        normal = " ".join(found.lower().split())
        if normal not in self._keyword_cache:
            self._keyword_cache[normal] = next(
                (k for rx, k in self._keyword_groups if rx.match(normal)), None)
        return self._keyword_cache[normal]


def load_json_lists(folder: Path = DATA_DIR) -> tuple[list[dict], list[dict], list[dict]]:
    """Return the starter dictionaries as plain lists (actors, places, keywords)."""
    return tuple(json.loads((folder / name).read_text(encoding="utf-8"))
                 for name in ("actors.json", "places.json", "event_keywords.json"))


@lru_cache(maxsize=1)
def load_starter_lexicon() -> Lexicon:
    """Return the lexicon built from the JSON files shipped under ``data/`` (cached)."""
    return Lexicon.from_dicts(*load_json_lists())
