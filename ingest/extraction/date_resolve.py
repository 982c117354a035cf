"""Calendar arithmetic and tense guessing for the temporal expression tagger.

Pure functions over ``datetime.date``: which year a bare "December 28" means, which
Friday "on Friday" means, the ISO week of "last week", the bounds of a quarter.
The tense guess reads the words around an expression, because the anchor alone
cannot tell "met on Friday" from "will meet on Friday".
"""
from __future__ import annotations

import calendar
import functools
import re
from datetime import date, timedelta

PAST = "past"
FUTURE = "future"

# ---------------------------------------------------------------------------
# Calendar units


def add_months(day: date, months: int) -> date:
    """Shift by whole months, clamping the day to the target month's length."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last))


def add_years(day: date, years: int) -> date:
    """Shift by whole years; 29 February becomes 28 February when needed."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def month_bounds(year: int, month: int) -> tuple[date, date]:
    """First and last calendar day of a month."""
    return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])


def week_bounds(day: date) -> tuple[date, date]:
    """Monday and Sunday of the ISO week that holds ``day``."""
    monday = day - timedelta(days=day.weekday())
    return monday, monday + timedelta(days=6)


def week_value(day: date) -> str:
    """TIMEX3 week value ("2013-W12") of the ISO week that holds ``day``."""
    year, week, _ = day.isocalendar()
    return f"{year:04d}-W{week:02d}"


def quarter_of(day: date) -> int:
    """Calendar quarter 1..4."""
    return (day.month - 1) // 3 + 1


def quarter_bounds(year: int, quarter: int) -> tuple[date, date]:
    """First and last day of a calendar quarter."""
    first = 3 * (quarter - 1) + 1
    return date(year, first, 1), month_bounds(year, first + 2)[1]


def half_bounds(year: int, half: int) -> tuple[date, date]:
    """First and last day of a calendar half year."""
    return (date(year, 1, 1), date(year, 6, 30)) if half == 1 else (
        date(year, 7, 1), date(year, 12, 31))


def year_bounds(year: int) -> tuple[date, date]:
    """1 January and 31 December."""
    return date(year, 1, 1), date(year, 12, 31)


# Meteorological seasons (northern hemisphere): winter Y runs December Y to February
# Y+1, which is how "winter 2012" is normally meant.
_SEASON_MONTHS = {"SP": (3, 5), "SU": (6, 8), "FA": (9, 11), "WI": (12, 14)}


def season_bounds(year: int, code: str) -> tuple[date, date]:
    """First and last day of a season ("SU", "WI", ...) of ``year``."""
    first, last = _SEASON_MONTHS[code]
    end = add_months(date(year, 1, 1), last - 1)
    return date(year, first, 1), month_bounds(end.year, end.month)[1]


def season_of(day: date) -> tuple[int, str]:
    """The season (year, code) that holds ``day``."""
    if day.month in (1, 2):
        return day.year - 1, "WI"
    for code, (first, last) in _SEASON_MONTHS.items():
        if first <= day.month <= last:
            return day.year, code
    return day.year, "WI"


def easter(year: int) -> date:
    """Gregorian Easter Sunday (anonymous Gregorian algorithm)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    l = (32 + 2 * e + 2 * i - h - k) % 7  # noqa: E741 - the algorithm's name
    m = (a + 11 * h + 22 * l) // 451
    month, day = divmod(h + l - 7 * m + 114, 31)
    return date(year, month, day + 1)


def nth_weekday(year: int, month: int, weekday: int, n: int) -> date:
    """The n-th given weekday of a month (n = -1 for the last one)."""
    if n > 0:
        first = date(year, month, 1)
        return first + timedelta(days=(weekday - first.weekday()) % 7 + 7 * (n - 1))
    last = month_bounds(year, month)[1]
    return last - timedelta(days=(last.weekday() - weekday) % 7)


# ---------------------------------------------------------------------------
# Choosing between readings


# Without a tense, a weekday up to this many days back is read as past, else ahead.
UNTENSED_WEEKDAY_BACK = 4


def resolve_weekday(anchor: date, weekday: int, direction: str | None) -> date:
    """The date a weekday name refers to, seen from the anchor.

    ``direction`` is "past" (on or before the anchor: "said on Sunday"), "future"
    (on or after: "will meet on Friday"), "last" (strictly before), "next" (strictly
    after) or None.  None takes the nearest occurrence within the surrounding week,
    leaning to the past as news reports mostly do: up to four days back, else ahead.
    """
    back = (anchor.weekday() - weekday) % 7
    ahead = (weekday - anchor.weekday()) % 7
    if direction == PAST:
        return anchor - timedelta(days=back)
    if direction == FUTURE:
        return anchor + timedelta(days=ahead)
    if direction == "last":
        return anchor - timedelta(days=back or 7)
    if direction == "next":
        return anchor + timedelta(days=ahead or 7)
    if back <= UNTENSED_WEEKDAY_BACK:
        return anchor - timedelta(days=back)
    return anchor + timedelta(days=ahead)


# How far (in days) a reading against the guessed tense counts as farther away.  The
# tense guess is a heuristic, so a date a few weeks ahead still beats one eleven
# months back in a past-tense sentence.
CONTRARY_TENSE_DAYS = 200
CONTRARY_FUTURE_DAYS = 400
# A past-tense verb right before the date ("fell on May 3") is trusted outright.
CLOSE_PAST_WORDS = 2
CLOSE_PAST_DAYS = 10_000


def pick_year(
    anchor: date,
    month: int,
    day: int | None,
    tense: str | None,
    contrary_days: float | None = None,
) -> int:
    """The year that puts month (and day) where the tense says, nearest the anchor.

    A past-tense "December 28" in a January article is last year's; "will ... on
    July 1" points forward; without a tense the nearest reading wins.
    """
    best_year = anchor.year
    best_score: float | None = None
    for year in (anchor.year - 1, anchor.year, anchor.year + 1):
        if day is None:
            start, end = month_bounds(year, month)
        else:
            try:
                start = end = date(year, month, day)
            except ValueError:  # 29 February of a common year
                continue
        if start <= anchor <= end:
            return year
        distance = (start - anchor).days if start > anchor else (anchor - end).days
        ahead = start > anchor
        score = float(distance)
        if tense == PAST and ahead:
            score += CONTRARY_TENSE_DAYS if contrary_days is None else contrary_days
        elif tense == FUTURE and not ahead:
            score += CONTRARY_FUTURE_DAYS
        if best_score is None or score < best_score:
            best_year, best_score = year, score
    return best_year


# ---------------------------------------------------------------------------
# Tense around an expression

_FUTURE_CUES = frozenset("""
will 'll wo shall going upcoming intends intend aims aim tomorrow next forthcoming
soon plans plan planning would should must might may could can hope hopes expects
expect
""".split())
# Modal verbs only point forward when nothing past-tense is closer, since "said it
# would" mostly reports a past statement.
_WEAK_FUTURE = frozenset("would should must might may could can hope hopes".split())
# "scheduled", "due", "expected": forward unless a past "was"/"had been" carries
# them ("had been due to expire Friday" is over).
_PLANNED = frozenset("scheduled planned set due expected slated poised likely".split())
_BE_PRESENT = frozenset("is are am be 's 're".split())
_BE_PAST = frozenset("was were been had".split())
# A participle after these is passive or infinitive ("will be held", "to be
# signed"): it says nothing about the tense, so the search goes on.
_PARTICIPLE_HOSTS = frozenset("be being to get gets will would can could".split())
_NEUTRAL = frozenset("has have having".split())
_PAST_CUES = frozenset("""
was were had did said told met left took came went began begun fell rose made gave
held won lost saw sent struck hit fought broke ran spoke wrote led became brought
bought sold paid got found thought knew kept put shot stood sat fled flew drove
ago earlier yesterday last previously reported announced withdrew drew threw grew
blew overran overtook undertook shook forgot froze chose rode wore tore swore bore
bit hid slid stuck strode swept slept wept crept felt dealt meant lent spent built
bent lit fed bred sought taught caught lay laid arose woke awoke stole sank sang
rang swam drank shrank sprang forgave forbade ate overcame
""".split())
_PRESENT_CUES = frozenset("is are am says say tells now today currently".split())
_NOT_PAST_ED = frozenset("""
need seed speed bed red shed indeed hundred breed feed steed deed proceed exceed
succeed bleed greed weed embed based united limited unlimited detailed advanced
""".split())
_WORD = re.compile(r"[A-Za-z']+")
# Where a sentence ends: ". ", a blank line or a quotation mark (only the start is
# read).  One class first, the rest as looks around it: the engine then skips to the
# next candidate character instead of trying three branches at every position.
_SENTENCE_END = re.compile(
    r"[.!?;\n\"\u201c\u201d](?:(?<=[.!?;])(?=\s)|(?<=\n)(?=\s*\n)|(?<=[\"\u201c\u201d]))"
)
PRESENT = "present"
_SINCE = frozenset(("since",))
# Words after "to" that make it a preposition, not an infinitive marker.
_NOT_INFINITIVE = frozenset("""
the a an his her its their this that these those our your my some all about
around more less over under date be
""".split())
_DEADLINE_WORDS = frozenset(
    "by until till through payable effective due expire expires expiring".split()
)
# Skipped when looking for the word right before an expression: "since (the)".
_FILLERS = frozenset("on the around about early late mid in".split())
WEAK = "weak"


def _cue(words: list[str], index: int) -> str | None:
    """The tense word ``words[index]`` signals, judged with the word before it."""
    return _cue_after(words[index], words[index - 1] if index > 0 else "")


@functools.lru_cache(maxsize=8192)
def _cue_after(word: str, before: str) -> str | None:
    # cached: news repeats the same word pairs around its dates
    if word == "May":
        return None  # the month, not the modal
    lower = word.lower()
    before = before.lower()
    if lower == "to" and before in _BE_PRESENT | {"was", "were"}:
        return FUTURE  # "is to resume trading Tuesday"
    if lower == "be" and before == "to":
        return FUTURE  # "to be completed by"
    if lower in _PLANNED:
        if before in _BE_PAST:
            return PAST
        if before in _BE_PRESENT:
            return FUTURE
        return FUTURE
    if lower in _WEAK_FUTURE:
        return WEAK
    if lower in _FUTURE_CUES:
        return FUTURE
    if lower in _NEUTRAL:
        return None
    past = lower in _PAST_CUES or (
        lower.endswith("ed")
        and len(lower) > 4
        and word[0].islower()
        and lower not in _NOT_PAST_ED
    )
    if past:
        if before in _PARTICIPLE_HOSTS:
            return None
        if before in _BE_PRESENT:
            return PRESENT
        return PAST
    if lower in _PRESENT_CUES:
        return PRESENT
    return None


def _sentence_start(left: str) -> int:
    """Where the last sentence (or quotation) in ``left`` begins."""
    return max(
        left.rfind(". "), left.rfind("? "), left.rfind("! "), left.rfind("; "),
        left.rfind("\n\n"), left.rfind('"'), left.rfind("\u201c"),
        left.rfind("\u201d"),
    ) + 1


def _word_before(left: str) -> str:
    """The last word of ``left`` (lower-cased), skipping "the", "on" and the like."""
    # the words of the last 40 characters from the end: the runs of letters of the
    # reversed text, reversed (most often the first or second is the one)
    for found in _WORD.finditer(left[-40:][::-1]):
        word = found.group()[::-1].lower()
        if word not in _FILLERS:
            return word
    return ""


def past_verb_is_close(text: str, start: int, window: int | None = None) -> bool:
    """Whether a past-tense verb stands within ``window`` words before ``start``.

    "The town fell on May 3": so close, the verb governs the date and its tense
    can be trusted more than the distance of the two readings from the anchor.
    """
    window = CLOSE_PAST_WORDS if window is None else window
    left = text[max(0, start - 60):start]
    words = _WORD.findall(left[_sentence_start(left):])
    if words and words[-1].lower() in _SINCE:
        return True  # "since November" has begun, so it lies in the past
    for index in range(len(words) - 1, max(-1, len(words) - 1 - window), -1):
        if words[index].lower() == "to":
            return False  # "agreed to meet on May 3": the infinitive's date
        if _cue_after(words[index], words[index - 1] if index else "") == PAST:
            return True  # (_cue inlined: this loop runs for most dates)
    return False


def infer_tense(
    text: str, start: int, end: int, back: int = 12, ahead: int = 8
) -> str | None:
    """Guess whether the clause around text[start:end] speaks of past or future.

    Reads up to ``back`` words before the expression, nearest first, then up to
    ``ahead`` words after it, within the sentence; the first tense cue decides.
    Returns "past", "future" or None (present or unknown).  A modal ("would",
    "could") only counts when no other cue is found.
    """
    left = text[max(0, start - 120):start]
    nearest = _word_before(left)
    # The word right before a date often says more than any verb: "since May" is
    # over, "payable Dec. 7" and "by Jan. 14" lie ahead or near.
    if nearest in _SINCE:
        return PAST
    if nearest in _DEADLINE_WORDS:
        return None
    left = left[_sentence_start(left):]
    weak = False
    before = _WORD.findall(left)
    infinitive = False
    for index in range(len(before) - 1, max(-1, len(before) - 1 - back), -1):
        if (
            before[index].lower() == "to"
            and index + 1 < len(before)
            and before[index + 1].islower()
            and before[index + 1] not in _NOT_INFINITIVE
        ):
            # "decided to admit them in March": the date goes with the
            # infinitive, so a past main verb says nothing about it
            infinitive = True
        # _cue(before, index), inlined: the loop runs for most dates
        found = _cue_after(before[index], before[index - 1] if index else "")
        if found == WEAK:
            weak = True
        elif found == PRESENT:
            return None
        elif found == PAST and infinitive:
            return None
        elif found is not None:
            return found
    right = text[end:end + 100]  # read only when the words before decide nothing
    stop = _SENTENCE_END.search(right)
    if stop is not None:
        right = right[: stop.start()]
    after = _WORD.findall(right)[:ahead]
    for index in range(len(after)):
        found = _cue_after(after[index], after[index - 1] if index else "")
        if found == WEAK:
            weak = True
        elif found == PRESENT:
            return None
        elif found is not None:
            return found
    return FUTURE if weak else None
