"""What every date rule shares: the document context, values, tokens, helpers.

``Context`` is the state of one scan (text, anchor, the last date mentioned, the
last quarter).  ``make`` builds a Timex and derives its precision and calendar days
from the TIMEX3 value, so the rules only have to compute the value.
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from datetime import date, timedelta

from . import date_resolve as cal
from .date_lexicon import (
    PARTS_OF_DAY,
    SPELLED_YEAR,
    UNIT_PLURALS,
    parse_ordinal,
    parse_spelled_year,
)
from .types import Timex


DATE, TIME, DURATION, SET = "DATE", "TIME", "DURATION", "SET"


@dataclass(slots=True)
class Context:
    """What the handlers know about the document while it is scanned left to right.

    Mutable on purpose, unlike the values it produces: each scan has its own, and
    the handlers update the last date and quarter as they go.
    """

    text: str
    anchor: date | None
    timeml: bool = False  # follow TimeBank's span and type conventions
    last_date: Timex | None = None  # the last expression that named calendar days
    last_quarter: tuple[int, int] | None = None  # (year, quarter) last mentioned
    tenses: dict[int, str | None] = field(default_factory=dict)

    def contrary_days(self, tense: str | None, start: int) -> float | None:
        """How strongly to hold a date to its tense: None for the default."""
        if tense == cal.PAST and cal.past_verb_is_close(self.text, start):
            return cal.CLOSE_PAST_DAYS
        return None

    def tense(self, start: int, end: int) -> str | None:
        """The tense of the clause around text[start:end], computed once."""
        if start not in self.tenses:
            self.tenses[start] = cal.infer_tense(self.text, start, end)
        return self.tenses[start]


# ---------------------------------------------------------------------------
# Values and the calendar days they cover

@functools.lru_cache(maxsize=4096)  # a story names the same few days again and again
def value_bounds(value: str) -> tuple[str | None, date | None, date | None]:
    """Precision and first/last calendar day of a TIMEX3 date value, if it has any.

    "2025-06-04" and "2025-06-04TMO" are days, "2025-W23" a week, "2025-06" a
    month, "2025-Q3" a quarter, "2025-SU" a season, "2025" a year, "199" the
    1990s, "19" the 1900s; durations and PRESENT_REF-like values have no days.
    """
    if not value[:1].isdigit() or "X" in value:
        return None, None, None
    try:
        if len(value) >= 10 and value[4] == "-" and value[7] == "-":
            day = date(int(value[:4]), int(value[5:7]), int(value[8:10]))
            return "day", day, day
        if len(value) == 4:
            return ("year", *cal.year_bounds(int(value)))
        if value[4:6] == "-W" and value[6:8].isdigit():  # "2025-W23", "2025-W22-WE"
            monday = date.fromisocalendar(int(value[:4]), int(value[6:8]), 1)
            if value.endswith("-WE"):
                return "week", monday + timedelta(days=5), monday + timedelta(days=6)
            return "week", monday, monday + timedelta(days=6)
        if len(value) == 7 and value[4] == "-":
            year, tail = int(value[:4]), value[5:]
            if tail.isdigit():
                return ("month", *cal.month_bounds(year, int(tail)))
            if tail[0] == "Q":
                return ("quarter", *cal.quarter_bounds(year, int(tail[1])))
            if tail[0] == "H":
                return ("range", *cal.half_bounds(year, int(tail[1])))
            return ("range", *cal.season_bounds(year, tail))
        if len(value) == 3 and value.isdigit():
            start = int(value) * 10
            return "range", date(start, 1, 1), date(start + 9, 12, 31)
        if len(value) == 2 and value.isdigit():
            start = int(value) * 100
            return "range", date(max(start, 1), 1, 1), date(start + 99, 12, 31)
    except (ValueError, KeyError, IndexError):
        pass
    return None, None, None


def make(
    ctx: Context,
    match: re.Match[str],
    kind: str,
    value: str,
    rule: str,
    *,
    start: int | None = None,
    end: int | None = None,
    bounds: tuple[date, date] | None = None,
) -> Timex:
    """Build the Timex; dates get their precision and calendar days from the value."""
    start = match.start() if start is None else start
    end = match.end() if end is None else end
    precision = date_start = date_end = None
    if kind in (DATE, TIME):
        precision, date_start, date_end = value_bounds(value)
        if bounds is not None:
            precision = "range"
            date_start, date_end = bounds
    return Timex(
        start=start,
        end=end,
        text=ctx.text[start:end],
        type=kind,
        value=value,
        precision=precision,
        date_start=date_start,
        date_end=date_end,
        rule=rule,
        anchor=ctx.anchor,
    )


_LETTERS = re.compile(r"[a-z]+")


def words_of(text: str) -> list[str]:
    """The lower-case words of a phrase, without digits and punctuation."""
    return _LETTERS.findall(text.lower())


def day_value(day: date) -> str:
    return day.isoformat()


def month_value(year: int, month: int) -> str:
    return f"{year:04d}-{month:02d}"


def direction_of(text: str) -> tuple[str | None, str]:
    """The relative word of "last week" or "the coming year": past/this/next."""
    words = words_of(text)
    # "this past weekend" is the last one, "this coming week" the next one
    for direction, names in (
        ("last", ("last", "past", "previous", "preceding", "prior")),
        ("next", ("next", "coming", "following")),
        ("this", ("this", "current", "same")),
    ):
        for word in words:
            if word in names:
                return direction, word
    return None, ""


_DEADLINE = re.compile(r"\b(?:until|till|by)\s+\Z", re.IGNORECASE)
_EARLIER_LATER = re.compile(r"\b(earlier|later)\s+(?:on\s+)?\Z", re.IGNORECASE)


def tense_direction(ctx: Context, match: re.Match[str]) -> str | None:
    """Past or future for a weekday: "earlier Friday" and "later Friday" say it."""
    start = match.start()
    # "earlier" and "later" both hold "er", and only "E" and "R" lower-case to "e"
    # and "r" (IGNORECASE folds no other letter to them): no "er", no search
    before = ctx.text[max(0, start - 12):start].lower()
    modifier = (_EARLIER_LATER.search(ctx.text, max(0, start - 12), start)
                if "er" in before else None)
    if modifier:
        return cal.PAST if modifier.group(1).lower() == "earlier" else cal.FUTURE
    if ctx.text.startswith(("'s", "\u2019s"), match.end()):
        # "Friday's vote": news speaks of a possessive weekday as done
        return None if ctx.anchor is None else cal.PAST
    # "until" and "till" hold "t" and "l", "by" itself (no other letter folds to them)
    near = ctx.text[max(0, start - 8):start].lower()
    if (("l" in near and "t" in near) or "by" in near) and _DEADLINE.search(
            ctx.text, max(0, start - 8), start):
        # "has until Monday to pay": a deadline lies ahead unless the clause
        # before it is in the past ("stayed until Monday")
        if cal.PAST not in (
            cal.infer_tense(ctx.text, match.start(), match.end(), ahead=0),
            cal.infer_tense(ctx.text, match.start(), match.end(), back=0, ahead=4),
        ):
            return cal.FUTURE
    return ctx.tense(match.start(), match.end())


TENSE_NOTE = {cal.PAST: " (past tense)", cal.FUTURE: " (future tense)", None: ""}

# ---------------------------------------------------------------------------
# Calendar dates written out

MONTH_TOKEN = re.compile(
    r"\b(?:January|February|March|April|May|June|July|August|September|October"
    r"|November|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\b",
    re.IGNORECASE,
)
DAY_TOKEN = re.compile(
    r"\b(?:(3[01]|[12][0-9]|0?[1-9])(?:st|nd|rd|th)?\b(?![,.]?\s*\d{4})"
    r"|((?:twenty|thirty)[- ])?(first|second|third|fourth|fifth|sixth|seventh"
    r"|eighth|ninth|tenth|eleventh|twelfth|thirteenth|fourteenth|fifteenth"
    r"|sixteenth|seventeenth|eighteenth|nineteenth|twentieth|thirtieth)\b)",
    re.IGNORECASE,
)
YEAR_TOKEN = re.compile(r"(?<![\d'])(1[6-9]\d\d|20\d\d)(?!\d)|'(\d\d)\b")
SPELLED_YEAR_TOKEN = re.compile(SPELLED_YEAR, re.IGNORECASE)
WEEKDAY_TOKEN = re.compile(
    r"\b(Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|Mon|Tues?|Wed"
    r"|Thu(?:rs?)?|Fri|Sat|Sun)(?=s?\b)",
    re.IGNORECASE,
)


def short_year(digits: str, anchor: date | None) -> int:
    """'98 -> 1998, '25 -> 2025: the century that keeps the year near the anchor."""
    pivot = (anchor.year if anchor else 2030) % 100 + 10
    year = int(digits)
    return 2000 + year if year <= pivot else 1900 + year


def year_in(text: str, anchor: date | None) -> int | None:
    found = YEAR_TOKEN.search(text)
    if not found:
        spelled = SPELLED_YEAR_TOKEN.search(text)
        return parse_spelled_year(spelled.group()) if spelled else None
    if found.group(1):
        return int(found.group(1))
    return short_year(found.group(2), anchor)


def days_in(text: str) -> list[int]:
    days = []
    for found in DAY_TOKEN.finditer(text):
        if found.group(1):
            days.append(int(found.group(1)))
        else:
            days.append(parse_ordinal((found.group(2) or "") + found.group(3)) or 0)
    return days


# ---------------------------------------------------------------------------
# Weekdays and days named from the anchor


def part_of_day(text: str) -> str | None:
    for word in words_of(text):
        if word in PARTS_OF_DAY:
            return PARTS_OF_DAY[word]
        if word.endswith("s") and word[:-1] in PARTS_OF_DAY:
            return PARTS_OF_DAY[word[:-1]]
    return None


def day_or_time(
    ctx: Context, match: re.Match[str], day: date, rule: str, part: str | None,
    kind: str = TIME,
) -> Timex:
    """A day, or a part of it ("2013-03-22TMO"); TimeBank types "Friday night" as
    a DATE but "this morning" as a TIME, hence ``kind``."""
    if part:
        return make(ctx, match, kind, f"{day_value(day)}T{part}", rule)
    return make(ctx, match, DATE, day_value(day), rule)


# ---------------------------------------------------------------------------
# Periods named from the anchor: last week, this month, next year


def shift_period(base: date, unit: str, amount: int) -> date:
    if unit in ("day", "night"):
        return base + timedelta(days=amount)
    if unit in ("week", "weekend", "fortnight"):
        return base + timedelta(days=7 * amount * (2 if unit == "fortnight" else 1))
    if unit == "month":
        return cal.add_months(base, amount)
    if unit == "quarter":
        return cal.add_months(base, 3 * amount)
    if unit == "year":
        return cal.add_years(base, amount)
    if unit == "decade":
        return cal.add_years(base, 10 * amount)
    if unit == "century":
        return cal.add_years(base, 100 * amount)
    return base


def period_value(day: date, unit: str) -> str:
    """The TIMEX3 value of the period of the given unit that holds ``day``."""
    if unit in ("day", "night", "hour", "minute", "second", "morning", "afternoon",
                "evening"):
        return day_value(day)
    if unit in ("week", "fortnight"):
        return cal.week_value(day)
    if unit == "weekend":
        return cal.week_value(day) + "-WE"
    if unit == "month":
        return month_value(day.year, day.month)
    if unit == "quarter":
        return f"{day.year:04d}-Q{cal.quarter_of(day)}"
    if unit == "decade":
        return f"{day.year // 10:03d}"
    if unit == "century":
        return f"{day.year // 100:02d}"
    return f"{day.year:04d}"


UNDERSPECIFIED = {
    "day": "XXXX-XX-XX", "week": "XXXX-WXX", "weekend": "XXXX-WXX-WE",
    "month": "XXXX-XX", "year": "XXXX", "quarter": "XXXX-QX", "decade": "XXX",
    "century": "XX",
}


def unit_of(word: str) -> str:
    return UNIT_PLURALS.get(word, word)


_MODAL_BEFORE = re.compile(
    r"\b(?:will|would|could|can|may|might|should|must|'ll)\s+\Z", re.IGNORECASE
)
_TO_BEFORE = re.compile(r"\bto\s+\Z", re.IGNORECASE)


def last_is_a_verb(ctx: Context, match: re.Match[str], counted: bool = False) -> bool:
    """Whether "last" is the verb ("could last weeks"), not a date word.

    After "to" it is a verb only before a count ("to last three days"): "up to
    last year's level" is a date.
    """
    if match.group()[:4].lower() != "last":
        return False
    window = (max(0, match.start() - 8), match.start())
    return bool(_MODAL_BEFORE.search(ctx.text, *window)) or (
        counted and bool(_TO_BEFORE.search(ctx.text, *window))
    )


def reference_point(ctx: Context, unit: str) -> tuple[Timex | None, date | None]:
    """The date that "two days later" counts from: the last date, else the anchor."""
    last = ctx.last_date
    if last is not None and last.date_start is not None:
        return last, last.date_start
    return None, ctx.anchor
