"""Throttling, read-only CORS, conditional GET, and 400s (never 500s) for bad values."""
from __future__ import annotations

from datetime import timedelta

import pytest
from django.conf import settings
from django.test import override_settings
from django.utils import timezone
from django.utils.http import http_date

from tests.factories import make_event
from timeline.models import Event, Tombstone

# All of REST_FRAMEWORK but the rate: DRF copies some settings into class attributes when
# its views are first imported, which may happen inside the override.
LOW_RATE = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"anon": "3/minute"}}


def test_anonymous_clients_past_the_rate_get_429_with_retry_after(api, timeline):
    with override_settings(REST_FRAMEWORK=LOW_RATE):
        codes = [api.get("/api/v1/events/").status_code for _ in range(4)]
        assert codes == [200, 200, 200, 429]
        response = api.get("/api/v1/actors/")
        assert response.status_code == 429
        assert 0 < int(response.headers["Retry-After"]) <= 60


def test_a_throttled_client_waits_for_the_next_window(api, timeline, monkeypatch):
    from timeline.api.throttling import AnonRateThrottle

    clock = [600.0 + 45.25]  # 45.25 s into a minute
    monkeypatch.setattr(AnonRateThrottle, "timer", staticmethod(lambda: clock[0]))
    with override_settings(REST_FRAMEWORK=LOW_RATE):
        codes = [api.get("/api/v1/events/").status_code for _ in range(4)]
        assert codes == [200, 200, 200, 429]
        assert api.get("/api/v1/places/").headers["Retry-After"] == "15"  # 14.75 s, rounded up
        clock[0] = 660.0  # the next minute
        assert [api.get("/api/v1/events/").status_code for _ in range(4)] == [200, 200, 200, 429]


def test_the_anonymous_rate_does_not_apply_to_token_holders(editor_api, timeline):
    with override_settings(REST_FRAMEWORK=LOW_RATE):
        codes = {editor_api.get("/api/v1/events/").status_code for _ in range(5)}
    assert codes == {200}


# CORS ----------------------------------------------------------------------------------


def test_reads_are_open_to_any_origin_and_expose_the_cache_headers(api, timeline):
    response = api.get("/api/v1/events/", HTTP_ORIGIN="https://research.example")
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    exposed = {
        h.strip().lower() for h in response.headers["Access-Control-Expose-Headers"].split(",")
    }
    assert {"etag", "last-modified", "retry-after"} <= exposed
    assert "Access-Control-Allow-Credentials" not in response.headers


def test_a_preflight_allows_reading_methods_only(api, db):
    response = api.options(
        "/api/v1/events/",
        HTTP_ORIGIN="https://research.example",
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="POST",
    )
    assert response.status_code == 200
    allowed = {m.strip() for m in response.headers["Access-Control-Allow-Methods"].split(",")}
    assert allowed == {"GET", "HEAD", "OPTIONS"}


def test_pages_outside_the_api_get_no_cors_headers(client, db):
    response = client.get("/", HTTP_ORIGIN="https://research.example")
    assert "Access-Control-Allow-Origin" not in response.headers


# Conditional GET --------------------------------------------------------------------------


@pytest.mark.parametrize("url", ["/api/v1/events/", "/api/v1/actors/", "/api/v1/events/deleted/"])
def test_a_list_answers_304_to_its_own_etag_and_200_after_a_change(api, timeline, url):
    first = api.get(url)
    etag = first.headers["ETag"]
    again = api.get(url, HTTP_IF_NONE_MATCH=etag)
    assert (again.status_code, again.content) == (304, b"")
    assert again.headers["ETag"] == etag
    event, actor = timeline["sanctions"], timeline["sanctions"].actors.get()
    event.title, actor.name = "Renamed", "Renamed actor"
    event.save()
    actor.save()
    Event.objects.filter(pk=timeline["doha_talks"].pk).delete()  # a tombstone
    changed = api.get(url, HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200
    assert changed.headers["ETag"] != etag


def test_the_etag_depends_on_the_filters(api, timeline):
    assert (
        api.get("/api/v1/events/", {"event_type": "AID"}).headers["ETag"]
        != api.get("/api/v1/events/", {"event_type": "ASSAULT"}).headers["ETag"]
    )


def settle(seconds: int = 60):
    """Move every change back in time, as if the data had not changed for a while."""
    past = timezone.now() - timedelta(seconds=seconds)
    Event.objects.update(updated_at=past)
    Tombstone.objects.update(deleted_at=past)
    return past


def test_a_list_answers_if_modified_since_without_running_its_queries(
    api, timeline, django_assert_num_queries
):
    past = settle()
    first = api.get("/api/v1/events/")
    assert first.headers["Last-Modified"] == http_date(int(past.timestamp()))
    with django_assert_num_queries(1):  # the data version only
        again = api.get("/api/v1/events/", HTTP_IF_MODIFIED_SINCE=first.headers["Last-Modified"])
    assert again.status_code == 304


def test_a_deletion_makes_the_list_modified(api, timeline):
    settle()
    stamp = api.get("/api/v1/events/").headers["Last-Modified"]
    timeline["gaza_aid"].delete()
    Tombstone.objects.update(deleted_at=timezone.now() - timedelta(seconds=5))
    assert api.get("/api/v1/events/", HTTP_IF_MODIFIED_SINCE=stamp).status_code == 200


def test_a_detail_carries_the_event_update_time(api, timeline):
    past = settle()
    url = f"/api/v1/events/{timeline['kyiv_strike'].pk}/"
    response = api.get(url)
    assert response.headers["Last-Modified"] == http_date(int(past.timestamp()))
    assert api.get(url, HTTP_IF_MODIFIED_SINCE=response.headers["Last-Modified"]).status_code == 304
    assert api.get(url, HTTP_IF_NONE_MATCH=response.headers["ETag"]).status_code == 304
    Event.objects.filter(pk=timeline["kyiv_strike"].pk).update(
        updated_at=timezone.now() - timedelta(seconds=5)
    )
    assert api.get(url, HTTP_IF_MODIFIED_SINCE=response.headers["Last-Modified"]).status_code == 200


def test_a_change_in_the_current_second_is_not_announced_as_last_modified(api, timeline):
    settle()
    make_event(title="Just now")
    response = api.get("/api/v1/events/")
    assert "Last-Modified" not in response.headers
    assert response.headers["ETag"]


def test_exports_carry_last_modified_and_honour_if_modified_since(api, timeline):
    settle()
    response = api.get("/api/v1/events/", {"format": "csv"})
    stamp = response.headers["Last-Modified"]
    again = api.get("/api/v1/events/", {"format": "csv"}, HTTP_IF_MODIFIED_SINCE=stamp)
    assert again.status_code == 304


def test_responses_vary_on_credentials_and_are_private_for_editors(api, editor_api, timeline):
    public = api.get("/api/v1/events/")
    assert "Authorization" in public.headers["Vary"]
    assert "public" in public.headers["Cache-Control"]
    assert "private" in editor_api.get("/api/v1/events/").headers["Cache-Control"]


# Bad values --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("params", "named"),
    [
        ({"date_from": "2025-13-45"}, "date_from"),
        ({"date_to": "yesterday"}, "date_to"),
        ({"event_type": "NOPE"}, "event_type"),
        ({"page_size": "1000000"}, "page_size"),
        ({"cursor": "garbage"}, "cursor"),
        ({"min_sources": "-1"}, "min_sources"),
        ({"min_sources": "many"}, "min_sources"),
        ({"min_sources": "1e999"}, "min_sources"),
        ({"updated_since": "2025-01-01T25:00"}, "updated_since"),
        ({"status": "deleted"}, "status"),
        ({"ordering": "random"}, "ordering"),
        ({"q": "nul\x00byte"}, "q"),
        ({"actor": "nul\x00byte"}, "actor"),
        ({"updated_since": "0001-01-01T00:00:00+05:00"}, "updated_since"),  # before year 1 in UTC
    ],
)
def test_a_bad_value_is_a_400_naming_the_parameter(api, timeline, params, named):
    response = api.get("/api/v1/events/", params)
    assert response.status_code == 400
    assert named in response.json()


@pytest.mark.parametrize(
    ("url", "params", "named"),
    [
        ("/api/v1/articles/", {"published_from": "2025-02-30"}, "published_from"),
        ("/api/v1/articles/", {"outlet": "x"}, "outlet"),
        ("/api/v1/actors/", {"kind": "alien"}, "kind"),
        ("/api/v1/evidence/", {"event": "first"}, "event"),
        ("/api/v1/events/deleted/", {"deleted_since": "soon"}, "deleted_since"),
        ("/api/v1/places/", {"page_size": "0"}, "page_size"),
    ],
)
def test_other_lists_name_their_bad_parameters_too(api, db, url, params, named):
    response = api.get(url, params)
    assert response.status_code == 400
    assert named in response.json()


def test_a_moment_with_any_offset_is_compared_in_utc(api, timeline):
    # Postgres refuses an offset past 15:59; the filter turns the moment to UTC first.
    response = api.get("/api/v1/events/", {"updated_since": "2000-01-01T00:00:00-19:12"})
    assert len(response.json()["results"]) == 5
    response = api.get("/api/v1/events/deleted/", {"deleted_since": "2000-01-01T00:00:00+23:59"})
    assert response.status_code == 200


@pytest.mark.parametrize("pk", ["abc", "99999999999999999999999", "-1", "0", "1.5", "1e-9"])
def test_a_detail_that_cannot_exist_is_a_json_404(api, timeline, pk):
    response = api.get(f"/api/v1/events/{pk}/")
    assert response.status_code == 404
    assert list(response.json()) == ["detail"]


def test_odd_but_valid_text_is_searched_not_crashed_on(api, timeline):
    for text in ["'\"!&|:*()<->", "-", "🚀", "a" * 2000, "OR AND NOT", "%_\\"]:
        assert api.get("/api/v1/events/", {"q": text}).status_code == 200, text
