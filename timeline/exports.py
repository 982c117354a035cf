"""Exports of events as CSV, GeoJSON, TimelineJS JSON and iCalendar.

Each exporter is a pure generator: events in (with their place, and `actor_list` and
`evidence_list` rows as timeline.api.reading attaches them), text chunks out, one or a few
events at a time, so a view can stream a whole filtered timeline without holding it in
memory.
"""
from __future__ import annotations

import csv
import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from django.utils.html import escape

from timeline.models import Event, Precision

# Cells a spreadsheet would run as a formula (CSV injection); article text is untrusted.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
CSV_COLUMNS = [
    "id", "date_start", "date_end", "precision", "event_type", "mode", "title", "summary",
    "actors", "place", "country", "latitude", "longitude", "source_count", "source_urls",
    "status", "verified", "confidence", "updated_at", "url",
]


@dataclass(frozen=True, slots=True)
class Exporter:
    format: str  # the `?format=` value
    media_type: str
    extension: str
    write: Callable[[Iterable[Event], str], Iterator[str]]


def permalink(event: Event, base_url: str) -> str:
    return base_url.rstrip("/") + event.get_absolute_url()


def _sources(event: Event) -> list[dict]:
    """One entry per evidence row: where it was said and the exact words."""
    return [
        {
            "outlet": evidence["outlet"] or "",
            "title": evidence["article_title"],
            "url": evidence["article_url"] or "",
            "published_on": evidence["published_on"],
            "quote": evidence["quote"],
        }
        for evidence in event.evidence_list
    ]


def _actor_names(event: Event) -> list[str]:
    return [actor["name"] for actor in event.actor_list]


# CSV --------------------------------------------------------------------------------------


class _Line:
    """A file-like object whose write() hands the line back (csv.writer needs a file)."""

    def write(self, value: str) -> str:
        return value


def _safe_cell(value: str) -> str:
    return "'" + value if value.startswith(FORMULA_PREFIXES) else value


def write_csv(events: Iterable[Event], base_url: str) -> Iterator[str]:
    writer = csv.writer(_Line())
    yield writer.writerow(CSV_COLUMNS)
    for event in events:
        place = event.place
        urls = list(dict.fromkeys(s["url"] for s in _sources(event) if s["url"]))
        text = [
            event.mode, event.title, event.summary, "; ".join(_actor_names(event)),
            place.name if place else "", place.country if place else "", " ".join(urls),
        ]
        mode, title, summary, actors, place_name, country, source_urls = map(_safe_cell, text)
        yield writer.writerow(
            [
                event.pk, event.date_start.isoformat(),
                event.date_end.isoformat() if event.date_end else "", event.precision,
                event.event_type, mode, title, summary, actors, place_name, country,
                "" if place is None or place.latitude is None else place.latitude,
                "" if place is None or place.longitude is None else place.longitude,
                event.source_count, source_urls, event.status, int(event.verified),
                event.confidence, event.updated_at.isoformat(), permalink(event, base_url),
            ]
        )


# GeoJSON ----------------------------------------------------------------------------------


def geojson_feature(event: Event, base_url: str) -> dict:
    """A GeoJSON Feature; geometry is null (RFC 7946 3.2) when the place has no coordinates."""
    place = event.place
    geometry = (
        {"type": "Point", "coordinates": [place.longitude, place.latitude]}
        if place is not None and place.located
        else None
    )
    return {
        "type": "Feature",
        "id": event.pk,
        "geometry": geometry,
        "properties": {
            "title": event.title,
            "summary": event.summary,
            "date_start": event.date_start.isoformat(),
            "date_end": event.date_end.isoformat() if event.date_end else None,
            "precision": event.precision,
            "event_type": event.event_type,
            "mode": event.mode,
            "actors": _actor_names(event),
            "place": place.name if place else None,
            "country": place.country if place else None,
            "source_count": event.source_count,
            "status": event.status,
            "verified": event.verified,
            "url": permalink(event, base_url),
            "sources": _sources(event),
        },
    }


def write_geojson(events: Iterable[Event], base_url: str) -> Iterator[str]:
    yield '{"type":"FeatureCollection","features":['
    separator = ""
    for event in events:
        yield separator + _json(geojson_feature(event, base_url))
        separator = ","
    yield "]}\n"


# TimelineJS -------------------------------------------------------------------------------


def _timelinejs_date(day: date, precision: str) -> dict:
    if precision == Precision.YEAR:
        return {"year": day.year}
    if precision == Precision.MONTH:
        return {"year": day.year, "month": day.month}
    return {"year": day.year, "month": day.month, "day": day.day}


def timelinejs_event(event: Event, base_url: str) -> dict:
    """A TimelineJS 3 slide; its text is HTML, so everything from articles is escaped."""
    sources = "".join(
        f'<li><q>{escape(s["quote"])}</q> — '
        + (
            f'<a href="{escape(s["url"])}">{escape(s["outlet"] or s["title"] or s["url"])}</a>'
            if s["url"].startswith(("http://", "https://"))
            else escape(s["outlet"] or s["title"])
        )
        + "</li>"
        for s in _sources(event)
    )
    text = f"<p>{escape(event.summary)}</p>" if event.summary else ""
    if sources:
        text += f"<ul>{sources}</ul>"
    text += f'<p><a href="{escape(permalink(event, base_url))}">Permalink</a></p>'
    slide = {
        "unique_id": f"event-{event.pk}",
        "start_date": _timelinejs_date(event.date_start, event.precision),
        "text": {"headline": escape(event.title), "text": text},
        "group": event.event_type,
    }
    if event.date_end and event.precision == Precision.RANGE:
        slide["end_date"] = _timelinejs_date(event.date_end, event.precision)
    return slide


def write_timelinejs(events: Iterable[Event], base_url: str) -> Iterator[str]:
    yield '{"title":{"text":{"headline":"Timeline","text":"Dated, sourced events."}},"events":['
    separator = ""
    for event in events:
        yield separator + _json(timelinejs_event(event, base_url))
        separator = ","
    yield "]}\n"


# iCalendar (RFC 5545) ---------------------------------------------------------------------


def ical_escape(text: str) -> str:
    return (
        text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
        .replace("\r\n", "\\n").replace("\n", "\\n").replace("\r", "\\n")
    )


def ical_fold(line: str) -> str:
    """The line split into 75-octet pieces (continuations start with a space), CRLF-ended."""
    encoded = line.encode("utf-8")
    if len(encoded) <= 75:
        return line + "\r\n"
    pieces, current, size, limit = [], [], 0, 75
    for char in line:
        width = len(char.encode("utf-8"))
        if size + width > limit:
            pieces.append("".join(current))
            current, size, limit = [], 0, 74  # the leading space takes one octet
        current.append(char)
        size += width
    pieces.append("".join(current))
    return "\r\n ".join(pieces) + "\r\n"


def _ical_date(day: date) -> str:
    # Not strftime: "%Y" does not pad years before 1000 on glibc.
    return f"{day.year:04d}{day.month:02d}{day.day:02d}"


def _ical_stamp(moment: datetime) -> str:
    moment = moment.astimezone(UTC)
    return f"{_ical_date(moment)}T{moment.hour:02d}{moment.minute:02d}{moment.second:02d}Z"


def ical_event(event: Event, base_url: str, host: str) -> str:
    """One VEVENT: an all-day event over the days it covers (DTEND is exclusive)."""
    last_day = event.date_end or event.date_start
    end = last_day + timedelta(days=1) if last_day < date.max else last_day
    description = event.summary
    for source in _sources(event):
        cited = source["outlet"] or source["title"] or source["url"]
        description += f"\n\n“{source['quote']}” — {cited} {source['url']}".rstrip()
    lines = [
        "BEGIN:VEVENT",
        f"UID:event-{event.pk}@{host}",
        f"DTSTAMP:{_ical_stamp(event.updated_at)}",
        f"LAST-MODIFIED:{_ical_stamp(event.updated_at)}",
        f"DTSTART;VALUE=DATE:{_ical_date(event.date_start)}",
        f"DTEND;VALUE=DATE:{_ical_date(end)}",
        f"SUMMARY:{ical_escape(event.title)}",
        f"CATEGORIES:{ical_escape(event.event_type)}",
        f"URL:{permalink(event, base_url)}",
    ]
    if description.strip():
        lines.append(f"DESCRIPTION:{ical_escape(description.strip())}")
    if event.place is not None:
        lines.append(f"LOCATION:{ical_escape(str(event.place))}")
        if event.place.located:
            lines.append(f"GEO:{event.place.latitude:.6f};{event.place.longitude:.6f}")
    if event.status == Event.Status.DRAFT:
        lines.append("STATUS:TENTATIVE")
    elif event.status == Event.Status.REJECTED:
        lines.append("STATUS:CANCELLED")
    lines.append("END:VEVENT")
    return "".join(ical_fold(line) for line in lines)


def write_ical(events: Iterable[Event], base_url: str) -> Iterator[str]:
    host = base_url.split("://", 1)[-1].split("/", 1)[0] or "timeline"
    yield "".join(
        ical_fold(line)
        for line in [
            "BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//conflict-timeline//events//EN",
            "CALSCALE:GREGORIAN", "X-WR-CALNAME:Timeline",
        ]
    )
    for event in events:
        yield ical_event(event, base_url, host)
    yield ical_fold("END:VCALENDAR")


# Registry ---------------------------------------------------------------------------------


def _json(value: dict) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


EXPORTERS: dict[str, Exporter] = {
    exporter.format: exporter
    for exporter in [
        Exporter("csv", "text/csv", "csv", write_csv),
        Exporter("geojson", "application/geo+json", "geojson", write_geojson),
        Exporter("timelinejs", "application/vnd.timelinejs+json", "json", write_timelinejs),
        Exporter("ics", "text/calendar", "ics", write_ical),
    ]
}
