"""The date tagger never fails, stays fast, and its trigger index hides nothing.

Plain pytest functions, no Django; every sentence is written for these tests.
"""
from __future__ import annotations

import time
from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st

from ingest.extraction.dates import tag

WEDNESDAY = date(2025, 6, 4)


# ---------------------------------------------------------------------------
# Robustness and speed


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=300),
       st.one_of(st.none(), st.dates()))
def test_tag_never_raises_and_spans_match_the_text(text: str, anchor: date | None):
    previous_end = 0
    for timex in tag(text, anchor):
        assert text[timex.start:timex.end] == timex.text
        assert timex.start >= previous_end
        previous_end = timex.end


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from([
    "on", "Sunday", "June", "4", "2025", "the", "last", "week", "past", "three",
    "years", "ago", "May", "24,", "25,", "and", "26", "-", "between", "from", "to",
    "a", "12-day", "war", "at", "3", "p.m.", "every", "daily", "will", "said",
    "yesterday", "1990s", "quarter", "third", "early", "mid-", "'90s", ".", ",",
    "Christmas", "Easter", "around", "or", "so", "since", "until", "that", "day",
]), max_size=30), st.dates())
def test_tag_handles_dense_date_vocabulary(words: list[str], anchor: date):
    text = " ".join(words)
    for timex in tag(text, anchor):
        assert text[timex.start:timex.end] == timex.text
        if timex.type == "DURATION":
            assert timex.date_start is None


def test_an_800_word_article_is_tagged_in_a_few_milliseconds():
    paragraph = (
        "On Sunday, troops shelled the eastern districts for more than three hours, "
        "officials said on Monday. The offensive began on May 24, 25, and 26 and was "
        "the worst since the 12-day war of 2019. Negotiators will meet in Geneva next "
        "week, and the ministry said last month that aid deliveries had resumed daily. "
        "Residents who fled three years ago are still waiting to return to the town, "
        "which has been largely empty since the spring of 2022 and the long winter. "
    )
    words = paragraph.split()
    text = " ".join((words * (800 // len(words) + 1))[:800])
    tag(text, WEDNESDAY)
    runs = []
    for _ in range(5):
        began = time.perf_counter()
        tag(text, WEDNESDAY)
        runs.append(time.perf_counter() - began)
    # A guard against runaway backtracking, not a benchmark: the fastest of five
    # runs of a text far denser in dates than news must stay well under 50 ms
    # even on a loaded machine (it takes about 3 ms on an idle one).
    assert min(runs) < 0.05


# ---------------------------------------------------------------------------
# The trigger index must not hide any rule


_MIXED_NEWS = """
On Sunday, troops shelled the districts for more than three hours, officials said.
The offensive began on May 24, 25, and 26, the worst since the 12-day war of 2019.
Negotiators will meet next week; the ministry said last month that aid resumed daily.
Residents who fled three years ago have waited since the spring of 2022.
The truce of 12 March 2024 held until the 4th of June, when shelling resumed at 3 p.m.
Fighting raged between May 3 and May 7 and from June 1 to June 3.
Over the past three years the front barely moved; a decade ago it was calm.
The siege lasted an hour and 15 minutes, then a half-hour more, then a few days.
The 1990s and the '80s were quiet; the 20th century was not.
Output fell in the third quarter, a year earlier it rose; the year-ago period was flat.
The next year or so, a week or so ago, around Nov. 1, around 7:15 p.m., around year end.
The hearing is set for the week of March 6; that year the town fell; the end of the day.
A three-year period, six to eight weeks, several times a year, year after year.
Patrols go out every week, twice a day and on Mondays, and reports are filed annually.
It happened yesterday morning, later this afternoon, tonight and early next year.
Talks could last weeks, the envoy said in mid-March, at the end of the month.
He arrived at 0530 GMT, left around 10:30 a.m. local time and returned at midnight.
The accord of 01.04.2013 runs through 2014-2015; see 2025-06-04 and 4/1/2013.
Pilgrims gathered on Palm Sunday, St. Patrick's Day and Christmas Eve.
The law has been in force for nineteen ninety-six days since nineteen ninety-six.
Several years, dozens of weeks, a couple of months and no more than sixty days.
By the end of next week, in the last fiscal year, for weeks or months, a decades-long
feud, the first half of the year, over the next 12 to 18 months, in the days before
the vote, for the week, the last half of 2019, at 4 in the morning, 10 at night.
"""


def test_trigger_index_finds_whatever_the_full_grammar_finds():
    from ingest.extraction import date_triggers as patterns

    lowered = _MIXED_NEWS.lower()
    assert _MIXED_NEWS.isascii()
    expected = [
        (m.start(), m.end(), m.lastgroup)
        for m in patterns.full_scanner().finditer(_MIXED_NEWS)
    ]
    found = set()
    position = 0
    while (trigger := patterns.TRIGGER.search(lowered, position)) is not None:
        scanner = patterns.scanner_for(trigger, lowered)
        # the scanner gets the lower-cased text as the tagger passes it for ASCII
        # text, so the rules it skips by a look at that text are checked too
        match = scanner.match(_MIXED_NEWS, trigger.start(), lowered) if scanner else None
        if match:
            found.add((match.start(), match.end(), match.lastgroup))
            position = match.end()
        else:
            position = trigger.end(2) if trigger.group(2) else trigger.end()
    missing = [
        (_MIXED_NEWS[start:end], rule)
        for start, end, rule in expected
        if (start, end, rule) not in found
    ]
    assert missing == []


def test_gates_skip_no_rule_that_would_match():
    """A rule skipped by a look at the lower-cased text could not have matched."""
    from ingest.extraction import date_triggers as patterns

    text = (
        "Monday, June 2; Tues. 3 June; Friday the 13th; Sundays; Sunday mornings; "
        "Sat 21st March; MONDAY, JUNE 2; Thursday twenty-first of May; Wed.\n4 Nov; "
        "the two sides; three days ago; 1,500 years; the past 2.5 hours; a 12-day war; "
        "half-hour; the next 12 to 18 months; 000 people; Friday to demand."
    )
    lowered = text.lower()
    position = 0
    while (trigger := patterns.TRIGGER.search(lowered, position)) is not None:
        scanner = patterns.scanner_for(trigger, lowered)
        if scanner is not None:
            for name, pattern in zip(scanner.names, map(patterns.compiled, scanner.names)):
                gate = scanner.gates.get(name)
                if gate is not None and pattern.match(text, trigger.start()):
                    assert gate.match(lowered, trigger.start()), (name, text[trigger.start():])
            plain = scanner.match(text, trigger.start())
            gated = scanner.match(text, trigger.start(), lowered)
            assert (plain and plain.span(), plain and plain.lastgroup) == (
                gated and gated.span(), gated and gated.lastgroup)
        position = trigger.end()


def test_trigger_after_finds_what_trigger_finds():
    """Searched from one character earlier, TRIGGER_AFTER finds TRIGGER's next word."""
    from ingest.extraction import date_triggers as patterns

    text = (_MIXED_NEWS + " x2025 $2025 #5 a/3 .9 -4 'the two' \u201cnext week\u201d "
            "\u00e9t\u00e9 2025 the-past 3 days\n\n12 June").lower()
    for position in range(1, len(text) + 1):
        plain = patterns.TRIGGER.search(text, position)
        after = patterns.TRIGGER_AFTER.search(text, position - 1)
        assert (plain is None) == (after is None), position
        if plain is not None:
            assert (plain.start(), plain.end(), plain.groups()) == (
                after.start() + 1, after.end(), after.groups()), position
