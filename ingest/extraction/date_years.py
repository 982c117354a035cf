"""Rules for periods named by number: years ("2009", "mid-1996", "fiscal 2012"),
years in words, decades, centuries, and the quarters and halves of business news
("the third quarter", "the year-ago period", "the first half of 2012").
"""
from __future__ import annotations

import re
from datetime import date

from . import date_resolve as cal
from .date_context import (
    Context,
    DATE,
    SPELLED_YEAR_TOKEN,
    direction_of,
    make,
    short_year,
    words_of,
    year_in,
)
from .date_lexicon import (
    DECADE_WORDS,
    SEASONS,
    parse_ordinal,
    parse_spelled_year,
)
from .types import Timex


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
    """A year ("2009", "mid-1996", "the summer of 2012", "2012-13")."""
    text = match.group()
    words = words_of(text)
    years = [int(y) for y in re.findall(r"(?<!\d)\d{4}(?!\d)", text)]
    if not years:
        if "'" in text:
            year = short_year(text[-2:], ctx.anchor)
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
    """A year in words: "nineteen ninety-six", "the year two thousand"."""
    text = match.group()
    year = parse_spelled_year(SPELLED_YEAR_TOKEN.search(text).group())
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
    """A decade: "the 1990s" -> "199", "the '80s", "the nineties"."""
    words = words_of(match.group())
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
    """A century: "the 20th century" -> "19", "this century"."""
    text = match.group()
    words = words_of(text)
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
        direction, _ = direction_of(text)
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
    words = words_of(text)
    explicit_year = year_in(text, ctx.anchor)
    is_half = "half" in words
    found = re.search(r"\b(first|second|third|fourth|1st|2nd|3rd|4th)\b|q([1-4])",
                      lower)
    number = None
    if found:
        number = _QUARTER_WORDS.get(found.group(1) or "") or int(found.group(2) or 0)
    if is_half and number is None and explicit_year is not None and re.search(
        r"\b(?:last|final)\b", lower
    ):
        number = 2  # "the last half of 1989"
    if is_half and number not in (1, 2):
        return None
    unit = "H" if is_half else "Q"
    if ctx.anchor is None and explicit_year is None:
        return make(ctx, match, DATE, f"XXXX-{unit}{number or 'X'}",
                    "quarter without an anchor")
    year_ago = bool(re.search(r"year[\s-]*(?:earlier|ago)|last year", lower))
    named_year = year_ago or bool(re.search(r"(?:this|next|the) year", lower))
    remember = not year_ago
    if number is not None:
        if explicit_year is not None:
            year, rule = explicit_year, "quarter of the given year"
        else:
            year = ctx.anchor.year - (1 if year_ago else 0) + (
                1 if "next year" in lower else 0)
            current = cal.quarter_of(ctx.anchor) if unit == "Q" else (
                1 if ctx.anchor.month <= 6 else 2)
            if not named_year and number > current and ctx.tense(
                match.start(), match.end()
            ) == cal.PAST:
                year -= 1  # a quarter still to come, spoken of as past
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
    lead = re.match(
        r"(?:its|their)\s+|the\s+(?=(?:(?:fiscal|calendar)\s+)?\w+-(?:quarter|half)\b)",
        text, re.IGNORECASE)
    start = match.start() + (lead.end() if lead else 0)
    return make(ctx, match, DATE, value, rule, start=start)
