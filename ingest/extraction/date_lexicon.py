"""Word lists and regex fragments for the temporal expression tagger.

Everything here is plain data plus a few parsers for numbers written in words.
The fragments are strings, combined into one scanner by ``dates.py``; they use no
named groups so that they can be reused inside the big alternation (Python forbids
a group name twice in one pattern).
"""
from __future__ import annotations

import functools
import re
from fractions import Fraction

MONTHS: dict[str, int] = {
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6,
    "july": 7, "august": 8, "september": 9, "october": 10, "november": 11,
    "december": 12,
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8,
    "sep": 9, "sept": 9, "oct": 10, "nov": 11, "dec": 12,
}

# Monday is 0, as in datetime.date.weekday().
WEEKDAYS: dict[str, int] = {
    "monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4,
    "saturday": 5, "sunday": 6,
    "mon": 0, "tue": 1, "tues": 1, "wed": 2, "thu": 3, "thur": 3, "thurs": 3,
    "fri": 4, "sat": 5, "sun": 6,
}

SEASONS: dict[str, str] = {
    "spring": "SP", "summer": "SU", "fall": "FA", "autumn": "FA", "winter": "WI",
}

# TIMEX3 codes for parts of the day.
PARTS_OF_DAY: dict[str, str] = {
    "morning": "MO", "afternoon": "AF", "evening": "EV", "night": "NI",
    "tonight": "NI", "overnight": "NI", "midday": "MI", "noon": "MI",
}

UNITS: dict[str, str] = {
    # singular unit -> TIMEX3 duration letter (time units get the "T" later)
    "second": "S", "minute": "TM", "hour": "H", "day": "D", "night": "D",
    "week": "W", "fortnight": "W", "month": "M", "year": "Y", "decade": "DE",
    "century": "CE", "quarter": "Q", "weekend": "WE", "season": "SE",
}

UNIT_PLURALS: dict[str, str] = {
    "seconds": "second", "minutes": "minute", "hours": "hour", "days": "day",
    "nights": "night", "weeks": "week", "fortnights": "fortnight",
    "months": "month", "years": "year", "decades": "decade",
    "centuries": "century", "quarters": "quarter", "weekends": "weekend",
    "seasons": "season",
}

_ONES: dict[str, int] = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
    "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16,
    "seventeen": 17, "eighteen": 18, "nineteen": 19,
}
_TENS: dict[str, int] = {
    "twenty": 20, "thirty": 30, "forty": 40, "fourty": 40, "fifty": 50,
    "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90,
}
ORDINALS: dict[str, int] = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6,
    "seventh": 7, "eighth": 8, "ninth": 9, "tenth": 10, "eleventh": 11,
    "twelfth": 12, "thirteenth": 13, "fourteenth": 14, "fifteenth": 15,
    "sixteenth": 16, "seventeenth": 17, "eighteenth": 18, "nineteenth": 19,
    "twentieth": 20, "thirtieth": 30,
}

# Words that stand for a number we do not know ("a few days" -> PXD).
VAGUE_QUANTITIES = frozenset({
    "a few", "few", "several", "many", "some", "a number of", "numerous",
    "dozens of", "hundreds of", "thousands of",
})

# ---------------------------------------------------------------------------
# Regex fragments.  The scanner runs case-insensitively; names that are only
# dates when capitalised (May, March, Sun) are wrapped in (?-i:...).

S = r"(?:[ \t\xa0]+(?:\n[ \t\xa0]*)?|\n[ \t\xa0]*)"  # a gap with at most one newline
HY = r"(?:[ \t\xa0]*[-\u2010-\u2014][ \t\xa0]*|" + S + ")"  # hyphen or space

_MONTH_FULL = (
    r"January|February|March|April|May|June|July|August|September|October"
    r"|November|December"
)
_MONTH_ABBR = r"Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec"
MONTH_FULL = r"(?-i:(?:" + _MONTH_FULL + r"|" + _MONTH_FULL.upper() + r")\b)"
# An abbreviation is only a month next to a day number or a year.
MONTH = r"(?-i:(?:" + _MONTH_FULL + r"|" + _MONTH_FULL.upper() + r")\b|(?:" + (
    _MONTH_ABBR + r")\b\.?)"
)

_WEEKDAY_FULL = r"Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday"
WEEKDAY = (
    r"(?-i:(?:" + _WEEKDAY_FULL + r"|" + _WEEKDAY_FULL.upper() + r")"
    r"|(?:Mon|Tues?|Wed|Thu(?:rs?)?|Fri|Sat|Sun)\.)"
)
WEEKDAY_PLURAL = r"(?-i:(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)days)\b"

DAY = r"(?:3[01]|[12][0-9]|0?[1-9])(?:st|nd|rd|th)?(?![\d:.,]\d)\b"
DAY_WORD = (
    r"(?:first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth"
    r"|eleventh|twelfth|thirteenth|fourteenth|fifteenth|sixteenth|seventeenth"
    r"|eighteenth|nineteenth|twentieth|thirtieth"
    r"|(?:twenty|thirty)[- ](?:first|second|third|fourth|fifth|sixth|seventh"
    r"|eighth|ninth))"
)
# A year needs four digits in the years a news archive plausibly covers.
YEAR = r"(?:1[6-9]\d\d|20\d\d)(?![\d,.]\d)\b"
YEAR_OR_SHORT = r"(?:" + YEAR + r"|'\d\d\b)"

_NUM_ONES = (
    r"one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen"
    r"|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen"
)
_NUM_TENS = r"twenty|thirty|forty|fourty|fifty|sixty|seventy|eighty|ninety"
NUM_WORD = (
    r"(?:(?:(?:a|one|two|three|four|five|six|seven|eight|nine)" + HY
    + r"hundred(?:" + HY + r"(?:and" + S + r")?)?)?"
    r"(?:(?:" + _NUM_TENS + r")(?:" + HY + r"(?:one|two|three|four|five|six|seven"
    r"|eight|nine))?|" + _NUM_ONES + r")\b|(?:a|one)" + HY + r"hundred\b"
    r"|a" + S + r"dozen\b|dozen\b)"
)
NUM_DIGITS = r"(?:\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)(?:" + S + r"\d/\d)?"
NUMBER = (
    r"(?:" + NUM_DIGITS + r"|" + NUM_WORD + r"(?:" + S + r"and" + S + r"a" + S
    + r"half)?)"
)
VAGUE = (
    r"(?:a" + S + r"few|a" + S + r"couple" + S + r"of|a" + S + r"couple|several"
    r"|many|a" + S + r"number" + S + r"of|dozens" + S + r"of|hundreds" + S
    + r"of)"
)
UNIT_SG = r"(?:second|minute|hour|day|night|week|fortnight|month|year|decade|century)"
UNIT_PL = (
    r"(?:seconds|minutes|hours|days|nights|weeks|fortnights|months|years|decades"
    r"|centuries)"
)
UNIT = r"(?:" + UNIT_PL + r"|" + UNIT_SG + r")\b"

# Words before a number that belong to a duration ("more than three years"): the
# ones TimeML encodes in the "mod" attribute (APPROX, MORE_THAN, LESS_THAN...).
# "only", "just" and the preposition "over" stay outside, as in TimeBank.
DURATION_MOD = (
    r"(?:about|around|approximately|roughly|nearly|almost|some|more" + S + r"than|less"
    + S + r"than|fewer" + S + r"than|at" + S + r"least|at" + S + r"most|up" + S
    + r"to|another|an" + S + r"additional|an" + S + r"extra|a" + S + r"further"
    r"|the" + S + r"better" + S + r"part" + S + r"of|close" + S + r"to|no" + S
    + r"more" + S + r"than)"
)

_TEENS_WORDS = (
    r"ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen"
    r"|nineteen"
)
_ONES_WORDS = r"one|two|three|four|five|six|seven|eight|nine"
# "nineteen ninety-six", "nineteen oh five", "two thousand (and) three"
SPELLED_YEAR = (
    r"(?:(?:nineteen|eighteen)" + HY + r"(?:hundred(?:" + HY + r"(?:and" + S
    + r")?)?)?(?:(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)(?:" + HY
    + r"(?:" + _ONES_WORDS + r"))?|" + _TEENS_WORDS + r"|oh" + HY + r"(?:"
    + _ONES_WORDS + r"))\b"
    r"|two" + HY + r"thousand(?:" + HY + r"(?:and" + S + r")?(?:" + _TEENS_WORDS
    + r"|twenty(?:" + HY + r"(?:" + _ONES_WORDS + r"))?|" + _ONES_WORDS + r"))?\b)"
)
DECADE_WORDS = {
    "twenties": 2, "thirties": 3, "forties": 4, "fifties": 5, "sixties": 6,
    "seventies": 7, "eighties": 8, "nineties": 9,
}


def parse_spelled_year(words: str) -> int | None:
    """Read "nineteen ninety-six" (1996), "two thousand and three" (2003)."""
    parts = [
        word
        for word in re.split(r"[\s\-\u2010-\u2014]+", words.lower())
        if word and word != "and"
    ]
    if not parts:
        return None
    if parts[:2] == ["two", "thousand"]:
        rest = parse_number(" ".join(parts[2:])) if parts[2:] else Fraction(0)
        return None if rest is None else 2000 + int(rest)
    head = {"nineteen": 1900, "eighteen": 1800}.get(parts[0])
    if head is None:
        return None
    rest_words = [w for w in parts[1:] if w not in ("hundred", "oh")]
    rest = parse_number(" ".join(rest_words)) if rest_words else Fraction(0)
    return None if rest is None else head + int(rest)


@functools.lru_cache(maxsize=4096)  # the same few amounts recur: "two days", "a week"
def parse_number(words: str) -> Fraction | None:
    """Read "three", "twenty-four", "a hundred", "2 1/2", "1,200", "one and a half".

    Returns None for a vague quantity ("several") or an unreadable phrase, so the
    caller can write X in the TIMEX3 value.
    """
    phrase = re.sub(r"[\s\-\u2010-\u2014]+", " ", words.strip().lower())
    half = Fraction(0)
    if phrase.endswith(" and a half"):
        half = Fraction(1, 2)
        phrase = phrase[: -len(" and a half")]
    if phrase in VAGUE_QUANTITIES:
        return None
    if phrase in ("a", "an", "a single", "single"):
        return Fraction(1) + half
    if phrase in ("half a", "half an", "half", "a half"):
        return Fraction(1, 2)
    if phrase in ("a couple of", "a couple", "couple of", "couple"):
        return Fraction(2)
    if phrase in ("a dozen", "dozen"):
        return Fraction(12) + half
    digits = re.fullmatch(r"(\d+(?:\.\d+)?)(?: (\d)/(\d))?", phrase.replace(",", ""))
    if digits:
        value = Fraction(digits.group(1))
        if digits.group(2):
            value += Fraction(int(digits.group(2)), int(digits.group(3)))
        return value + half
    total = 0
    current = 0
    seen = False
    words = phrase.split()
    if len(words) > 1 and words[0] in ("a", "an") and words[1] not in (
        "hundred", "thousand", "dozen"
    ):
        words = words[1:]  # "a three-year period": the article, not one
    for word in words:
        if word == "and":
            continue
        if word in ("a", "one") and not seen:
            current = 1
            seen = True
        elif word in _ONES:
            current += _ONES[word]
            seen = True
        elif word in _TENS:
            current += _TENS[word]
            seen = True
        elif word == "hundred":
            current = max(current, 1) * 100
            seen = True
        elif word == "thousand":
            total += max(current, 1) * 1000
            current = 0
            seen = True
        else:
            return None
    if not seen:
        return None
    return Fraction(total + current) + half


def parse_ordinal(word: str) -> int | None:
    """Read "4th", "twenty-first", "third" as a day or quarter number."""
    word = word.strip().lower()
    digits = re.match(r"(\d+)", word)
    if digits:
        return int(digits.group(1))
    parts = re.split(r"[\s\-]+", word)
    if len(parts) == 2 and parts[0] in _TENS and parts[1] in ORDINALS:
        return _TENS[parts[0]] + ORDINALS[parts[1]]
    return ORDINALS.get(word)


def month_number(word: str) -> int | None:
    """Map "Sept.", "JUNE", "jun" to a month number."""
    return MONTHS.get(word.strip().rstrip(".").lower())


def weekday_number(word: str) -> int | None:
    """Map "Friday", "Fri.", "FRIDAY's", "Fridays" to 0..6 (Monday is 0)."""
    word = word.strip().lower().rstrip(".")
    if word.endswith(("'s", "\u2019s")):
        word = word[:-2]
    if word not in WEEKDAYS and word.endswith("s"):
        word = word[:-1]
    return WEEKDAYS.get(word)
