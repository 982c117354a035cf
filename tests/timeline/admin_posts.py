"""POST bodies for the event admin's forms, written out as a browser would send them."""
from __future__ import annotations

from timeline.models import Event

EVENT_CHANGELIST = "/admin/timeline/event/"
REVIEW_QUEUE = "/admin/timeline/event/review/"


def event_form(event: Event | None = None, evidence=(), claims=(), **fields) -> dict:
    """The event change (or add) form: the event's current values, `fields` overriding.

    `evidence` rows are new inline rows ({"article": id, "quote": "..."}), as are `claims`.
    Stored evidence and claims are not sent, so the admin leaves them untouched.
    """
    data: dict = {}
    if event is not None:
        data.update(
            title=event.title,
            summary=event.summary,
            date_start=event.date_start.isoformat(),
            date_end=event.date_end.isoformat() if event.date_end else "",
            precision=event.precision,
            event_type=event.event_type,
            mode=event.mode,
            actors=[str(pk) for pk in event.actors.values_list("pk", flat=True)],
            place=str(event.place_id or ""),
            status=event.status,
        )
        if event.verified:
            data["verified"] = "on"
        if event.needs_review:
            data["needs_review"] = "on"
    data.update(fields)
    for key in ("verified", "needs_review"):
        if data.get(key) is False:
            data.pop(key)
    data.update(_inline("evidence", evidence))
    data.update(_inline("claims", claims))
    return data


def _inline(prefix: str, rows) -> dict:
    data = {
        f"{prefix}-TOTAL_FORMS": str(len(rows)),
        f"{prefix}-INITIAL_FORMS": "0",
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }
    for i, row in enumerate(rows):
        data.update({f"{prefix}-{i}-{key}": str(value) for key, value in row.items()})
    return data


def action(name: str, events, **extra) -> dict:
    """A changelist action POST over `events`."""
    return {
        "action": name,
        "_selected_action": [str(e.pk) for e in events],
        "index": "0",
        **extra,
    }
