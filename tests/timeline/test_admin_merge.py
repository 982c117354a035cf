"""Merge, split, claims side by side, history and deletion through the admin."""
from __future__ import annotations

import pytest

from tests.factories import make_article, make_event, make_evidence
from tests.timeline.admin_posts import EVENT_CHANGELIST, action, event_form
from timeline.models import Claim, Event, Evidence, Tombstone

pytestmark = pytest.mark.django_db


def merge_confirmed(events, survivor) -> dict:
    # The confirmation page's form: no "index", so Django runs the action with post=yes.
    return {
        "action": "merge",
        "_selected_action": [str(e.pk) for e in events],
        "post": "yes",
        "survivor": str(survivor.pk),
    }


# Merge


def test_merge_asks_which_event_to_keep_proposing_the_most_sourced(editor_client):
    a = make_event(title="Kharkiv shelled", evidence_from=[make_article()])
    b = make_event(title="Shelling of Kharkiv", evidence_from=[make_article(), make_article()])
    response = editor_client.post(EVENT_CHANGELIST, action("merge", [a, b]))
    assert response.status_code == 200
    assert response.templates[0].name == "admin/timeline/event/merge_confirmation.html"
    html = response.content.decode()
    assert f'value="{b.pk}" checked' in html
    assert f'value="{a.pk}">' in html
    assert Event.objects.count() == 2  # nothing merged yet


def test_merge_unites_evidence_redirects_the_permalink_and_leaves_a_tombstone(
    editor_client, client
):
    shared = make_article("Russian forces shelled Kharkiv on Monday, killing seven people.")
    other = make_article("Kharkiv came under artillery fire on Monday.")
    a = make_event(title="Kharkiv shelled", evidence_from=[shared])
    b = make_event(title="Shelling of Kharkiv", evidence_from=[shared, other])
    response = editor_client.post(EVENT_CHANGELIST, merge_confirmed([a, b], survivor=b))
    assert (response.status_code, response.url) == (302, f"/admin/timeline/event/{b.pk}/change/")
    assert list(Event.objects.values_list("pk", flat=True)) == [b.pk]
    # The duplicate quote of `shared` is dropped; one row per article remains.
    assert sorted(Evidence.objects.values_list("event_id", "article_id")) == sorted(
        [(b.pk, shared.pk), (b.pk, other.pk)]
    )
    tombstone = Tombstone.objects.get(event_id=a.pk)
    assert (tombstone.reason, tombstone.merged_into_id) == ("merged", b.pk)
    permalink = client.get(f"/events/{a.pk}/")
    assert (permalink.status_code, permalink.url) == (301, f"/events/{b.pk}/")


def test_merge_keeps_the_event_the_editor_chose(editor_client):
    a = make_event(title="keep me", evidence_from=[make_article()])
    b = make_event(title="more sources", evidence_from=[make_article(), make_article()])
    editor_client.post(EVENT_CHANGELIST, merge_confirmed([a, b], survivor=a))
    assert list(Event.objects.values_list("title", flat=True)) == ["keep me"]
    assert Event.objects.get().source_count == 3


def test_merge_of_one_event_is_refused_with_a_message(editor_client):
    a = make_event()
    response = editor_client.post(EVENT_CHANGELIST, action("merge", [a]), follow=True)
    assert "Select between 2 and" in response.content.decode()
    assert Event.objects.count() == 1


# Split


def test_split_moves_selected_evidence_to_a_new_draft_and_opens_it(editor_client):
    first, second = make_article(), make_article("Odesa port was struck on Tuesday night.")
    event = make_event(title="Strikes", evidence_from=[first, second])
    moving = event.evidence.get(article=second)
    response = editor_client.post(
        "/admin/timeline/evidence/", action("split", [moving])
    )
    new = Event.objects.exclude(pk=event.pk).get()
    assert (response.status_code, response.url) == (302, f"/admin/timeline/event/{new.pk}/change/")
    assert (new.status, new.origin) == (Event.Status.DRAFT, Event.Origin.EDITOR)
    assert list(new.evidence.all()) == [moving]
    assert list(event.evidence.values_list("article_id", flat=True)) == [first.pk]


def test_the_event_page_links_to_its_evidence_for_splitting(editor_client):
    event = make_event(evidence_from=[make_article(), make_article()])
    make_event(evidence_from=[make_article()])
    html = editor_client.get(f"/admin/timeline/event/{event.pk}/change/").content.decode()
    link = f"/admin/timeline/evidence/?event__id__exact={event.pk}"
    assert link in html
    response = editor_client.get(link)
    assert response.status_code == 200
    assert {e.event_id for e in response.context["cl"].result_list} == {event.pk}
    assert len(response.context["cl"].result_list) == 2


# Claims


def test_differing_claims_show_side_by_side_with_their_claimants(editor_client):
    kyiv = make_article("Ukraine said its drones destroyed or severely damaged 41 aircraft.")
    moscow = make_article("Russia's defence ministry said several aircraft caught fire.")
    event = make_event(title="Operation Spiderweb", evidence_from=[kyiv, moscow])
    ev_kyiv, ev_moscow = event.evidence.order_by("article_id")
    Claim.objects.create(event=event, kind="aircraft_destroyed", value="41",
                         claimant="Security Service of Ukraine", evidence=ev_kyiv)
    Claim.objects.create(event=event, kind="aircraft_destroyed", value="several",
                         claimant="Russian defence ministry", evidence=ev_moscow)
    Claim.objects.create(event=event, kind="fatalities", value="0", claimant="officials")
    html = editor_client.get(f"/admin/timeline/event/{event.pk}/change/").content.decode()
    table = html[html.index('<table class="claims-compared">'):]
    table = table[: table.index("</table>")]
    row = table[table.index("Aircraft destroyed"):]
    row = row[: row.index("</tr>")]
    assert "(differing)" in row
    assert row.index("<strong>41</strong>") < row.index("Security Service of Ukraine")
    assert row.index("Security Service of Ukraine") < row.index("<strong>several</strong>")
    assert row.index("<strong>several</strong>") < row.index("Russian defence ministry")
    fatalities = table[table.index("Fatalities"):]
    assert "(differing)" not in fatalities[: fatalities.index("</tr>")]


def test_claims_added_in_the_inline_are_the_editors(editor_client):
    article = make_article("The governor said seven people were killed.")
    event = make_event(evidence_from=[article])
    evidence = event.evidence.get()
    response = editor_client.post(
        f"/admin/timeline/event/{event.pk}/change/",
        event_form(event, claims=[{
            "kind": "fatalities", "value": "7", "claimant": "governor", "evidence": evidence.pk,
        }]),
    )
    assert response.status_code == 302
    claim = Claim.objects.get()
    assert (claim.value, claim.claimant, claim.origin, claim.evidence) == (
        "7", "governor", "editor", evidence
    )


def test_a_claim_inline_offers_only_the_events_own_evidence(editor_client):
    event = make_event(evidence_from=[make_article()])
    other = make_event(evidence_from=[make_article()])
    response = editor_client.get(f"/admin/timeline/event/{event.pk}/change/")
    claims = response.context["inline_admin_formsets"][1].formset
    assert list(claims.empty_form.fields["evidence"].queryset) == list(event.evidence.all())
    assert other.evidence.get() not in claims.empty_form.fields["evidence"].queryset


# History


def test_admin_changes_are_recorded_in_history_with_the_editor(editor_client, editor):
    article = make_article("Kharkiv was shelled on Monday.")
    event = make_event(title="Shelling", evidence_from=[article])
    before = event.history.count()
    editor_client.post(
        f"/admin/timeline/event/{event.pk}/change/", event_form(event, title="Shelling of Kharkiv")
    )
    editor_client.post(EVENT_CHANGELIST, action("verify_events", [event]))
    records = list(event.history.order_by("history_id"))[before:]
    assert [(r.title, r.verified, r.history_type, r.history_user) for r in records] == [
        ("Shelling of Kharkiv", False, "~", editor),
        ("Shelling of Kharkiv", True, "~", editor),
    ]
    page = editor_client.get(f"/admin/timeline/event/{event.pk}/history/")
    assert page.status_code == 200
    assert "Shelling of Kharkiv" in page.content.decode()


def test_moving_evidence_and_claims_is_recorded_in_their_history(editor_client, editor):
    article = make_article()
    a = make_event(evidence_from=[article])
    b = make_event(evidence_from=[make_article(), make_article()])
    claim = Claim.objects.create(event=a, kind="fatalities", value="3", evidence=a.evidence.get())
    moved = a.evidence.get()
    editor_client.post(EVENT_CHANGELIST, merge_confirmed([a, b], survivor=b))
    assert moved.history.latest().event_id == b.pk
    assert moved.history.latest().history_user == editor
    assert claim.history.latest().event_id == b.pk
    assert editor_client.get(f"/admin/timeline/evidence/{moved.pk}/history/").status_code == 200
    assert editor_client.get(f"/admin/timeline/claim/{claim.pk}/history/").status_code == 200


# Deletion


def test_deleting_events_in_the_admin_leaves_tombstones(editor_client):
    a, b = make_event(), make_event()
    response = editor_client.post(
        EVENT_CHANGELIST,
        {"action": "delete_selected", "_selected_action": [a.pk, b.pk], "post": "yes"},
    )
    assert response.status_code == 302
    assert sorted(Tombstone.objects.values_list("event_id", "reason")) == [
        (a.pk, "deleted"), (b.pk, "deleted")
    ]
    one = make_event()
    editor_client.post(f"/admin/timeline/event/{one.pk}/delete/", {"post": "yes"})
    assert Tombstone.objects.filter(event_id=one.pk, reason="deleted").exists()


def test_an_edited_evidence_row_must_stay_verbatim(editor_client):
    article = make_article("Kharkiv was shelled on Monday.")
    event = make_event()
    evidence = make_evidence(event, article, 0, 7)
    url = f"/admin/timeline/evidence/{evidence.pk}/change/"
    data = {"event": event.pk, "article": article.pk, "quote": "shelled on Monday"}
    assert editor_client.post(url, data).status_code == 302
    evidence.refresh_from_db()
    assert (evidence.char_start, evidence.char_end) == (12, 29)
    response = editor_client.post(url, {**data, "quote": "shelled on Tuesday"})
    assert response.status_code == 200
    assert "not in the article" in response.context["adminform"].form.errors["quote"][0]


def test_the_api_lists_merged_and_deleted_events_as_deleted(editor_client, client):
    a = make_event(evidence_from=[make_article()])
    b = make_event(evidence_from=[make_article(), make_article()])
    gone = make_event()
    editor_client.post(EVENT_CHANGELIST, merge_confirmed([a, b], survivor=b))
    editor_client.post(f"/admin/timeline/event/{gone.pk}/delete/", {"post": "yes"})
    body = client.get("/api/v1/events/deleted/").json()
    rows = body["results"] if isinstance(body, dict) else body
    assert sorted((r["event_id"], r["reason"], r["merged_into"]) for r in rows) == sorted(
        [(a.pk, "merged", b.pk), (gone.pk, "deleted", None)]
    )
    ids = [e["id"] for e in client.get("/api/v1/events/").json()["results"]]
    assert ids == [b.pk]


def test_a_claim_on_evidence_of_another_event_is_a_form_error(editor_client):
    event = make_event(evidence_from=[make_article()])
    other = make_event(evidence_from=[make_article()])
    data = {"event": event.pk, "kind": "fatalities", "value": "7",
            "evidence": other.evidence.get().pk}
    response = editor_client.post("/admin/timeline/claim/add/", data)
    assert "its own event" in response.context["adminform"].form.errors["evidence"][0]
    data["evidence"] = event.evidence.get().pk
    assert editor_client.post("/admin/timeline/claim/add/", data).status_code == 302
    assert Claim.objects.get().origin == Event.Origin.EDITOR
