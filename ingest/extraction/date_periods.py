"""Rules for periods named from a reference point: "last week", "next Monday",
"this summer", "the following day", "that year", "the end of the year".

Periods named by number (years, decades, quarters) are in ``date_years``.
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
    unit_of,
    words_of,
)
from .date_lexicon import (
    PARTS_OF_DAY,
    SEASONS,
    month_number,
    weekday_number,
)
from .types import Timex

# "the next year or so": the hedge is part of the expression, not of its value
_OR_SO = re.compile(r"\s+or\s+so\Z", re.IGNORECASE)


_EDGE_OF = re.compile(
    r"\Athe\s+(?:end|beginning|start|middle|close)\s+of\s+", re.IGNORECASE
)


def handle_relative(ctx: Context, match: re.Match[str]) -> Timex | None:
    """A period named from the anchor: "last week", "next Monday", "last May"."""
    if last_is_a_verb(ctx, match):
        return None
    text = match.group()
    # "the next year or so", "the end of last week": the period is what is left
    words = words_of(_EDGE_OF.sub("", _OR_SO.sub("", text)))
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
    if words in (["the", "week"], ["the", "month"]):
        # "for the week", "the month's gains": the week or month being reported
        ref_timex, base = reference_point(ctx, words[1])
        if base is None:
            return make(ctx, match, DATE, UNDERSPECIFIED[words[1]],
                        f"the {words[1]} of an unknown date")
        origin = "the anchor" if ref_timex is None else f"the last date ({ref_timex.text})"
        return make(ctx, match, DATE, period_value(base, words[1]),
                    f"the {words[1]}: that of {origin}")
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
