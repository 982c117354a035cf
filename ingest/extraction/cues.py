"""The words of an event phrase that tell one event from another.

"The attacks on the bridges" and "the destruction of bridges in the Kursk region" share
"bridge"; "attacks", "recent" or "Russian" say what kind of event or whose, which the
actors and the event type already compare.
"""
from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Iterator
from functools import lru_cache

from .lexicon import Lexicon

# Words that name events in general, not one event in particular.
_GENERIC = frozenset("""
attack attacks attacked strike strikes struck talk talks negotiation negotiations meeting
meetings conversation conversations call calls operation operations raid raids bombing
bombings assault offensive peace recent recently massive direct ongoing several other
various new large-scale war conflict military against between with the and from into onto
their his her its this that these those also about over after before during more most some
many such which where while were was been being have has had said says would could will
russian ukrainian american israeli palestinian phone telephone spoke spoken discussed
discussion discussions held hold strikes drone drones air missile missiles attacking
""".split())
_TOKEN = re.compile(r"[A-Za-z][A-Za-z\-]{2,}")
_MONTHS_DAYS = frozenset("""january february march april may june july august september
october november december monday tuesday wednesday thursday friday saturday sunday night
morning evening week weeks month months year years day days""".split())


def _stem(word: str) -> str:
    word = word.lower()
    for suffix in ("ies", "es", "s"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            return word[: -len(suffix)] + ("y" if suffix == "ies" else "")
    return word


_TITLES = frozenset("""president minister leader spokesperson spokesman official officials
prime foreign deputy chief head then-u pope king prince general commander envoy""".split())


class Excluded:
    """Words that do not tell events apart, with their derived forms ("Russia" and
    "Russian", "attack" and "attacked")."""

    def __init__(self, names: Iterable[str] = ()):
        self.words = {w.lower() for n in names for w in _TOKEN.findall(n)}
        self.by_prefix: dict[str, list[str]] = defaultdict(list)
        for w in self.words:
            if len(w) >= 5:
                self.by_prefix[w[:5]].append(w)

    def __contains__(self, word: str) -> bool:
        return word in self.words or any(word.startswith(w)
                                         for w in self.by_prefix.get(word[:5], ()))


_NOTHING = Excluded()


@lru_cache(maxsize=4096)
def _name_words(names: tuple[str, ...]) -> Excluded:
    return Excluded(names)


def distinctive_words(text: str, names: Iterable[str] = (),
                      excluded: Excluded | None = None) -> frozenset[str]:
    """Return the words of a cue that can tell one event from another ("dam", "camp").

    Words of the actors' own names (``names``) and the ``excluded`` vocabulary (states,
    event keywords) are left out: actors and kinds of event are compared on their own.
    """
    return frozenset(_distinctive_stems(text, _name_words(tuple(names)), excluded or _NOTHING))


def has_distinctive_word(text: str) -> bool:
    """Return whether ``distinctive_words(text)`` is not empty (stops at the first word)."""
    return next(_distinctive_stems(text, _NOTHING, _NOTHING), None) is not None


def _distinctive_stems(text: str, mine: Excluded, excluded: Excluded) -> Iterator[str]:
    for w in _TOKEN.findall(text):
        lw = w.lower()
        if lw in _GENERIC or lw in _MONTHS_DAYS or lw in _TITLES:
            continue
        # an Excluded without words excludes nothing: no call to ask it
        if (mine.words and lw in mine) or (excluded.words and lw in excluded):
            continue
        stem = _stem(w)
        if stem not in _GENERIC:
            yield stem


_EXCLUDED_CACHE: dict[int, tuple[Lexicon, Excluded]] = {}


def excluded_words(lexicon: Lexicon | None) -> Excluded:
    """Return state names and event keyword words: they say who or what kind, not which."""
    if lexicon is None:
        return Excluded()
    cached = _EXCLUDED_CACHE.get(id(lexicon))
    if cached is None or cached[0] is not lexicon:
        names = [*lexicon.state_names.values(), *(k.phrase for k in lexicon.keywords)]
        cached = (lexicon, Excluded(names))
        _EXCLUDED_CACHE.clear()
        _EXCLUDED_CACHE[id(lexicon)] = cached
    return cached[1]
