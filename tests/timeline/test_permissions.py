"""Who may change events, and who sees drafts."""
from __future__ import annotations

import importlib

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.management import call_command
from django.db import connection
from django.db.migrations.loader import MigrationLoader

from tests.factories import make_event
from tests.timeline.admin_posts import EVENT_CHANGELIST, REVIEW_QUEUE, action, event_form
from timeline.models import Event
from timeline.roles import (
    EDITOR_PERMISSIONS, EDITORS_GROUP, editor_permissions, ensure_editors_group,
)

pytestmark = pytest.mark.django_db


def group_permissions() -> set[str]:
    group = Group.objects.get(name=EDITORS_GROUP)
    return {
        f"{app}.{codename}"
        for app, codename in group.permissions.values_list("content_type__app_label", "codename")
    }


@pytest.fixture
def outsider_client(client, django_user_model):
    """Staff (may log into the admin) but not an editor."""
    user = django_user_model.objects.create_user(
        "visitor", password="visitor-pass-123", is_staff=True
    )
    client.force_login(user)
    return client


def test_the_data_migration_creates_the_editors_group_with_exactly_its_permissions():
    # Run the migration's own function on the historical models: the test database's copy
    # of the group may have been flushed away by an earlier transactional test.
    migration = importlib.import_module("timeline.migrations.0002_editors_group")
    state = MigrationLoader(connection).project_state(("timeline", "0002_editors_group"))
    Group.objects.filter(name=EDITORS_GROUP).delete()
    migration.create_editors_group(state.apps, None)
    assert group_permissions() == set(migration.EDITOR_PERMISSIONS) == set(EDITOR_PERMISSIONS)
    migration.delete_editors_group(state.apps, None)
    assert not Group.objects.filter(name=EDITORS_GROUP).exists()


def test_editors_may_not_delete_vocabularies_nor_touch_articles_users_or_tombstones():
    ensure_editors_group()
    perms = group_permissions()
    assert "timeline.delete_actor" not in perms and "timeline.delete_place" not in perms
    assert {"timeline.change_article", "timeline.delete_article"}.isdisjoint(perms)
    assert {"timeline.change_tombstone", "timeline.delete_tombstone"}.isdisjoint(perms)
    assert not any(p.startswith("auth.") for p in perms)


def test_other_apps_add_the_permissions_their_editor_pages_need(monkeypatch):
    from django.apps import apps

    ingest = apps.get_app_config("ingest")
    monkeypatch.setattr(
        ingest, "editor_permissions", ("ingest.add_ingestjob", "ingest.view_ingestjob"),
        raising=False,
    )
    ensure_editors_group()
    assert group_permissions() == {
        *EDITOR_PERMISSIONS, "ingest.add_ingestjob", "ingest.view_ingestjob"
    }


def test_setup_roles_is_idempotent_and_corrects_a_drifted_group(capsys):
    group = ensure_editors_group()
    group.permissions.remove(Permission.objects.get(codename="change_event"))
    group.permissions.add(Permission.objects.get(codename="delete_user"))
    call_command("setup_roles")
    call_command("setup_roles")
    assert group_permissions() == set(editor_permissions())
    assert Group.objects.filter(name=EDITORS_GROUP).count() == 1
    assert f"group 'Editors': {len(editor_permissions())} permissions" in capsys.readouterr().out


def test_setup_roles_creates_the_group_when_missing():
    Group.objects.filter(name=EDITORS_GROUP).delete()
    call_command("setup_roles")
    assert group_permissions() == set(editor_permissions())


def test_an_editor_may_open_and_change_an_event(editor_client):
    event = make_event(status=Event.Status.DRAFT)
    assert editor_client.get(f"/admin/timeline/event/{event.pk}/change/").status_code == 200
    response = editor_client.post(
        f"/admin/timeline/event/{event.pk}/change/", event_form(event, title="Corrected")
    )
    assert response.status_code == 302
    event.refresh_from_db()
    assert event.title == "Corrected"


def test_a_user_outside_the_group_cannot_change_events(outsider_client):
    event = make_event(title="Original", status=Event.Status.DRAFT)
    change = f"/admin/timeline/event/{event.pk}/change/"
    assert outsider_client.get(change).status_code == 403
    assert outsider_client.post(change, event_form(event, title="Vandalised")).status_code == 403
    assert outsider_client.get(EVENT_CHANGELIST).status_code == 403
    assert outsider_client.get(REVIEW_QUEUE).status_code == 403
    assert outsider_client.post(REVIEW_QUEUE, action("publish_events", [event])).status_code == 403
    assert outsider_client.get("/admin/timeline/event/add/").status_code == 403
    event.refresh_from_db()
    assert (event.title, event.status) == ("Original", Event.Status.DRAFT)


def test_the_admin_index_shows_an_outsider_no_review_queue(outsider_client):
    html = outsider_client.get("/admin/").content.decode()
    assert "review-queue-link" not in html


def test_anonymous_users_see_no_drafts_on_the_page(client):
    make_event(title="Published shelling", status=Event.Status.PUBLISHED)
    make_event(title="Draft shelling", status=Event.Status.DRAFT)
    make_event(title="Rejected shelling", status=Event.Status.REJECTED)
    for query in ("", "?status=draft", "?status=draft&status=rejected"):
        html = client.get(f"/{query}").content.decode()
        assert "Published shelling" in html
        assert "Draft shelling" not in html
        assert "Rejected shelling" not in html


def test_anonymous_users_see_no_drafts_in_the_api(client):
    published = make_event(title="Published shelling", status=Event.Status.PUBLISHED)
    draft = make_event(title="Draft shelling", status=Event.Status.DRAFT)
    make_event(title="Rejected shelling", status=Event.Status.REJECTED)
    for query in ("", "?status=draft", "?status=rejected&status=draft"):
        body = client.get(f"/api/v1/events/{query}").json()
        assert {e["title"] for e in body["results"]} <= {"Published shelling"}
    assert [e["id"] for e in client.get("/api/v1/events/").json()["results"]] == [published.pk]
    assert client.get(f"/api/v1/events/{draft.pk}/").status_code == 404
    assert client.get(f"/events/{draft.pk}/").status_code == 404


def test_editors_see_drafts_in_the_api_and_on_the_permalink(editor_client):
    draft = make_event(title="Draft shelling", status=Event.Status.DRAFT)
    body = editor_client.get("/api/v1/events/?status=draft").json()
    assert [e["id"] for e in body["results"]] == [draft.pk]
    assert editor_client.get(f"/events/{draft.pk}/").status_code == 200
