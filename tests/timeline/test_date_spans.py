"""Events that began before `date_from` and run into it, found in parts (filters.began_into):
the long ones by the GiST indexes, which hold only those, the recent ones by a bounded
range scan. Whatever an event's start and length, the filter keeps exactly the events whose
days reach the date, and the parts follow each other in (date_start, id) order."""
from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from django.db import connection, transaction
from django.http import QueryDict

from tests.factories import make_event
from timeline.filters import EventFilter
from timeline.models import SHORT_SPAN_DAYS, Event, long_span

pytestmark = pytest.mark.django_db

DAY = date(2025, 6, 20)
# Days before DAY an event starts, and days it lasts after its first (None: one day),
# around the bound between the two parts.
STARTS = [0, 1, 5, SHORT_SPAN_DAYS - 1, SHORT_SPAN_DAYS, SHORT_SPAN_DAYS + 1, 60, 365, 400]
LENGTHS = [None, 1, 5, SHORT_SPAN_DAYS - 1, SHORT_SPAN_DAYS, SHORT_SPAN_DAYS + 1, 364, 400]


@pytest.fixture
def events() -> list[Event]:
    made = []
    for before in STARTS:
        for length in LENGTHS:
            start = DAY - timedelta(days=before)
            end = None if length is None else start + timedelta(days=length)
            made.append(make_event(
                date_start=start, date_end=end, precision="day" if end is None else "range",
                title=f"from {before} days before, {length} more",
            ))
    return made


def _filter(query: str) -> EventFilter:
    filterset = EventFilter(QueryDict(query), queryset=Event.objects.all())
    assert filterset.is_valid()
    return filterset


def _reaching(events, day: date) -> list[int]:
    reach = [e for e in events if (e.date_end or e.date_start) >= day]
    return [e.pk for e in sorted(reach, key=lambda e: (e.date_start, e.pk))]


def test_date_from_keeps_every_event_whose_days_reach_it(events):
    filterset = _filter(f"date_from={DAY}")

    found = list(filterset.qs.order_by("date_start", "id").values_list("pk", flat=True))

    assert found == _reaching(events, DAY)
    # Both sides of the bound are there: a long event that began well before, and one
    # that began SHORT_SPAN_DAYS before and ends on the day.
    assert len(found) > len(STARTS) * 2


def test_the_date_parts_follow_each_other_and_together_are_the_filter(events):
    parts = _filter(f"date_from={DAY}&date_to={DAY + timedelta(days=3)}").date_ordered_parts()

    read = [list(part.order_by("date_start", "id").values_list("pk", flat=True)) for part in parts]

    assert sum(read, []) == [
        pk for pk in _reaching(events, DAY)
        if Event.objects.get(pk=pk).date_start <= DAY + timedelta(days=3)
    ]
    assert all(read), "each part holds some of these events"


def test_a_date_from_near_the_first_day_there_is_does_not_fail(events):
    assert list(_filter("date_from=0001-01-05").qs.values_list("pk", flat=True))


def _plan(queryset, keep: str) -> str:
    """The plan of `queryset` with the table scan forbidden and every index of the table
    but `keep` and the primary key dropped, in a savepoint rolled back after: on a few
    dozen rows without statistics, any index costs about the same."""
    return plan_with_only(*queryset.query.sql_with_params(), keep=[keep])


def plan_with_only(sql: str, params, keep: list[str]) -> str:
    """_plan for a statement, keeping the indexes `keep` of timeline_event."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(
            "SELECT indexname FROM pg_indexes WHERE tablename = 'timeline_event'"
            " AND indexname <> ALL(%s)", [[*keep, "timeline_event_pkey"]],
        )
        for (index,) in cursor.fetchall():
            cursor.execute(f"DROP INDEX {index}")
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
        transaction.set_rollback(True)
    return plan


@pytest.mark.parametrize(
    ("query", "earlier_index", "recent_index"),
    [
        (f"date_from={DAY}", "event_span", "event_status_multiday"),
        (f"date_from={DAY}&event_type=ASSAULT", "event_type_span", "event_type_multiday"),
    ],
)
def test_each_part_can_use_its_index(events, query, earlier_index, recent_index):
    # The indexes of both parts are partial (long events, multi-day events): Postgres can
    # use one only where the query states its condition in the same form, which a change
    # to either would silently break. With every other index gone, a part has nothing
    # else but a forbidden table scan.
    earlier, recent, starting = _filter(query).date_ordered_parts()

    assert f" {earlier_index} " in _plan(earlier, keep=earlier_index)
    assert f" {recent_index} " in _plan(recent.values_list("pk", flat=True), keep=recent_index)


def test_postgres_knows_how_few_events_are_long():
    # Without statistics on the span, Postgres guesses a third of all rows for it and
    # plans the long part for hundreds of events (hashing every place, say).
    start = DAY - timedelta(days=90)
    Event.objects.bulk_create(
        [Event(date_start=start + timedelta(days=n % 90), title=f"day {n}", event_type="ASSAULT",
               status=Event.Status.PUBLISHED, confidence=0.8) for n in range(600)]
        + [Event(date_start=start, date_end=start + timedelta(days=200), precision="range",
                 title=f"long {n}", event_type="ASSAULT", status=Event.Status.PUBLISHED,
                 confidence=0.8) for n in range(3)]
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE timeline_event")

    plan = _plan(Event.objects.filter(long_span()).values_list("pk", flat=True), keep="event_span")

    assert int(re.search(r"rows=(\d+)", plan).group(1)) < 20, plan
