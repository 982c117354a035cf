"""Turn one scanner match into a Timex: read its parts, pick the reading, normalize.

One handler per alternative of ``date_patterns.ALTERNATIVES``.  A handler gets the
``Context`` of the document (text, anchor, the last date mentioned) and the match,
and returns a Timex, or None when the words are not a date after all ("May" the
verb, a "44-year-old" age, "1990" the flight number).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from fractions import Fraction
from typing import Callable

from . import date_resolve as cal
from .date_lexicon import (
    DECADE_WORDS,
    PARTS_OF_DAY,
    SPELLED_YEAR,
    SEASONS,
    UNIT_PLURALS,
    month_number,
    parse_number,
    parse_ordinal,
    parse_spelled_year,
    weekday_number,
)
from .types import Timex

DATE, TIME, DURATION, SET = "DATE", "TIME", "DURATION", "SET"


@dataclass(slots=True)
class Context:
    """What the handlers know about the document while it is scanned left to right."""

    text: str
    anchor: date | None
    timeml: bool = False  # follow TimeBank's span and type conventions
    last_date: Timex | None = None  # the last expression that named calendar days
    last_quarter: tuple[int, int] | None = None  # (year, quarter) last mentioned
    tenses: dict[int, str | None] = field(default_factory=dict)

    def tense(self, start: int, end: int) -> str | None:
        if start not in self.tenses:
            self.tenses[start] = cal.infer_tense(self.text, start, end)
        return self.tenses[start]


# ---------------------------------------------------------------------------
# Values and the calendar days they cover

_VALUE_FORMS = (
    (re.compile(r"(\d{4})-(\d\d)-(\d\d)(?:T.*)?"), "day"),
    (re.compile(r"(\d{4})-W(\d\d)(?:-WE)?"), "week"),
    (re.compile(r"(\d{4})-(\d\d)"), "month"),
    (re.compile(r"(\d{4})-Q([1-4])"), "quarter"),
    (re.compile(r"(\d{4})-H([12])"), "half"),
    (re.compile(r"(\d{4})-(SP|SU|FA|WI)"), "season"),
    (re.compile(r"(\d{4})"), "year"),
    (re.compile(r"(\d{3})"), "decade"),
    (re.compile(r"(\d{2})"), "century"),
)


def value_bounds(value: str) -> tuple[str | None, date | None, date | None]:
    """Precision and first/last calendar day of a TIMEX3 date value, if it has any."""
    for pattern, form in _VALUE_FORMS:
        found = pattern.fullmatch(value)
        if not found:
            continue
        first = found.group(1)
        try:
            if form == "day":
                day = date(int(first), int(found.group(2)), int(found.group(3)))
                return "day", day, day
            if form == "week":
                monday = date.fromisocalendar(int(first), int(found.group(2)), 1)
                if value.endswith("-WE"):
                    return "week", monday + timedelta(days=5), monday + timedelta(6)
                return "week", monday, monday + timedelta(days=6)
            if form == "month":
                return ("month", *cal.month_bounds(int(first), int(found.group(2))))
            if form == "quarter":
                return ("quarter", *cal.quarter_bounds(int(first), int(found.group(2))))
            if form == "half":
                return ("range", *cal.half_bounds(int(first), int(found.group(2))))
            if form == "season":
                return ("range", *cal.season_bounds(int(first), found.group(2)))
            if form == "year":
                return ("year", *cal.year_bounds(int(first)))
            if form == "decade":
                start = int(first) * 10
                return "range", date(start, 1, 1), date(start + 9, 12, 31)
            start = int(first) * 100
            return "range", date(max(start, 1), 1, 1), date(start + 99, 12, 31)
        except ValueError:
            return None, None, None
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


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z]+", text.lower())


def _day_value(day: date) -> str:
    return day.isoformat()


def _month_value(year: int, month: int) -> str:
    return f"{year:04d}-{month:02d}"


def _direction_words(text: str) -> tuple[str | None, str]:
    """The relative word of "last week" or "the coming year": past/this/next."""
    words = _words(text)
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


def _tense_direction(ctx: Context, match: re.Match[str]) -> str | None:
    """Past or future for a weekday: "earlier Friday" and "later Friday" say it."""
    modifier = _EARLIER_LATER.search(ctx.text, max(0, match.start() - 12),
                                     match.start())
    if modifier:
        return cal.PAST if modifier.group(1).lower() == "earlier" else cal.FUTURE
    if ctx.text.startswith(("'s", "\u2019s"), match.end()):
        # "Friday's vote": news speaks of a possessive weekday as done
        return None if ctx.anchor is None else cal.PAST
    if _DEADLINE.search(ctx.text, max(0, match.start() - 8), match.start()):
        # "has until Monday to pay": a deadline lies ahead unless the clause
        # before it is in the past ("stayed until Monday")
        if cal.PAST not in (
            cal.infer_tense(ctx.text, match.start(), match.end(), ahead=0),
            cal.infer_tense(ctx.text, match.start(), match.end(), back=0, ahead=4),
        ):
            return cal.FUTURE
    return ctx.tense(match.start(), match.end())


_TENSE_NOTE = {cal.PAST: " (past tense)", cal.FUTURE: " (future tense)", None: ""}

# ---------------------------------------------------------------------------
# Calendar dates written out

_MONTH_TOKEN = re.compile(
    r"\b(?:January|February|March|April|May|June|July|August|September|October"
    r"|November|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\b",
    re.IGNORECASE,
)
_DAY_TOKEN = re.compile(
    r"\b(?:(3[01]|[12][0-9]|0?[1-9])(?:st|nd|rd|th)?\b(?![,.]?\s*\d{4})"
    r"|((?:twenty|thirty)[- ])?(first|second|third|fourth|fifth|sixth|seventh"
    r"|eighth|ninth|tenth|eleventh|twelfth|thirteenth|fourteenth|fifteenth"
    r"|sixteenth|seventeenth|eighteenth|nineteenth|twentieth|thirtieth)\b)",
    re.IGNORECASE,
)
_YEAR_TOKEN = re.compile(r"(?<![\d'])(1[6-9]\d\d|20\d\d)(?!\d)|'(\d\d)\b")
_SPELLED_YEAR_TOKEN = re.compile(SPELLED_YEAR, re.IGNORECASE)
_WEEKDAY_TOKEN = re.compile(
    r"\b(Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|Mon|Tues?|Wed"
    r"|Thu(?:rs?)?|Fri|Sat|Sun)(?=s?\b)",
    re.IGNORECASE,
)


def _short_year(digits: str, anchor: date | None) -> int:
    """'98 -> 1998, '25 -> 2025: the century that keeps the year near the anchor."""
    pivot = (anchor.year if anchor else 2030) % 100 + 10
    year = int(digits)
    return 2000 + year if year <= pivot else 1900 + year


def _year_in(text: str, anchor: date | None) -> int | None:
    found = _YEAR_TOKEN.search(text)
    if not found:
        spelled = _SPELLED_YEAR_TOKEN.search(text)
        return parse_spelled_year(spelled.group()) if spelled else None
    if found.group(1):
        return int(found.group(1))
    return _short_year(found.group(2), anchor)


def _days_in(text: str) -> list[int]:
    days = []
    for found in _DAY_TOKEN.finditer(text):
        if found.group(1):
            days.append(int(found.group(1)))
        else:
            days.append(parse_ordinal((found.group(2) or "") + found.group(3)) or 0)
    return days


def _calendar_date(
    ctx: Context, match: re.Match[str], day_first: bool
) -> Timex | None:
    """month_day and day_month: "June 4, 2025", "the 4th of June", "May 24, 25, 26"."""
    text = match.group()
    months = [month_number(m.group()) for m in _MONTH_TOKEN.finditer(text)]
    if not months or months[0] is None:
        return None
    # Drop the year and the weekday before reading day numbers.
    year = _year_in(text, ctx.anchor)
    body = _YEAR_TOKEN.sub(" ", text)
    body = _WEEKDAY_TOKEN.sub(" ", body)
    days = _days_in(body)
    if not days:
        return None
    first_month = months[0]
    last_month = months[-1] if len(months) > 1 and not day_first else first_month
    if day_first and len(months) > 1:
        first_month = months[0]
    weekday_found = _WEEKDAY_TOKEN.search(text)
    weekday = weekday_number(weekday_found.group()) if weekday_found else None
    rule_year = "with its year"
    if year is None:
        if ctx.anchor is None:
            if len(days) == 1:
                return make(ctx, match, DATE, f"XXXX-{first_month:02d}-{days[0]:02d}",
                            "month-day without a year or an anchor")
            return make(ctx, match, DATE, f"XXXX-{first_month:02d}-{days[0]:02d}",
                        "list of days without a year or an anchor")
        tense = ctx.tense(match.start(), match.end())
        year = cal.pick_year(ctx.anchor, first_month, days[0], tense)
        if weekday is not None:
            # "Friday, Oct. 23": prefer the nearby year where the weekday fits.
            for candidate in (year, year - 1, year + 1):
                try:
                    if date(candidate, first_month, days[0]).weekday() == weekday:
                        year = candidate
                        break
                except ValueError:
                    continue
        rule_year = "year from the anchor" + _TENSE_NOTE[tense]
    try:
        first = date(year, first_month, days[0])
        last = date(year, last_month, days[-1])
    except ValueError:
        return None
    if last < first:
        last = date(year + 1, last_month, days[-1]) if last_month < first_month else last
    shape = "day-month" if day_first else "month-day"
    if len(days) == 1:
        return make(ctx, match, DATE, _day_value(first), f"{shape}, {rule_year}")
    separator = text[text.find(str(days[0])) if str(days[0]) in text else 0:]
    kind = "range of days" if re.search(r"[-\u2013\u2014]|\bto\b|through|until|till",
                                        separator) else "list of days"
    if last < first:
        return None
    return make(ctx, match, DATE, _day_value(first), f"{kind}, {rule_year}",
                bounds=(first, last))


def handle_month_day(ctx: Context, match: re.Match[str]) -> Timex | None:
    return _calendar_date(ctx, match, day_first=False)


def handle_day_month(ctx: Context, match: re.Match[str]) -> Timex | None:
    return _calendar_date(ctx, match, day_first=True)


def handle_iso_date(ctx: Context, match: re.Match[str]) -> Timex | None:
    text = match.group()
    try:
        if "-" in text:
            day = date.fromisoformat(text[:10])
            if "T" in text:
                return make(ctx, match, TIME, text, "ISO date and time")
            return make(ctx, match, DATE, _day_value(day), "ISO date")
        parts = [int(p) for p in text.split("/")]
        if parts[0] > 31:
            day = date(parts[0], parts[1], parts[2])
        else:
            year = parts[2] if parts[2] > 99 else _short_year(f"{parts[2]:02d}",
                                                              ctx.anchor)
            # Month first unless that is impossible (US style is the news norm).
            if parts[0] > 12:
                day = date(year, parts[1], parts[0])
            else:
                day = date(year, parts[0], parts[1])
    except ValueError:
        return None
    return make(ctx, match, DATE, _day_value(day), "numeric date")


def handle_month_year(ctx: Context, match: re.Match[str]) -> Timex | None:
    text = match.group()
    month = month_number(_MONTH_TOKEN.search(text).group())
    if month is None:
        return None
    year = _year_in(text, ctx.anchor)
    rule = "month and year"
    if year is None:
        words = _words(text)
        if ctx.anchor is None:
            return make(ctx, match, DATE, f"XXXX-{month:02d}", "month of a relative year")
        offset = -1 if "last" in words else 1 if "next" in words else 0
        year = ctx.anchor.year + offset
        rule = "month of the anchor's year" if offset == 0 else (
            "month of the previous year" if offset < 0 else "month of the next year")
    return make(ctx, match, DATE, _month_value(year, month), rule)


def handle_month(ctx: Context, match: re.Match[str]) -> Timex | None:
    text = match.group()
    found = _MONTH_TOKEN.search(text)
    month = month_number(found.group())
    if month is None:
        return None
    if found.start() == 0 and found.group() in ("May", "March", "MAY", "MARCH"):
        # "May" is a verb more often than a month: demand a word that asks for a
        # date before it.
        before = ctx.text[max(0, match.start() - 24):match.start()]
        if not re.search(
            r"\b(?:in|since|by|until|till|through|of|during|before|after|from|to"
            r"|early|late|mid|last|this|next|between|and|or|on)\s*$",
            before, re.IGNORECASE,
        ):
            return None
    if ctx.anchor is None:
        return make(ctx, match, DATE, f"XXXX-{month:02d}", "month without an anchor")
    tense = ctx.tense(match.start(), match.end())
    year = cal.pick_year(ctx.anchor, month, None, tense)
    return make(ctx, match, DATE, _month_value(year, month),
                "month, year from the anchor" + _TENSE_NOTE[tense])


# ---------------------------------------------------------------------------
# Weekdays and days named from the anchor


def _part_of_day(text: str) -> str | None:
    for word in _words(text):
        if word in PARTS_OF_DAY:
            return PARTS_OF_DAY[word]
        if word.endswith("s") and word[:-1] in PARTS_OF_DAY:
            return PARTS_OF_DAY[word[:-1]]
    return None


def _day_or_time(
    ctx: Context, match: re.Match[str], day: date, rule: str, part: str | None,
    kind: str = TIME,
) -> Timex:
    """A day, or a part of it ("2013-03-22TMO"); TimeBank types "Friday night" as
    a DATE but "this morning" as a TIME, hence ``kind``."""
    if part:
        return make(ctx, match, kind, f"{_day_value(day)}T{part}", rule)
    return make(ctx, match, DATE, _day_value(day), rule)


def handle_weekday(ctx: Context, match: re.Match[str]) -> Timex | None:
    text = match.group()
    weekday = weekday_number(_WEEKDAY_TOKEN.search(text).group())
    if weekday is None:
        return None
    part = _part_of_day(text)
    if ctx.anchor is None:
        suffix = f"T{part}" if part else ""
        return make(ctx, match, DATE,
                    f"XXXX-WXX-{weekday + 1}{suffix}", "weekday without an anchor")
    direction = _tense_direction(ctx, match)
    day = cal.resolve_weekday(ctx.anchor, weekday, direction)
    if day == ctx.anchor:
        rule = "weekday of the anchor"
    elif day < ctx.anchor:
        rule = "weekday before the anchor"
    else:
        rule = "weekday after the anchor"
    return _day_or_time(ctx, match, day, rule + _TENSE_NOTE[direction], part, DATE)


_DAY_OFFSETS = {"yesterday": -1, "today": 0, "tomorrow": 1, "tonight": 0}


def handle_day_word(ctx: Context, match: re.Match[str]) -> Timex | None:
    words = _words(match.group())
    part = _part_of_day(match.group())
    offset = 0
    name = "today"
    for word in words:
        if word in _DAY_OFFSETS:
            offset, name = _DAY_OFFSETS[word], word
            break
    if words[:2] == ["last", "night"] or "overnight" in words:
        offset, name = -1, "last night"
    if ctx.anchor is None:
        suffix = f"T{part}" if part else ""
        return make(ctx, match, TIME if part else DATE, f"XXXX-XX-XX{suffix}",
                    f"{name} without an anchor")
    day = ctx.anchor + timedelta(days=offset)
    if name == "today" and "this" in words:
        name = " ".join(words)
    rule = {
        -1: f"{name}: anchor minus one day", 0: f"{name}: the anchor",
        1: f"{name}: anchor plus one day",
    }[offset]
    return _day_or_time(ctx, match, day, rule, part)


_CLOCK = re.compile(
    r"(?:(\d{4}|\d{1,2})(?:[:.](\d\d))?\s*(?:([ap])\.?m\b\.?)?|(noon|midday)"
    r"|(midnight))",
    re.IGNORECASE,
)


_ON_DAY = re.compile(
    r"\s+on\s+(Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday"
    r"|(?:January|February|March|April|May|June|July|August|September|October"
    r"|November|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\.?"
    r"\s+\d{1,2})\b"
)


def handle_clock(ctx: Context, match: re.Match[str]) -> Timex | None:
    text = match.group()
    found = _CLOCK.match(text)
    if found is None:
        return None
    if found.group(4):
        hour, minute = 12, 0  # noon, midday
    elif found.group(5):
        hour, minute = 24, 0
    else:
        digits = found.group(1)
        if len(digits) == 4:  # "0530 GMT"
            hour, minute = int(digits[:2]), int(digits[2:])
        else:
            hour, minute = int(digits), int(found.group(2) or 0)
        meridiem = (found.group(3) or "").lower()
        if meridiem == "p" and hour < 12:
            hour += 12
        elif meridiem == "a" and hour == 12:
            hour = 0
        if hour > 24 or minute > 59:
            return None
    clock = f"T{hour:02d}:{minute:02d}"
    weekday_found = _WEEKDAY_TOKEN.search(text, found.end())
    words = [w for w in _words(text[found.end():]) if w in _DAY_OFFSETS]
    on_day = _ON_DAY.match(ctx.text, match.end())
    if on_day and not weekday_found and not words:
        # "at 3 p.m. on Friday": the day is its own timex, but it dates the time
        weekday_found = _WEEKDAY_TOKEN.search(on_day.group(1))
    day: date | None = None
    rule = "clock time on the anchor day"
    month_text = text
    month_found = _MONTH_TOKEN.search(text, found.end())
    if not month_found and on_day and not weekday_found:
        month_text = on_day.group(1)
        month_found = _MONTH_TOKEN.search(month_text)
    if month_found:
        days = _days_in(month_text[month_found.end():])
        month = month_number(month_found.group())
        if days and month and ctx.anchor is not None:
            year = cal.pick_year(ctx.anchor, month, days[0],
                                 ctx.tense(match.start(), match.end()))
            try:
                day = date(year, month, days[0])
            except ValueError:
                return None
            return make(ctx, match, TIME, f"{_day_value(day)}{clock}",
                        "clock time on a month-day")
    if ctx.anchor is not None:
        day = ctx.anchor
        if weekday_found:
            weekday = weekday_number(weekday_found.group())
            day = cal.resolve_weekday(ctx.anchor, weekday,
                                      ctx.tense(match.start(), match.end()))
            rule = "clock time on a weekday near the anchor"
        for word in words:
            if word in _DAY_OFFSETS:
                day = ctx.anchor + timedelta(days=_DAY_OFFSETS[word])
                rule = f"clock time {word}"
    if day is None:
        return make(ctx, match, TIME, f"XXXX-XX-XX{clock}", "clock time without anchor")
    return make(ctx, match, TIME, f"{_day_value(day)}{clock}", rule)


# ---------------------------------------------------------------------------
# Periods named from the anchor: last week, this month, next year


def _shift_period(base: date, unit: str, amount: int) -> date:
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


def _period_value(day: date, unit: str) -> str:
    """The TIMEX3 value of the period of the given unit that holds ``day``."""
    if unit in ("day", "night", "hour", "minute", "second", "morning", "afternoon",
                "evening"):
        return _day_value(day)
    if unit in ("week", "fortnight"):
        return cal.week_value(day)
    if unit == "weekend":
        return cal.week_value(day) + "-WE"
    if unit == "month":
        return _month_value(day.year, day.month)
    if unit == "quarter":
        return f"{day.year:04d}-Q{cal.quarter_of(day)}"
    if unit == "decade":
        return f"{day.year // 10:03d}"
    if unit == "century":
        return f"{day.year // 100:02d}"
    return f"{day.year:04d}"


_UNDERSPECIFIED = {
    "day": "XXXX-XX-XX", "week": "XXXX-WXX", "weekend": "XXXX-WXX-WE",
    "month": "XXXX-XX", "year": "XXXX", "quarter": "XXXX-QX", "decade": "XXX",
    "century": "XX",
}


def _unit_of(word: str) -> str:
    return UNIT_PLURALS.get(word, word)


_MODAL_BEFORE = re.compile(
    r"\b(?:will|would|could|can|may|might|should|must|'ll)\s+\Z", re.IGNORECASE
)
_TO_BEFORE = re.compile(r"\bto\s+\Z", re.IGNORECASE)


def last_is_a_verb(ctx: Context, match: re.Match[str], counted: bool = False) -> bool:
    """"could last weeks", "to last several days": "last" the verb, not a date.

    After "to" it is a verb only before a count ("to last three days"): "up to
    last year's level" is a date.
    """
    if match.group()[:4].lower() != "last":
        return False
    window = (max(0, match.start() - 8), match.start())
    return bool(_MODAL_BEFORE.search(ctx.text, *window)) or (
        counted and bool(_TO_BEFORE.search(ctx.text, *window))
    )


def handle_relative(ctx: Context, match: re.Match[str]) -> Timex | None:
    if last_is_a_verb(ctx, match):
        return None
    text = match.group()
    words = _words(text)
    direction, word = _direction_words(text)
    month_found = _MONTH_TOKEN.search(text)
    weekday_found = _WEEKDAY_TOKEN.search(text)
    if weekday_found and (not month_found or weekday_found.start() < month_found.start()):
        return _relative_weekday(ctx, match, direction, word, weekday_found)
    if month_found and month_found.start() > 0:
        return _relative_month(ctx, match, direction, month_found)
    unit = words[-1]
    if unit in SEASONS:
        return _relative_season(ctx, match, direction, SEASONS[unit])
    if unit == "weekend" and direction is None:
        # "the weekend": the one before the anchor unless the clause looks ahead.
        direction = "next" if ctx.tense(match.start(), match.end()) == cal.FUTURE else (
            "last")
        if ctx.anchor is not None and ctx.anchor.weekday() >= 5:
            direction = "this"
    if ctx.anchor is None:
        return make(ctx, match, DATE, _UNDERSPECIFIED.get(unit, "XXXX"),
                    f"{word} {unit} without an anchor")
    amount = {"last": -1, "next": 1, "this": 0, None: 0}[direction]
    base = ctx.anchor
    if unit == "week" and direction == "last" and words[0] == "the":
        # "the past week" is the seven days up to the anchor; most of them lie in
        # the anchor's week once the week is half over.
        day = base - timedelta(days=3)
    elif unit == "weekend" and direction == "last":
        day = base - timedelta(days=(base.weekday() - 5) % 7 or 7)
    else:
        day = _shift_period(base, unit, amount)
    value = _period_value(day, unit)
    names = {-1: f"{unit} before the anchor's", 0: f"{unit} of the anchor",
             1: f"{unit} after the anchor's"}
    return make(ctx, match, DATE, value, f"{' '.join(words)}: {names[amount]}")


def _relative_weekday(
    ctx: Context, match: re.Match[str], direction: str | None, word: str,
    found: re.Match[str],
) -> Timex | None:
    weekday = weekday_number(found.group())
    if weekday is None:
        return None
    part = _part_of_day(match.group()[found.end():])
    if ctx.anchor is None:
        return make(ctx, match, DATE,
                    f"XXXX-WXX-{weekday + 1}" + (f"T{part}" if part else ""),
                    "weekday without an anchor")
    if direction == "this":
        tense = ctx.tense(match.start(), match.end())
        how = cal.PAST if tense == cal.PAST else cal.FUTURE
    else:
        how = direction
    day = cal.resolve_weekday(ctx.anchor, weekday, how)
    return _day_or_time(ctx, match, day, f"{word} weekday from the anchor", part,
                        DATE)


def _relative_month(
    ctx: Context, match: re.Match[str], direction: str | None, found: re.Match[str]
) -> Timex | None:
    month = month_number(found.group())
    if month is None:
        return None
    if ctx.anchor is None:
        return make(ctx, match, DATE, f"XXXX-{month:02d}", "month without an anchor")
    year = ctx.anchor.year
    if direction == "last":
        year = year if month < ctx.anchor.month else year - 1
        rule = "last month-name: the latest one before the anchor's month"
    elif direction == "next":
        year = year if month > ctx.anchor.month else year + 1
        rule = "next month-name: the first one after the anchor's month"
    else:
        rule = "this month-name: the anchor's year"
    return make(ctx, match, DATE, _month_value(year, month), rule)


def pick_season_year(anchor: date, code: str, tense: str | None) -> int:
    """The year of the season nearest the anchor on the side the tense points to."""
    best, best_score = anchor.year, None
    for year in (anchor.year - 1, anchor.year, anchor.year + 1):
        start, end = cal.season_bounds(year, code)
        if start <= anchor <= end:
            return year
        ahead = start > anchor
        score = float((start - anchor).days if ahead else (anchor - end).days)
        if (tense == cal.PAST and ahead) or (tense == cal.FUTURE and not ahead):
            score += cal.CONTRARY_TENSE_DAYS
        if best_score is None or score < best_score:
            best, best_score = year, score
    return best


def _relative_season(
    ctx: Context, match: re.Match[str], direction: str | None, code: str
) -> Timex | None:
    if ctx.anchor is None:
        return make(ctx, match, DATE, f"XXXX-{code}", "season without an anchor")
    current_year, current = cal.season_of(ctx.anchor)
    if direction == "this":
        year = current_year if code == current else pick_season_year(
            ctx.anchor, code, None)
    elif direction == "last":
        # the latest such season that is over
        year = max(y for y in range(ctx.anchor.year - 2, ctx.anchor.year + 1)
                   if cal.season_bounds(y, code)[1] < ctx.anchor)
    else:
        # the first such season still to begin
        year = min(y for y in range(ctx.anchor.year - 1, ctx.anchor.year + 2)
                   if cal.season_bounds(y, code)[0] > ctx.anchor)
    return make(ctx, match, DATE, f"{year:04d}-{code}",
                f"{direction or 'this'} season from the anchor")


def handle_season(ctx: Context, match: re.Match[str]) -> Timex | None:
    text = match.group()
    words = _words(text)
    code = SEASONS[words[-1]]
    has_article = "the" in words or any(w in words for w in ("early", "late", "mid"))
    if not has_article:
        before = ctx.text[max(0, match.start() - 12):match.start()]
        if words[-1] == "fall" or not re.search(
            r"\b(?:in|during|since|until|by|through|over)\s*$", before, re.IGNORECASE
        ):
            return None
    if words[-1] == "fall" and re.match(r"\s+of\s+(?!\d)", ctx.text[match.end():]):
        return None  # "the fall of the Berlin Wall"
    if ctx.anchor is None:
        return make(ctx, match, DATE, f"XXXX-{code}", "season without an anchor")
    tense = ctx.tense(match.start(), match.end())
    year = pick_season_year(ctx.anchor, code, tense)
    return make(ctx, match, DATE, f"{year:04d}-{code}",
                "season, year from the anchor" + _TENSE_NOTE[tense])


# ---------------------------------------------------------------------------
# Years, decades, centuries, quarters

_NOT_A_YEAR_AFTER = re.compile(
    r"\s*(?:%|percent|per\b|people|persons|men|women|soldiers|troops|dead|killed"
    r"|wounded|deaths|km|kilometers|kilometres|miles|meters|metres|feet|tons|tonnes"
    r"|dollars|euros|pounds|barrels|units|votes|shares|points|jobs|cases|[a-z]+s"
    r"\s+(?:were|are|have|had)\b)",
    re.IGNORECASE,
)
_NOT_A_YEAR_BEFORE = re.compile(
    r"(?:\b(?:no|number|flight|route|room|page|resolution|article|section|chapter"
    r"|code|model|highway|interstate|about|nearly|almost|some|over|than|of|to)\.?"
    r"|[$\u00a3\u20ac#])\s*$",
    re.IGNORECASE,
)


def handle_year(ctx: Context, match: re.Match[str]) -> Timex | None:
    text = match.group()
    words = _words(text)
    years = [int(y) for y in re.findall(r"(?<!\d)\d{4}(?!\d)", text)]
    if not years:
        if "'" in text:
            year = _short_year(text[-2:], ctx.anchor)
            return make(ctx, match, DATE, f"{year:04d}", "fiscal year")
        return None
    year = years[0]
    if not words:  # a bare number: make sure it is not a count or a label
        before = ctx.text[max(0, match.start() - 16):match.start()]
        if _NOT_A_YEAR_AFTER.match(ctx.text, match.end()) and not re.search(
            r"\b(?:in|since|of|by|until)\s*$", before, re.IGNORECASE
        ):
            return None
        if _NOT_A_YEAR_BEFORE.search(before) and not re.search(
            r"\b(?:of|to)\s*$", before
        ):
            return None
    season = next((SEASONS[w] for w in words if w in SEASONS), None)
    if season:
        return make(ctx, match, DATE, f"{year:04d}-{season}", "season of a year")
    tail = re.search(r"[-\u2013](\d{4}|\d\d)$", text)
    if tail:
        last = int(tail.group(1))
        if last < 100:
            last = year // 100 * 100 + last
        if last <= year or last - year > 20:
            return make(ctx, match, DATE, f"{year:04d}", "year",
                        end=match.start() + text.find(str(year)) + 4)
        return make(ctx, match, DATE, f"{year:04d}", "range of years",
                    bounds=(date(year, 1, 1), date(last, 12, 31)))
    return make(ctx, match, DATE, f"{year:04d}", "year")


def handle_spelled_year(ctx: Context, match: re.Match[str]) -> Timex | None:
    text = match.group()
    year = parse_spelled_year(_SPELLED_YEAR_TOKEN.search(text).group())
    if year is None:
        return None
    if year >= 2000 and not text.lower().startswith("the"):
        # "two thousand" is a count more often than a year: want "in", "since"...
        before = ctx.text[max(0, match.start() - 8):match.start()]
        if not re.search(r"\b(?:in|since|by|until|of)\s*\Z", before, re.IGNORECASE):
            return None
        if re.match(r"\s+[a-z]+s\b", ctx.text[match.end():match.end() + 20]):
            return None  # "in two thousand cases"
    return make(ctx, match, DATE, f"{year:04d}", "year written in words")


def handle_decade(ctx: Context, match: re.Match[str]) -> Timex | None:
    words = _words(match.group())
    if words[-1] in DECADE_WORDS:
        century = 19 if "nineteen" in words or ctx.anchor is None or (
            ctx.anchor.year < 2000 + 10 * DECADE_WORDS[words[-1]]) else 20
        return make(ctx, match, DATE, f"{century}{DECADE_WORDS[words[-1]]}", "decade")
    digits = re.search(r"(\d{2,4})'?s", match.group()).group(1)
    if len(digits) == 4:
        return make(ctx, match, DATE, digits[:3], "decade")
    tens = int(digits)
    century = 20 if ctx.anchor is not None and 2000 + tens <= ctx.anchor.year else 19
    if ctx.anchor is None:
        century = 19 if tens >= 30 else 20
    return make(ctx, match, DATE, f"{century}{digits[0]}", "decade")


def handle_century(ctx: Context, match: re.Match[str]) -> Timex | None:
    text = match.group()
    words = _words(text)
    number = None
    found = re.search(r"(\d{1,2})(?:st|nd|rd|th)", text)
    if found:
        number = int(found.group(1))
    else:
        ordinal = " ".join(w for w in words if w not in (
            "the", "early", "mid", "late", "century"))
        number = parse_ordinal(ordinal) if ordinal and ordinal not in (
            "this", "last", "past", "previous", "next", "current") else None
    if number is None:
        if ctx.anchor is None:
            return make(ctx, match, DATE, "XX", "century without an anchor")
        direction, _ = _direction_words(text)
        offset = {"last": -1, "next": 1}.get(direction or "", 0)
        century = ctx.anchor.year // 100 + offset
        return make(ctx, match, DATE, f"{century:02d}", "century from the anchor")
    return make(ctx, match, DATE, f"{number - 1:02d}", "century")


_QUARTER_WORDS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "1st": 1,
                  "2nd": 2, "3rd": 3, "4th": 4}


def _last_full_quarter(anchor: date) -> tuple[int, int]:
    """The latest quarter that has ended: the one earnings news reports on."""
    previous = cal.add_months(anchor, -3)
    return previous.year, cal.quarter_of(previous)


def handle_quarter(ctx: Context, match: re.Match[str]) -> Timex | None:
    """Quarters and halves of a year, the way business news names them.

    "the quarter", "the year-earlier period" and "the 1988 quarter" mean the
    quarter the article reports on: the last one named, else the last full one.
    """
    text = match.group()
    lower = text.lower()
    words = _words(text)
    explicit_year = _year_in(text, ctx.anchor)
    is_half = "half" in words
    found = re.search(r"\b(first|second|third|fourth|1st|2nd|3rd|4th)\b|q([1-4])",
                      lower)
    number = None
    if found:
        number = _QUARTER_WORDS.get(found.group(1) or "") or int(found.group(2) or 0)
    if is_half and number not in (1, 2):
        return None
    unit = "H" if is_half else "Q"
    if ctx.anchor is None and explicit_year is None:
        return make(ctx, match, DATE, f"XXXX-{unit}{number or 'X'}",
                    "quarter without an anchor")
    year_ago = bool(re.search(r"year[\s-]*(?:earlier|ago)|last year's", lower))
    remember = not year_ago
    if number is not None:
        if explicit_year is not None:
            year, rule = explicit_year, "quarter of the given year"
        else:
            year = ctx.anchor.year - (1 if year_ago else 0) + (
                1 if "next year's" in lower else 0)
            current = cal.quarter_of(ctx.anchor) if unit == "Q" else (
                1 if ctx.anchor.month <= 6 else 2)
            if not year_ago and number > current and ctx.tense(
                match.start(), match.end()
            ) == cal.PAST:
                year -= 1
            rule = "quarter, year from the anchor"
        value = f"{year:04d}-{unit}{number}"
    else:
        if ctx.anchor is None:
            year, number = explicit_year, (ctx.last_quarter or (0, 0))[1] or None
        elif any(w in words for w in ("current", "this")):
            year, number = ctx.anchor.year, cal.quarter_of(ctx.anchor)
        elif "next" in words or "coming" in words:
            following = cal.add_months(ctx.anchor, 3)
            year, number = following.year, cal.quarter_of(following)
        elif any(w in words for w in ("latest", "last", "past", "previous")) and not (
            year_ago
        ):
            year, number = _last_full_quarter(ctx.anchor)
        else:
            year, number = ctx.last_quarter or _last_full_quarter(ctx.anchor)
            remember = False
        if explicit_year is not None:
            year = explicit_year
            remember = False
        elif year_ago:
            year -= 1
        if number is None:
            return make(ctx, match, DATE, f"{year:04d}", "year of a reported period")
        value = f"{year:04d}-Q{number}"
        rule = "the quarter being reported"
    if unit == "Q" and remember:
        ctx.last_quarter = (int(value[:4]), int(value[-1]))
    # "its third quarter", "the third-quarter profit": the determiner belongs to
    # the noun phrase, not to the timex.
    lead = re.match(r"(?:its|their)\s+|the\s+(?=\w+-(?:quarter|half)\b)", text,
                    re.IGNORECASE)
    start = match.start() + (lead.end() if lead else 0)
    return make(ctx, match, DATE, value, rule, start=start)


# ---------------------------------------------------------------------------
# Durations, "ago", sets

_UNIT_LETTER = {
    "second": ("T", "S"), "minute": ("T", "M"), "hour": ("T", "H"),
    "day": ("", "D"), "night": ("", "D"), "week": ("", "W"),
    "fortnight": ("", "W"), "month": ("", "M"), "year": ("", "Y"),
    "decade": ("", "Y"), "century": ("", "Y"), "quarter": ("", "M"),
}
_UNIT_SCALE = {"decade": 10, "century": 100, "fortnight": 2, "quarter": 3}
# How a fraction of a unit is written in the next smaller one.
_SMALLER = {"year": ("month", 12), "month": ("day", 30), "week": ("day", 7),
            "day": ("hour", 24), "night": ("hour", 24), "hour": ("minute", 60),
            "minute": ("second", 60), "decade": ("year", 10),
            "century": ("year", 100), "fortnight": ("day", 14)}
_AMOUNT_WORDS = (
    r"a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen"
    r"|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty"
    r"|fourty|fifty|sixty|seventy|eighty|ninety|hundred|thousand|dozen|half|and"
    r"|few|several|many|couple|of|number|dozens|hundreds|single"
)
_AMOUNT_UNIT = re.compile(
    r"(\d[\d.,]*(?:\s+\d/\d)?|(?:\b(?:" + _AMOUNT_WORDS + r")\b[\s-]*)*)[\s-]*"
    r"\b(seconds?|minutes?|hours?|days?|nights?|weeks?|fortnights?|months?|years?"
    r"|decades?|centuries|century|quarters)\b(\s+and\s+a\s+half)?",
    re.IGNORECASE,
)
_LEAD_WORDS = re.compile(
    r"^(?:(?:about|around|approximately|roughly|nearly|almost|some|more than"
    r"|less than|fewer than|at least|at most|up to|just|only|barely|over|under"
    r"|another|an additional|an extra|a further|the better part of|well over"
    r"|just over|just under|close to|the|past|last|next|first|previous|coming"
    r"|following|final|remaining|initial|latest|same|other|full|entire|whole)\s+)+",
    re.IGNORECASE,
)


def _amounts(text: str) -> list[tuple[Fraction | None, str]]:
    """(amount, unit) pairs of "an hour and 15 minutes"; None for "several"."""
    found: list[tuple[Fraction | None, str]] = []
    for part in _AMOUNT_UNIT.finditer(_LEAD_WORDS.sub("", text)):
        words = part.group(1).strip(" -")
        unit = _unit_of(part.group(2).lower())
        plural = part.group(2).lower() in UNIT_PLURALS
        if words.lower() in ("the", ""):
            # "day-long" is one day, "decades-long" some number of decades
            amount: Fraction | None = None if plural else Fraction(1)
        else:
            amount = parse_number(words)
        if amount is not None and part.group(3):
            amount += Fraction(1, 2)
        found.append((amount, unit))
    return found


def duration_value(amounts: list[tuple[Fraction | None, str]]) -> str:
    """"P3Y", "PT1H15M", "P2Y6M", "PXY" from (amount, unit) pairs."""
    date_part: dict[str, str] = {}
    time_part: dict[str, str] = {}
    for amount, unit in amounts:
        section, letter = _UNIT_LETTER[unit]
        target = time_part if section else date_part
        if amount is None:
            target[letter] = "X"
            continue
        amount *= _UNIT_SCALE.get(unit, 1)
        unit_for_scale = "year" if unit in ("decade", "century") else (
            "day" if unit == "fortnight" else "month" if unit == "quarter" else unit)
        whole = int(amount)
        rest = amount - whole
        if whole:
            target[letter] = str(whole)
        if rest and unit_for_scale in _SMALLER:
            smaller, factor = _SMALLER[unit_for_scale]
            extra = rest * factor
            s_section, s_letter = _UNIT_LETTER[smaller]
            bucket = time_part if s_section else date_part
            bucket[s_letter] = str(int(extra) if extra == int(extra) else float(extra))
        elif rest and not whole:
            target[letter] = str(float(amount))
    value = "P"
    for letter in ("Y", "M", "W", "D"):
        if letter in date_part:
            value += date_part[letter] + letter
    if time_part:
        value += "T" + "".join(
            time_part[letter] + letter for letter in ("H", "M", "S") if letter in time_part
        )
    return value if value != "P" else "PXD"


def handle_duration(ctx: Context, match: re.Match[str]) -> Timex | None:
    if last_is_a_verb(ctx, match, counted=True):
        return None
    text = match.group()
    lower = text.lower()
    after = ctx.text[match.end():match.end() + 8].lower()
    words = _words(text)
    amounts = _amounts(text)
    if not amounts:
        return None
    if (re.search(r"old$", lower) or re.match(r"\s*old\b", after)) and (
        amounts[0][1] == "year" and amounts[0][0] is not None
    ):
        return None  # ages ("a 44-year-old man") are not annotated as durations
    counted = bool(re.search(r"\d", text)) or any(a is not None for a, _ in amounts)
    if not counted and not any(w in words for w in (
        "few", "several", "many", "couple", "dozens", "hundreds", "number"
    )):
        # "recent years", "the coming months": references, not lengths
        if "recent" in words and words[-1] != "years":
            # TimeBank reads "in recent weeks" as an unknown number of weeks
            return make(ctx, match, DURATION, duration_value(amounts),
                        "recent units: a vague duration")
        if any(w in words for w in ("recent", "past", "last", "previous")):
            return make(ctx, match, DATE, "PAST_REF", "recent period: past reference")
        if any(w in words for w in ("coming", "next", "following")):
            return make(ctx, match, DATE, "FUTURE_REF",
                        "coming period: future reference")
    span_of_numbers = re.match(r"(.+?)\s+(?:to|or)\s+", text)
    if span_of_numbers and len(amounts) == 1:
        # "six to eight weeks": TimeBank writes the lower bound
        low = parse_number(_LEAD_WORDS.sub("", span_of_numbers.group(1)))
        if low is not None:
            amounts = [(low, amounts[0][1])]
    if len(amounts) == 1 and amounts[0][0] == 1 and words[0] in ("a", "an", "per"):
        before = ctx.text[max(0, match.start() - 30):match.start()]
        if re.search(r"(?:\d|\bmillion|\bbillion|\btimes|\bonce|\btwice)[\w ,.]*$",
                     before) and not re.search(
            r"\b(?:for|in|within|after|than|over|about|almost|nearly|than)\s*$",
            before,
        ):
            value = duration_value(amounts)
            return make(ctx, match, SET, value, "rate: once per unit")
    return make(ctx, match, DURATION, duration_value(amounts), "duration")


def handle_vague_unit(ctx: Context, match: re.Match[str]) -> Timex | None:
    before = ctx.text[max(0, match.start() - 12):match.start()]
    if not re.search(
        r"\b(?:for|in|within|over|after|than|take|takes|took|last|lasts|lasted|lasting"
        r"|spent|spend)\s*$",
        before, re.IGNORECASE,
    ):
        return None
    unit = _unit_of(match.group().lower())
    return make(ctx, match, DURATION, duration_value([(None, unit)]),
                "unspecified number of units")


def _reference_point(ctx: Context, unit: str) -> tuple[Timex | None, date | None]:
    """The date that "two days later" counts from: the last date, else the anchor."""
    last = ctx.last_date
    if last is not None and last.date_start is not None:
        return last, last.date_start
    return None, ctx.anchor


def handle_ago(ctx: Context, match: re.Match[str]) -> Timex | None:
    text = match.group()
    words = _words(text)
    amounts = _amounts(text)
    if not amounts:
        return None
    amount, unit = amounts[0]
    backwards = words[-1] in ("ago", "earlier", "before")
    from_now = words[-1] in ("ago", "hence", "now")
    # Where the amount ends, without the direction word.
    amount_end = match.start() + len(text[: text.lower().rfind(words[-1])].rstrip())
    if words[-1] in ("before", "after"):
        # "two days before the vote" counts from the vote, which we do not know:
        # only "... before." at the end of a clause refers to the last date.
        if not re.match(r"\s*[,.;)]", ctx.text[match.end():match.end() + 2]):
            return make(ctx, match, DURATION, duration_value(amounts), "duration",
                        end=amount_end)
    if ctx.timeml and words[-1] == "later":
        # TimeML: in "three days later" only "three days" is a timex, a duration
        return make(ctx, match, DURATION, duration_value(amounts), "duration",
                    end=amount_end)
    if amount is None:
        ref = "PAST_REF" if backwards else "FUTURE_REF"
        return make(ctx, match, DATE, ref, "vague distance from the anchor")
    ref_timex, base = (None, ctx.anchor) if from_now else _reference_point(ctx, unit)
    if base is None:
        return make(ctx, match, DATE, _UNDERSPECIFIED.get(unit, "XXXX"),
                    "distance from an unknown date")
    steps = int(amount) if amount == int(amount) else int(round(amount))
    granularity = "year" if unit in ("decade", "century") else unit
    if unit in ("hour", "minute", "second"):
        granularity = "day"
        steps = 0 if amount < 24 or unit != "hour" else steps // 24
        unit_for_shift = "day"
    else:
        unit_for_shift = unit
    day = _shift_period(base, unit_for_shift, -steps if backwards else steps)
    value = _period_value(day, granularity)
    if unit == "year" and backwards and ctx.last_quarter is not None:
        # "a year ago" in a report on the third quarter: that quarter a year before
        quarter_year, quarter = ctx.last_quarter
        value = f"{quarter_year - steps:04d}-Q{quarter}"
    elif (
        ref_timex is not None
        and unit == "year"
        and ref_timex.precision in ("quarter", "month")
        and re.fullmatch(r"\d{4}-(?:Q\d|\d\d)", ref_timex.value)
    ):
        # "a year earlier" after "in March": the same month a year before
        value = f"{int(ref_timex.value[:4]) - steps:04d}{ref_timex.value[4:]}"
    origin = "the anchor" if ref_timex is None else f"the previous date ({ref_timex.text})"
    side = "before" if backwards else "after"
    return make(ctx, match, DATE, value, f"{' '.join(words)}: {side} {origin}")


def handle_ref_unit(ctx: Context, match: re.Match[str]) -> Timex | None:
    text = match.group()
    words = _words(text)
    if words[:3] == ["the", "day", "before"] or words[:3] == ["the", "day", "after"]:
        if ctx.anchor is None:
            return make(ctx, match, DATE, "XXXX-XX-XX", "relative day without anchor")
        offset = -2 if words[-1] == "yesterday" else 2
        return make(ctx, match, DATE, _day_value(ctx.anchor + timedelta(days=offset)),
                    f"the day {words[2]} {words[-1]}")
    unit = words[-1]
    part = PARTS_OF_DAY.get(unit) if unit in ("morning", "afternoon", "evening",
                                               "night") else None
    step_unit = "day" if part else unit
    if any(w in words for w in ("following", "next")):
        steps = 1
    elif any(w in words for w in ("previous", "preceding", "prior")):
        steps = -1
    else:
        steps = 0
    ref_timex, base = _reference_point(ctx, step_unit)
    if base is None:
        return make(ctx, match, DATE, _UNDERSPECIFIED.get(step_unit, "XXXX"),
                    "relative to an unknown date")
    day = _shift_period(base, step_unit, steps)
    origin = "the anchor" if ref_timex is None else f"the previous date ({ref_timex.text})"
    rule = f"{' '.join(words)}: relative to {origin}"
    if part:
        return make(ctx, match, TIME, f"{_day_value(day)}T{part}", rule)
    return make(ctx, match, DATE, _period_value(day, step_unit), rule)


_SET_WORDS = {
    "daily": "P1D", "weekly": "P1W", "monthly": "P1M", "quarterly": "P3M",
    "annually": "P1Y", "yearly": "P1Y", "hourly": "PT1H", "nightly": "P1D",
    "biweekly": "P2W", "bimonthly": "P2M", "semiannually": "P6M",
    "fortnightly": "P2W",
}


def handle_set(ctx: Context, match: re.Match[str]) -> Timex | None:
    text = match.group()
    lower = text.lower()
    words = _words(text)
    if words[0] in _SET_WORDS:
        return make(ctx, match, SET, _SET_WORDS[words[0]], "regular: " + words[0])
    if words[0] == "semi":
        return make(ctx, match, SET, "P6M", "regular: twice a year")
    weekday_found = _WEEKDAY_TOKEN.search(text)
    part = _part_of_day(lower)
    if weekday_found:
        weekday = weekday_number(weekday_found.group())
        suffix = f"T{part}" if part else ""
        return make(ctx, match, SET, f"XXXX-WXX-{weekday + 1}{suffix}",
                    "every week on this weekday")
    month_found = _MONTH_TOKEN.search(text)
    if month_found and month_found.start() > 0:
        return make(ctx, match, SET, f"XXXX-{month_number(month_found.group()):02d}",
                    "every year in this month")
    season = next((SEASONS[w] for w in words if w in SEASONS), None)
    if season:
        return make(ctx, match, SET, f"XXXX-{season}", "every year in this season")
    if part and not _amounts(lower):
        return make(ctx, match, SET, f"XXXX-XX-XXT{part}", "every day at this time")
    if "weekend" in words:
        return make(ctx, match, SET, "XXXX-WXX-WE", "every weekend")
    amounts = _amounts(re.sub(r"\b(?:once|twice|times|every|each|per|other)\b", " ",
                              lower))
    if not amounts:
        return None
    amount, unit = amounts[-1]
    if words[0] in ("once", "twice") or "times" in words:
        amount = Fraction(1)
    if "other" in words:
        amount = Fraction(2)
    return make(ctx, match, SET, duration_value([(amount or Fraction(1), unit)]),
                "regular: every " + unit)


# ---------------------------------------------------------------------------
# Holidays and references


def _holiday_day(name: str, year: int) -> date | None:
    if name.startswith("christmas"):
        return date(year, 12, 24 if name.endswith("eve") else 25)
    if name.startswith("new year"):
        return date(year, 12, 31) if name.endswith("eve") else date(year, 1, 1)
    if name.startswith("easter"):
        return cal.easter(year) + timedelta(days=1 if name.endswith("monday") else 0)
    easter_offsets = {"good friday": -2, "palm sunday": -7, "ash wednesday": -46,
                      "holy thursday": -3, "maundy thursday": -3, "pentecost": 49}
    for key, offset in easter_offsets.items():
        if name.startswith(key):
            return cal.easter(year) + timedelta(days=offset)
    if name.startswith("thanksgiving"):
        return cal.nth_weekday(year, 11, 3, 4)
    if name.startswith("labor"):
        return cal.nth_weekday(year, 9, 0, 1)
    if name.startswith("memorial"):
        return cal.nth_weekday(year, 5, 0, -1)
    if name.startswith("election"):
        return cal.nth_weekday(year, 11, 0, 1) + timedelta(days=1)
    fixed = {"independence": (7, 4), "valentine": (2, 14), "halloween": (10, 31),
             "boxing": (12, 26), "victory": (5, 9), "veterans": (11, 11),
             "st patrick": (3, 17), "saint patrick": (3, 17), "women": (3, 8),
             "international women": (3, 8), "earth": (4, 22), "bastille": (7, 14),
             "remembrance": (11, 11), "armistice": (11, 11)}
    for key, (month, day) in fixed.items():
        if name.startswith(key):
            return date(year, month, day)
    return None


def handle_holiday(ctx: Context, match: re.Match[str]) -> Timex | None:
    """Holidays of the year nearest the anchor, on the side the tense points to."""
    name = " ".join(_words(match.group()))
    if ctx.anchor is None or _holiday_day(name, ctx.anchor.year) is None:
        return None
    tense = ctx.tense(match.start(), match.end())
    best, best_score = None, 0.0
    for year in (ctx.anchor.year - 1, ctx.anchor.year, ctx.anchor.year + 1):
        day = _holiday_day(name, year)
        score = float(abs((day - ctx.anchor).days))
        if tense == cal.PAST and day > ctx.anchor:
            score += cal.CONTRARY_TENSE_DAYS
        elif tense == cal.FUTURE and day < ctx.anchor:
            score += cal.CONTRARY_FUTURE_DAYS
        if best is None or score < best_score:
            best, best_score = day, score
    return make(ctx, match, DATE, _day_value(best),
                "holiday, year from the anchor" + _TENSE_NOTE[tense])


# "from now" belongs to "two weeks from now"; alone it is not a date.
_NOT_A_NOW = re.compile(r"\bfrom\s+\Z", re.IGNORECASE)


def handle_reference(ctx: Context, match: re.Match[str]) -> Timex | None:
    words = _words(match.group())
    if words == ["now"] and _NOT_A_NOW.search(
        ctx.text, max(0, match.start() - 10), match.start()
    ):
        return None
    if "future" in words or "coming" in words or "next" in words or "following" in (
        words) or "come" in words:
        return make(ctx, match, DATE, "FUTURE_REF", "future reference")
    if "past" in words or any(w.startswith("recent") for w in words):
        return make(ctx, match, DATE, "PAST_REF", "past reference")
    return make(ctx, match, DATE, "PRESENT_REF", "present reference")


_PERIOD_OPENERS = re.compile(
    r"\b(?:for|in|during|of|through|throughout|over|within|by|since|until|before"
    r"|after)\s+\Z",
    re.IGNORECASE,
)


def handle_period_ref(ctx: Context, match: re.Match[str]) -> Timex | None:
    """"the end of the year", "year-end", "the fiscal year", "the near term"."""
    text = match.group()
    words = _words(text)
    if words[-1] == "term":
        return make(ctx, match, DATE, "FUTURE_REF", "the coming term: future reference")
    if words[-1] == "ahead":
        return make(ctx, match, DURATION, duration_value([(None, _unit_of(words[1]))]),
                    "the units ahead: a vague duration")
    if words[-1] in ("while", "time"):
        if not _PERIOD_OPENERS.search(ctx.text, max(0, match.start() - 12),
                                      match.start()):
            return None
        return make(ctx, match, DURATION, "PXX", "an unknown length of time")
    if words == ["the", "day"]:
        # "later in the day": the day being reported, the last date or the anchor
        if not re.search(r"\b(?:earlier|later)\s+in\s+\Z",
                         ctx.text[max(0, match.start() - 14):match.start()],
                         re.IGNORECASE):
            return None
        ref_timex, base = _reference_point(ctx, "day")
        if base is None:
            return make(ctx, match, DATE, "XXXX-XX-XX", "the day of an unknown date")
        return make(ctx, match, DATE, _day_value(base), "in the day: the same day")
    unit = next(w for w in words if w in ("year", "month", "week"))
    following = ctx.text[match.end():match.end() + 12].lower()
    if words[0] == "the" and unit == "year" and words[1] in ("year", "fiscal",
                                                             "full", "calendar",
                                                             "latest"):
        if re.match(r"\s+(?:ended|ending|to)\b", following):
            # "the year ended June 30": a twelve-month period, not a calendar year
            return make(ctx, match, DURATION, "P1Y", "the year ended: one year")
        if words[1] == "year" and not _PERIOD_OPENERS.search(
            ctx.text, max(0, match.start() - 12), match.start()
        ):
            return None
    if ctx.anchor is None:
        return make(ctx, match, DATE, _UNDERSPECIFIED[unit], f"{unit} without anchor")
    year = ctx.anchor.year - (1 if "latest" in words else 0)
    value = _period_value(ctx.anchor.replace(year=year) if year != ctx.anchor.year
                          else ctx.anchor, unit)
    return make(ctx, match, DATE, value, f"{' '.join(words)}: the anchor's {unit}")


HANDLERS: dict[str, Callable[[Context, re.Match[str]], Timex | None]] = {
    "period_ref": handle_period_ref,
    "iso_date": handle_iso_date,
    "month_day": handle_month_day,
    "day_month": handle_day_month,
    "month_year": handle_month_year,
    "clock": handle_clock,
    "ago": handle_ago,
    "set": handle_set,
    "duration": handle_duration,
    "quarter": handle_quarter,
    "decade": handle_decade,
    "spelled_year": handle_spelled_year,
    "century": handle_century,
    "ref_unit": handle_ref_unit,
    "relative": handle_relative,
    "day_word": handle_day_word,
    "weekday": handle_weekday,
    "year": handle_year,
    "month": handle_month,
    "season": handle_season,
    "holiday": handle_holiday,
    "reference": handle_reference,
    "vague_unit": handle_vague_unit,
}
