"""The handler of each scanner alternative: one scanner match in, a Timex out.

One handler per alternative of ``date_patterns.ALTERNATIVES``.  A handler gets the
``Context`` of the document (text, anchor, the last date mentioned) and the match,
and returns a Timex, or None when the words are not a date after all ("May" the
verb, a "44-year-old" age, "1990" the flight number).  The rules live in
``date_calendar`` (days on the calendar), ``date_periods`` (periods named from a
reference: last week, this summer, that year), ``date_years`` (years, decades,
centuries, quarters) and ``date_amounts`` (durations, distances, sets, references).
"""
from __future__ import annotations

import re
from typing import Callable

from .date_context import Context
from .date_amounts import (
    handle_ago,
    handle_duration,
    handle_reference,
    handle_set,
    handle_vague_unit,
)
from .date_calendar import (
    handle_clock,
    handle_day_month,
    handle_day_word,
    handle_holiday,
    handle_iso_date,
    handle_month,
    handle_month_day,
    handle_month_year,
    handle_weekday,
)
from .date_periods import (
    handle_period_ref,
    handle_ref_unit,
    handle_relative,
    handle_season,
)
from .date_years import (
    handle_century,
    handle_decade,
    handle_quarter,
    handle_spelled_year,
    handle_year,
)
from .types import Timex

HANDLERS: dict[str, Callable[[Context, re.Match[str]], Timex | None]] = {
    "period_ref": handle_period_ref,
    "iso_date": handle_iso_date,
    "month_day": handle_month_day,
    "day_month": handle_day_month,
    "month_year": handle_month_year,
    "clock": handle_clock,
    "ago": handle_ago,
    "set": handle_set,
    "duration": handle_duration,
    "quarter": handle_quarter,
    "decade": handle_decade,
    "spelled_year": handle_spelled_year,
    "century": handle_century,
    "ref_unit": handle_ref_unit,
    "relative": handle_relative,
    "day_word": handle_day_word,
    "weekday": handle_weekday,
    "year": handle_year,
    "month": handle_month,
    "season": handle_season,
    "holiday": handle_holiday,
    "reference": handle_reference,
    "vague_unit": handle_vague_unit,
}
