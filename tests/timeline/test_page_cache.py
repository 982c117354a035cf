"""The rendered timeline page is cached per role, part and filter, under the generation."""
from __future__ import annotations

import re
from datetime import date

import pytest
from django.db import connection, transaction

from tests.factories import make_event
from timeline.models import Event

URL = "/?event_type=ASSAULT&date_from=2025-06-01&date_to=2025-06-30"


def titles(response) -> list[str]:
    return re.findall(r'class="event-title"><a href="/events/\d+/">([^<]*)</a>',
                      response.content.decode())


@pytest.mark.django_db(transaction=True)
def test_a_committed_change_shows_up_at_once(client, django_assert_num_queries):
    event = make_event(title="Before", date_start=date(2025, 6, 10))
    assert titles(client.get(URL)) == ["Before"]
    with django_assert_num_queries(1):
        assert titles(client.get(URL)) == ["Before"]  # from the cache

    Event.objects.filter(pk=event.pk).update(title="After")
    assert titles(client.get(URL)) == ["After"]

    make_event(title="Added", date_start=date(2025, 6, 11))
    assert titles(client.get(URL)) == ["After", "Added"]

    # Written behind the ORM's back, in a transaction of its own.
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE timeline_event SET status = 'draft' WHERE title = 'Added'")
    assert titles(client.get(URL)) == ["After"]
    assert "1 event match" in client.get(URL).content.decode()


@pytest.mark.django_db(transaction=True)
def test_an_uncommitted_change_is_not_cached_as_current(client):
    make_event(title="Kept", date_start=date(2025, 6, 10))
    with pytest.raises(RuntimeError), transaction.atomic():
        make_event(title="Rolled back", date_start=date(2025, 6, 12))
        raise RuntimeError
    assert titles(client.get(URL)) == ["Kept"]


@pytest.mark.django_db(transaction=True)
def test_a_change_made_while_a_reader_waits_is_seen(client):
    # A fragment, a full page and a load-more each see the new event on their next request.
    make_event(title="First", date_start=date(2025, 6, 10))
    htmx = {"HTTP_HX_REQUEST": "true", "HTTP_HX_TARGET": "results"}
    assert titles(client.get(URL, **htmx)) == ["First"]
    assert titles(client.get(URL)) == ["First"]
    make_event(title="Second", date_start=date(2025, 6, 20))
    assert titles(client.get(URL, **htmx)) == ["First", "Second"]
    assert titles(client.get(URL)) == ["First", "Second"]


@pytest.mark.django_db
@pytest.mark.parametrize("editor_first", [True, False])
def test_editors_and_readers_never_get_each_others_page(client, editor, editor_first):
    make_event(title="Published one", date_start=date(2025, 6, 10))
    make_event(title="A draft", date_start=date(2025, 6, 11), status=Event.Status.DRAFT)
    from django.test import Client

    editor_client = Client()
    editor_client.force_login(editor)

    def as_editor():
        response = editor_client.get(URL)
        assert titles(response) == ["Published one", "A draft"]
        assert 'name="status"' in response.content.decode()
        assert 'href="/admin/"' in response.content.decode()

    def as_reader():
        response = client.get(URL)
        assert titles(response) == ["Published one"]
        assert 'name="status"' not in response.content.decode()
        assert 'href="/admin/"' not in response.content.decode()

    for _ in range(2):  # the second round is served from the cache
        if editor_first:
            as_editor()
            as_reader()
        else:
            as_reader()
            as_editor()


@pytest.mark.django_db
def test_a_status_filter_of_a_reader_does_not_reach_editors(client, editor):
    make_event(title="Published one", date_start=date(2025, 6, 10))
    make_event(title="A draft", date_start=date(2025, 6, 11), status=Event.Status.DRAFT)
    assert titles(client.get(URL + "&status=draft")) == ["Published one"]
    client.force_login(editor)
    assert titles(client.get(URL + "&status=draft")) == ["A draft"]


@pytest.mark.django_db
def test_staff_without_editing_rights_see_their_admin_link_and_no_drafts(client, django_user_model):
    make_event(title="Published one", date_start=date(2025, 6, 10))
    make_event(title="A draft", date_start=date(2025, 6, 11), status=Event.Status.DRAFT)
    assert 'href="/admin/"' not in client.get(URL).content.decode()
    staff = django_user_model.objects.create_user("clerk", password="x", is_staff=True)
    client.force_login(staff)
    response = client.get(URL)
    assert titles(response) == ["Published one"]
    assert 'href="/admin/"' in response.content.decode()


@pytest.mark.django_db
def test_the_cached_page_names_no_user_and_carries_no_token(client, editor):
    make_event(title="Published one", date_start=date(2025, 6, 10))
    editor.username = "zelda-quibbleworth"
    editor.save()
    client.force_login(editor)
    for _ in range(2):
        html = client.get(URL).content.decode()
        assert "zelda" not in html.lower() and "quibbleworth" not in html.lower()
        assert "csrfmiddlewaretoken" not in html


@pytest.mark.django_db
def test_fragments_and_full_pages_are_never_mixed(client):
    make_event(title="Shown", date_start=date(2025, 6, 10))
    kinds = {
        "page": {},
        "results": {"HTTP_HX_REQUEST": "true", "HTTP_HX_TARGET": "results"},
        "app": {"HTTP_HX_REQUEST": "true", "HTTP_HX_TARGET": "timeline-app"},
        "restore": {"HTTP_HX_REQUEST": "true", "HTTP_HX_HISTORY_RESTORE_REQUEST": "true"},
    }
    starts = {
        "page": "<!doctype html>",
        "results": '<div id="results"',
        "app": '<div id="timeline-app"',
        "restore": "<!doctype html>",
    }
    orders = [list(kinds), list(reversed(kinds)), ["results", "page", "restore", "app"]]
    for order in orders:
        for kind in order:
            response = client.get(URL, **kinds[kind])
            assert response.content.decode().lstrip().startswith(starts[kind]), (order, kind)
            assert titles(response) == ["Shown"]
            assert "HX-Request" in response["Vary"]
            pushed = response.headers.get("HX-Push-Url")
            assert (pushed is not None) == (kind in ("results", "app")), (order, kind)


@pytest.mark.django_db
def test_load_more_rows_are_cached_apart_from_the_first_page(client):
    for day in range(10, 14):
        make_event(title=f"June {day}", date_start=date(2025, 6, day))
    first = Event.objects.get(title="June 11")
    after = f"{URL}&after=2025-06-11.{first.pk}"
    htmx = {"HTTP_HX_REQUEST": "true", "HTTP_HX_TARGET": "load-more"}
    for _ in range(2):
        assert titles(client.get(after, **htmx)) == ["June 12", "June 13"]
        assert titles(client.get(URL, **htmx)) == ["June 10", "June 11", "June 12", "June 13"]


@pytest.mark.django_db
def test_the_order_of_the_query_string_does_not_matter(client, django_assert_num_queries):
    make_event(title="Shown", date_start=date(2025, 6, 10))
    first = client.get("/?event_type=ASSAULT&date_from=2025-06-01")
    with django_assert_num_queries(1):
        again = client.get("/?date_from=2025-06-01&event_type=ASSAULT")
    assert titles(again) == titles(first) == ["Shown"]


@pytest.mark.django_db
def test_an_empty_field_is_shown_as_sent(client):
    # The form shows what the URL carries: a cached page for "q=" must not answer "q=x".
    make_event(title="Shown", date_start=date(2025, 6, 10))
    client.get("/?q=")
    html = client.get("/?q=zzzz").content.decode()
    assert 'value="zzzz"' in html
    assert titles(client.get("/?q=")) == ["Shown"]


@pytest.mark.django_db
def test_zero_seconds_renders_every_time(client, settings, django_assert_num_queries):
    settings.RENDER_CACHE_SECONDS = 0
    make_event(title="Shown", date_start=date(2025, 6, 10))
    for _ in range(2):
        with django_assert_num_queries(2):  # the page and the pictures, no generation
            assert titles(client.get(URL)) == ["Shown"]


@pytest.mark.django_db
def test_a_page_rendered_while_a_csrf_token_is_in_play_is_not_stored(
    client, django_assert_num_queries
):
    make_event(title="Shown", date_start=date(2025, 6, 10))
    # A malformed CSRF cookie makes the middleware issue this client a new token.
    client.cookies["csrftoken"] = "not-a-token"
    client.get(URL)
    # So that page was not kept: the next request renders (3 queries), and is kept.
    with django_assert_num_queries(3):
        assert titles(client.get(URL)) == ["Shown"]
    with django_assert_num_queries(1):
        assert titles(client.get(URL)) == ["Shown"]
