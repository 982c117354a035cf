"""What editors' writes do: validation as 400s, locked fields, tombstones, source counts."""
from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.factories import make_actor, make_article, make_event, make_place
from timeline.editing import merge_events
from timeline.models import Event, Tombstone


def test_creating_an_event_records_an_editor_event_with_its_fields_locked(editor_api, db):
    actor, place = make_actor("Wagner Group"), make_place("Bakhmut", country="Ukraine")
    body = {
        "date_start": "2023-05-01", "date_end": "2023-05-20", "precision": "range",
        "title": "Battle of Bakhmut ends", "event_type": "ASSAULT", "actors": [actor.pk],
        "place": place.pk, "status": "published",
    }
    response = editor_api.post("/api/v1/events/", body, format="json")
    assert response.status_code == 201
    data = response.json()
    assert (data["origin"], data["place"]["name"], [a["name"] for a in data["actors"]]) == (
        "editor", "Bakhmut", ["Wagner Group"]
    )
    event = Event.objects.get(pk=data["id"])
    assert event.locked_fields == sorted(body)
    assert "Wagner Group" in event.search_text  # refreshed for search


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"precision": "range"}, "date_end"),  # a range without an end
        ({"date_end": "2025-06-05"}, "date_end"),  # a day with an end
        ({"precision": "range", "date_end": "2025-05-01"}, "date_end"),  # ends before it starts
        ({"event_type": "NOPE"}, "event_type"),
        ({"confidence": 1.5}, "confidence"),
        ({"title": ""}, "title"),
        ({"title": "x" * 301}, "title"),
        ({"title": " " + "x" * 300}, "title"),  # too long as sent, even if trimming fits it
        ({"mode": "m" * 41}, "mode"),
        ({"actors": [999999]}, "actors"),
        ({"place": 999999}, "place"),
        ({"date_start": "2025-02-30"}, "date_start"),
        ({"title": "nul \x00 byte"}, "title"),
    ],
)
def test_an_invalid_event_is_a_400_naming_the_field(editor_api, db, body, field):
    payload = {"date_start": "2025-06-01", "title": "T", "event_type": "AID", **body}
    response = editor_api.post("/api/v1/events/", payload, format="json")
    assert response.status_code == 400
    assert field in response.json()
    assert not Event.objects.exists()


def test_a_body_that_is_not_json_is_a_415(editor_api, db):
    response = editor_api.post("/api/v1/events/", "title=x", content_type="text/plain")
    assert response.status_code == 415


def test_editing_an_event_locks_the_fields_it_sets_and_keeps_earlier_locks(editor_api, db):
    event = make_event(title="Machine title", locked_fields=["place"])
    url = f"/api/v1/events/{event.pk}/"
    response = editor_api.patch(url, {"title": "Editor title"}, format="json")
    assert response.status_code == 200
    event.refresh_from_db()
    assert (event.title, event.locked_fields) == ("Editor title", ["place", "title"])


def test_a_patch_is_checked_against_the_stored_dates(editor_api, db):
    event = make_event(precision="day")
    url = f"/api/v1/events/{event.pk}/"
    response = editor_api.patch(url, {"date_end": "2025-06-09"}, format="json")
    assert response.status_code == 400
    assert "date_end" in response.json()


def test_deleting_an_event_leaves_a_tombstone_for_mirrors(editor_api, api, db):
    event = make_event()
    assert editor_api.delete(f"/api/v1/events/{event.pk}/").status_code == 204
    deleted = api.get("/api/v1/events/deleted/").json()["results"]
    assert [(t["event_id"], t["reason"], t["merged_into"]) for t in deleted] == [
        (event.pk, "deleted", None)
    ]


def test_merged_events_are_listed_with_the_event_they_went_into(api, db):
    keep, gone = make_event(title="Keep"), make_event(title="Gone")
    merge_events([keep, gone], survivor=keep)
    deleted = api.get("/api/v1/events/deleted/").json()["results"]
    assert [(t["event_id"], t["reason"], t["merged_into"]) for t in deleted] == [
        (gone.pk, "merged", keep.pk)
    ]


def test_tombstones_since_a_moment_and_in_pages(api, db):
    ids = []
    for n in range(3):
        event = make_event(title=f"E{n}")
        ids.append(event.pk)
        event.delete()
    moment = timezone.now() - timedelta(hours=1)
    Tombstone.objects.filter(event_id=ids[0]).update(deleted_at=moment - timedelta(days=1))
    recent = api.get("/api/v1/events/deleted/", {"deleted_since": moment.isoformat()}).json()
    assert [t["event_id"] for t in recent["results"]] == ids[1:]
    first = api.get("/api/v1/events/deleted/", {"page_size": 2}).json()
    second = api.get(first["next"]).json()
    assert [t["event_id"] for t in first["results"] + second["results"]] == ids


def test_citing_evidence_finds_the_quote_and_recounts_the_sources(editor_api, db):
    article = make_article("Officials said drones hit an oil depot near Bryansk.")
    event = make_event(title="Depot hit")
    Event.objects.filter(pk=event.pk).update(updated_at=timezone.now() - timedelta(days=1))
    body = {"event": event.pk, "article": article.pk, "quote": "drones hit an oil depot",
            "speaker": "Officials"}
    response = editor_api.post("/api/v1/evidence/", body, format="json")
    assert response.status_code == 201
    data = response.json()
    assert (data["char_start"], data["char_end"], data["origin"]) == (15, 38, "editor")
    event.refresh_from_db()
    assert event.source_count == 1
    assert "drones hit an oil depot" in event.search_text
    assert event.updated_at > timezone.now() - timedelta(minutes=1)  # mirrors will refetch it

    again = editor_api.post("/api/v1/evidence/", body, format="json")
    assert again.status_code == 400 and "quote" in again.json()


def test_a_quote_that_is_not_in_the_article_is_a_400(editor_api, db):
    article = make_article("Officials said drones hit an oil depot.")
    event = make_event()
    body = {"event": event.pk, "article": article.pk, "quote": "missiles hit a refinery"}
    response = editor_api.post("/api/v1/evidence/", body, format="json")
    assert response.status_code == 400
    assert "word for word" in response.json()["quote"][0]


def test_withdrawing_evidence_recounts_the_sources(editor_api, db):
    a1, a2 = make_article(), make_article()
    event = make_event(evidence_from=[a1, a2])
    assert event.source_count == 2
    evidence = event.evidence.filter(article=a1).get()
    assert editor_api.delete(f"/api/v1/evidence/{evidence.pk}/").status_code == 204
    event.refresh_from_db()
    assert event.source_count == 1


def test_evidence_cannot_be_edited_in_place(editor_api, db):
    event = make_event(evidence_from=[make_article()])
    evidence = event.evidence.get()
    response = editor_api.patch(f"/api/v1/evidence/{evidence.pk}/", {"quote": "x"}, format="json")
    assert response.status_code == 405
