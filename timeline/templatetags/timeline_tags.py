"""Presentation helpers for the timeline: dates drawn with their precision, quotes in context."""
from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date

from django import template
from django.utils.dateformat import format as format_date
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

from timeline.models import Event, EventType

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


@register.simple_tag
def event_when(event) -> SafeString:
    """The event's date as its precision allows: a day, a range with its bar, or "about".

    Built in Python rather than a template: it runs once per row of a 50-row page.
    """
    start: date = event.date_start
    end: date | None = event.date_end
    precision = event.precision
    if precision == "range" and end and end != start:
        same_year = start.year == end.year
        same_month = same_year and start.month == end.month
        strip = range_strip(start, end)
        return format_html(
            '<span class="when when-range"><time datetime="{}">{}</time>–<time datetime="{}">'
            '{}</time> <span class="when-note">({} days)</span><svg class="range-strip" '
            'viewBox="0 0 {} 1" preserveAspectRatio="none" aria-hidden="true" focusable="false">'
            '<rect class="range-track" width="{}" height="1"/><rect class="range-span" x="{}" '
            'width="{}" height="1"/></svg></span>',
            start.isoformat(),
            format_date(start, "j" if same_month else "j F" if same_year else "j F Y"),
            end.isoformat(),
            format_date(end, "j F Y"),
            (end - start).days + 1,
            strip.days, strip.days, strip.offset, strip.length,
        )
    if precision in ("month", "year"):
        shown, machine = ("F Y", "Y-m") if precision == "month" else ("Y", "Y")
        return format_html(
            '<span class="when when-about">about <time datetime="{}">{}</time></span>',
            format_date(start, machine), format_date(start, shown),
        )
    return format_html(
        '<span class="when"><time datetime="{}">{}</time></span>',
        start.isoformat(), format_date(start, "j F Y"),
    )


TYPE_LABELS = dict(EventType.choices)
STATUS_LABELS = dict(Event.Status.choices)
ROW_HTML = (
    '<article class="event" id="event-{pk}" aria-labelledby="event-{pk}-title">'
    '<p class="event-meta"><span class="badge badge-{family}">{type_label}</span> {when}{flag}'
    "</p>"
    '<h4 id="event-{pk}-title" class="event-title"><a href="{url}">{title}</a></h4>'
    '<p class="event-facts">{actors}{place}<span>{sources}</span> {checked} <span>{origin}</span>'
    "</p>"
    '<details class="sources" hx-get="{url}sources/" hx-trigger="toggle once" '
    'hx-target="find .sources-body" hx-swap="innerHTML">'
    "<summary>Sources, quotes and why this date</summary>"
    '<div class="sources-body"><p><a href="{url}#sources">Read the sources on the event’s '
    "page</a>.</p></div></details></article>\n"
)


@register.simple_tag
def event_row(event) -> SafeString:
    """One event of the timeline list, every value escaped by format_html.

    In Python rather than a template: a page shows 50 rows, and Django's template engine
    spends about ten times longer per row than one format_html call.
    Expects what views._prepare_rows adds: `page_url` and `actor_names`.
    """
    place = event.place
    sources = event.source_count
    return format_html(
        ROW_HTML,
        pk=event.pk,
        family=type_family(event.event_type),
        type_label=TYPE_LABELS.get(event.event_type, event.event_type),
        when=event_when(event),
        flag=format_html(' <span class="flag flag-{}">{}</span>', event.status,
                         STATUS_LABELS.get(event.status, event.status))
        if event.status != Event.Status.PUBLISHED else "",
        url=event.page_url,
        title=event.title,
        actors=format_html('<span><span class="label">Actors</span> {}</span> ',
                           event.actor_names) if event.actor_names else "",
        place=format_html('<span><span class="label">Place</span> {}</span> ', str(place))
        if place is not None else "",
        sources=f"{sources} source{'' if sources == 1 else 's'}",
        checked=mark_safe('<span class="verified">verified</span>') if event.verified
        else mark_safe('<span class="unverified">unverified</span>'),
        origin="entered by an editor" if event.origin == Event.Origin.EDITOR else "extracted",
    )


@register.simple_tag
def histogram_bars(histogram) -> SafeString:
    """The bars of the histogram, each a link to its dates (Python: up to 120 per page)."""
    return format_html_join(
        "",
        '<a href="{0}" hx-get="{0}" hx-target="#timeline-app" hx-swap="outerHTML" '
        'hx-push-url="true" aria-label="{1}"><title>{1}</title><rect class="hit" x="{2}" '
        'y="0" width="1" height="{3}"/><rect class="bar" x="{2}" y="{4}" width="0.8" '
        'height="{5}"/></a>',
        (
            (bar.href, bar.label, bar.x, histogram.height, bar.y, bar.height)
            for bar in histogram.bars
            if bar.count
        ),
    )


@register.simple_tag
def map_dots(view) -> SafeString:
    """The places of the map, each a link to its events."""
    return format_html_join(
        "",
        '<a href="{0}" hx-get="{0}" hx-target="#timeline-app" hx-swap="outerHTML" '
        'hx-push-url="true" aria-label="{1}"><title>{1}</title>'
        '<circle cx="{2}" cy="{3}" r="{4}"/></a>',
        (
            (dot.href, f"{dot.label}: {dot.events} event{'' if dot.events == 1 else 's'}",
             dot.x, dot.y, dot.r)
            for dot in view.dots
        ),
    )


@register.simple_tag
def checkboxes(bound_field) -> SafeString:
    """A multiple-choice field as labelled checkboxes, without a widget template per box."""
    selected = {str(v) for v in (bound_field.value() or [])}
    name, base_id = bound_field.html_name, bound_field.auto_id
    return format_html_join(
        "",
        '<label class="check" for="{0}_{1}"><input type="checkbox" name="{2}" value="{3}" '
        'id="{0}_{1}"{4}> {5}</label>',
        (
            (base_id, i, name, value, mark_safe(" checked") if str(value) in selected else "",
             label)
            for i, (value, label) in enumerate(bound_field.field.choices)
        ),
    )


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
