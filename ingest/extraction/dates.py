"""Temporal expression tagger: find TIMEX3 expressions and normalize them.

``tag(text, anchor)`` returns the dates, times, durations and sets in a news text,
each resolved against the anchor (the publication date) where it is relative:
"on Sunday" in a Wednesday article is three days earlier, a past-tense "December
28" in a January article is last year's, "the night of May 24, 25, and 26" is one
range of three days, "a 12-day war" is a duration and never a date.

How it works: a trie regex finds the words that can open an expression
(``date_triggers.TRIGGER``); each tries the rules it can open, in grammar order
(a rule's regex is compiled the first time a text needs it); the handler of the
rule that matched (``date_rules``) reads the parts and picks a reading with the
calendar helpers in ``date_resolve``.  Then adjacent dates joined by "between
... and" or "from ... to" become one range.

Standard library only, no Django: the module is imported by the article extractor
and by the TempEval scorer (``tempeval.py``).
"""
from __future__ import annotations

import re
import string
from dataclasses import replace
from datetime import date

from .date_triggers import TRIGGER, TRIGGER_AFTER, scanner_for
from .date_amounts import amounts_in, duration_value
from .date_context import DATE, DURATION, MONTH_TOKEN, Context
from .date_lexicon import parse_number
from .date_rules import HANDLERS
from .types import Timex

__all__ = ["Timex", "tag", "scan"]

# ASCII-only lowering keeps offsets (str.lower can lengthen some letters).
_ASCII_LOWER = str.maketrans(string.ascii_uppercase, string.ascii_lowercase)
_AND_GAP = re.compile(r"\s*and\s*", re.IGNORECASE)
_TO_GAP = re.compile(
    r"\s*(?:to|until|till|through|thru|[-\u2013\u2014])\s*", re.IGNORECASE
)
_RANGE_OPENER = re.compile(r"\b(?:between|from)\s+\Z", re.IGNORECASE)


def scan(text: str, anchor: date | None, *, timeml: bool = False) -> list[Timex]:
    """All expressions of ``text`` left to right; ``tag`` is the public face.

    ``timeml=True`` follows the TimeBank annotation where it differs from what a
    timeline needs: "between May 3 and May 7" stays two expressions, and in
    "three days later" only "three days" is tagged, as a duration.
    """
    ctx = Context(text=text, anchor=anchor, timeml=timeml)
    lowered = text.lower()
    if len(lowered) != len(text):
        lowered = text.translate(_ASCII_LOWER)
    # The trigger regex runs case-sensitively on lower-cased text: much faster
    # than a case-insensitive search.
    search, search_after = TRIGGER.search, TRIGGER_AFTER.search
    # ASCII text: the scanners may skip rules by a case-sensitive look at ``lowered``
    ascii_lowered = lowered if text.isascii() else None
    found: list[Timex] = []
    position = 0
    while True:
        if position:
            trigger = search_after(lowered, position - 1)
            if trigger is None:
                break
            start = trigger.start() + 1  # after the character before the word
        else:
            trigger = search(lowered, 0)
            if trigger is None:
                break
            start = trigger.start()
        scanner = scanner_for(trigger, lowered)
        match = (scanner.match(text, start, ascii_lowered)
                 if scanner is not None else None)
        timex = _handle(ctx, match) if match is not None else None
        if timex is None:
            # Resume after the first word only: "a five-year plan" fails at "a" but
            # must still be read from "five".
            position = trigger.end(2) if trigger.group(2) else trigger.end()
            continue
        found.append(timex)
        if timex.date_start is not None and timex.value not in ("PRESENT_REF",):
            ctx.last_date = timex
        position = max(timex.end, trigger.end())
    if not timeml and len(found) > 1:
        found = _join_ranges(text, found)
    if timeml:
        found = [part for timex in found for part in _split_count_range(timex)]
        found = [part for timex in found for part in _split_day_list(timex)]
    return found


def _handle(ctx: Context, match: re.Match[str]) -> Timex | None:
    try:
        return HANDLERS[match.lastgroup](ctx, match)
    except (ValueError, OverflowError):
        # Calendar arithmetic beyond what datetime can hold (an anchor in year 1
        # or 9999): no reading, rather than an error for the whole article.
        return None


def tag(text: str, anchor: date | None) -> list[Timex]:
    """The TIMEX3 expressions in ``text``, normalized against ``anchor``.

    ``anchor`` is the publication date.  Without it, relative expressions get an
    underspecified value ("XXXX-06-01", "XXXX-WXX-5") and no calendar days.
    Spans satisfy ``text[t.start:t.end] == t.text`` and do not overlap.
    """
    return scan(text, anchor)


def _is_range(text: str, current: Timex, following: Timex) -> bool:
    """Whether two neighbouring dates are the ends of one range.

    "between X and Y" and "from X to Y" always are; "X to Y" and "X - Y" are when
    both ends have the same precision ("May 30 to June 2", "2019-2021"); "X and Y"
    alone is two dates.
    """
    if current.type != DATE or following.type != DATE:
        return False
    if current.date_start is None or following.date_end is None:
        return False
    if following.date_end <= current.date_start:
        return False
    gap = text[current.end:following.start]
    opened = _RANGE_OPENER.search(text[max(0, current.start - 10):current.start])
    if _AND_GAP.fullmatch(gap):
        return opened is not None
    if _TO_GAP.fullmatch(gap):
        return opened is not None or current.precision == following.precision
    return False


_COUNT_RANGE = re.compile(r"(\S+)(\s+(?:to|or|and)\s+)(\S.*)\Z", re.DOTALL)
_HALF = re.compile(r"(?:an?\s+)?half\b", re.IGNORECASE)


def _split_count_range(timex: Timex) -> list[Timex]:
    """TimeML splits "six to eight weeks" into "six" (P6W) and "eight weeks".

    "two and a half years" is one amount, and "the next 12 to 18 months" one
    period: neither is split.
    """
    if timex.type != DURATION:
        return [timex]
    found = _COUNT_RANGE.match(timex.text)
    if not found or parse_number(found.group(1)) is None:
        return [timex]
    rest = found.group(3)
    if _HALF.match(rest):
        return [timex]
    amounts = amounts_in(rest)
    if len(amounts) != 1 or amounts[0][0] is None:
        return [timex]
    low = parse_number(found.group(1))
    unit = amounts[0][1]
    first_end = timex.start + len(found.group(1))
    second_start = timex.end - len(rest)
    return [
        replace(timex, end=first_end, text=found.group(1),
                value=duration_value([(low, unit)])),
        replace(timex, start=second_start, text=rest,
                value=duration_value(amounts)),
    ]


_DAY_NUMBER = re.compile(r"\b(?:3[01]|[12][0-9]|0?[1-9])(?:st|nd|rd|th)?\b")


def _split_day_list(timex: Timex) -> list[Timex]:
    """TimeML tags each day of "May 24 and 25" apart: "May 24", then "25"."""
    if not timex.rule.startswith("list of days") or timex.date_start is None:
        return [timex]
    days = list(_DAY_NUMBER.finditer(timex.text))
    month = MONTH_TOKEN.search(timex.text)
    if len(days) < 2 or month is None:
        return [timex]
    month_first = month.start() < days[0].start()
    parts = []
    for index, day in enumerate(days):
        start = 0 if index == 0 and month_first else day.start()
        end = len(timex.text) if index == len(days) - 1 else day.end()
        try:
            when = timex.date_start.replace(day=int(day.group().rstrip("stndrh")))
        except ValueError:
            return [timex]
        parts.append(replace(
            timex, start=timex.start + start, end=timex.start + end,
            text=timex.text[start:end], value=when.isoformat(), precision="day",
            date_start=when, date_end=when,
        ))
    return parts


def _join_ranges(text: str, found: list[Timex]) -> list[Timex]:
    """Merge "between X and Y" / "from X to Y" into one range expression."""
    merged: list[Timex] = []
    index = 0
    while index < len(found):
        current = found[index]
        following = found[index + 1] if index + 1 < len(found) else None
        if following is not None and _is_range(text, current, following):
            merged.append(replace(
                current,
                end=following.end,
                text=text[current.start:following.end],
                precision="range",
                date_end=following.date_end,
                rule=f"range: {current.rule} to {following.rule}",
            ))
            index += 2
            continue
        merged.append(current)
        index += 1
    return merged
