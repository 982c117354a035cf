"""Figures stated next to an event: "nine dead and more than 60 injured", "12 tanks".

Each figure becomes a ``Claim`` with a kind (fatalities, injured, aircraft_destroyed, ...),
a value ("7", ">100", ">=20", "41") and the words that state it.
"""
from __future__ import annotations

import re
import string

from .types import Claim
from .wordsearch import WordSearch

_NUMBER_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
    "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "dozens": 24, "hundreds": 200,
}
_QUALIFIER = {"more than": ">", "over": ">", "at least": ">=", "nearly": "<", "almost": "<",
              "about": "~", "around": "~", "some": "~", "up to": "<=", "fewer than": "<",
              "less than": "<", "roughly": "~", "approximately": "~"}
_Q = (r"(?:(?P<q>more\s+than|over|at\s+least|nearly|almost|about|around|some|up\s+to|"
      r"fewer\s+than|less\s+than|roughly|approximately)\s+)?")
_WHO = r"(?:people\s+|civilians\s+|soldiers\s+|persons\s+)?"
_N = r"(?P<n>\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?|" + "|".join(_NUMBER_WORDS) + r")"
# kind, pattern for what follows the number
_KINDS = [
    ("fatalities", _WHO + r"(?:(?:were|have\s+been|had\s+been)\s+)?"
                          r"(?:dead|killed|deaths|died|fatalities|lives)"),
    ("injured", _WHO + r"(?:(?:were|have\s+been)\s+)?(?:injured|wounded|hurt|injuries)"),
    ("aircraft_destroyed", r"(?:\w+\s+){0,2}(?:aircraft|planes|bombers|jets|helicopters)"),
    ("drones", r"(?:\w+\s+){0,1}drones"),
    ("missiles", r"(?:\w+\s+){0,2}missiles"),
    ("detained", r"(?:people\s+)?(?:(?:were|have\s+been)\s+)?(?:arrested|detained)"),
    ("displaced", r"(?:people\s+)?(?:(?:were|have\s+been)\s+)?(?:displaced|fled)"),
    ("hostages", r"hostages"),
]
_CLAIM = re.compile(
    r"\b" + _Q + _N + r"\s+(?:" + "|".join(f"(?P<{kind}>{pat})" for kind, pat in _KINDS) + r")\b",
    re.IGNORECASE,
)
# "destroyed or damaged 12 helicopters": the verb before says what happened to them
_DESTROYED_BEFORE = re.compile(r"(?:destroy|damag|hit|shot\s+down|downed)\w*\s+(?:\w+\s+){0,3}$",
                               re.IGNORECASE)
# "killing at least 12 people": the number follows the verb
_KILLING = re.compile(r"\b(?P<verb>killing|killed|wounding|injuring|injured|wounded)\s+" + _Q + _N
                      + r"(?:\s+(?:people|civilians|soldiers|persons|others))?\b", re.IGNORECASE)
_DIGIT = re.compile(r"\d")
# The words that end each kind and the verbs of _KILLING: every match of the two holds
# one, so a sentence without any (most sentences with a number) has no figure to read.
_KIND_WORDS = [word for _, pattern in _KINDS
               for word in re.search(r"(?:\(\?:)?([a-z|]+)\)?$", pattern).group(1).split("|")]
_KILLING_VERBS = re.search(r"\(\?P<verb>([a-z|]+)\)", _KILLING.pattern).group(1).split("|")
_ANY_KIND_WORD = re.compile("|".join(_KIND_WORDS + _KILLING_VERBS), re.IGNORECASE)
_CLAIMANT = re.compile(r"\b(?:according\s+to|citing)\s+"
                       r"(?P<who>(?:the\s+)?[\w\s'’\-]{2,40}?)(?:,|\.|$)",
                       re.IGNORECASE)


# Case-insensitive matching is about three times slower in Python's re than matching
# the same pattern case-sensitively on lower-cased text, so the scans run on an
# ASCII-lower-cased copy (same offsets). The matches are the same unless the text holds
# one of the four non-ASCII letters IGNORECASE folds to ASCII ones: such a text keeps
# the case-insensitive patterns.
_ASCII_LOWER = str.maketrans(string.ascii_uppercase, string.ascii_lowercase)
_FOLDS_TO_ASCII = ("\u0130", "\u0131", "\u017f", "\u212a")  # İ ı ſ K
_CLAIM_LC, _KILLING_LC, _CLAIMANT_LC, _ANY_KIND_WORD_LC = (
    re.compile(p.pattern) for p in (_CLAIM, _KILLING, _CLAIMANT, _ANY_KIND_WORD))
# The same with the character before the figure matched ("\W") instead of "\b" (the
# figure starts with a letter or digit): a pattern that starts with a character class
# lets the engine skip to the candidates, where "\b" makes it start at every position.
# Run from one character before the piece, a match starts one character early.
assert _CLAIM.pattern.startswith(r"\b") and _KILLING.pattern.startswith(r"\b")
_CLAIM_AFTER, _KILLING_AFTER = (re.compile(r"\W" + p.pattern[2:]) for p in (_CLAIM, _KILLING))
_CLAIMANT_LC_WORD = WordSearch(_CLAIMANT_LC)


def _number(text: str) -> str:
    text = text.lower().replace(",", "")
    return str(_NUMBER_WORDS.get(text, text))


def find_claims(text: str, start: int = 0, end: int | None = None) -> tuple[Claim, ...]:
    """Return the figures stated in ``text[start:end]`` as claims with exact offsets."""
    end = len(text) if end is None else end
    piece = text[start:end]
    if not _DIGIT.search(piece) and _NUMBER_WORDS.keys().isdisjoint(piece.lower().split()):
        return ()  # most sentences state no figure
    shift = max(0, start - 1)  # the copy keeps the character before the piece: "\b" reads it
    scanned = text[shift:end]
    if any(c in scanned for c in _FOLDS_TO_ASCII):
        shift, scanned, claim_re, killing_re, claimant_re = 0, text, _CLAIM, _KILLING, _CLAIMANT
    else:
        # the same for ASCII text, where str.lower is some twenty times faster
        scanned = scanned.lower() if scanned.isascii() else scanned.translate(_ASCII_LOWER)
        claim_re, killing_re, claimant_re = _CLAIM_LC, _KILLING_LC, _CLAIMANT_LC
    lo, hi = start - shift, end - shift
    if not (_ANY_KIND_WORD_LC if claim_re is _CLAIM_LC else _ANY_KIND_WORD).search(scanned, lo, hi):
        return ()
    early = 0  # how far before the figure a match of claim_re and killing_re starts
    if claim_re is _CLAIM_LC and lo:
        claim_re, killing_re, early = _CLAIM_AFTER, _KILLING_AFTER, 1
    claimant_m = (_CLAIMANT_LC_WORD if claimant_re is _CLAIMANT_LC else claimant_re).search(
        scanned, lo, hi)  # only the group is read: the word search's match will do
    claimant = text[claimant_m.start("who") + shift:claimant_m.end("who") + shift].strip() \
        if claimant_m else ""
    claims = []
    for m in claim_re.finditer(scanned, lo - early, hi):
        m_start, m_end = m.start() + early + shift, m.end() + shift
        kind = next(k for k, _ in _KINDS if m.group(k))
        if kind == "aircraft_destroyed":
            if not _DESTROYED_BEFORE.search(text, max(start, m_start - 60), m_start):
                kind = "aircraft"
        qualifier = _QUALIFIER.get(" ".join((m.group("q") or "").lower().split()), "")
        claims.append(Claim(kind, qualifier + _number(m.group("n")), claimant,
                            text[m_start:m_end], m_start, m_end))
    for m in killing_re.finditer(scanned, lo - early, hi):
        m_start, m_end = m.start() + early + shift, m.end() + shift
        if any(c.char_start <= m.start("n") + shift < c.char_end for c in claims):
            continue
        kind = "fatalities" if m.group("verb").lower().startswith("kill") else "injured"
        qualifier = _QUALIFIER.get(" ".join((m.group("q") or "").lower().split()), "")
        claims.append(Claim(kind, qualifier + _number(m.group("n")), claimant,
                            text[m_start:m_end], m_start, m_end))
    return tuple(sorted(claims, key=lambda c: c.char_start))
