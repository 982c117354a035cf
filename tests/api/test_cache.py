"""The event list's JSON: written by Postgres, kept in the render cache under the timeline's
generation, validated by an ETag made of the cache key.

The tests that change data commit (transaction=True), as production does: the generation
moves at commit.
"""
from __future__ import annotations

import json
from datetime import UTC, date, datetime

import pytest
from django.core.cache import caches
from django.db import transaction
from django.utils import timezone
from rest_framework.test import APIRequestFactory

from tests.factories import make_actor, make_article, make_event, make_outlet, make_place
from timeline.api.serializers import EventSerializer
from timeline.models import Event, Evidence

pytestmark = pytest.mark.usefixtures("_render_cache_on")

URL = "/api/v1/events/"


@pytest.fixture
def _render_cache_on(settings):
    settings.RENDER_CACHE_SECONDS = 600


def ordered(response) -> list:
    """The JSON body with its objects as lists of pairs: key order counts."""
    return json.loads(response.content, object_pairs_hook=list)


def titles(response) -> list[str]:
    assert response.status_code == 200, response.content[:300]
    return [row["title"] for row in response.json()["results"]]


def test_the_page_postgres_writes_equals_the_generic_serializer(api, db):
    outlet = make_outlet(name="Kyiv Independent")
    strike = make_event(
        title='Strike "north" \\ of Odesa\u2028', date_start=date(2025, 3, 1),
        summary="Two sources; ünïcode — ok.\n", confidence=0.1 + 0.2,
        place=make_place("Odesa", country="Ukraine", latitude=46.48, longitude=30.7233333,
                         aliases=["Odessa"]),
        actors=[make_actor("Russia", kind="state", aliases=["RF"]), make_actor("Navy")],
        evidence_from=[make_article(outlet=outlet, url="https://kyivindependent.com/x"),
                       make_article(published_on=None)],
    )
    make_event(title="Talks", date_start=date(2025, 4, 1), date_end=date(2025, 4, 30),
               precision="month", mode="phone", verified=True, confidence=1.0)
    Evidence.objects.filter(event=strike).update(anchor_date=date(2025, 3, 2), speaker="Kyiv")
    # Whole seconds and microseconds: DRF writes the fraction only when there is one.
    Event.objects.filter(pk=strike.pk).update(
        created_at=datetime(2025, 3, 1, 12, 0, 0, tzinfo=UTC),
        updated_at=datetime(2025, 3, 1, 12, 0, 0, 5000, tzinfo=UTC),
    )

    response = api.get(URL, {"ordering": "-date_start"})
    assert response.headers["Content-Type"] == "application/json"
    request = APIRequestFactory().get(URL)
    generic = EventSerializer(
        Event.objects.for_timeline().order_by("-date_start"), many=True,
        context={"request": request},
    ).data
    expected = json.loads(json.dumps({"next": None, "previous": None, "results": generic}),
                          object_pairs_hook=list)
    assert ordered(response) == expected
    row = response.json()["results"][1]
    assert (row["created_at"], row["updated_at"]) == (
        "2025-03-01T12:00:00Z", "2025-03-01T12:00:00.005000Z"
    )
    assert row["title"].endswith("\u2028")


def test_links_walk_forwards_and_back_over_pages_written_by_postgres(api, db):
    for day in range(1, 8):
        make_event(title=f"Day {day}", date_start=date(2025, 1, day))
    first = api.get(URL, {"page_size": 3})
    second = api.get(first.json()["next"])
    assert titles(second) == ["Day 4", "Day 5", "Day 6"]
    back = api.get(second.json()["previous"])
    assert titles(back) == ["Day 1", "Day 2", "Day 3"]
    assert back.json()["previous"] is None
    last = api.get(second.json()["next"])
    assert titles(last) == ["Day 7"]
    assert last.json()["next"] is None


def test_a_cached_answer_costs_one_query(api, db, django_assert_num_queries):
    make_event(title="Kept", date_start=date(2025, 1, 1))
    first = api.get(URL, {"event_type": "ASSAULT"})
    with django_assert_num_queries(1):  # generation and data version
        again = api.get(URL, {"event_type": "ASSAULT"})
    assert again.content == first.content
    assert again.headers["ETag"] == first.headers["ETag"]


def test_the_same_query_written_in_another_order_shares_the_answer(
    api, db, django_assert_num_queries
):
    make_event(date_start=date(2025, 1, 1))
    first = api.get(f"{URL}?event_type=ASSAULT&date_from=2025-01-01")
    with django_assert_num_queries(1):
        again = api.get(f"{URL}?date_from=2025-01-01&event_type=ASSAULT")
    assert again.content == first.content


@pytest.mark.django_db(transaction=True)
def test_a_committed_change_shows_at_once(api):
    event = make_event(title="Before", date_start=date(2025, 1, 1))
    first = api.get(URL)
    assert titles(first) == ["Before"]
    assert titles(api.get(URL)) == ["Before"]  # from the cache
    with transaction.atomic():
        # No updated_at change: only the generation tells the cache.
        Event.objects.filter(pk=event.pk).update(title="After", updated_at=event.updated_at)
    changed = api.get(URL, HTTP_IF_NONE_MATCH=first.headers["ETag"])
    assert titles(changed) == ["After"]
    assert changed.headers["ETag"] != first.headers["ETag"]


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("local_copies")
def test_with_local_copies_an_answer_costs_one_query_and_a_change_shows_at_once(
    api, settings, django_assert_num_queries
):
    event = make_event(title="Before", date_start=date(2025, 1, 1))
    first = api.get(URL)
    # From here on the answer can come from this process's copy only.
    caches[settings.RENDER_CACHE_ALIAS].clear()
    with django_assert_num_queries(1):  # generation and data version
        again = api.get(URL)
    assert (again.content, again.headers["ETag"]) == (first.content, first.headers["ETag"])
    with transaction.atomic():
        # No updated_at change: only the generation tells the cache.
        Event.objects.filter(pk=event.pk).update(title="After", updated_at=event.updated_at)
    assert titles(api.get(URL)) == ["After"]


@pytest.mark.django_db(transaction=True)
def test_a_change_to_a_related_row_shows_at_once(api):
    actor = make_actor("Old name")
    make_event(date_start=date(2025, 1, 1), actors=[actor])
    assert api.get(URL).json()["results"][0]["actors"][0]["name"] == "Old name"
    actor.name = "New name"
    actor.save()
    assert api.get(URL).json()["results"][0]["actors"][0]["name"] == "New name"


@pytest.mark.django_db(transaction=True)
def test_editors_and_anonymous_clients_never_get_each_others_answers(api, editor_api):
    make_event(title="Published", date_start=date(2025, 1, 1))
    make_event(title="Draft", date_start=date(2025, 1, 2), status=Event.Status.DRAFT)
    for _ in range(2):  # the second round is served from the cache
        anonymous, editor = api.get(URL), editor_api.get(URL)
        assert titles(anonymous) == ["Published"]
        assert titles(editor) == ["Published", "Draft"]
        assert "status" in editor.json()["results"][1]
    # Each one's validator means nothing to the other.
    assert anonymous.headers["ETag"] != editor.headers["ETag"]
    assert api.get(URL, HTTP_IF_NONE_MATCH=editor.headers["ETag"]).status_code == 200
    assert editor_api.get(URL, HTTP_IF_NONE_MATCH=anonymous.headers["ETag"]).status_code == 200
    # Editors filter on status; a reader's `status` is ignored, the answers kept apart.
    drafts = {"status": "draft"}
    assert titles(editor_api.get(URL, drafts)) == ["Draft"]
    assert titles(api.get(URL, drafts)) == ["Published"]
    assert titles(editor_api.get(URL, drafts)) == ["Draft"]


def test_a_reader_token_sees_what_anonymous_clients_see(api, reader_api, db):
    make_event(title="Published", date_start=date(2025, 1, 1))
    make_event(title="Draft", date_start=date(2025, 1, 2), status=Event.Status.DRAFT)
    assert titles(reader_api.get(URL)) == titles(api.get(URL)) == ["Published"]


def test_formats_are_never_mixed(api, db):
    make_event(title="Only", date_start=date(2025, 1, 1))
    as_json = api.get(URL)
    as_csv = api.get(URL, HTTP_ACCEPT="text/csv")
    assert as_csv.headers["Content-Type"].startswith("text/csv")
    assert b"".join(as_csv.streaming_content).startswith(b"id,")
    again = api.get(URL)
    assert again.headers["Content-Type"] == "application/json"
    assert again.content == as_json.content
    explicit = api.get(URL, {"format": "json"})
    assert explicit.json() == as_json.json()
    assert explicit.headers["ETag"] != as_json.headers["ETag"]  # another query string


def test_the_host_is_part_of_the_answer(api, db, settings):
    settings.ALLOWED_HOSTS = ["testserver", "mirror.example"]
    event = make_event(date_start=date(2025, 1, 1))
    here = api.get(URL).json()["results"][0]["permalink"]
    there = api.get(URL, HTTP_HOST="mirror.example").json()["results"][0]["permalink"]
    assert here == f"http://testserver/events/{event.pk}/"
    assert there == f"http://mirror.example/events/{event.pk}/"


def test_a_304_needs_the_current_etag_and_costs_one_query(api, db, django_assert_num_queries):
    make_event(date_start=date(2025, 1, 1))
    etag = api.get(URL).headers["ETag"]
    with django_assert_num_queries(1):
        again = api.get(URL, HTTP_IF_NONE_MATCH=etag)
    assert (again.status_code, again.content, again.headers["ETag"]) == (304, b"", etag)
    assert api.get(URL, HTTP_IF_NONE_MATCH='"0-stale"').status_code == 200
    assert api.get(URL, {"page_size": 1}, HTTP_IF_NONE_MATCH=etag).status_code == 200


def test_a_bad_request_is_not_cached_and_stays_a_400(api, db):
    for _ in range(2):
        response = api.get(URL, {"date_from": "2025-13-45"})
        assert response.status_code == 400
        assert "date_from" in response.json()


def test_with_the_cache_off_every_answer_is_built(api, db, settings, django_assert_num_queries):
    settings.RENDER_CACHE_SECONDS = 0
    make_event(date_start=date(2025, 1, 1))
    api.get(URL)
    with django_assert_num_queries(2):  # versions + the page
        api.get(URL)


def test_in_another_time_zone_the_page_is_written_by_the_serializer(api, db):
    make_event(title="Local", date_start=date(2025, 1, 1))
    with timezone.override("Europe/Kyiv"):
        row = api.get(URL).json()["results"][0]
        expected = EventSerializer(
            Event.objects.for_timeline().get(), context={"request": APIRequestFactory().get(URL)}
        ).data
    assert row == json.loads(json.dumps(expected))
    assert row["created_at"].endswith(("+02:00", "+03:00"))
