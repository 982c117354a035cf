"""Presentation helpers for the timeline: dates drawn with their precision, quotes in context."""
from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta

from django import template
from django.utils.dateformat import format as format_date
from django.utils.html import format_html
from django.utils.safestring import SafeString

register = template.Library()

# Longest context shown on each side of a quote when its paragraph is very long (article
# text without line breaks is one paragraph).
CONTEXT_CHARS = 360
# A strip of days drawn under a range: the range's months, unless that is too long to read.
MAX_STRIP_DAYS = 93


@dataclass(frozen=True, slots=True)
class RangeStrip:
    """A range drawn as a bar across its days, on a strip of the months it touches."""

    days: int  # strip length in days (the SVG width)
    offset: int  # first day of the range on the strip
    length: int  # days in the range


def range_strip(start: date, end: date) -> RangeStrip:
    strip_start = start.replace(day=1)
    strip_end = end.replace(day=calendar.monthrange(end.year, end.month)[1])
    if (strip_end - strip_start).days + 1 > MAX_STRIP_DAYS:
        strip_start, strip_end = start, end
    return RangeStrip(
        days=(strip_end - strip_start).days + 1,
        offset=(start - strip_start).days,
        length=(end - start).days + 1,
    )


@register.inclusion_tag("timeline/_when.html")
def event_when(event) -> dict:
    """The event's date as its precision allows: a day, a range with its bar, or "about"."""
    start: date = event.date_start
    end: date | None = event.date_end
    precision = event.precision
    context: dict = {"precision": precision, "start": start, "end": end, "strip": None}
    if precision == "range" and end and end != start:
        same_year = start.year == end.year
        same_month = same_year and start.month == end.month
        context["start_text"] = format_date(
            start, "j" if same_month else "j F" if same_year else "j F Y"
        )
        context["end_text"] = format_date(end, "j F Y")
        context["days"] = (end - start).days + 1
        context["strip"] = range_strip(start, end)
    elif precision == "month":
        context["text"] = format_date(start, "F Y")
        context["datetime"] = format_date(start, "Y-m")
    elif precision == "year":
        context["text"] = format_date(start, "Y")
        context["datetime"] = format_date(start, "Y")
    else:
        context["precision"] = "day"
        context["text"] = format_date(start, "j F Y")
        context["datetime"] = start.isoformat()
    return context


def quote_span(text: str, start: int, end: int, quote: str) -> tuple[int, int] | None:
    """Where the quote is in the article text: its stored offsets, or found by its words."""
    if 0 <= start < end <= len(text) and " ".join(text[start:end].split()) == " ".join(
        quote.split()
    ):
        return start, end
    found = text.find(quote) if quote else -1
    return (found, found + len(quote)) if found >= 0 else None


def paragraph_around(text: str, start: int, end: int) -> tuple[str, str, str]:
    """The text before the quote in its paragraph, the quote, and the text after it."""
    para_start = text.rfind("\n", 0, start) + 1
    para_end = text.find("\n", end)
    para_end = len(text) if para_end < 0 else para_end
    before, after = text[para_start:start], text[end:para_end]
    if len(before) > CONTEXT_CHARS:
        cut = before.find(" ", len(before) - CONTEXT_CHARS)
        before = "…" + before[cut + 1 if cut >= 0 else len(before) - CONTEXT_CHARS:]
    if len(after) > CONTEXT_CHARS:
        cut = after.rfind(" ", 0, CONTEXT_CHARS)
        after = after[: cut if cut > 0 else CONTEXT_CHARS] + "…"
    return before.lstrip(), text[start:end], after.rstrip()


@register.simple_tag
def quote_in_paragraph(evidence) -> SafeString:
    """The evidence's paragraph of the article text with the quote in <mark>, all escaped."""
    text = evidence.article.text or ""
    span = quote_span(text, evidence.char_start, evidence.char_end, evidence.quote)
    if span is None:
        return format_html("<mark>{}</mark>", evidence.quote)
    before, quote, after = paragraph_around(text, *span)
    return format_html("{}<mark>{}</mark>{}", before, quote, after)


@register.filter
def http_url(value: str | None) -> str:
    """The URL if it is http(s), else empty: article URLs come from outside."""
    value = (value or "").strip()
    return value if value.lower().startswith(("http://", "https://")) else ""


@register.filter
def coordinates(place) -> str:
    """50.450° N, 30.523° E"""
    if place is None or not place.located:
        return ""
    lat, lon = place.latitude, place.longitude
    return (
        f"{abs(lat):.3f}° {'N' if lat >= 0 else 'S'}, "
        f"{abs(lon):.3f}° {'E' if lon >= 0 else 'W'}"
    )


@register.filter
def type_family(event_type: str) -> str:
    """A colour family for the type badge: cooperation, words, or force."""
    if event_type in {"AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT"}:
        return "cooperation"
    if event_type in {"REQUEST", "ACCUSE", "REJECT", "THREATEN", "PROTEST"}:
        return "words"
    return "force"


@register.filter
def add_days(day: date, days: int) -> date:
    return day + timedelta(days=days)
