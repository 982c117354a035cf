"""The events-per-day histogram above the timeline: bars in SVG units for the day counts
that timeline.maps.day_and_place_counts reads with the map's places."""
from __future__ import annotations

import calendar
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta

from timeline.templatetags.timeline_tags import day_label, month_label

# Bin by day up to about three months, by week up to two years, by month beyond.
DAY_BINS_UP_TO = 92
WEEK_BINS_UP_TO = 731
# A filter such as date_from=1900-01-01 must not draw a century of empty months.
MAX_SPAN_DAYS = 25 * 366
BAR_HEIGHT = 40.0


@dataclass(frozen=True, slots=True)
class Bar:
    start: date
    end: date
    count: int
    x: float
    y: float
    height: float
    label: str
    href: str


@dataclass(frozen=True, slots=True)
class Histogram:
    bars: tuple[Bar, ...]
    unit: str  # "day" | "week" | "month"
    first: date
    last: date
    total: int
    busiest: int
    width: int  # the SVG viewBox width: one unit per bar
    height: float = BAR_HEIGHT


def _month_start(day: date) -> date:
    return day.replace(day=1)


def _month_end(day: date) -> date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def _bins(first: date, last: date, unit: str) -> list[tuple[date, date]]:
    bins = []
    if unit == "day":
        day = first
        while day <= last:
            bins.append((day, day))
            day += timedelta(days=1)
    elif unit == "week":
        start = first - timedelta(days=first.weekday())  # Monday
        while start <= last:
            bins.append((start, start + timedelta(days=6)))
            start += timedelta(days=7)
    else:
        start = _month_start(first)
        while start <= last:
            end = _month_end(start)
            bins.append((start, end))
            start = end + timedelta(days=1)
    return bins


def _label(start: date, end: date, unit: str, count: int) -> str:
    events = f"{count} event{'s' if count != 1 else ''}"
    if unit == "day":
        return f"{day_label(start)}: {events}"
    if unit == "week":
        return f"Week of {day_label(start)}: {events}"
    return f"{month_label(start)}: {events}"


def build_histogram(
    counts: Mapping[date, int],
    href_for: Callable[[date, date], str],
    date_from: date | None = None,
    date_to: date | None = None,
) -> Histogram | None:
    """Bars over the filter's date range (or the span of the events); None if no events.

    `href_for(start, end)` gives the link that filters the timeline to one bar.
    """
    if not counts:
        return None
    first = date_from or min(counts)
    last = date_to or max(counts)
    if last < first or (last - first).days > MAX_SPAN_DAYS:
        first, last = min(counts), max(counts)
    span = (last - first).days + 1
    unit = "day" if span <= DAY_BINS_UP_TO else "week" if span <= WEEK_BINS_UP_TO else "month"
    bins = _bins(first, last, unit)
    totals = [0] * len(bins)
    index = 0
    for day in sorted(counts):
        # Events that start before the range (ranges overlapping it) go in the first bar.
        if day > bins[-1][1]:
            break
        while index < len(bins) - 1 and day > bins[index][1]:
            index += 1
        totals[index] += counts[day]
    busiest = max(totals) or 1
    bars = []
    for i, ((start, end), count) in enumerate(zip(bins, totals, strict=True)):
        height = 0.0 if count == 0 else max(1.0, BAR_HEIGHT * count / busiest)
        bars.append(
            Bar(
                start=start,
                end=end,
                count=count,
                x=float(i),
                y=round(BAR_HEIGHT - height, 2),
                height=round(height, 2),
                label=_label(start, end, unit, count),
                href=href_for(start, end),
            )
        )
    return Histogram(
        bars=tuple(bars),
        unit=unit,
        first=bins[0][0],
        last=bins[-1][1],
        total=sum(totals),
        busiest=max(totals),
        width=len(bins),
    )
