"""How the API reads a page of events: the events, then each relation in one query of plain
values, turned straight into the rows the API sends.

Model instances cost: a page of 50 events has ~100 actors and ~150 pieces of evidence, each
with its article and outlet, and building those ~550 objects (and Django's prefetch
querysets around them) was most of a request's CPU. The rows built here are exactly what
EventSerializer gives for the same events (tests/api/test_representation.py checks it).
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from itertools import islice

from django.db.models import QuerySet

from timeline.api.serializers import iso_day
from timeline.models import Event, Evidence

ACTOR_VALUES = ("event_id", "actor_id", "actor__name", "actor__kind", "actor__country",
                "actor__aliases")
EVIDENCE_VALUES = (
    "id", "event_id", "article_id", "article__title", "article__url", "article__outlet__name",
    "article__published_on", "quote", "char_start", "char_end", "date_text", "date_rule",
    "anchor_date", "speaker", "origin",
)
EVIDENCE_KEYS = (
    "id", "event", "article", "article_title", "article_url", "outlet", "published_on",
    "quote", "char_start", "char_end", "date_text", "date_rule", "anchor_date", "speaker",
    "origin",
)


def events_for_rows(queryset: QuerySet) -> QuerySet:
    """Events as the API reads them: with their place, without the search text."""
    return queryset.select_related("place").defer("search_text")


def load_events(ids: list[int]) -> list[Event]:
    """These events, in this order, with their relations attached (three queries)."""
    by_id = events_for_rows(Event.objects.all()).in_bulk(ids)
    events = [by_id[pk] for pk in ids]
    attach_relations(events)
    return events


def attach_relations(events: Iterable[Event]) -> None:
    """Set `actor_list` and `evidence_list` on each event: its actors (by name) and its
    evidence (by article, then place in it), as API rows."""
    events = list(events)
    ids = [event.pk for event in events]
    actors: dict[int, list[dict]] = defaultdict(list)
    through = Event.actors.through.objects.filter(event_id__in=ids)
    for event_id, actor_id, name, kind, country, aliases in through.order_by(
        "actor__name", "actor_id"
    ).values_list(*ACTOR_VALUES):
        actors[event_id].append(
            {"id": actor_id, "name": name, "kind": kind, "country": country,
             "aliases": list(aliases)}
        )
    evidence: dict[int, list[dict]] = defaultdict(list)
    rows = Evidence.objects.filter(event_id__in=ids).order_by("article_id", "char_start", "id")
    for values in rows.values_list(*EVIDENCE_VALUES):
        row = dict(zip(EVIDENCE_KEYS, values, strict=True))
        row["published_on"] = iso_day(row["published_on"])
        row["anchor_date"] = iso_day(row["anchor_date"])
        evidence[row["event"]].append(row)
    for event in events:
        event.actor_list = actors[event.pk]
        event.evidence_list = evidence[event.pk]


def iterate_with_relations(queryset: QuerySet, chunk_size: int) -> Iterator[Event]:
    """Every event of `queryset` with its relations, read `chunk_size` events at a time."""
    rows = events_for_rows(queryset).iterator(chunk_size=chunk_size)
    while chunk := list(islice(rows, chunk_size)):
        attach_relations(chunk)
        yield from chunk
