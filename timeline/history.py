"""A short, readable history of an event from django-simple-history's records."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from timeline.models import Event

# What a reader calls each stored field; fields absent here are bookkeeping and not told.
FIELD_WORDS = {
    "date_start": "date",
    "date_end": "date",
    "precision": "date",
    "title": "title",
    "summary": "summary",
    "event_type": "type",
    "mode": "type",
    "place": "place",
    "status": "status",
    "verified": "verification",
}
STATUS_WORDS = {"published": "published", "rejected": "rejected", "draft": "returned to draft"}
MAX_LINES = 12


@dataclass(frozen=True, slots=True)
class HistoryLine:
    when: datetime
    text: str


def _who(record) -> str:
    return "an editor" if record.history_user_id else "the extractor"


def _describe_change(record, previous) -> str | None:
    delta = record.diff_against(previous, included_fields=list(FIELD_WORDS))
    words: list[str] = []
    for change in delta.changes:
        word = FIELD_WORDS[change.field]
        if word not in words:
            words.append(word)
    if not words:
        return None
    parts = []
    for word in words:
        if word == "status":
            parts.append(STATUS_WORDS.get(record.status, f"status set to {record.status}"))
        elif word == "verification":
            parts.append("marked verified" if record.verified else "marked unverified")
        else:
            parts.append(f"{word} corrected")
    text = ", ".join(parts)
    return f"{text[0].upper()}{text[1:]} by {_who(record)}"


def history_lines(event: Event) -> list[HistoryLine]:
    """"Extracted on ... by extractor version ...; date corrected by an editor on ..."."""
    records = list(event.history.order_by("history_date", "history_id"))
    lines: list[HistoryLine] = []
    previous = None
    for record in records:
        if previous is None:
            if record.origin == Event.Origin.EDITOR or record.history_user_id:
                text = "Entered by an editor"
            elif record.extractor_version:
                text = f"Extracted by extractor version {record.extractor_version}"
            else:
                text = "Extracted"
            lines.append(HistoryLine(record.history_date, text))
        elif record.history_type == "~":
            text = _describe_change(record, previous)
            if text:
                lines.append(HistoryLine(record.history_date, text))
        previous = record
    # The creation line and the latest changes.
    return lines[:1] + lines[1:][-(MAX_LINES - 1):] if len(lines) > MAX_LINES else lines
