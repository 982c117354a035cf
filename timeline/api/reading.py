"""How the API reads events: the events, then their actors and evidence as the API rows
that EventJSON keeps, never as model instances.

Model instances cost: a page of 50 events has ~100 actors and ~150 pieces of evidence, each
with its article and outlet, and building those ~550 objects (and Django's prefetch
querysets around them) was most of a request's CPU. The stored rows are exactly what
EventSerializer gives for the same events (tests/api/test_representation.py checks it).
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from itertools import islice

from django.db.models import QuerySet

from timeline.models import Event, EventJSON


def events_for_rows(queryset: QuerySet) -> QuerySet:
    """Events as the API reads them: with their place, without the search text."""
    return queryset.select_related("place").defer("search_text")


def load_events(ids: list[int]) -> list[Event]:
    """These events, in this order, with their relations attached (two queries)."""
    by_id = events_for_rows(Event.objects.all()).in_bulk(ids)
    events = [by_id[pk] for pk in ids]
    attach_relations(events)
    return events


def attach_relations(events: Iterable[Event]) -> None:
    """Set `actor_list` and `evidence_list` on each event: its actors (by name) and its
    evidence (by article, then place in it), as API rows, read from EventJSON (one query)."""
    events = list(events)
    stored = {
        event_id: (actors, evidence)
        for event_id, actors, evidence in EventJSON.objects.filter(
            event_id__in=[event.pk for event in events]
        ).values_list("event_id", "actors", "evidence")
    }
    for event in events:
        event.actor_list, event.evidence_list = stored.get(event.pk) or ([], [])


def iterate_with_relations(queryset: QuerySet, chunk_size: int) -> Iterator[Event]:
    """Every event of `queryset` with its relations, read `chunk_size` events at a time."""
    rows = events_for_rows(queryset).iterator(chunk_size=chunk_size)
    while chunk := list(islice(rows, chunk_size)):
        attach_relations(chunk)
        yield from chunk


# A page of events as JSON, written by Postgres -------------------------------------------
#
# The list's JSON is built in the database, in the one query that also picks the page: the
# 50 events with their place, actors (by name) and evidence (by article, then place in it)
# come back as one text value, exactly the rows EventRowSerializer writes (the tests compare
# them, key order and all). Python then adds only the `next` and `previous` links. The
# actors and evidence are read ready-made from EventJSON, which triggers keep.


def _moment_sql(column: str) -> str:
    """A timestamptz as DRF writes it in UTC: ISO 8601, microseconds only when not zero,
    and "Z" (serializers._moment)."""
    utc = f"({column} AT TIME ZONE 'UTC')"
    return (
        f"to_char({utc}, 'YYYY-MM-DD\"T\"HH24:MI:SS') || CASE WHEN date_trunc('second', {utc})"
        f" = {utc} THEN '' ELSE to_char({utc}, '.US') END || 'Z'"
    )


# Rows become JSON objects whole (json_agg of a row, to_json): the columns' names and order
# are the keys', and Postgres looks each column's type up once per row, not once per value
# as json_build_object does (a fifth less CPU for the page).
EVENT_ROW_SQL = f"""SELECT
    e.id, %(permalink)s || e.id || '/' AS permalink, e.date_start, e.date_end, e.precision,
    e.title, e.summary, e.event_type, e.mode, coalesce(j.actors, '[]'::json) AS actors,
    CASE WHEN p.id IS NULL THEN NULL ELSE (
        SELECT to_json(pl) FROM (
            SELECT p.id, p.name, p.country, p.region, p.latitude, p.longitude,
                   p.gazetteer_id, p.aliases) pl
    ) END AS place,
    e.status, e.origin, e.verified, e.needs_review, e.confidence, e.source_count,
    coalesce(j.evidence, '[]'::json) AS evidence,
    {_moment_sql("e.created_at")} AS created_at, {_moment_sql("e.updated_at")} AS updated_at
FROM timeline_event e LEFT JOIN timeline_place p ON p.id = e.place_id
LEFT JOIN timeline_eventjson j ON j.event_id = e.id"""


_PLACEHOLDER = re.compile(r"%([%s])")


def page_json_query(
    selects: list[tuple[str, tuple]], keys: int, descending: bool, size: int, reverse: bool,
    permalink: str,
) -> tuple[str, dict]:
    """The SQL (and parameters) of one page as JSON.

    `selects` are the parts' queries in the direction of travel, each giving the ordering
    key (`keys` columns, the last the id) of up to size + 1 rows; `descending` is that
    direction; `reverse`: the page is shown in the opposite order (walking backwards).
    The row: rows found (up to size + 1), the events' JSON array as text, then the key
    of the first row shown and that of the last (`keys` values each; NULL when empty).
    """
    params: dict = {"permalink": permalink}
    union = []
    for number, (sql, part_params) in enumerate(selects):
        # Django writes %s placeholders (and %% for a literal %): name them, so that the
        # parts' parameters and this query's own can be passed together.
        names = iter(range(len(part_params)))

        def named(match, number=number, names=names):
            if match.group(1) == "%":
                return "%%"
            return f"%(p{number}_{next(names)})s"

        union.append(f"(SELECT {number} AS part, s.* FROM ({_PLACEHOLDER.sub(named, sql)}) s)")
        params.update({f"p{number}_{i}": value for i, value in enumerate(part_params)})
    columns = ", ".join(f"k{i}" for i in range(keys))
    direction = " DESC" if descending else ""
    order = ", ".join(f"u.k{i}{direction}" for i in range(keys))
    shown = "DESC" if reverse else "ASC"
    first, last = ("DESC", "ASC") if reverse else ("ASC", "DESC")
    ends = ", ".join(
        f"(SELECT k{i} FROM page ORDER BY n {end} LIMIT 1)"
        for end in (first, last) for i in range(keys)
    )
    sql = f"""
        WITH found AS (
            SELECT u.*, row_number() OVER (ORDER BY u.part, {order}) AS n
            FROM ({" UNION ALL ".join(union)}) AS u(part, {columns})
            ORDER BY n LIMIT {size + 1}
        ), page AS (SELECT * FROM found WHERE n <= {size})
        SELECT
            (SELECT count(*) FROM found),
            (SELECT coalesce(json_agg(row ORDER BY page.n {shown}), '[]'::json)
             FROM page CROSS JOIN LATERAL ({EVENT_ROW_SQL} WHERE e.id = page.k{keys - 1}) row
            )::text,
            {ends}
    """
    return sql, params
