"""Rules for counted time: durations ("three years", "a 12-day war"), distances
("three years ago", "two days later"), sets ("every week", "daily") and the
present/past/future references ("now", "recently", "the future").
"""
from __future__ import annotations

import re
from fractions import Fraction

from .date_context import (
    Context,
    DATE,
    DURATION,
    MONTH_TOKEN,
    SET,
    UNDERSPECIFIED,
    WEEKDAY_TOKEN,
    last_is_a_verb,
    make,
    part_of_day,
    period_value,
    reference_point,
    shift_period,
    unit_of,
    words_of,
)
from .date_lexicon import (
    SEASONS,
    UNIT_PLURALS,
    month_number,
    parse_number,
    weekday_number,
)
from .types import Timex


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
LEAD_WORDS = re.compile(
    r"^(?:(?:about|around|approximately|roughly|nearly|almost|some|more than"
    r"|less than|fewer than|at least|at most|up to|just|only|barely|over|under"
    r"|another|an additional|an extra|a further|the better part of|well over"
    r"|just over|just under|close to|the|past|last|next|first|previous|coming"
    r"|following|final|remaining|initial|latest|same|other|full|entire|whole)\s+)+",
    re.IGNORECASE,
)


_COUNTED_KIND = re.compile(r"\s+(?:more|trading|business|working)(?=\s)",
                           re.IGNORECASE)
_ARTICLE_OF_NOUN = re.compile(
    r"an?\s+(?=(?:seconds|minutes|hours|days|nights|weeks|months|years|decades"
    r"|centuries)[-\u2010-\u2014](?:long|old)\b)",
    re.IGNORECASE,
)
_APPROX = re.compile(r"(?:about|around|approximately|roughly)\s+", re.IGNORECASE)
_FRACTION = re.compile(r"\w[-\u2010-\u2014]quarters\b", re.IGNORECASE)
_SHARE_OF = re.compile(
    r"\s+of\s+(?:the|a|an|all|its|their|his|her|our|those|these)\b", re.IGNORECASE
)
_PERIOD_WORD = re.compile(
    r"(?:the\s+)?(?:past|last|next|coming|previous|first|final)\b", re.IGNORECASE
)


def amounts_in(text: str) -> list[tuple[Fraction | None, str]]:
    """(amount, unit) pairs of "an hour and 15 minutes"; None for "several"."""
    found: list[tuple[Fraction | None, str]] = []
    text = _COUNTED_KIND.sub(" ", LEAD_WORDS.sub("", text))  # "two more weeks"
    for part in _AMOUNT_UNIT.finditer(text):
        words = part.group(1).strip(" -")
        unit = unit_of(part.group(2).lower())
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
    """The TIMEX3 duration ("P3Y", "PT1H15M", "P2Y6M", "PXY") of (amount, unit)s."""
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
            time_part[letter] + letter
            for letter in ("H", "M", "S")
            if letter in time_part
        )
    return value if value != "P" else "PXD"


def handle_duration(ctx: Context, match: re.Match[str]) -> Timex | None:
    """A length of time: "three years", "a 12-day war", "an hour and 15 minutes"."""
    if last_is_a_verb(ctx, match, counted=True):
        return None
    text = match.group()
    lower = text.lower()
    after = ctx.text[match.end():match.end() + 8].lower()
    words = words_of(text)
    amounts = amounts_in(text)
    if not amounts:
        return None
    if (re.search(r"old$", lower) or re.match(r"\s*old\b", after)) and (
        amounts[0][1] == "year" and amounts[0][0] is not None
    ):
        return None  # ages ("a 44-year-old man") are not annotated as durations
    if amounts[-1][1] == "quarter" and (
        _FRACTION.search(text) or _SHARE_OF.match(ctx.text, match.end())
    ):
        return None  # "three-quarters of the vote" is a share, not nine months
    article = _ARTICLE_OF_NOUN.match(text)
    if article:
        # "a decades-long conflict": the article goes with the noun, and how many
        # decades is not said
        return make(ctx, match, DURATION, duration_value([(None, amounts[-1][1])]),
                    "units-long: a vague duration", start=match.start() + article.end())
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
        # "six to eight weeks": TimeBank writes the lower bound; "the next 12 to
        # 18 months" is one period of a length not given
        low = parse_number(LEAD_WORDS.sub("", span_of_numbers.group(1)))
        if low is not None:
            vague = _PERIOD_WORD.match(span_of_numbers.group(1))
            amounts = [(None if vague else low, amounts[0][1])]
    if len(amounts) == 1 and amounts[0][0] == 1 and words[0] in ("a", "an", "per"):
        before = ctx.text[max(0, match.start() - 30):match.start()]
        if re.search(r"(?:\d|\bmillion|\bbillion|\btimes|\bonce|\btwice)[\w ,.]*$",
                     before) and not re.search(
            r"\b(?:for|in|within|after|than|over|about|almost|nearly|than)\s*$",
            before,
        ):
            value = duration_value(amounts)
            return make(ctx, match, SET, value, "rate: once per unit")
    approx = _APPROX.match(text) if ctx.timeml else None
    # TimeML: in "about five hours" only "five hours" is tagged
    start = match.start() + approx.end() if approx else None
    return make(ctx, match, DURATION, duration_value(amounts), "duration",
                start=start)


def handle_vague_unit(ctx: Context, match: re.Match[str]) -> Timex | None:
    """A bare plural unit after "for", "in", "within": "for years" -> PXY."""
    before = ctx.text[max(0, match.start() - 12):match.start()]
    if not re.search(
        r"\b(?:for|in|within|over|after|than|take|takes|took|last|lasts|lasted|lasting"
        r"|spent|spend)\s*$",
        before, re.IGNORECASE,
    ):
        return None
    # "weeks or months": TimeBank writes the first unit
    unit = unit_of(words_of(match.group())[0])
    return make(ctx, match, DURATION, duration_value([(None, unit)]),
                "unspecified number of units")


def handle_ago(ctx: Context, match: re.Match[str]) -> Timex | None:
    """A date counted off the anchor or the last date: "three years ago"."""
    text = match.group()
    words = words_of(text)
    amounts = amounts_in(text)
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
    ref_timex, base = (None, ctx.anchor) if from_now else reference_point(ctx, unit)
    if base is None:
        return make(ctx, match, DATE, UNDERSPECIFIED.get(unit, "XXXX"),
                    "distance from an unknown date")
    steps = int(amount) if amount == int(amount) else int(round(amount))
    granularity = "year" if unit in ("decade", "century") else unit
    if unit in ("hour", "minute", "second"):
        granularity = "day"
        steps = 0 if amount < 24 or unit != "hour" else steps // 24
        unit_for_shift = "day"
    else:
        unit_for_shift = unit
    day = shift_period(base, unit_for_shift, -steps if backwards else steps)
    value = period_value(day, granularity)
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
    origin = (
        "the anchor" if ref_timex is None
        else f"the previous date ({ref_timex.text})"
    )
    side = "before" if backwards else "after"
    return make(ctx, match, DATE, value, f"{' '.join(words)}: {side} {origin}")


_SET_WORDS = {
    "daily": "P1D", "weekly": "P1W", "monthly": "P1M", "quarterly": "P3M",
    "annually": "P1Y", "yearly": "P1Y", "hourly": "PT1H", "nightly": "P1D",
    "biweekly": "P2W", "bimonthly": "P2M", "semiannually": "P6M",
    "fortnightly": "P2W",
}


# Business figures that "quarterly", "daily" or "annual" qualify: a kind of figure
# rather than something that happens again and again (TimeBank leaves them out).
_FIGURE_AFTER = re.compile(
    r"\s+(?:(?:cash|share|trading|stock)\s+)?(?:dividends?|payouts?|results|earnings"
    r"|profits?|loss(?:es)?|revenues?|sales|volume|turnover|figures|reports?"
    r"|statements?|filings?)\b",
    re.IGNORECASE,
)


def handle_set(ctx: Context, match: re.Match[str]) -> Timex | None:
    """A recurrence: "every week", "daily", "twice a year", "on Mondays"."""
    text = match.group()
    lower = text.lower()
    words = words_of(text)
    if words[0] in _SET_WORDS:
        if words[0] != "hourly" and _FIGURE_AFTER.match(ctx.text, match.end()):
            # "its quarterly dividend", "average daily volume"; "hourly earnings"
            # are a wage, paid by the hour
            return None
        return make(ctx, match, SET, _SET_WORDS[words[0]], "regular: " + words[0])
    if words[0] == "semi":
        return make(ctx, match, SET, "P6M", "regular: twice a year")
    weekday_found = WEEKDAY_TOKEN.search(text)
    part = part_of_day(lower)
    if weekday_found:
        weekday = weekday_number(weekday_found.group())
        suffix = f"T{part}" if part else ""
        return make(ctx, match, SET, f"XXXX-WXX-{weekday + 1}{suffix}",
                    "every week on this weekday")
    month_found = MONTH_TOKEN.search(text)
    if month_found and month_found.start() > 0:
        return make(ctx, match, SET, f"XXXX-{month_number(month_found.group()):02d}",
                    "every year in this month")
    season = next((SEASONS[w] for w in words if w in SEASONS), None)
    if season:
        return make(ctx, match, SET, f"XXXX-{season}", "every year in this season")
    if part and not amounts_in(lower):
        return make(ctx, match, SET, f"XXXX-XX-XXT{part}", "every day at this time")
    if "weekend" in words or "weekends" in words:
        return make(ctx, match, SET, "XXXX-WXX-WE", "every weekend")
    if "after" in words:  # "year after year"
        return make(ctx, match, SET, duration_value([(Fraction(1), words[0])]),
                    "regular: " + " ".join(words))
    amounts = amounts_in(re.sub(r"\b(?:once|twice|times|every|each|per|other)\b", " ",
                              lower))
    if not amounts:
        return None
    amount, unit = amounts[-1]
    if words[0] in ("once", "twice") or "times" in words:
        amount = Fraction(1)  # "three times a week" recurs weekly
    elif "other" in words:
        amount = Fraction(2)
    elif amount is None and not any(w in words for w in ("few", "several", "many")):
        amount = Fraction(1)  # "every week"
    return make(ctx, match, SET, duration_value([(amount, unit)]),
                "regular: every " + unit)


# "from now" belongs to "two weeks from now"; alone it is not a date.
_NOT_A_NOW = re.compile(r"\bfrom\s+\Z", re.IGNORECASE)


def handle_reference(ctx: Context, match: re.Match[str]) -> Timex | None:
    """A reference: "now", "currently", "recently", "the past", "the future"."""
    words = words_of(match.group())
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
