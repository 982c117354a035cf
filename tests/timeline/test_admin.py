"""The review queue, review actions and adding or correcting events by hand in the admin."""
from __future__ import annotations

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import make_actor, make_article, make_event, make_place
from tests.timeline.admin_posts import EVENT_CHANGELIST, REVIEW_QUEUE, action, event_form
from timeline.models import Event, Evidence

pytestmark = pytest.mark.django_db

ADD = "/admin/timeline/event/add/"

TEXT = (
    "KYIV, June 4. Russian forces shelled Kharkiv on Monday, killing seven people. "
    "Officials said more than 100 were injured."
)


def titles_in(response) -> list[str]:
    return [event.title for event in response.context["cl"].result_list]


# The landing page and the queue


def test_the_admin_index_leads_to_the_review_queue_with_its_count(editor_client):
    make_event(status=Event.Status.DRAFT)
    make_event(status=Event.Status.DRAFT)
    make_event(status=Event.Status.PUBLISHED)
    response = editor_client.get("/admin/")
    html = response.content.decode()
    assert response.status_code == 200
    assert f'href="{REVIEW_QUEUE}"' in html
    assert "2 machine-extracted drafts waiting" in html
    # The queue comes before the list of models.
    assert html.index("review-queue-module") < html.index("app-timeline")


def test_review_queue_lists_machine_drafts_by_confidence_then_sources(editor_client):
    make_event(title="low", status=Event.Status.DRAFT, confidence=0.2, source_count=9)
    make_event(title="high, one source", status=Event.Status.DRAFT, confidence=0.4, source_count=1)
    make_event(
        title="high, three sources", status=Event.Status.DRAFT, confidence=0.4, source_count=3
    )
    make_event(title="published", status=Event.Status.PUBLISHED, confidence=0.9)
    make_event(title="rejected", status=Event.Status.REJECTED, confidence=0.9)
    make_event(title="by an editor", status=Event.Status.DRAFT, origin=Event.Origin.EDITOR)
    response = editor_client.get(REVIEW_QUEUE)
    assert response.status_code == 200
    assert titles_in(response) == ["high, three sources", "high, one source", "low"]
    assert "Review queue" in response.context["title"]


def test_bulk_publish_from_the_queue_shows_events_to_readers_unverified(editor_client, client):
    a = make_event(title="Strike on Odesa port", status=Event.Status.DRAFT, confidence=0.4)
    b = make_event(title="Shelling of Kharkiv", status=Event.Status.DRAFT, confidence=0.3)
    stays = make_event(title="Drone attack on Sumy", status=Event.Status.DRAFT, confidence=0.2)
    response = editor_client.post(REVIEW_QUEUE, action("publish_events", [a, b]))
    assert (response.status_code, response.url) == (302, REVIEW_QUEUE)
    assert dict(Event.objects.values_list("title", "status")) == {
        "Strike on Odesa port": "published",
        "Shelling of Kharkiv": "published",
        "Drone attack on Sumy": "draft",
    }
    assert not Event.objects.filter(verified=True).exists()
    assert titles_in(editor_client.get(REVIEW_QUEUE)) == [stays.title]
    client.logout()
    page = client.get("/").content.decode()
    assert "Strike on Odesa port" in page and "Drone attack on Sumy" not in page


def test_bulk_reject_takes_events_out_of_the_queue(editor_client):
    a = make_event(status=Event.Status.DRAFT)
    editor_client.post(REVIEW_QUEUE, action("reject_events", [a]))
    a.refresh_from_db()
    assert (a.status, a.locked_fields) == (Event.Status.REJECTED, ["status"])


def test_marking_verified_is_separate_from_publishing(editor_client):
    draft = make_event(status=Event.Status.DRAFT)
    editor_client.post(REVIEW_QUEUE, action("verify_events", [draft]))
    draft.refresh_from_db()
    assert (draft.status, draft.verified) == (Event.Status.DRAFT, True)
    published = make_event(status=Event.Status.PUBLISHED, verified=True)
    editor_client.post(EVENT_CHANGELIST, action("unverify_events", [published]))
    published.refresh_from_db()
    assert (published.status, published.verified) == (Event.Status.PUBLISHED, False)


# Adding by hand


def test_adding_an_event_by_hand_finds_the_quote_offsets(editor_client):
    article = make_article(TEXT)
    russia, place = make_actor("Russia"), make_place("Kharkiv", country="Ukraine")
    data = event_form(
        title="Shelling of Kharkiv", date_start="2025-06-02", precision="day",
        event_type="ASSAULT", mode="artillery", actors=[str(russia.pk)], place=str(place.pk),
        status="published",
        evidence=[{"article": article.pk, "quote": "killing seven people"}],
    )
    response = editor_client.post(ADD, data)
    assert response.status_code == 302, response.context["errors"]
    event = Event.objects.get()
    assert (event.origin, event.status, event.verified) == ("editor", "published", False)
    assert (event.date_start, event.place, list(event.actors.all())) == (
        date(2025, 6, 2), place, [russia]
    )
    evidence = Evidence.objects.get()
    assert (evidence.char_start, evidence.char_end, evidence.origin) == (56, 76, "editor")
    assert event.source_count == 1


def test_a_quote_not_in_the_article_is_a_form_error(editor_client):
    article = make_article(TEXT)
    data = event_form(
        title="Shelling of Kharkiv", date_start="2025-06-02", precision="day",
        event_type="ASSAULT", status="draft",
        evidence=[{"article": article.pk, "quote": "killing eight people"}],
    )
    response = editor_client.post(ADD, data)
    assert response.status_code == 200
    errors = response.context["inline_admin_formsets"][0].formset.errors
    assert "not in the article" in errors[0]["quote"][0]
    assert not Event.objects.exists()


def test_the_same_quote_twice_is_a_form_error(editor_client):
    article = make_article(TEXT)
    row = {"article": article.pk, "quote": "killing seven people"}
    data = event_form(
        title="x", date_start="2025-06-02", precision="day", event_type="ASSAULT",
        status="draft", evidence=[row, row],
    )
    response = editor_client.post(ADD, data)
    assert response.status_code == 200
    evidence_formset = response.context["inline_admin_formsets"][0].formset
    assert "same place" in str(evidence_formset.non_form_errors())


def test_a_range_needs_an_end_and_a_day_has_none(editor_client):
    base = dict(title="x", event_type="ASSAULT", status="draft", date_start="2025-06-02")
    response = editor_client.post(ADD, event_form(**base, precision="range"))
    assert "needs an end date" in response.context["adminform"].form.errors["date_end"][0]
    response = editor_client.post(ADD, event_form(**base, precision="day", date_end="2025-06-03"))
    assert "has no end date" in response.context["adminform"].form.errors["date_end"][0]
    response = editor_client.post(ADD, event_form(**base, precision="range", date_end="2025-06-05"))
    assert response.status_code == 302
    assert Event.objects.get().date_end == date(2025, 6, 5)


def test_the_add_form_offers_actor_and_place_autocomplete(editor_client):
    html = editor_client.get(ADD).content.decode()
    for name in ("actors", "place"):
        assert f'name="{name}" id="id_{name}" class="admin-autocomplete"' in html
    response = editor_client.get(
        "/admin/autocomplete/",
        {"app_label": "timeline", "model_name": "event", "field_name": "actors", "term": "Rus"},
    )
    assert response.status_code == 200
    make_actor("Russia")
    response = editor_client.get(
        "/admin/autocomplete/",
        {"app_label": "timeline", "model_name": "event", "field_name": "actors", "term": "Rus"},
    )
    assert [r["text"] for r in response.json()["results"]] == ["Russia"]


# Correcting: editor-set fields are locked


def test_changing_fields_in_the_admin_locks_exactly_those_fields(editor_client):
    place = make_place("Kharkiv")
    event = make_event(title="Shelling", place=place, status=Event.Status.DRAFT)
    response = editor_client.post(
        f"/admin/timeline/event/{event.pk}/change/",
        event_form(event, title="Shelling of Kharkiv", place=""),
    )
    assert response.status_code == 302
    event.refresh_from_db()
    assert (event.title, event.place) == ("Shelling of Kharkiv", None)
    assert event.locked_fields == ["place", "title"]
    assert event.origin == Event.Origin.EXTRACTED


def test_adding_evidence_to_a_stored_event_keeps_its_rows(editor_client):
    first, second = make_article(TEXT), make_article("Witnesses in Kharkiv counted seven dead.")
    event = make_event(evidence_from=[first])
    response = editor_client.post(
        f"/admin/timeline/event/{event.pk}/change/",
        event_form(event, evidence=[{"article": second.pk, "quote": "counted seven dead"}]),
    )
    assert response.status_code == 302
    assert sorted(event.evidence.values_list("article_id", "char_start", "char_end")) == [
        (first.pk, 0, 60), (second.pk, 21, 39)
    ]
    event.refresh_from_db()
    assert event.source_count == 2
    assert event.locked_fields == []


def test_the_queue_costs_the_same_queries_for_three_or_twelve_drafts(
    editor_client, django_assert_num_queries
):
    for _ in range(3):
        make_event(status=Event.Status.DRAFT, place=make_place())
    with CaptureQueriesContext(connection) as few:
        assert len(titles_in(editor_client.get(REVIEW_QUEUE))) == 3
    for _ in range(9):
        make_event(status=Event.Status.DRAFT, place=make_place())
    with django_assert_num_queries(len(few)):
        assert len(titles_in(editor_client.get(REVIEW_QUEUE))) == 12
