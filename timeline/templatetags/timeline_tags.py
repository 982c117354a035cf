"""Presentation helpers for the timeline: dates drawn with their precision, quotes in context.

The page's repeated parts (rows, headings, histogram bars, map dots, checkboxes) are built
here in Python with plain string joins: one cold page has some 50 rows, 30 headings, 100
bars and 150 dots, and per value Django's template engine or format_html cost several
times what the joins do. Every untrusted value still goes through `esc`, which escapes
exactly as conditional_escape does.
"""
from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date
from html import escape as _html_escape

from django import template
from django.utils.dates import MONTHS, WEEKDAYS
from django.utils.html import format_html
from django.utils.safestring import SafeData, SafeString, mark_safe
from django.utils.translation import get_language

from timeline.models import Event, EventType

register = template.Library()

# Longest context shown on each side of a quote when its paragraph is very long (article
# text without line breaks is one paragraph).
CONTEXT_CHARS = 360
# A strip of days drawn under a range: the range's months, unless that is too long to read.
MAX_STRIP_DAYS = 93


def esc(value: object) -> str:
    """conditional_escape's text without its lazy-string wrapper (a page calls it thousands
    of times): safe strings as they are, anything else html.escape'd, quotes included."""
    if hasattr(value, "__html__"):
        return value.__html__()
    return _html_escape(str(value))


# Month and weekday names of each language, read once: Django's date filter and dateformat
# look them up through lazy translations on every call.
_NAMES: dict[str | None, tuple[tuple[str, ...], tuple[str, ...]]] = {}


def _names() -> tuple[tuple[str, ...], tuple[str, ...]]:
    language = get_language()
    names = _NAMES.get(language)
    if names is None:
        names = _NAMES[language] = (
            ("", *(str(MONTHS[m]) for m in range(1, 13))),
            tuple(str(WEEKDAYS[d]) for d in range(7)),
        )
    return names


# The labels take the names from a caller that draws many dates (looking the language up
# costs more than the label).
def day_label(day: date, names: tuple | None = None) -> str:
    """'3 March 2019': the date format "j F Y"."""
    return f"{day.day} {(names or _names())[0][day.month]} {day.year:04d}"


def month_label(day: date, names: tuple | None = None) -> str:
    """'March 2019': "F Y"."""
    return f"{(names or _names())[0][day.month]} {day.year:04d}"


def weekday_label(day: date, names: tuple | None = None) -> str:
    """'Sunday 3 March 2019': "l j F Y"."""
    names = names or _names()
    return f"{names[1][day.weekday()]} {day.day} {names[0][day.month]} {day.year:04d}"


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


def when_html(start: date, end: date | None, precision: str, names: tuple | None = None) -> str:
    """The HTML of a date as its precision allows (escaped; see event_when)."""
    names = names or _names()
    if precision == "range" and end and end != start:
        if start.year != end.year:
            first = day_label(start, names)
        elif start.month != end.month:
            first = f"{start.day} {names[0][start.month]}"
        else:
            first = str(start.day)
        strip = range_strip(start, end)
        return (
            f'<span class="when when-range"><time datetime="{start.isoformat()}">{esc(first)}'
            f'</time>–<time datetime="{end.isoformat()}">{esc(day_label(end, names))}</time> '
            f'<span class="when-note">({(end - start).days + 1} days)</span><svg '
            f'class="range-strip" viewBox="0 0 {strip.days} 1" preserveAspectRatio="none" '
            f'aria-hidden="true" focusable="false"><rect class="range-track" '
            f'width="{strip.days}" height="1"/><rect class="range-span" x="{strip.offset}" '
            f'width="{strip.length}" height="1"/></svg></span>'
        )
    if precision == "month":
        return (
            f'<span class="when when-about">about <time datetime="{start.year:04d}-'
            f'{start.month:02d}">{esc(month_label(start, names))}</time></span>'
        )
    if precision == "year":
        return (
            f'<span class="when when-about">about <time datetime="{start.year:04d}">'
            f"{start.year:04d}</time></span>"
        )
    return (
        f'<span class="when"><time datetime="{start.isoformat()}">{esc(day_label(start, names))}'
        "</time></span>"
    )


@register.simple_tag
def event_when(event) -> SafeString:
    """The event's date as its precision allows: a day, a range with its bar, or "about"."""
    return mark_safe(when_html(event.date_start, event.date_end, event.precision))


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
VERIFIED_HTML = {
    True: '<span class="verified">verified</span>',
    False: '<span class="unverified">unverified</span>',
}


def row_html(event, names: tuple | None = None) -> str:
    """One event of the timeline list as HTML, every value escaped: a views.Row (`place`
    is its label)."""
    place = event.place
    sources = event.source_count
    status = event.status
    actor_names = event.actor_names
    return ROW_HTML.format(
        pk=int(event.pk),
        family=type_family(event.event_type),
        type_label=esc(TYPE_LABELS.get(event.event_type, event.event_type)),
        when=when_html(event.date_start, event.date_end, event.precision, names),
        flag=f' <span class="flag flag-{esc(status)}">{esc(STATUS_LABELS.get(status, status))}'
        "</span>" if status != Event.Status.PUBLISHED else "",
        url=esc(event.page_url),
        title=esc(event.title),
        actors=f'<span><span class="label">Actors</span> {esc(actor_names)}</span> '
        if actor_names else "",
        place=f'<span><span class="label">Place</span> {esc(place)}</span> '
        if place is not None else "",
        sources=f"{int(sources)} source{'' if sources == 1 else 's'}",
        checked=VERIFIED_HTML[bool(event.verified)],
        origin="entered by an editor" if event.origin == Event.Origin.EDITOR else "extracted",
    )


@register.simple_tag
def event_rows(months) -> SafeString:
    """The list under its month and day headings (views.group_by_month_and_day), as one
    string: a template loop would spend more on its nodes than the rows cost to build."""
    parts: list[str] = []
    append = parts.append
    names = _names()
    for month in months:
        if month.heading:
            append(f'\n      <h2 class="month">{esc(month_label(month.month, names))}</h2>\n')
        for day in month.days:
            if day.heading:
                append(
                    f'\n        <h3 class="day"><time datetime="{day.day.isoformat()}">'
                    f"{esc(weekday_label(day.day, names))}</time></h3>\n"
                )
            for event in day.events:
                append(row_html(event, names))
    return mark_safe("".join(parts))


@register.simple_tag
def histogram_bars(histogram) -> SafeString:
    """The bars of the histogram, each a link to its dates (Python: up to 120 per page)."""
    height = histogram.height
    parts = []
    for bar in histogram.bars:
        if bar.count:
            href, label = esc(bar.href), esc(bar.label)
            parts.append(
                f'<a href="{href}" hx-get="{href}" hx-target="#timeline-app" '
                f'hx-swap="outerHTML" hx-push-url="true" aria-label="{label}"><title>{label}'
                f'</title><rect class="hit" x="{bar.x}" y="0" width="1" height="{height}"/>'
                f'<rect class="bar" x="{bar.x}" y="{bar.y}" width="0.8" height="{bar.height}"/>'
                "</a>"
            )
    return mark_safe("".join(parts))


@register.simple_tag
def map_dots(view) -> SafeString:
    """The places of the map, each a link to its events."""
    parts = []
    for dot in view.dots:
        href = esc(dot.href)
        label = esc(f"{dot.label}: {dot.events} event{'' if dot.events == 1 else 's'}")
        parts.append(
            f'<a href="{href}" hx-get="{href}" hx-target="#timeline-app" hx-swap="outerHTML" '
            f'hx-push-url="true" aria-label="{label}"><title>{label}</title>'
            f'<circle cx="{dot.x}" cy="{dot.y}" r="{dot.r}"/></a>'
        )
    return mark_safe("".join(parts))


@register.simple_tag
def checkboxes(bound_field) -> SafeString:
    """A multiple-choice field as labelled checkboxes, without a widget template per box."""
    selected = {str(v) for v in (bound_field.value() or [])}
    name, base_id = esc(bound_field.html_name), esc(bound_field.auto_id)
    return mark_safe("".join(
        f'<label class="check" for="{base_id}_{i}"><input type="checkbox" name="{name}" '
        f'value="{esc(value)}" id="{base_id}_{i}"{" checked" if str(value) in selected else ""}'
        f"> {esc(label)}</label>"
        for i, (value, label) in enumerate(bound_field.field.choices)
    ))


# The widget templates that are Django's plain <input> (input.html and attrs.html).
INPUT_TEMPLATES = frozenset(
    f"django/forms/widgets/{name}.html" for name in ("input", "text", "date", "number")
)


def _format_s(value) -> str:
    """A value as `{{ value|stringformat:'s' }}` prints it."""
    if isinstance(value, SafeData):
        return str(value)
    return esc("%s" % (str(value) if isinstance(value, tuple) else value))


def input_html(widget: dict) -> str:
    """Django's input.html for a widget's context, in Python."""
    parts = [f'<input type="{esc(widget["type"])}" name="{esc(widget["name"])}"']
    if widget["value"] is not None:
        parts.append(f' value="{_format_s(widget["value"])}"')
    for name, value in widget["attrs"].items():
        if value is True:
            parts.append(f" {esc(name)}")
        elif value is not False:
            parts.append(f' {esc(name)}="{_format_s(value)}"')
    parts.append(">")
    return "".join(parts)


class InputsInPython:
    """A form renderer that draws plain <input> widgets in Python and leaves everything
    else to `renderer`: the filter form has 8 inputs, each a template render otherwise."""

    def __init__(self, renderer) -> None:
        self.renderer = renderer

    def __getattr__(self, name: str):
        return getattr(self.renderer, name)

    def render(self, template_name: str, context: dict, request=None) -> str:
        if template_name in INPUT_TEMPLATES:
            return input_html(context["widget"])
        return self.renderer.render(template_name, context, request=request)


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
