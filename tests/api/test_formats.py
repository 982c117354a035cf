"""CSV, GeoJSON, TimelineJS and iCalendar: every matching event, streamed, same filters."""
from __future__ import annotations

import csv
import io
import json
from datetime import date

import icalendar
import pytest
from django.test import override_settings

from tests.factories import make_article, make_event
from timeline.exports import CSV_COLUMNS

MEDIA_TYPES = {
    "csv": "text/csv",
    "geojson": "application/geo+json",
    "timelinejs": "application/vnd.timelinejs+json",
    "ics": "text/calendar",
}


def body(response) -> str:
    assert response.status_code == 200, response.content[:300] if not response.streaming else ""
    if response.streaming:
        return b"".join(response.streaming_content).decode("utf-8")
    return response.content.decode("utf-8")


def csv_rows(response) -> list[dict]:
    return list(csv.DictReader(io.StringIO(body(response))))


@pytest.mark.parametrize("name", list(MEDIA_TYPES))
def test_each_format_is_chosen_by_the_format_parameter_or_the_accept_header(api, timeline, name):
    by_param = api.get("/api/v1/events/", {"format": name})
    by_accept = api.get("/api/v1/events/", HTTP_ACCEPT=MEDIA_TYPES[name])
    for response in (by_param, by_accept):
        assert response.headers["Content-Type"] == f"{MEDIA_TYPES[name]}; charset=utf-8"
        assert response.streaming  # built as it is sent, not in memory first
        assert "attachment;" in response.headers["Content-Disposition"]
    assert body(by_param) == body(by_accept)


def test_json_stays_the_default(api, timeline):
    response = api.get("/api/v1/events/")
    assert response.headers["Content-Type"] == "application/json"


def test_csv_has_every_matching_event_not_just_one_page(api, db):
    for n in range(60):
        make_event(title=f"Strike {n:02d}", event_type="ASSAULT", date_start=date(2025, 1, 1))
    make_event(title="Talks", event_type="CONSULT")
    rows = csv_rows(api.get("/api/v1/events/", {"format": "csv", "event_type": "ASSAULT"}))
    assert [r["title"] for r in rows] == [f"Strike {n:02d}" for n in range(60)]
    assert list(rows[0]) == CSV_COLUMNS


def test_csv_row_of_an_event_with_sources(api, timeline):
    rows = csv_rows(api.get("/api/v1/events/", {"format": "csv", "place": "Kyiv"}))
    assert len(rows) == 1
    row = rows[0]
    assert {k: row[k] for k in ("date_start", "event_type", "actors", "place", "country",
                                  "latitude", "source_count", "source_urls")} == {
        "date_start": "2025-03-04", "event_type": "ASSAULT", "actors": "Russia; Ukraine",
        "place": "Kyiv", "country": "Ukraine", "latitude": "50.45", "source_count": "2",
        "source_urls": "https://reuters.com/a1 https://apnews.com/a2",
    }
    assert row["url"] == f"http://testserver/events/{timeline['kyiv_strike'].pk}/"


def test_csv_cells_that_a_spreadsheet_would_run_are_defused(api, db):
    make_event(title='=HYPERLINK("http://evil.example","click")', summary="+1 claim", mode="@x")
    row = csv_rows(api.get("/api/v1/events/", {"format": "csv"}))[0]
    assert row["title"].startswith("'=HYPERLINK")
    assert (row["summary"], row["mode"]) == ("'+1 claim", "'@x")


def test_exports_follow_the_same_filters_and_the_same_visibility(api, editor_api, timeline):
    rows = csv_rows(api.get("/api/v1/events/", {"format": "csv", "actor": "Russia"}))
    assert [r["title"] for r in rows] == ["Missile strike on Kyiv", "Shelling of Kharkiv school"]
    rows = csv_rows(editor_api.get("/api/v1/events/", {"format": "csv", "actor": "Russia"}))
    assert "Unconfirmed drone attack" in [r["title"] for r in rows]


def test_geojson_is_a_feature_collection_with_null_geometry_when_unlocated(api, timeline):
    collection = json.loads(body(api.get("/api/v1/events/", {"format": "geojson"})))
    assert collection["type"] == "FeatureCollection"
    by_title = {f["properties"]["title"]: f for f in collection["features"]}
    assert len(by_title) == 5
    kyiv = by_title["Missile strike on Kyiv"]
    assert kyiv["geometry"] == {"type": "Point", "coordinates": [30.52, 50.45]}
    assert [s["quote"] for s in kyiv["properties"]["sources"]] == [
        "Missiles struck Kyiv overnight, officials said.",
        "A missile strike hit the capital Kyiv on Tuesday.",
    ]
    assert by_title["Ceasefire talks in Doha"]["geometry"] is None


def test_timelinejs_dates_follow_the_precision_and_text_is_escaped(api, db):
    article = make_article('He said <script>alert(1)</script> "loudly".', url="javascript:alert(1)")
    make_event(title="<b>Bold</b> claim", evidence_from=[article], date_start=date(2025, 6, 1))
    make_event(title="A month", precision="month", date_start=date(2025, 7, 1),
               date_end=date(2025, 7, 31))
    make_event(title="A range", precision="range", date_start=date(2025, 8, 1),
               date_end=date(2025, 8, 3))
    document = json.loads(body(api.get("/api/v1/events/", {"format": "timelinejs"})))
    slides = document["events"]
    assert slides[0]["text"]["headline"] == "&lt;b&gt;Bold&lt;/b&gt; claim"
    assert "<script>" not in slides[0]["text"]["text"]
    assert "&lt;script&gt;" in slides[0]["text"]["text"]
    assert "javascript:" not in slides[0]["text"]["text"]  # not made a link
    assert slides[0]["start_date"] == {"year": 2025, "month": 6, "day": 1}
    assert (slides[1]["start_date"], "end_date" in slides[1]) == ({"year": 2025, "month": 7}, False)
    assert slides[2]["end_date"] == {"year": 2025, "month": 8, "day": 3}


def test_icalendar_parses_with_all_day_events_ending_the_day_after(api, timeline):
    calendar = icalendar.Calendar.from_ical(body(api.get("/api/v1/events/", {"format": "ics"})))
    events = {str(e["SUMMARY"]): e for e in calendar.walk("VEVENT")}
    assert len(events) == 5
    doha = events["Ceasefire talks in Doha"]
    assert (doha["DTSTART"].dt, doha["DTEND"].dt) == (date(2025, 4, 1), date(2025, 4, 4))
    kyiv = events["Missile strike on Kyiv"]
    assert str(kyiv["LOCATION"]) == "Kyiv, Ukraine"
    assert "Missiles struck Kyiv overnight" in str(kyiv["DESCRIPTION"])
    assert str(kyiv["UID"]) == f"event-{timeline['kyiv_strike'].pk}@testserver"


def test_one_event_in_an_export_format(api, timeline):
    event = timeline["kyiv_strike"]
    response = api.get(f"/api/v1/events/{event.pk}/", {"format": "ics"})
    calendar = icalendar.Calendar.from_ical(body(response))
    assert [str(e["SUMMARY"]) for e in calendar.walk("VEVENT")] == ["Missile strike on Kyiv"]
    assert response.headers["ETag"]


@override_settings(API_EXPORT_MAX_EVENTS=3)
def test_an_export_past_the_cap_is_cut_and_says_so(api, timeline):
    response = api.get("/api/v1/events/", {"format": "csv"})
    assert len(csv_rows(response)) == 3
    assert response.headers["X-Export-Truncated"] == "true; limit=3"
    small = api.get("/api/v1/events/", {"format": "csv", "event_type": "ASSAULT"})
    assert "X-Export-Truncated" not in small.headers


def test_a_bad_filter_in_an_export_format_is_a_json_400(api, timeline):
    response = api.get("/api/v1/events/", {"format": "csv", "date_from": "2025-13-45"})
    assert response.status_code == 400
    assert response.headers["Content-Type"] == "application/json"
    assert list(response.json()) == ["date_from"]


@pytest.mark.parametrize(
    ("params", "named"),
    [({"page_size": "0"}, "page_size"), ({"cursor": "nope"}, "cursor"),
     ({"ordering": "x"}, "ordering")],
)
def test_an_export_checks_the_paging_parameters_it_does_not_use(api, timeline, params, named):
    response = api.get("/api/v1/events/", {"format": "csv", **params})
    assert response.status_code == 400
    assert list(response.json()) == [named]


def test_writes_answer_in_json_only(editor_api, db):
    response = editor_api.post("/api/v1/events/?format=csv", {}, format="json")
    assert response.status_code == 404
    assert response.headers["Content-Type"] == "application/json"


def test_other_resources_have_no_export_formats(api, timeline):
    assert api.get("/api/v1/actors/", {"format": "csv"}).status_code == 404
