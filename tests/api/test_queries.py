"""A constant number of queries per request, whatever the page size."""
from __future__ import annotations

from datetime import date, timedelta

import pytest

from tests.factories import make_actor, make_article, make_event, make_outlet, make_place
from timeline.models import Tombstone


def populate(n: int) -> None:
    """n of everything: published events, each with its place, actor, and article from its
    own outlet as evidence; and n tombstones."""
    for i in range(n):
        make_event(
            title=f"Event {i}", date_start=date(2025, 1, 1) + timedelta(days=i),
            place=make_place(), actors=[make_actor()],
            evidence_from=[make_article(outlet=make_outlet())],
        )
        Tombstone.objects.create(event_id=10_000 + i)


# (url, queries): events = generation and data version + the page, written as JSON by
# Postgres with its actors, place and evidence (timeline.api.reading.page_json_query);
# a text filter asks once whether full-text search finds anything (else trigram);
# articles = articles (with outlet) + their evidence.
LISTS = [
    ("/api/v1/events/", 2),
    ("/api/v1/events/?event_type=ASSAULT&date_from=2025-01-01&q=event&min_sources=1", 3),
    ("/api/v1/evidence/", 1),
    ("/api/v1/actors/", 1),
    ("/api/v1/places/", 1),
    ("/api/v1/outlets/", 1),
    ("/api/v1/articles/", 2),
    ("/api/v1/events/deleted/", 2),  # latest deletion + the page
]


@pytest.mark.parametrize("n", [1, 50])
@pytest.mark.parametrize(("url", "queries"), LISTS, ids=[u for u, _ in LISTS])
def test_a_list_takes_the_same_queries_for_1_or_50_rows(
    api, db, django_assert_num_queries, n, url, queries
):
    populate(n)
    with django_assert_num_queries(queries):
        response = api.get(url)
    assert len(response.json()["results"]) == n


@pytest.mark.parametrize("n", [1, 50])
def test_an_editor_list_adds_only_the_token_and_permission_lookups(
    editor_api, db, django_assert_num_queries, n
):
    populate(n)
    # token + user's permissions + group permissions, then the same two
    with django_assert_num_queries(5):
        response = editor_api.get("/api/v1/events/")
    assert len(response.json()["results"]) == n


@pytest.mark.parametrize("n", [1, 50])
def test_an_export_takes_the_same_queries_for_1_or_50_events(api, db, django_assert_num_queries, n):
    populate(n)
    # data version, bounded count, then one chunk: events + their actors and evidence
    # (EventJSON)
    with django_assert_num_queries(4):
        response = api.get("/api/v1/events/", {"format": "csv"})
        lines = b"".join(response.streaming_content).count(b"\n")
    assert lines == n + 1


def test_a_detail_takes_two_queries(api, db, django_assert_num_queries):
    populate(1)
    from timeline.models import Event

    pk = Event.objects.get().pk
    # the event with its place, then its actors and evidence (EventJSON)
    with django_assert_num_queries(2):
        assert api.get(f"/api/v1/events/{pk}/").status_code == 200
