"""How the API reads events: one query per relation for a whole page, into plain lists.

`to_attr` lists, not the related managers: with a Prefetch queryset, Django builds a
queryset per event to hold each prefetched relation (a hundred clones for a page of fifty,
a third of the request's time). Article bodies stay in the database.
"""
from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Prefetch, QuerySet, prefetch_related_objects

from timeline.models import Actor, Event, Evidence

EVIDENCE_COLUMNS = (
    "id", "event_id", "article_id", "quote", "char_start", "char_end", "date_text",
    "date_rule", "anchor_date", "speaker", "origin",
    "article__id", "article__title", "article__url", "article__published_on",
    "article__outlet_id", "article__outlet__id", "article__outlet__name",
)
# An event's actors (as `actor_list`, by name) and evidence (as `evidence_list`, in the
# order of the article and the place in it), with each evidence's article and outlet.
EVENT_RELATIONS = (
    Prefetch("actors", queryset=Actor.objects.order_by("name", "id"), to_attr="actor_list"),
    Prefetch(
        "evidence",
        queryset=Evidence.objects.select_related("article__outlet")
        .only(*EVIDENCE_COLUMNS)
        .order_by("article_id", "char_start", "id"),
        to_attr="evidence_list",
    ),
)


def with_relations(queryset: QuerySet) -> QuerySet:
    """Events read with their place, and their relations prefetched as lists."""
    return queryset.select_related("place").prefetch_related(*EVENT_RELATIONS)


def load_events(ids: list[int]) -> list[Event]:
    """These events, in this order, with their relations (three queries)."""
    by_id = Event.objects.select_related("place").in_bulk(ids)
    events = [by_id[pk] for pk in ids]
    attach_relations(events)
    return events


def attach_relations(events: Iterable[Event]) -> None:
    prefetch_related_objects(list(events), *EVENT_RELATIONS)
