"""Behaviour of the temporal expression tagger (ingest.extraction.dates).

Plain pytest functions, no Django.  Every sentence here is written for these
tests.  Anchors: 2025-06-04 is a Wednesday, 2026-01-14 a Wednesday in January.
"""
from __future__ import annotations

from datetime import date

from ingest.extraction.dates import tag
from ingest.extraction.tempeval import tag_documents
from ingest.extraction.types import Timex

WEDNESDAY = date(2025, 6, 4)
JANUARY = date(2026, 1, 14)


def only(text: str, anchor: date | None = WEDNESDAY) -> Timex:
    """The single expression the sentence should contain."""
    found = tag(text, anchor)
    assert len(found) == 1, [(t.text, t.value) for t in found]
    return found[0]


def find(text: str, phrase: str, anchor: date | None = WEDNESDAY) -> Timex:
    """The expression whose text is ``phrase``."""
    found = tag(text, anchor)
    for timex in found:
        if timex.text == phrase:
            return timex
    raise AssertionError(f"{phrase!r} not in {[t.text for t in found]}")


# ---------------------------------------------------------------------------
# Absolute dates


def test_month_day_with_year_is_that_day():
    timex = only("The ceasefire collapsed on June 1, 2025, after long talks.")
    assert (timex.text, timex.value, timex.precision) == ("June 1, 2025", "2025-06-01",
                                                          "day")
    assert timex.date_start == timex.date_end == date(2025, 6, 1)
    assert timex.type == "DATE"
    assert "with its year" in timex.rule


def test_day_month_year_is_that_day():
    timex = only("Engineers reopened the bridge on 1 June 2025 under heavy guard.")
    assert (timex.text, timex.value) == ("1 June 2025", "2025-06-01")


def test_iso_date_is_read_as_written():
    timex = only("The ministry's bulletin dated 2025-06-04 listed the convoys.")
    assert (timex.text, timex.value, timex.rule) == ("2025-06-04", "2025-06-04",
                                                     "ISO date")


def test_the_ordinal_of_month_takes_the_anchor_year():
    timex = only("The drones came back on the 4th of June, residents said.")
    assert timex.text == "the 4th of June"
    assert timex.value == "2025-06-04"


def test_weekday_before_a_written_out_date_is_part_of_the_span():
    timex = only("Voting ended on Wednesday, the 4th of June, without incident.")
    assert timex.text == "Wednesday, the 4th of June"
    assert timex.date_start == date(2025, 6, 4)


def test_month_day_without_year_uses_the_anchor_year():
    timex = only("Rebels seized the depot on June 1, the governor said.")
    assert (timex.value, timex.date_start) == ("2025-06-01", date(2025, 6, 1))
    assert "year from the anchor" in timex.rule


def test_past_tense_december_date_in_a_january_article_is_last_year():
    timex = only("Militias withdrew from the town on December 28.", JANUARY)
    assert timex.value == "2025-12-28"
    assert "past tense" in timex.rule


def test_a_past_verb_right_before_a_date_sends_it_back_a_year():
    timex = only("The town fell on May 3 after a long siege.", date(2026, 3, 20))
    assert timex.value == "2025-05-03"


def test_since_points_back_and_payable_points_to_the_nearest_reading():
    text = "Prices have risen since November and the dividend is payable Dec. 7."
    assert find(text, "November", date(2025, 10, 27)).value == "2024-11"
    assert find(text, "Dec. 7", date(2025, 10, 27)).value == "2025-12-07"


def test_future_tense_month_day_points_forward():
    timex = only("The two leaders will sign the accord on July 1.")
    assert timex.value == "2025-07-01"


def test_future_passive_month_day_points_forward():
    timex = only("Fresh elections will be held on May 30.")
    assert timex.value == "2026-05-30"


def test_bare_month_in_a_past_sentence_is_the_latest_such_month():
    timex = only("The offensive stalled in November, officers admitted.", JANUARY)
    assert (timex.value, timex.precision) == ("2025-11", "month")
    assert timex.date_start == date(2025, 11, 1)
    assert timex.date_end == date(2025, 11, 30)


def test_may_the_verb_is_not_a_month():
    assert tag("Talks May resume, but nobody is sure.", WEDNESDAY) == []


def test_month_and_year():
    timex = only("The blockade began in February 2022.")
    assert (timex.text, timex.value, timex.precision) == ("February 2022", "2022-02",
                                                          "month")


# ---------------------------------------------------------------------------
# Weekdays


def test_sunday_in_a_wednesday_article_is_three_days_earlier():
    timex = only("Artillery struck the port on Sunday, killing two.")
    assert timex.text == "Sunday"
    assert timex.value == "2025-06-01"
    assert timex.rule.startswith("weekday before the anchor")


def test_wednesday_in_a_wednesday_article_is_that_day():
    timex = only("The minister resigned on Wednesday.")
    assert timex.value == "2025-06-04"
    assert timex.rule.startswith("weekday of the anchor")


def test_future_tense_weekday_points_forward():
    timex = only("The delegations will meet on Friday in Geneva.")
    assert timex.value == "2025-06-06"
    assert "future tense" in timex.rule


def test_last_friday_and_next_monday():
    text = "Shelling resumed last Friday and talks restart next Monday."
    assert find(text, "last Friday").value == "2025-05-30"
    assert find(text, "next Monday").value == "2025-06-09"


def test_weekday_night_is_that_day_with_its_part_of_day():
    timex = only("Sirens sounded across the capital on Tuesday night.")
    assert (timex.text, timex.type, timex.value) == ("Tuesday night", "DATE",
                                                     "2025-06-03TNI")
    assert timex.date_start == date(2025, 6, 3)


# ---------------------------------------------------------------------------
# Relative days and periods


def test_yesterday_is_the_anchor_minus_one_day():
    timex = only("Yesterday the border crossing was closed.")
    assert timex.value == "2025-06-03"
    assert timex.rule == "yesterday: anchor minus one day"


def test_today_and_tomorrow():
    text = "The talks continue today and end tomorrow."
    assert find(text, "today").value == "2025-06-04"
    assert find(text, "tomorrow").value == "2025-06-05"


def test_days_later_count_from_the_previous_date():
    text = "The siege began on May 10. Two days later, the garrison surrendered."
    timex = find(text, "Two days later")
    assert timex.value == "2025-05-12"
    assert "May 10" in timex.rule


def test_a_day_earlier_counts_back_from_the_previous_date():
    text = "The town fell on May 10; a day earlier its mayor had fled."
    assert find(text, "a day earlier").value == "2025-05-09"


def test_last_week_is_the_iso_week_before_the_anchor():
    timex = only("Two envoys visited the front last week.")
    assert (timex.value, timex.precision) == ("2025-W22", "week")
    assert (timex.date_start, timex.date_end) == (date(2025, 5, 26), date(2025, 6, 1))


def test_this_week_is_the_anchor_week():
    assert only("Aid trucks crossed this week.").value == "2025-W23"


def test_over_the_past_week_is_a_week():
    timex = only("Over the past week the militia lost ground.")
    assert timex.text == "the past week"
    assert timex.precision == "week"


def test_month_periods():
    text = "Prices rose last month, fell earlier this month and may rise this month."
    assert find(text, "last month").value == "2025-05"
    assert find(text, "earlier this month").value == "2025-06"
    assert find(text, "this month").value == "2025-06"


def test_last_year_and_years_ago_are_years():
    text = "The dam was built last year, replacing one destroyed three years ago."
    assert find(text, "last year").value == "2024"
    ago = find(text, "three years ago")
    assert (ago.type, ago.value, ago.precision) == ("DATE", "2022", "year")


def test_in_may_takes_the_anchor_year():
    assert only("The rebels regrouped in May.").value == "2025-05"


def test_last_may_is_the_previous_may_before_the_anchor_month():
    assert only("The treaty was signed last May.", date(2026, 3, 2)).value == "2025-05"


def test_decade_is_written_with_three_digits():
    timex = only("The frontier was quiet through the 1990s.")
    assert (timex.text, timex.value, timex.precision) == ("the 1990s", "199", "range")
    assert (timex.date_start, timex.date_end) == (date(1990, 1, 1), date(1999, 12, 31))


def test_quarters_and_seasons():
    text = "Output should recover in the third quarter and this summer."
    assert find(text, "the third quarter").value == "2025-Q3"
    summer = find(text, "this summer")
    assert (summer.value, summer.date_start) == ("2025-SU", date(2025, 6, 1))


def test_now_and_currently_are_present_references():
    text = "The town is now calm and currently under curfew."
    assert [t.value for t in tag(text, WEDNESDAY)] == ["PRESENT_REF", "PRESENT_REF"]
    assert all(t.date_start is None for t in tag(text, WEDNESDAY))


def test_past_and_future_references():
    text = ("Such raids were rare in the past, were recently renewed and may end in"
            " the future.")
    values = {t.text: t.value for t in tag(text, WEDNESDAY)}
    assert values == {"the past": "PAST_REF", "recently": "PAST_REF",
                      "the future": "FUTURE_REF"}


# ---------------------------------------------------------------------------
# Lists and ranges


def test_list_of_nights_is_one_range():
    timex = only("Drones attacked the city on the night of May 24, 25, and 26.")
    assert timex.text == "May 24, 25, and 26"
    assert (timex.type, timex.value, timex.precision) == ("DATE", "2025-05-24", "range")
    assert (timex.date_start, timex.date_end) == (date(2025, 5, 24), date(2025, 5, 26))
    assert "list of days" in timex.rule


def test_day_range_before_the_month():
    timex = only("The summit ran from 4-6 June in Vienna.")
    assert timex.text == "4-6 June"
    assert (timex.date_start, timex.date_end) == (date(2025, 6, 4), date(2025, 6, 6))
    assert "range of days" in timex.rule


def test_day_range_after_the_month():
    timex = only("Exercises are planned for June 4-6 near the border.")
    assert (timex.text, timex.precision) == ("June 4-6", "range")
    assert timex.date_end == date(2025, 6, 6)


def test_between_two_dates_is_one_range():
    timex = only("Fighting raged between May 3 and May 7 around the airport.")
    assert timex.text == "May 3 and May 7"
    assert (timex.date_start, timex.date_end) == (date(2025, 5, 3), date(2025, 5, 7))
    assert timex.precision == "range"


def test_from_one_date_to_another_is_one_range():
    timex = only("The curfew lasted from June 1 to June 3.")
    assert (timex.date_start, timex.date_end) == (date(2025, 6, 1), date(2025, 6, 3))


def test_tempeval_output_keeps_range_ends_apart():
    record = {"doc": "d1", "dct": "2025-06-04", "text": "Fighting raged between May 3"
              " and May 7."}
    values = [p["value"] for p in tag_documents([record])]
    assert values == ["2025-05-03", "2025-05-07"]


# ---------------------------------------------------------------------------
# Holidays, deadlines, clock times and other details


def test_easter_and_palm_sunday_are_computed_for_the_nearest_year():
    text = "Pilgrims will gather on Palm Sunday and stay until Easter."
    assert find(text, "Palm Sunday", date(2013, 3, 22)).value == "2013-03-24"
    assert find(text, "Easter", date(2013, 3, 22)).value == "2013-03-31"


def test_a_deadline_weekday_lies_ahead():
    timex = only("The government has until Monday to answer.")
    assert timex.value == "2025-06-09"


def test_last_the_verb_is_not_a_date():
    timex = only("The talks could last weeks.")
    assert (timex.text, timex.type, timex.value) == ("weeks", "DURATION", "PXW")


def test_this_past_weekend_is_the_weekend_before_the_anchor():
    timex = only("Rockets fell this past weekend.")
    assert timex.value == "2025-W22-WE"
    assert (timex.date_start, timex.date_end) == (date(2025, 5, 31), date(2025, 6, 1))


def test_clock_time_takes_the_day_last_talked_about():
    text = "The convoy was hit on Sunday. The first blast came at 10 p.m."
    assert find(text, "10 p.m.").value == "2025-06-01T22:00"


def test_clock_time_with_on_weekday_uses_that_day():
    text = "The vote closes at 8 p.m. on Friday."
    assert find(text, "8 p.m.").value == "2025-06-06T20:00"


def test_spelled_out_years_and_day_first_dotted_dates():
    assert only("He first came here in nineteen ninety-six.").value == "1996"
    assert only("The treaty of 01.04.2013 still binds.").value == "2013-04-01"


def test_business_quarters_follow_the_reported_quarter():
    text = ("Profit fell in the third quarter. A year ago the company earned more; "
            "the year-ago quarter was better.")
    anchor = date(2012, 10, 25)
    assert find(text, "the third quarter", anchor).value == "2012-Q3"
    assert find(text, "A year ago", anchor).value == "2011-Q3"
    assert find(text, "the year-ago quarter", anchor).value == "2011-Q3"


def test_ages_are_skipped_but_month_old_truces_are_durations():
    assert tag("The 44-year-old medic survived.", WEDNESDAY) == []
    assert only("The 8-month-old truce broke down.").value == "P8M"


# ---------------------------------------------------------------------------
# Without an anchor


def test_without_anchor_month_day_is_underspecified():
    timex = only("The column reached the river on June 1.", None)
    assert timex.value == "XXXX-06-01"
    assert timex.date_start is None and timex.anchor is None


def test_without_anchor_weekday_is_underspecified():
    assert only("They crossed on Sunday.", None).value == "XXXX-WXX-7"


def test_without_anchor_absolute_dates_stay_absolute():
    timex = only("The accord of 12 March 2024 still holds.", None)
    assert (timex.value, timex.date_start) == ("2024-03-12", date(2024, 3, 12))
