"""Rules for days named on the calendar: written dates, months, weekdays, clock
times and holidays.

Each ``handle_*`` reads one scanner match and returns a Timex, or None when the words
are not a date after all ("May" the verb).
"""
from __future__ import annotations

import re
from datetime import date, timedelta

from . import date_resolve as cal
from .date_context import (
    Context,
    DATE,
    MONTH_TOKEN,
    TENSE_NOTE,
    TIME,
    WEEKDAY_TOKEN,
    YEAR_TOKEN,
    day_or_time,
    day_value,
    days_in,
    make,
    month_value,
    part_of_day,
    short_year,
    tense_direction,
    reference_point,
    words_of,
    year_in,
)
from .date_lexicon import (
    month_number,
    weekday_number,
)
from .types import Timex


_RANGE_WORDS = re.compile(r"[-\u2013\u2014]|\b(?:to|through|until|till)\b", re.I)


def _calendar_date(
    ctx: Context, match: re.Match[str], day_first: bool
) -> Timex | None:
    """month_day and day_month: "June 4, 2025", "the 4th of June", "May 24, 25, 26".

    Several days make one range expression: its value is the first day, its
    date_start and date_end the first and the last.
    """
    text = match.group()
    month_found = MONTH_TOKEN.search(text)
    month = month_number(month_found.group()) if month_found else None
    if month is None:
        return None
    # Read day numbers with the year and the weekday taken out.
    year = year_in(text, ctx.anchor)
    days = days_in(WEEKDAY_TOKEN.sub(" ", YEAR_TOKEN.sub(" ", text)))
    if not days:
        return None
    weekday_found = WEEKDAY_TOKEN.search(text)
    weekday = weekday_number(weekday_found.group()) if weekday_found else None
    several = "list of days" if len(days) > 1 else ""
    if several and _RANGE_WORDS.search(text):
        several = "range of days"
    rule_year = "with its year"
    if year is None:
        if ctx.anchor is None:
            return make(ctx, match, DATE, f"XXXX-{month:02d}-{days[0]:02d}",
                        (several or "month-day") + " without a year or an anchor")
        tense = ctx.tense(match.start(), match.end())
        year = cal.pick_year(ctx.anchor, month, days[0], tense,
                             ctx.contrary_days(tense, match.start()))
        if weekday is not None:
            # "Friday, Oct. 23": prefer the nearby year where the weekday fits.
            for candidate in (year, year - 1, year + 1):
                try:
                    if date(candidate, month, days[0]).weekday() == weekday:
                        year = candidate
                        break
                except ValueError:
                    continue
        rule_year = "year from the anchor" + TENSE_NOTE[tense]
    try:
        first = date(year, month, days[0])
        last = date(year, month, days[-1])
    except ValueError:  # "June 31"
        return None
    if last < first:
        return None
    if re.match(r"the\s+week", text, re.IGNORECASE):  # "the week of March 6"
        return make(ctx, match, DATE, cal.week_value(first),
                    f"week of a month-day, {rule_year}")
    if not several:
        shape = "day-month" if day_first else "month-day"
        return make(ctx, match, DATE, day_value(first), f"{shape}, {rule_year}")
    return make(ctx, match, DATE, day_value(first), f"{several}, {rule_year}",
                bounds=(first, last))


def handle_month_day(ctx: Context, match: re.Match[str]) -> Timex | None:
    """A month and day(s): "June 4", "June 4, 2025", "May 24, 25, and 26"."""
    return _calendar_date(ctx, match, day_first=False)


def handle_day_month(ctx: Context, match: re.Match[str]) -> Timex | None:
    """A day and month: "4 June 2025", "the 4th of June", "4-6 June"."""
    return _calendar_date(ctx, match, day_first=True)


def handle_iso_date(ctx: Context, match: re.Match[str]) -> Timex | None:
    """A date written in digits: "2025-06-04", "4/1/2013", "01.04.2013"."""
    text = match.group()
    try:
        if "-" in text:
            day = date.fromisoformat(text[:10])
            if "T" in text:
                return make(ctx, match, TIME, text, "ISO date and time")
            return make(ctx, match, DATE, day_value(day), "ISO date")
        if "." in text:  # "01.04.2013" is day.month.year wherever it is written
            day_part, month_part, year_part = (int(p) for p in text.split("."))
            return make(ctx, match, DATE,
                        day_value(date(year_part, month_part, day_part)),
                        "numeric date, day first")
        parts = [int(p) for p in text.split("/")]
        if parts[0] > 31:
            day = date(parts[0], parts[1], parts[2])
        else:
            year = parts[2] if parts[2] > 99 else short_year(f"{parts[2]:02d}",
                                                              ctx.anchor)
            # Month first unless that is impossible (US style is the news norm).
            if parts[0] > 12:
                day = date(year, parts[1], parts[0])
            else:
                day = date(year, parts[0], parts[1])
    except ValueError:
        return None
    return make(ctx, match, DATE, day_value(day), "numeric date")


def handle_month_year(ctx: Context, match: re.Match[str]) -> Timex | None:
    """A month of a given year: "February 2022", "June last year"."""
    text = match.group()
    month = month_number(MONTH_TOKEN.search(text).group())
    if month is None:
        return None
    year = year_in(text, ctx.anchor)
    rule = "month and year"
    if year is None:
        words = words_of(text)
        if ctx.anchor is None:
            return make(ctx, match, DATE, f"XXXX-{month:02d}",
                        "month of a relative year")
        offset = -1 if "last" in words else 1 if "next" in words else 0
        year = ctx.anchor.year + offset
        rule = "month of the anchor's year" if offset == 0 else (
            "month of the previous year" if offset < 0 else "month of the next year")
    return make(ctx, match, DATE, month_value(year, month), rule)


def handle_month(ctx: Context, match: re.Match[str]) -> Timex | None:
    """A bare month ("in May"), its year chosen by the tense."""
    text = match.group()
    found = MONTH_TOKEN.search(text)
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
    year = cal.pick_year(ctx.anchor, month, None, tense,
                         ctx.contrary_days(tense, match.start()))
    return make(ctx, match, DATE, month_value(year, month),
                "month, year from the anchor" + TENSE_NOTE[tense])


def handle_weekday(ctx: Context, match: re.Match[str]) -> Timex | None:
    """A weekday ("on Sunday", "Friday night"), resolved around the anchor."""
    text = match.group()
    weekday = weekday_number(WEEKDAY_TOKEN.search(text).group())
    if weekday is None:
        return None
    part = part_of_day(text)
    if ctx.anchor is None:
        suffix = f"T{part}" if part else ""
        return make(ctx, match, DATE,
                    f"XXXX-WXX-{weekday + 1}{suffix}", "weekday without an anchor")
    direction = tense_direction(ctx, match)
    day = cal.resolve_weekday(ctx.anchor, weekday, direction)
    if day == ctx.anchor:
        rule = "weekday of the anchor"
    elif day < ctx.anchor:
        rule = "weekday before the anchor"
    else:
        rule = "weekday after the anchor"
    return day_or_time(ctx, match, day, rule + TENSE_NOTE[direction], part, DATE)


_DAY_OFFSETS = {"yesterday": -1, "today": 0, "tomorrow": 1, "tonight": 0}


def handle_day_word(ctx: Context, match: re.Match[str]) -> Timex | None:
    """A day named from the anchor: "yesterday", "tonight", "this morning"."""
    words = words_of(match.group())
    part = part_of_day(match.group())
    if words[0] == "the":  # "in the morning"
        ref_timex, base = reference_point(ctx, "day")
        if base is None:
            return make(ctx, match, TIME, f"XXXX-XX-XXT{part}",
                        "part of an unknown day")
        origin = "the anchor" if ref_timex is None else ref_timex.text
        return make(ctx, match, TIME, f"{day_value(base)}T{part}",
                    f"part of the day last mentioned ({origin})")
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
    return day_or_time(ctx, match, day, rule, part)


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


_LATER_WEEKDAY = re.compile(
    r"\s*\([^()]{1,20}\)\s*(?:on\s+)?(Monday|Tuesday|Wednesday|Thursday|Friday"
    r"|Saturday|Sunday)\b"
)


def handle_clock(ctx: Context, match: re.Match[str]) -> Timex | None:
    """A clock time ("3 p.m.", "10:30 a.m. Friday", "0530 GMT") on its day."""
    text = match.group()
    found = _CLOCK.search(text)  # after an optional "around"
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
        if re.search(r"\b(?:afternoon|evening|night)\b", text[found.end():],
                     re.IGNORECASE) and 5 <= hour < 12:
            meridiem = "p"  # "7 in the evening", "10 at night"
        if meridiem == "p" and hour < 12:
            hour += 12
        elif meridiem == "a" and hour == 12:
            hour = 0
        if hour > 24 or minute > 59:
            return None
    clock = f"T{hour:02d}:{minute:02d}"
    weekday_found = WEEKDAY_TOKEN.search(text, found.end())
    words = [w for w in words_of(text[found.end():]) if w in _DAY_OFFSETS]
    on_day = _ON_DAY.match(ctx.text, match.end())
    if on_day and not weekday_found and not words:
        # "at 3 p.m. on Friday": the day is its own timex, but it dates the time
        weekday_found = WEEKDAY_TOKEN.search(on_day.group(1))
    day: date | None = None
    rule = "clock time on the anchor day"
    month_text = text
    month_found = MONTH_TOKEN.search(text, found.end())
    if not month_found and on_day and not weekday_found:
        month_text = on_day.group(1)
        month_found = MONTH_TOKEN.search(month_text)
    if month_found:
        days = days_in(month_text[month_found.end():])
        month = month_number(month_found.group())
        if days and month and ctx.anchor is not None:
            year = cal.pick_year(ctx.anchor, month, days[0],
                                 ctx.tense(match.start(), match.end()))
            try:
                day = date(year, month, days[0])
            except ValueError:
                return None
            return make(ctx, match, TIME, f"{day_value(day)}{clock}",
                        "clock time on a month-day")
    if weekday_found is None and not words:
        # "(0735 GMT) Friday": a weekday right after the time still dates it
        later = _LATER_WEEKDAY.match(ctx.text, match.end())
        if later:
            weekday_found = WEEKDAY_TOKEN.search(later.group(1))
    if ctx.anchor is not None:
        day = ctx.anchor
        last = ctx.last_date
        if (
            weekday_found is None
            and last is not None
            and last.precision == "day"
            and last.date_start is not None
        ):
            # "at 10 p.m." in a story about Friday: the day last talked about
            day = last.date_start
            rule = f"clock time on the day last mentioned ({last.text})"
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
    return make(ctx, match, TIME, f"{day_value(day)}{clock}", rule)


# ---------------------------------------------------------------------------
# Holidays and references


def _holiday_day(name: str, year: int) -> date | None:
    if name.startswith("christmas"):
        return date(year, 12, 24 if name.endswith("eve") else 25)
    if name.startswith("new year"):
        return date(year, 12, 31) if name.endswith("eve") else date(year, 1, 1)
    if name.startswith("easter"):
        return cal.easter(year) + timedelta(days=1 if name.endswith("monday") else 0)
    if name in ("holy week", "easter week"):
        return cal.easter(year) - timedelta(days=2)  # dated by its Good Friday
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
    name = " ".join(words_of(match.group()))
    if _holiday_day(name, 2001) is None:
        return None
    if ctx.anchor is None:
        one, other = _holiday_day(name, 2001), _holiday_day(name, 2002)
        if (one.month, one.day) == (other.month, other.day):  # a fixed date
            return make(ctx, match, DATE, f"XXXX-{one.month:02d}-{one.day:02d}",
                        "holiday without an anchor")
        return make(ctx, match, DATE, "XXXX-XX-XX", "movable holiday without anchor")
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
    rule = "holiday, year from the anchor" + TENSE_NOTE[tense]
    if name.endswith("week"):
        return make(ctx, match, DATE, cal.week_value(best), rule)
    return make(ctx, match, DATE, day_value(best), rule)
