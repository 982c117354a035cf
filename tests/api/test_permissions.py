"""Who may do what: anonymous callers, tokens without editor rights, and editors."""
from __future__ import annotations

from datetime import date

import pytest

from tests.factories import make_article, make_event
from timeline.api.views import EventViewSet
from timeline.models import Event, Evidence


@pytest.fixture
def rows(db):
    article = make_article("Drones hit an oil depot near Bryansk on Sunday.")
    event = make_event(title="Drone strike on a depot", evidence_from=[article])
    draft = make_event(title="A draft", status=Event.Status.DRAFT)
    return {"article": article, "event": event, "draft": draft, "evidence": event.evidence.get()}


def write_requests(rows) -> list[tuple[str, str, dict]]:
    event, evidence, article = rows["event"], rows["evidence"], rows["article"]
    return [
        ("post", "/api/v1/events/",
         {"date_start": "2025-06-01", "title": "New", "event_type": "AID"}),
        ("patch", f"/api/v1/events/{event.pk}/", {"title": "Renamed"}),
        ("put", f"/api/v1/events/{event.pk}/",
         {"date_start": "2025-06-02", "title": "Replaced", "event_type": "AID"}),
        ("post", "/api/v1/evidence/",
         {"event": event.pk, "article": article.pk, "quote": "an oil depot"}),
        ("delete", f"/api/v1/evidence/{evidence.pk}/", None),
        ("delete", f"/api/v1/events/{event.pk}/", None),
    ]


WRITE_IDS = ["create event", "patch event", "put event", "cite evidence", "withdraw evidence",
             "delete event"]


@pytest.mark.parametrize("index", range(6), ids=WRITE_IDS)
def test_anonymous_writes_are_401_and_change_nothing(api, rows, index):
    method, url, body = write_requests(rows)[index]
    def state():
        return (Event.objects.count(), Evidence.objects.count(),
                Event.objects.get(pk=rows["event"].pk).title)

    before = state()
    response = getattr(api, method)(url, body, format="json")
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"] == "Token"
    assert state() == before


@pytest.mark.parametrize("index", range(6), ids=WRITE_IDS)
def test_a_token_without_editor_rights_gets_403(reader_api, rows, index):
    method, url, body = write_requests(rows)[index]
    response = getattr(reader_api, method)(url, body, format="json")
    assert response.status_code == 403
    assert Event.objects.filter(title="Drone strike on a depot").exists()


@pytest.mark.parametrize(
    ("index", "status"), [(0, 201), (1, 200), (2, 200), (3, 201), (4, 204), (5, 204)], ids=WRITE_IDS
)
def test_an_editor_token_may_write(editor_api, rows, index, status):
    method, url, body = write_requests(rows)[index]
    response = getattr(editor_api, method)(url, body, format="json")
    assert response.status_code == status, response.content


def test_an_editor_session_may_write_too(editor_client, rows):
    response = editor_client.patch(
        f"/api/v1/events/{rows['event'].pk}/", {"title": "Renamed"}, content_type="application/json"
    )
    assert response.status_code == 200
    assert response.json()["title"] == "Renamed"


@pytest.mark.parametrize("who", ["api", "reader_api", "editor_api"])
def test_a_list_is_read_without_building_the_views_queryset(request, rows, monkeypatch, who):
    # Permissions of a read never depend on the model: nothing asks for the queryset.
    def refuse(view):
        raise AssertionError("get_queryset called")

    monkeypatch.setattr(EventViewSet, "get_queryset", refuse)
    client = request.getfixturevalue(who)
    assert client.get("/api/v1/events/").status_code == 200
    assert client.head("/api/v1/events/").status_code == 200


@pytest.mark.parametrize("who", ["api", "reader_api"])
def test_drafts_are_invisible_to_readers(request, rows, who):
    client = request.getfixturevalue(who)
    draft = rows["draft"]
    assert client.get(f"/api/v1/events/{draft.pk}/").status_code == 404
    listed = [r["id"] for r in client.get("/api/v1/events/").json()["results"]]
    assert listed == [rows["event"].pk]
    # Evidence of a draft is not listed either.
    make_event(title="Second draft", status=Event.Status.DRAFT, evidence_from=[rows["article"]])
    evidence = client.get("/api/v1/evidence/").json()["results"]
    assert [e["event"] for e in evidence] == [rows["event"].pk]


def test_editors_see_drafts(editor_api, rows):
    draft = rows["draft"]
    assert editor_api.get(f"/api/v1/events/{draft.pk}/").json()["status"] == "draft"
    listed = {r["id"] for r in editor_api.get("/api/v1/events/").json()["results"]}
    assert listed == {rows["event"].pk, draft.pk}


def test_readers_see_done_articles_and_only_their_published_events(api, editor_api, rows):
    queued = make_article("Not read yet.", status="queued")
    make_event(title="Draft from the same article", status=Event.Status.DRAFT,
               date_start=date(2025, 7, 1), evidence_from=[rows["article"]])
    public = api.get("/api/v1/articles/").json()["results"]
    assert [a["id"] for a in public] == [rows["article"].pk]
    assert [e["title"] for e in public[0]["events"]] == ["Drone strike on a depot"]
    everything = editor_api.get("/api/v1/articles/").json()["results"]
    assert [a["id"] for a in everything] == [rows["article"].pk, queued.pk]
    assert [e["title"] for e in everything[0]["events"]] == [
        "Drone strike on a depot", "Draft from the same article"
    ]
