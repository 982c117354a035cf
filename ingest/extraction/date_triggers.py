"""Which words can open which expression: the index that keeps the scan fast.

Running the whole grammar (``date_patterns.ALTERNATIVES``) at every word would
cost ~15 ms per article, so ``TRIGGER`` (a trie regex over lower-cased text) first
finds the words that can open an expression, and ``scanner_for`` hands each a
``Scanner`` of only the alternatives that word can open.  ``TRIGGERS`` says which
words open which alternative; a test checks that this index hides nothing that
``full_scanner()`` (the whole grammar in one pattern) would find.

Each alternative is compiled on its own, once, the first time a text needs it.
One alternation per set of alternatives (62 sets, most sharing the big rules)
cost 2-3 s of CPU at import; the rules one by one cost ~0.1 s, paid by the first
text, and matching is as fast.
"""
from __future__ import annotations

import functools
import re

from .date_lexicon import MONTHS, ORDINALS, WEEKDAYS, S
from .date_patterns import ALTERNATIVES

# Very common words ("the", "a", "at") only count together with the next word
# ("the past", "a year"), written "the+past".  Upper-case names are classes.

_CLASSES: dict[str, str] = {
    "MONTH": " ".join(MONTHS),
    "WEEKDAY": " ".join(WEEKDAYS) + " mondays tuesdays wednesdays thursdays"
    " fridays saturdays sundays",
    "DAYWORD": " ".join(ORDINALS) + " twenty thirty",
    "DIGIT": "DIGIT12 DIGIT4 DIGITN",
    "NUMWORD": "one two three four five six seven eight nine ten eleven twelve"
    " thirteen fourteen fifteen sixteen seventeen eighteen nineteen twenty thirty"
    " forty fourty fifty sixty seventy eighty ninety dozen half",
    "VAGUE": "several+UNITWORD many+UNITWORD few+UNITWORD dozens+of hundreds+of"
    " a+few a+couple a+number",
    "UNITWORD": "second minute hour day night week fortnight month year decade"
    " century seconds minutes hours days nights weeks months years decades"
    " centuries quarters",
    "SEASON": "spring summer fall autumn winter",
    "PREMOD_WORD": "early late mid middle beginning end start close turn first"
    " second last final",
}
_NUMSTART = "NUMWORD VAGUE DIGIT few a an the"
_CLASSES["A_NUM"] = " ".join(
    f"{article}+{second}"
    for article in ("a", "an")
    for second in (
        "UNITWORD few couple number dozen hundred half single DIGIT NUMWORD"
        " additional extra further"
    ).split()
)
_CLASSES["MOD"] = " ".join(
    [f"{word}+{second}" for word in (
        "about around approximately roughly nearly almost some over under another"
        " just only barely well"
    ).split() for second in (_NUMSTART + " over under").split()]
    + "more+than less+than fewer+than no+more at+least at+most up+to close+to"
    " the+better an+additional an+extra a+further".split()
)
_CLASSES["PREMOD"] = "early late mid middle " + " ".join(
    f"the+{word}" for word in _CLASSES["PREMOD_WORD"].split()
)

TRIGGERS: dict[str, str] = {
    "iso_date": "DIGIT4 DIGIT12",
    "month_day": "MONTH WEEKDAY around the+week",
    "day_month": "WEEKDAY the+DIGIT12 the+DAYWORD DIGIT12 DAYWORD",
    "month_year": "MONTH PREMOD",
    "clock": "DIGIT12 DIGIT4 noon midday midnight around",
    "ago": "MOD NUMWORD A_NUM VAGUE DIGIT",
    "set": "every each per once twice DIGIT NUMWORD A_NUM VAGUE daily weekly"
    " several many a+few a+couple day night week month year weekends"
    " monthly quarterly annually yearly hourly nightly biweekly bimonthly"
    " semiannually semi fortnightly WEEKDAY",
    "duration": "MOD NUMWORD A_NUM VAGUE DIGIT past last next first previous"
    " coming following recent half UNITWORD " + " ".join(
        f"the+{word}" for word in (
            "past last next first previous coming following final remaining"
            " initial latest same other full entire whole NUMWORD DIGIT few"
            " several many recent"
        ).split()
    ),
    "quarter": "this last DIGIT4 DIGIT12 fiscal calendar same first second third"
    " fourth final latest current past previous next coming year q1 q2 q3 q4"
    " comparable corresponding that+quarter " + " ".join(
        f"{first}+{word}" for first in ("the", "its", "their") for word in (
            "fiscal calendar same first second third fourth DIGIT12 DIGIT4 final"
            " last latest current past previous next coming year quarter comparable"
            " corresponding"
        ).split()
    ),
    "spelled_year": "nineteen eighteen two the+year",
    "decade": "early mid late DIGIT4 DIGIT12 the+early the+mid the+late the+DIGIT"
    " the+nineteen the+twenties the+thirties the+forties the+fifties the+sixties"
    " the+seventies the+eighties the+nineties",
    "century": "early mid late DIGIT12 DAYWORD this last " + " ".join(
        f"the+{word}" for word in (
            "early mid late DIGIT12 DAYWORD last past previous next current"
        ).split()
    ),
    "ref_unit": "earlier later " + " ".join(
        f"{first}+{word}" for first in ("the", "that") for word in (
            "following next previous preceding same prior day week month year"
        ).split()
    ),
    "relative": "early late earlier later mid last this next past coming previous"
    " current " + " ".join(f"the+{word}" for word in (
        "past last previous coming next current following preceding same weekend"
        " end beginning start middle close"
    ).split()),
    "day_word": "early late earlier later mid yesterday today tomorrow tonight"
    " last this overnight the+morning the+afternoon the+evening",
    "weekday": "WEEKDAY",
    "year": "fiscal calendar SEASON PREMOD DIGIT4 the+year the+SEASON",
    "month": "PREMOD MONTH",
    "period_ref": "year earlier later some+time a+while the+end the+beginning around"
    " the+start"
    " the+day the+week the+month"
    " the+middle the+close the+year the+full the+fiscal the+calendar the+latest"
    " the+near the+short the+long the+days the+weeks the+months the+years",
    "season": "PREMOD SEASON the+SEASON the+early the+late",
    "holiday": "christmas new easter good thanksgiving independence election"
    " labor memorial valentine halloween boxing victory veterans palm ash holy"
    " maundy pentecost st saint international women earth bastille remembrance"
    " armistice",
    "reference": "now currently current nowadays these more+recently recently"
    " coming next following years months weeks days at+present at+the "
    + " ".join(f"the+{word}" for word in (
        "near distant immediate foreseeable future recent past coming next"
        " following"
    ).split()),
    "vague_unit": "years months weeks decades centuries hours days minutes seconds"
    " nights",
}

_GUARD_CHARS = r"\w$\u00a3\u20ac#/.-"  # a word does not start after these
_GUARD_BEFORE = r"(?<![" + _GUARD_CHARS + r"])"
_GUARD_AFTER = r"(?!\w)"


def _expand(items: str) -> set[str]:
    """Expand classes, including "word+CLASS" pairs, into trigger keys."""
    keys: set[str] = set()
    for item in items.split():
        if "+" in item:
            first, second = item.split("+", 1)
            # a trigger reads two words at most: "about+VAGUE" gives "about several"
            for head in _expand(first):
                keys.update(f"{head} {tail.split(' ')[0]}" for tail in _expand(second))
        elif item in _CLASSES:
            keys.update(_expand(_CLASSES[item]))
        else:
            keys.add(item)
    return keys


def _trie_pattern(words: list[str]) -> str:
    """A regex for a set of words with shared prefixes factored out.

    Python's regex engine tries alternatives one by one, so a flat list of 300
    words costs 300 checks per position; the trie costs about one per letter.
    """
    trie: dict = {}
    for word in words:
        node = trie
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}

    def emit(node: dict) -> str:
        branches = [
            re.escape(char) + emit(child)
            for char, child in sorted(node.items())
            if char
        ]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return "(?:" + body + ")?" if "" in node else body

    return emit(trie)


def digit_key(digits: str) -> str:
    """The trigger key of a run of digits: days and hours, years, or other."""
    if len(digits) <= 2:
        return "DIGIT12"
    return "DIGIT4" if len(digits) == 4 else "DIGITN"


_PATTERNS = dict(ALTERNATIVES)
_ORDER = {name: index for index, (name, _) in enumerate(ALTERNATIVES)}
_BY_KEY: dict[str, set[str]] = {}
for _name, _items in TRIGGERS.items():
    for _key in _expand(_items):
        _BY_KEY.setdefault(_key, set()).add(_name)
# A word that opens some alternative on its own does not need its second word:
# fold its pairs into the single-word key.
_PLAIN = {key for key in _BY_KEY if " " not in key}
for _key in [key for key in _BY_KEY if " " in key]:
    _first = _key.split(" ", 1)[0]
    if _first in _PLAIN:
        _BY_KEY[_first] |= _BY_KEY.pop(_key)
_GATED_FIRST = sorted({key.split(" ", 1)[0] for key in _BY_KEY if " " in key})
_GATED_SECOND = sorted({
    key.split(" ", 1)[1] for key in _BY_KEY if " " in key
} - {"DIGIT12", "DIGIT4", "DIGITN"})


@functools.cache
def compiled(name: str) -> re.Pattern[str]:
    """One alternative of the grammar as its own pattern, compiled on first use.

    Compiling costs ~0.1 s for the whole grammar, so it is done rule by rule when
    a text first needs the rule, not at import (every ``manage.py`` command and
    worker imports the tagger).
    """
    return re.compile(
        _GUARD_BEFORE + f"(?P<{name}>{_PATTERNS[name]})" + _GUARD_AFTER,
        re.IGNORECASE,
    )


# Looks that cheaply rule out rules before they run (the "gates").  They read the
# lower-cased text case-sensitively, so they apply to ASCII text only, where
# IGNORECASE folds nothing but A-Z; each must hold wherever its rule can match.
#
# Every match of "ago" and "duration" holds a unit word ("three days ago", "a 12-day
# war", "the past two years"), reached through characters such a match can hold:
# letters, digits, spaces, hyphens, "/" and "," or "." inside a number.
_UNIT_AHEAD = re.compile(
    r"(?:[a-z0-9 \t\n/-]|[.,](?=\d))*?(?:second|minute|hour|day|night|week|month|year"
    r"|decade|centur|quarter)"
)
# At a weekday, "month_day", "day_month" and "set" need the word after it (and an
# optional comma) to be a month, "the", a day number or ordinal, or a part of the day
# ("Monday, June 2", "Monday the 2nd", "Monday mornings"), or the weekday to be a
# plural ("Mondays").  Possessive: the weekday is the whole word, and giving back
# letters or spaces could not help.
_AFTER_WEEKDAY = re.compile(
    r"(?:mon|tues|wednes|thurs|fri|satur|sun)days"
    r"|[a-z]++\.?+[ \t\n]*+,?+[ \t\n]*+(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec"
    r"|the|\d|first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth"
    r"|eleventh|twelfth|thirteenth|fourteenth|fifteenth|sixteenth|seventeenth"
    r"|eighteenth|nineteenth|twentieth|thirtieth|twenty|thirty"
    r"|morning|afternoon|evening|night)"
)
_GATES: dict[str, re.Pattern[str]] = {"ago": _UNIT_AHEAD, "duration": _UNIT_AHEAD}
_WEEKDAY_GATES: dict[str, re.Pattern[str]] = {
    "month_day": _AFTER_WEEKDAY, "day_month": _AFTER_WEEKDAY, "set": _AFTER_WEEKDAY,
}


class Scanner:
    """The alternatives one trigger word can open, tried in grammar order.

    ``match`` returns what one alternation of them would: the first alternative
    that matches at the position (with the guards around it), or None.  Trying the
    patterns one by one instead of compiling one alternation per set of
    alternatives means each rule is compiled once, not once per trigger set.
    ``gates`` maps a rule to a look that must match where the rule can.
    """

    __slots__ = ("names", "gates", "_patterns")

    def __init__(self, names: frozenset[str],
                 gates: dict[str, re.Pattern[str]] | None = None) -> None:
        self.names = tuple(sorted(names, key=_ORDER.__getitem__))
        self.gates = _GATES if gates is None else gates
        self._patterns: tuple[tuple[re.Pattern[str], re.Pattern[str] | None], ...] | None = None

    def match(self, text: str, position: int = 0,
              ascii_lowered: str | None = None) -> re.Match[str] | None:
        """``ascii_lowered``: the lower-cased text when ``text`` is ASCII, to skip the
        rules whose gate does not match there."""
        patterns = self._patterns
        if patterns is None:
            patterns = self._patterns = tuple(
                (compiled(name), self.gates.get(name)) for name in self.names)
        last_gate = passed = None  # rules in a row share a gate: look once
        for pattern, gate in patterns:
            if gate is not None and ascii_lowered is not None:
                if gate is not last_gate:
                    last_gate = gate
                    passed = gate.match(ascii_lowered, position) is not None
                if not passed:
                    continue
            found = pattern.match(text, position)
            if found is not None:
                return found
        return None


# One scanner per distinct set of alternatives, shared between keys.
_SCANNERS: dict[frozenset[str], Scanner] = {}
SCANNER_FOR_KEY: dict[str, Scanner] = {}
_WEEKDAY_KEYS = _expand("WEEKDAY")
for _key, _names in _BY_KEY.items():
    _set = frozenset(_names)
    if _key in _WEEKDAY_KEYS:
        # a weekday has its own scanner, with the gates of a rule read at a weekday
        _set_key = frozenset(["@weekday", *_set])
        if _set_key not in _SCANNERS:
            _SCANNERS[_set_key] = Scanner(_set, {**_GATES, **_WEEKDAY_GATES})
        SCANNER_FOR_KEY[_key] = _SCANNERS[_set_key]
        continue
    if _set not in _SCANNERS:
        _SCANNERS[_set] = Scanner(_set)
    SCANNER_FOR_KEY[_key] = _SCANNERS[_set]

# Groups: 1 digits; 2 a common word, then 3 digits or 4 the word after it;
# 5 a word that opens an expression by itself.
_TRIGGER_BODY = (
    r"(?:'?(\d+)|(" + _trie_pattern(_GATED_FIRST) + r")(?:" + S
    + r"|-)"
    + r"(?:'?(\d+)|(" + _trie_pattern(_GATED_SECOND) + r")\b)|("
    + _trie_pattern(sorted(_PLAIN - {"DIGIT12", "DIGIT4", "DIGITN"})) + r")\b)"
)
TRIGGER = re.compile(_GUARD_BEFORE + _TRIGGER_BODY)
# run on lower-cased text: case-sensitive matching is twice as fast

# TRIGGER with the character before the word matched instead of looked behind at:
# a search for it skips in one loop to the characters that may precede a word,
# where the lookbehind makes the engine start at every position.  Searched from
# ``position - 1`` (``position > 0``) it finds what TRIGGER finds from ``position``,
# the word starting one character after the match does.
TRIGGER_AFTER = re.compile(r"[^" + _GUARD_CHARS + r"]" + _TRIGGER_BODY)

# Keys that only open counted expressions ("12 days", "two weeks ago", "4 June",
# "3 p.m."): most numbers in news are not dates, so a cheap look at the next
# words for a unit, a month or a clock mark saves running the full alternation.
_COUNTED = frozenset({"iso_date", "day_month", "clock", "ago", "set", "duration",
                      "century", "decade", "quarter"})
_NUMBER_WORDS = ({key.split(" ")[0] for key in _expand("NUMWORD VAGUE MOD DIGIT")}
                 | {"a", "an"}) - {"the"}
_NEEDS_UNIT_NEARBY = frozenset(
    key for key, names in _BY_KEY.items()
    if names <= _COUNTED and key.split(" ")[0] in _NUMBER_WORDS
)
_UNIT_NEARBY = re.compile(
    r"[\d:/'\-\u2013\u2014]|[.,]\d|s\b|(?:st|nd|rd|th)?\b[^.;:!?\n]{0,40}?\b(?:sec|min"
    r"|hour|day|night|week|fortnight|month|year|decade|centur|quarter|half|period"
    r"|a\.?m\b|p\.?m\b|noon|morning|afternoon|evening|gmt|utc|o'clock|jan|feb|mar|apr|may|jun|jul|aug|sep"
    r"|oct|nov|dec|time|thousand|hundred)"
)



def scanner_for(trigger: re.Match[str], lowered: str) -> Scanner | None:
    """The scanner of the alternatives that the trigger word can open.

    ``trigger`` is a match of TRIGGER on ``lowered``, the lower-cased text.
    None when no alternative can start there.
    """
    digits, first, second_digits, second, word = trigger.groups()
    if digits is not None:
        key = digit_key(digits)
    elif first is not None:
        tail = second if second_digits is None else digit_key(second_digits)
        key = first + " " + tail
    else:
        key = word
    if key in _NEEDS_UNIT_NEARBY:
        # look from the end of the first word: in "a day" the unit is the second
        first_end = trigger.end(1) if digits is not None else (
            trigger.end(2) if first is not None else trigger.end())
        if not _UNIT_NEARBY.match(lowered, first_end):
            return None
    return SCANNER_FOR_KEY.get(key)


def full_scanner() -> re.Pattern[str]:
    """The whole grammar as one alternation, for the test of the trigger lists."""
    return re.compile(
        _GUARD_BEFORE
        + "(?:" + "|".join(f"(?P<{name}>{pattern})" for name, pattern in ALTERNATIVES)
        + ")" + _GUARD_AFTER,
        re.IGNORECASE,
    )
