"""Every filter of the shared EventFilter through the API, alone and in pairs."""
from __future__ import annotations

from itertools import combinations

import pytest
from django.utils import timezone

from tests.api.conftest import titles
from timeline.models import Actor, Event, Outlet, Place

KYIV = "Missile strike on Kyiv"
KHARKIV = "Shelling of Kharkiv school"
DOHA = "Ceasefire talks in Doha"
GAZA = "Aid convoy reaches Gaza City"
SANCTIONS = "New sanctions package"
PUBLISHED = [GAZA, KYIV, KHARKIV, DOHA, SANCTIONS]  # in (date_start, id) order

# (query, the published events it keeps). Ids are filled in by `resolve`.
SINGLE_FILTERS = [
    ({"date_from": "2025-03-05"}, [KHARKIV, DOHA, SANCTIONS]),
    ({"date_from": "2025-02-15"}, [GAZA, KYIV, KHARKIV, DOHA, SANCTIONS]),  # the month overlaps
    ({"date_to": "2025-03-04"}, [GAZA, KYIV]),
    ({"date_from": "2025-04-02", "date_to": "2025-04-02"}, [DOHA]),  # inside the range
    ({"event_type": "ASSAULT"}, [KYIV, KHARKIV]),
    ({"event_type": ["ASSAULT", "AID"]}, [GAZA, KYIV, KHARKIV]),
    ({"actor": "Russia"}, [KYIV, KHARKIV]),
    ({"actor": "Russian Federation"}, [KYIV, KHARKIV]),  # an alias
    ({"actor": "id:Ukraine"}, [KYIV, SANCTIONS]),
    ({"place": "Kyiv"}, [KYIV]),
    ({"place": "Kiev"}, [KYIV]),  # an alias
    ({"place": "id:Kharkiv"}, [KHARKIV]),
    ({"country": "ukraine"}, [KYIV, KHARKIV]),
    ({"outlet": "reuters.com"}, [KYIV, DOHA]),
    ({"outlet": "AP"}, [KYIV, KHARKIV]),
    ({"outlet": "id:Reuters"}, [KYIV, DOHA]),
    ({"q": "school"}, [KHARKIV]),
    ({"q": "Doha mediators"}, [DOHA]),
    ({"min_sources": "2"}, [KYIV]),
    ({"min_sources": "1"}, [KYIV, KHARKIV, DOHA]),
    ({"updated_since": "2000-01-01T00:00:00Z"}, PUBLISHED),
    ({"updated_since": "2999-01-01T00:00:00Z"}, []),
    ({"status": "draft"}, PUBLISHED),  # readers cannot ask for drafts: ignored
]


def resolve(query: dict) -> dict:
    """The query with `id:Name` values replaced by that row's id."""
    models = {"actor": Actor, "place": Place, "outlet": Outlet}
    resolved = {}
    for key, value in query.items():
        if isinstance(value, str) and value.startswith("id:"):
            value = str(models[key].objects.get(name=value[3:]).pk)
        resolved[key] = value
    return resolved


@pytest.mark.parametrize(
    ("query", "expected"), SINGLE_FILTERS, ids=[str(q) for q, _ in SINGLE_FILTERS]
)
def test_each_filter_alone_keeps_the_matching_published_events(api, timeline, query, expected):
    assert titles(api.get("/api/v1/events/", resolve(query))) == expected


PAIRS = [
    (a, b)
    for (a, b) in combinations(range(len(SINGLE_FILTERS)), 2)
    if not set(SINGLE_FILTERS[a][0]) & set(SINGLE_FILTERS[b][0])
]


def test_every_pair_of_filters_keeps_the_events_both_keep(api, timeline):
    """Filters combine with AND: the result of two is the intersection of each alone."""
    assert len(PAIRS) > 150
    for a, b in PAIRS:
        (query_a, kept_a), (query_b, kept_b) = SINGLE_FILTERS[a], SINGLE_FILTERS[b]
        query = {**resolve(query_a), **resolve(query_b)}
        expected = [title for title in kept_a if title in kept_b]
        assert titles(api.get("/api/v1/events/", query)) == expected, query


def test_three_filters_and_a_page_size_together(api, timeline):
    query = {"event_type": "ASSAULT", "actor": "Russia", "date_from": "2025-03-05", "page_size": 1}
    assert titles(api.get("/api/v1/events/", query)) == [KHARKIV]


def test_editors_filter_by_status_and_see_drafts(editor_api, timeline):
    assert titles(editor_api.get("/api/v1/events/", {"status": "draft"})) == [
        "Unconfirmed drone attack"
    ]
    both = editor_api.get("/api/v1/events/", {"status": ["draft", "published"], "place": "Kyiv"})
    assert titles(both) == [KYIV, "Unconfirmed drone attack"]
    assert len(titles(editor_api.get("/api/v1/events/"))) == 6


def test_readers_with_a_token_do_not_see_drafts_either(reader_api, timeline):
    assert titles(reader_api.get("/api/v1/events/", {"status": "draft"})) == PUBLISHED


def test_updated_since_finds_the_event_changed_after_a_moment(api, timeline):
    moment = timezone.now()
    Event.objects.filter(title=DOHA).update(updated_at=moment)
    Event.objects.exclude(title=DOHA).update(updated_at=moment - timezone.timedelta(days=1))
    query = {"updated_since": moment.isoformat(), "ordering": "updated_at"}
    assert titles(api.get("/api/v1/events/", query)) == [DOHA]


def test_an_id_past_the_bigint_range_matches_nothing_instead_of_failing(api, timeline):
    for name in ("actor", "place", "outlet"):
        assert titles(api.get("/api/v1/events/", {name: "9" * 30})) == []


def test_a_non_ascii_digit_is_a_name_not_an_id(api, timeline):
    assert titles(api.get("/api/v1/events/", {"actor": "²"})) == []
