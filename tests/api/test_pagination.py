"""Keyset pages on (date_start, id): bounded, stable while events are added, reversible."""
from __future__ import annotations

from datetime import date, timedelta

import pytest

from tests.api.conftest import titles
from tests.factories import make_event


@pytest.fixture
def twelve_days(db):
    """Twelve published events, two per day over six days (ties broken by id)."""
    return [
        make_event(title=f"Day {day} #{n}", date_start=date(2025, 1, 1) + timedelta(days=day))
        for day in range(6)
        for n in range(2)
    ]


def walk(client, url: str, params: dict | None = None) -> list[list[str]]:
    """The titles of every page, following `next` links to the end."""
    pages = []
    response = client.get(url, params or {})
    while True:
        pages.append(titles(response))
        following = response.json()["next"]
        if following is None:
            return pages
        response = client.get(following)


def test_walking_the_pages_yields_every_event_once_in_date_then_id_order(api, twelve_days):
    pages = walk(api, "/api/v1/events/", {"page_size": 5})
    assert [len(p) for p in pages] == [5, 5, 2]
    assert sum(pages, []) == [e.title for e in twelve_days]


def test_pages_stay_stable_while_events_are_added(api, twelve_days):
    first = api.get("/api/v1/events/", {"page_size": 5}).json()
    assert [r["title"] for r in first["results"]][-1] == "Day 2 #0"
    # Added between two requests: before the cursor, on the cursor's own day (a later id,
    # so after it), and at the end. An offset-based cursor would repeat "Day 2 #0" here.
    make_event(title="Late report of day 0", date_start=date(2025, 1, 1))
    make_event(title="Another on day 2", date_start=date(2025, 1, 3))
    make_event(title="Day 9", date_start=date(2025, 1, 10))
    rest = sum(walk(api, first["next"]), [])
    expected = [e.title for e in twelve_days[5:]]
    expected.insert(1, "Another on day 2")  # day 2 #1, then the new one (higher id), then day 3
    assert rest == [*expected, "Day 9"]


def test_the_previous_link_returns_the_page_before(api, twelve_days):
    first = api.get("/api/v1/events/", {"page_size": 4}).json()
    assert first["previous"] is None
    second = api.get(first["next"]).json()
    back = api.get(second["previous"]).json()
    assert [r["title"] for r in back["results"]] == [r["title"] for r in first["results"]]
    assert back["next"] is not None


def test_descending_order_walks_from_the_newest(api, twelve_days):
    pages = walk(api, "/api/v1/events/", {"page_size": 7, "ordering": "-date_start"})
    assert sum(pages, []) == [e.title for e in reversed(twelve_days)]


def test_updated_order_keeps_its_ordering_in_the_next_link(api, twelve_days):
    response = api.get("/api/v1/events/", {"page_size": 3, "ordering": "updated_at"})
    assert "ordering=updated_at" in response.json()["next"]
    pages = walk(api, "/api/v1/events/", {"page_size": 3, "ordering": "updated_at"})
    assert sorted(sum(pages, [])) == sorted(e.title for e in twelve_days)


def test_default_page_size_is_fifty_and_the_maximum_five_hundred(api, db):
    for n in range(55):
        make_event(title=f"E{n:02d}")
    assert len(titles(api.get("/api/v1/events/"))) == 50
    assert len(titles(api.get("/api/v1/events/", {"page_size": 500}))) == 55


@pytest.mark.parametrize("size", ["0", "501", "1000000", "ten", "-3", "1.5"])
def test_a_page_size_out_of_bounds_is_a_400_naming_page_size(api, db, size):
    response = api.get("/api/v1/events/", {"page_size": size})
    assert response.status_code == 400
    assert list(response.json()) == ["page_size"]


@pytest.mark.parametrize(
    "cursor",
    [
        "garbage",
        "eyJvIjoiZGF0ZV9zdGFydCJ9",  # valid base64 JSON without the key
        "eyJvIjoiZGF0ZV9zdGFydCIsImsiOlsiMjAyNS0xMy00NSIsIjEiXSwiYiI6ZmFsc2V9",  # bad date
        "eyJvIjoiZGF0ZV9zdGFydCIsImsiOlsiMjAyNS0wMS0wMSIsIjk5OTk5OTk5OTk5OTk5OTk5OTk5OTkiXSwiYiI6ZmFsc2V9",
        "8J+Ygg",  # base64 of an emoji, not JSON
        "ÿÿÿ",
    ],
)
def test_a_forged_cursor_is_a_400_naming_cursor(api, twelve_days, cursor):
    response = api.get("/api/v1/events/", {"cursor": cursor})
    assert response.status_code == 400
    assert list(response.json()) == ["cursor"]


def test_a_cursor_of_another_ordering_is_refused(api, twelve_days):
    first = api.get("/api/v1/events/", {"page_size": 2, "ordering": "updated_at"})
    following = first.json()["next"]
    cursor = following.split("cursor=")[1].split("&")[0]
    response = api.get("/api/v1/events/", {"cursor": cursor})
    assert response.status_code == 400
    assert list(response.json()) == ["cursor"]


def test_empty_paging_parameters_mean_the_defaults(api, twelve_days):
    response = api.get("/api/v1/events/", {"cursor": "", "page_size": "", "ordering": ""})
    assert titles(response) == [e.title for e in twelve_days]


def test_an_unknown_ordering_is_a_400_naming_ordering(api, db):
    response = api.get("/api/v1/events/", {"ordering": "title"})
    assert response.status_code == 400
    assert "ordering" in response.json()


def test_past_the_last_page_the_list_is_empty_with_a_way_back(api, twelve_days):
    pages = api.get("/api/v1/events/", {"page_size": 12}).json()
    assert pages["next"] is None
    last = twelve_days[-1]
    from timeline.api.pagination import EventPagination

    paginator = EventPagination()
    paginator.ordering_name, paginator.fields = "date_start", ("date_start", "id")
    paginator.model = type(last)
    beyond = api.get("/api/v1/events/", {"cursor": paginator.encode_cursor(last, False)}).json()
    assert beyond["results"] == [] and beyond["next"] is None
    assert [r["title"] for r in api.get(beyond["previous"]).json()["results"]][-1] == last.title
