"""The date tagger on lengths, recurrences, periods and TimeML span conventions.

Plain pytest functions, no Django; every sentence is written for these tests.
``timeml`` runs the TempEval output path (``tag_documents``), which follows the
TimeBank annotation where it differs from what the timeline needs.
"""
from __future__ import annotations

from datetime import date

from ingest.extraction.dates import tag
from ingest.extraction.tempeval import tag_documents
from ingest.extraction.types import Timex

WEDNESDAY = date(2025, 6, 4)


def only(text: str, anchor: date = WEDNESDAY) -> Timex:
    """The single expression the sentence should contain."""
    timexes = tag(text, anchor)
    assert len(timexes) == 1, [(t.text, t.value) for t in timexes]
    return timexes[0]


def find(text: str, phrase: str, anchor: date = WEDNESDAY) -> Timex:
    """The expression whose text is ``phrase``."""
    for timex in tag(text, anchor):
        if timex.text == phrase:
            return timex
    raise AssertionError(f"{phrase!r} not in {[t.text for t in tag(text, anchor)]}")


def found(text: str, anchor: date = WEDNESDAY) -> list[tuple[str, str, str]]:
    return [(t.text, t.type, t.value) for t in tag(text, anchor)]


def timeml(text: str, anchor: date = WEDNESDAY) -> list[tuple[str, str, str]]:
    record = {"doc": "d", "dct": anchor.isoformat(), "text": text}
    return [(p["text"], p["type"], p["value"]) for p in tag_documents([record])]


# ---------------------------------------------------------------------------
# Durations are never dates


def test_more_than_three_years_is_a_duration():
    timex = only("The region has been occupied for more than three years.")
    assert (timex.text, timex.type, timex.value) == ("more than three years",
                                                     "DURATION", "P3Y")
    assert timex.date_start is None and timex.precision is None


def test_a_twelve_day_war_is_a_duration_not_a_date():
    timex = only("The ceasefire ended a 12-day war between the two states.")
    assert (timex.text, timex.type, timex.value) == ("12-day", "DURATION", "P12D")
    assert timex.date_start is None


def test_hours_and_minutes_add_up():
    timex = only("The bombardment lasted an hour and 15 minutes.")
    assert (timex.value, timex.type) == ("PT1H15M", "DURATION")


def test_two_weeks_and_plain_years():
    assert only("Negotiators need two weeks to finish.").value == "P2W"
    assert only("The valley has been contested for years.").value == "PXY"


def test_the_past_three_years_is_a_duration_but_three_years_ago_a_date():
    text = ("Over the past three years the front barely moved; it opened three years"
            " ago.")
    assert find(text, "the past three years").type == "DURATION"
    assert find(text, "the past three years").value == "P3Y"
    assert find(text, "three years ago").type == "DATE"


def test_a_decade_is_ten_years():
    assert only("Rebuilding will take a decade.").value == "P10Y"


def test_ages_are_not_durations():
    assert tag("A 44-year-old medic was wounded.", WEDNESDAY) == []


# ---------------------------------------------------------------------------
# Times and sets


def test_this_morning_is_the_anchor_morning():
    timex = only("Explosions were heard this morning near the station.")
    assert (timex.type, timex.value) == ("TIME", "2025-06-04TMO")


def test_clock_time_is_on_the_anchor_day():
    timex = only("The convoy left at 3 p.m. under escort.")
    assert (timex.text, timex.type, timex.value) == ("3 p.m.", "TIME",
                                                     "2025-06-04T15:00")


def test_sets_are_not_dates():
    text = ("Observers report every week, patrols go out daily and budgets are set"
            " annually.")
    by_text = {t.text: (t.type, t.value) for t in tag(text, WEDNESDAY)}
    assert by_text == {"every week": ("SET", "P1W"), "daily": ("SET", "P1D"),
                     "annually": ("SET", "P1Y")}


# ---------------------------------------------------------------------------
# The edge of a named period, fiscal years, halves


def test_the_end_of_next_week_is_that_week():
    assert found("The envoy is due back by the end of next week.") == [
        ("the end of next week", "DATE", "2025-W24")]


def test_the_beginning_of_last_year_is_that_year():
    assert found("Prices began to climb at the beginning of last year.") == [
        ("the beginning of last year", "DATE", "2024")]


def test_fiscal_year_named_from_the_anchor():
    assert found("The agency overspent in the last fiscal year.") == [
        ("the last fiscal year", "DATE", "2024")]
    assert found("Its current fiscal year looks better.") == [
        ("current fiscal year", "DATE", "2025")]


def test_the_first_half_of_the_year_is_one_expression():
    assert found("Exports fell in the first half of the year.") == [
        ("the first half of the year", "DATE", "2025-H1")]


# ---------------------------------------------------------------------------
# Vague and ranged lengths


def test_two_units_joined_by_or_are_one_vague_duration():
    assert found("The rebuilding could take weeks or months.") == [
        ("weeks or months", "DURATION", "PXW")]


def test_a_plural_unit_long_leaves_the_article_out():
    assert found("It ended a decades-long feud over the river.") == [
        ("decades-long", "DURATION", "PXY")]


def test_a_count_and_a_half_is_one_amount_in_timeml_output():
    assert timeml("The blockade has lasted two and a half years.") == [
        ("two and a half years", "DURATION", "P2Y6M")]


def test_a_range_after_the_next_is_one_period():
    assert timeml("Over the next 10 to 14 days the river will rise.") == [
        ("the next 10 to 14 days", "DURATION", "PXD")]
    # without the determiner TimeBank splits the range
    assert timeml("The river will rise for 10 to 14 days.") == [
        ("10", "DURATION", "P10D"), ("14 days", "DURATION", "P14D")]


def test_timeml_leaves_about_out_of_a_duration():
    assert timeml("The crossing took about six hours.") == [
        ("six hours", "DURATION", "PT6H")]
    assert found("The crossing took about six hours.") == [
        ("about six hours", "DURATION", "PT6H")]


# ---------------------------------------------------------------------------
# Words that look like lengths or recurrences but are not


def test_three_quarters_of_something_is_a_share():
    assert found("Nearly three-quarters of the voters stayed home.") == []
    assert found("Three quarters of the wells ran dry.") == []
    assert found("The firm has lost money for three quarters in a row.") == [
        ("three quarters", "DURATION", "P9M")]


def test_a_quarterly_figure_is_not_a_recurrence():
    assert found("The bank cut its quarterly dividend again.") == []
    assert found("Average daily volume was thin.") == []
    assert found("Inspectors report daily to the council.") == [
        ("daily", "SET", "P1D")]
    assert found("Average hourly earnings rose.") == [("hourly", "SET", "PT1H")]


def test_bare_units_before_an_event_are_a_vague_duration():
    assert found("Looters struck in the days before the storm.") == [
        ("days", "DURATION", "PXD")]
    assert found("Minutes after the blast, sirens sounded.") == [
        ("Minutes", "DURATION", "PTXM")]


def test_the_past_year_and_a_half_is_one_duration():
    assert found("Rents doubled over the past year and a half.") == [
        ("the past year and a half", "DURATION", "P1Y6M")]


def test_for_the_week_is_the_week_reported_on():
    assert found("Shares closed higher on Friday. For the week, they gained 2%.") == [
        ("Friday", "DATE", "2025-05-30"), ("the week", "DATE", "2025-W22")]
    assert found("Sales rose in the week of the launch.") == []


def test_the_last_half_of_a_year_is_its_second_half():
    assert found("Output recovered in the last half of 2019.") == [
        ("the last half of 2019", "DATE", "2019-H2")]


def test_a_fiscal_hyphenated_quarter_leaves_the_article_out():
    assert found("The fiscal third-quarter loss narrowed.")[0][:2] == (
        "fiscal third-quarter", "DATE")


def test_an_hour_in_the_morning_or_at_night_is_a_clock_time():
    assert found("The shelling began at 4 in the morning and stopped at 10 at night.") == [
        ("4 in the morning", "TIME", "2025-06-04T04:00"),
        ("10 at night", "TIME", "2025-06-04T22:00")]


def test_timeml_tags_each_day_of_a_list_apart():
    assert timeml("Talks were held on May 12 and 13.") == [
        ("May 12", "DATE", "2025-05-12"), ("13", "DATE", "2025-05-13")]
    # the timeline keeps the list as one range
    (timex,) = tag("Talks were held on May 12 and 13.", WEDNESDAY)
    assert (timex.date_start, timex.date_end) == (date(2025, 5, 12), date(2025, 5, 13))


def test_a_kind_of_day_between_the_count_and_the_unit():
    assert found("The refund arrives within five business days.") == [
        ("five business days", "DURATION", "P5D")]
    assert found("The strike may last two more weeks.") == [
        ("two more weeks", "DURATION", "P2W")]


def test_the_next_couple_of_years():
    assert found("Rates will stay low for the next couple of years.") == [
        ("the next couple of years", "DURATION", "P2Y")]
