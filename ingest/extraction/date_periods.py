"""Rules for periods: "last week", "this summer", years, decades, centuries, quarters
and the business-news periods ("the year-ago quarter", "the fiscal year").
"""
from __future__ import annotations

import re
from datetime import date, timedelta

from . import date_resolve as cal
from .date_amounts import (
    duration_value,
)
from .date_context import (
    Context,
    DATE,
    DURATION,
    MONTH_TOKEN,
    SPELLED_YEAR_TOKEN,
    TENSE_NOTE,
    TIME,
    UNDERSPECIFIED,
    WEEKDAY_TOKEN,
    day_or_time,
    day_value,
    direction_of,
    last_is_a_verb,
    make,
    month_value,
    part_of_day,
    period_value,
    reference_point,
    shift_period,
    short_year,
    unit_of,
    words_of,
    year_in,
)
from .date_lexicon import (
    DECADE_WORDS,
    PARTS_OF_DAY,
    SEASONS,
    month_number,
    parse_ordinal,
    parse_spelled_year,
    weekday_number,
)
from .types import Timex

# "the next year or so": the hedge is part of the expression, not of its value
_OR_SO = re.compile(r"\s+or\s+so\Z", re.IGNORECASE)


def handle_relative(ctx: Context, match: re.Match[str]) -> Timex | None:
    """A period named from the anchor: "last week", "next Monday", "last May"."""
    if last_is_a_verb(ctx, match):
        return None
    text = match.group()
    words = words_of(_OR_SO.sub("", text))  # "the next year or so"
    direction, word = direction_of(text)
    month_found = MONTH_TOKEN.search(text)
    weekday_found = WEEKDAY_TOKEN.search(text)
    if weekday_found and (
        not month_found or weekday_found.start() < month_found.start()
    ):
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
        return make(ctx, match, DATE, UNDERSPECIFIED.get(unit, "XXXX"),
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
        day = shift_period(base, unit, amount)
    value = period_value(day, unit)
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
    part = part_of_day(match.group()[found.end():])
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
    return day_or_time(ctx, match, day, f"{word} weekday from the anchor", part,
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
    return make(ctx, match, DATE, month_value(year, month), rule)


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
    """A season with an article ("the summer", "in winter"), year by tense."""
    text = match.group()
    words = words_of(text)
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
                "season, year from the anchor" + TENSE_NOTE[tense])


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
    if is_half and number not in (1, 2):
        return None
    unit = "H" if is_half else "Q"
    if ctx.anchor is None and explicit_year is None:
        return make(ctx, match, DATE, f"XXXX-{unit}{number or 'X'}",
                    "quarter without an anchor")
    year_ago = bool(re.search(r"year[\s-]*(?:earlier|ago)|last year", lower))
    named_year = year_ago or bool(re.search(r"(?:this|next) year", lower))
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
    lead = re.match(r"(?:its|their)\s+|the\s+(?=\w+-(?:quarter|half)\b)", text,
                    re.IGNORECASE)
    start = match.start() + (lead.end() if lead else 0)
    return make(ctx, match, DATE, value, rule, start=start)


# How coarse a precision is, to tell "that day" after "in 2011" from after "May 3".
_GRAIN = {"day": 0, "week": 1, "month": 2, "quarter": 3, "year": 4, "range": 5}


def handle_ref_unit(ctx: Context, match: re.Match[str]) -> Timex | None:
    """A period named from the last date: "the following day", "that year"."""
    text = match.group()
    words = words_of(_OR_SO.sub("", text))  # "the next year or so"
    if words[:3] == ["the", "day", "before"] or words[:3] == ["the", "day", "after"]:
        if ctx.anchor is None:
            return make(ctx, match, DATE, "XXXX-XX-XX", "relative day without anchor")
        offset = -2 if words[-1] == "yesterday" else 2
        return make(ctx, match, DATE, day_value(ctx.anchor + timedelta(days=offset)),
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
    ref_timex, base = reference_point(ctx, step_unit)
    if base is None:
        return make(ctx, match, DATE, UNDERSPECIFIED.get(step_unit, "XXXX"),
                    "relative to an unknown date")
    if ref_timex is not None and _GRAIN.get(ref_timex.precision or "", 9) > _GRAIN.get(
        step_unit, 0
    ):
        # "that day" after "in 2011": some day of 2011, which one is not said
        coarse = f"{base.year:04d}" + {"day": "-XX-XX", "week": "-WXX",
                                       "month": "-XX"}.get(step_unit, "")
        return make(ctx, match, DATE, coarse,
                    f"{' '.join(words)}: within the previous date ({ref_timex.text})")
    day = shift_period(base, step_unit, steps)
    origin = (
        "the anchor" if ref_timex is None
        else f"the previous date ({ref_timex.text})"
    )
    rule = f"{' '.join(words)}: relative to {origin}"
    if part:
        return make(ctx, match, TIME, f"{day_value(day)}T{part}", rule)
    return make(ctx, match, DATE, period_value(day, step_unit), rule)


_PERIOD_OPENERS = re.compile(
    r"\b(?:for|in|during|of|through|throughout|over|within|by|since|until|before"
    r"|after)\s+\Z",
    re.IGNORECASE,
)


def handle_period_ref(ctx: Context, match: re.Match[str]) -> Timex | None:
    """Named periods: "the end of the year", "year-end", "the fiscal year"."""
    text = match.group()
    words = words_of(text)
    if words[-1] == "term":
        return make(ctx, match, DATE, "FUTURE_REF", "the coming term: future reference")
    if words[-1] == "ahead":
        return make(ctx, match, DURATION, duration_value([(None, unit_of(words[1]))]),
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
        ref_timex, base = reference_point(ctx, "day")
        if base is None:
            return make(ctx, match, DATE, "XXXX-XX-XX", "the day of an unknown date")
        return make(ctx, match, DATE, day_value(base), "in the day: the same day")
    unit = next(w for w in words if w in ("year", "month", "week", "day"))
    if unit == "day":  # "by the end of the day": the day the story is about
        ref_timex, base = reference_point(ctx, "day")
        if base is None:
            return make(ctx, match, DATE, "XXXX-XX-XX", "the day of an unknown date")
        return make(ctx, match, DATE, day_value(base), "end of the day: the same day")
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
        return make(ctx, match, DATE, UNDERSPECIFIED[unit], f"{unit} without anchor")
    # "the latest fiscal year" is the last one closed
    base = cal.add_years(ctx.anchor, -1) if "latest" in words else ctx.anchor
    value = period_value(base, unit)
    return make(ctx, match, DATE, value, f"{' '.join(words)}: the anchor's {unit}")
