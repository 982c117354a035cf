"""The timeline page: grouping, filters, fragments, keyset pagination, query counts."""
from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from django.db.models.sql import Query
from django.http import QueryDict

from tests.factories import make_actor, make_article, make_event, make_place
from timeline import views
from timeline.filters import EventFilter
from timeline.maps import day_and_place_counts
from timeline.models import Event

pytestmark = pytest.mark.django_db


def titles(response) -> list[str]:
    return re.findall(r'class="event-title"><a href="/events/\d+/">([^<]*)</a>', response.content.decode())


def test_events_are_grouped_by_day_under_month_headings(client):
    make_event(title="Shelling of the port", date_start=date(2025, 5, 30))
    make_event(title="Talks in Geneva", date_start=date(2025, 6, 2))
    make_event(title="Drone strike", date_start=date(2025, 6, 2))
    html = client.get("/").content.decode()
    headings = re.findall(r'<h2 class="month">([^<]+)</h2>|<h3 class="day"><time[^>]*>([^<]+)</time>', html)
    assert [m or d for m, d in headings] == [
        "May 2025", "Friday 30 May 2025", "June 2025", "Monday 2 June 2025",
    ]
    assert html.index("Talks in Geneva") < html.index("Drone strike")


def test_each_event_shows_type_actors_place_sources_and_checks(client):
    kyiv = make_place("Kyiv", country="Ukraine")
    article = make_article()
    make_event(
        title="Missile strike on Kyiv", place=kyiv, actors=[make_actor("Russia")],
        evidence_from=[article, make_article()], verified=True,
    )
    html = client.get("/").content.decode()
    assert '<span class="badge badge-force">Assault</span>' in html
    assert "<span class=\"label\">Actors</span> Russia" in html
    assert "Kyiv, Ukraine" in html
    assert "2 sources" in html
    assert '<span class="verified">verified</span>' in html
    assert "<span>extracted</span>" in html


def test_range_is_drawn_as_a_bar_and_month_precision_as_about(client):
    make_event(date_start=date(2025, 6, 3), date_end=date(2025, 6, 7), precision="range")
    make_event(date_start=date(2025, 5, 1), date_end=date(2025, 5, 31), precision="month")
    html = client.get("/").content.decode()
    assert '<time datetime="2025-06-03">3</time>–<time datetime="2025-06-07">7 June 2025</time>' in html
    # June has 30 days; the bar starts on its third day and covers five.
    assert '<svg class="range-strip" viewBox="0 0 30 1"' in html
    assert '<rect class="range-span" x="2" width="5" height="1"/>' in html
    assert 'about <time datetime="2025-05">May 2025</time>' in html


def test_readers_see_published_events_only(client):
    make_event(title="Published one")
    make_event(title="A draft", status=Event.Status.DRAFT)
    make_event(title="Rejected one", status=Event.Status.REJECTED)
    response = client.get("/?status=draft")
    assert titles(response) == ["Published one"]
    assert 'name="status"' not in response.content.decode()


def test_editors_see_drafts_and_filter_by_status(editor_client):
    make_event(title="Published one")
    make_event(title="A draft", status=Event.Status.DRAFT)
    assert titles(editor_client.get("/")) == ["Published one", "A draft"]
    response = editor_client.get("/?status=draft")
    assert titles(response) == ["A draft"]
    assert '<span class="flag flag-draft">Draft</span>' in response.content.decode()


def test_type_and_date_range_filters_narrow_the_list(client):
    make_event(title="June assault", date_start=date(2025, 6, 10), event_type="ASSAULT")
    make_event(title="June talks", date_start=date(2025, 6, 11), event_type="CONSULT")
    make_event(title="July assault", date_start=date(2025, 7, 10), event_type="ASSAULT")
    make_event(title="June aid", date_start=date(2025, 6, 12), event_type="AID")
    response = client.get(
        "/?event_type=ASSAULT&event_type=CONSULT&date_from=2025-06-01&date_to=2025-06-30"
    )
    assert titles(response) == ["June assault", "June talks"]


def test_a_range_overlapping_the_start_of_the_filter_is_included(client):
    make_event(title="Long siege", date_start=date(2025, 5, 20), date_end=date(2025, 6, 5),
               precision="range")
    make_event(title="Earlier", date_start=date(2025, 5, 20))
    assert titles(client.get("/?date_from=2025-06-01&date_to=2025-06-30")) == ["Long siege"]


def test_text_search_finds_words_of_quotes(client):
    article = make_article("Artillery shelled the port of Kherson on Monday.")
    make_event(title="Port shelled", evidence_from=[article])
    make_event(title="Talks")
    assert titles(client.get("/?q=artillery")) == ["Port shelled"]


def test_text_search_uses_similar_words_only_when_no_word_matches(client):
    make_event(title="Shelling in the city", search_text="Shelling in Kharkiv region")
    make_event(title="Oblast under fire", search_text="Kharkivska oblast under fire")
    # The word is found: similar words (Kharkivska) are not added to the full-text hits.
    assert titles(client.get("/?q=Kharkiv")) == ["Shelling in the city"]
    # A misspelling finds nothing by full text, so trigram similarity answers.
    assert "Shelling in the city" in titles(client.get("/?q=Kharkivv"))
    assert titles(client.get("/?q=Zaporizhzhia")) == []


def test_invalid_filter_shows_the_error_and_no_events(client):
    make_event(title="Anything")
    response = client.get("/?date_from=not-a-date")
    assert response.status_code == 200
    assert titles(response) == []
    html = response.content.decode()
    assert "Some filters are not valid" in html
    assert "Enter a valid date." in html


def test_htmx_filter_request_gets_only_the_results(client):
    make_event(title="Shown")
    response = client.get("/?event_type=ASSAULT", HTTP_HX_REQUEST="true", HTTP_HX_TARGET="results")
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="results"')
    assert "<form" not in html and "<html" not in html
    assert titles(response) == ["Shown"]
    assert "HX-Request" in response["Vary"]


def test_histogram_and_map_links_get_the_form_and_the_results(client):
    make_event(title="Shown")
    response = client.get(
        "/?date_from=2025-06-01&date_to=2025-06-01",
        HTTP_HX_REQUEST="true", HTTP_HX_TARGET="timeline-app",
    )
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="timeline-app"')
    assert 'name="date_from" value="2025-06-01"' in html
    assert "<html" not in html


def test_history_restore_request_gets_the_full_page(client):
    make_event(title="Shown")
    response = client.get(
        "/?event_type=ASSAULT", HTTP_HX_REQUEST="true", HTTP_HX_HISTORY_RESTORE_REQUEST="true"
    )
    html = response.content.decode()
    assert html.startswith("<!doctype html>")
    assert '<form id="filters"' in html


def test_without_javascript_the_form_is_a_plain_get_to_the_page(client):
    html = client.get("/").content.decode()
    assert '<form id="filters" class="filters" method="get" action="/"' in html
    assert '<label for="id_q">' in html and 'type="search" name="q"' in html
    assert '<label for="id_date_from">From</label><input type="date"' in html


def test_load_more_continues_after_the_last_event(client, monkeypatch):
    monkeypatch.setattr(views, "PAGE_SIZE", 2)
    first = make_event(title="One", date_start=date(2025, 6, 1))
    second = make_event(title="Two", date_start=date(2025, 6, 2))
    make_event(title="Three", date_start=date(2025, 6, 2))
    make_event(title="Four", date_start=date(2025, 6, 3))
    page = client.get("/?event_type=ASSAULT")
    assert titles(page) == ["One", "Two"]
    cursor = f"2025-06-02.{second.pk}"
    assert f"after={cursor}" in page.content.decode()
    assert first.pk < second.pk

    more = client.get(f"/?event_type=ASSAULT&after={cursor}", HTTP_HX_REQUEST="true",
                      HTTP_HX_TARGET="load-more")
    html = more.content.decode()
    assert titles(more) == ["Three", "Four"]
    # Still June, still the 2nd for "Three": no repeated headings.
    assert '<h2 class="month">' not in html
    assert re.findall(r'<h3 class="day"><time datetime="([\d-]+)"', html) == ["2025-06-03"]
    assert 'id="load-more"' not in html  # nothing after Four


def test_without_javascript_load_more_is_the_next_page(client, monkeypatch):
    monkeypatch.setattr(views, "PAGE_SIZE", 1)
    make_event(title="One", date_start=date(2025, 6, 1))
    second = make_event(title="Two", date_start=date(2025, 6, 2))
    response = client.get(f"/?after=2025-06-01.{second.pk - 1}")
    assert titles(response) == ["Two"]
    assert response.content.decode().startswith("<!doctype html>")


def test_a_next_page_without_javascript_pictures_the_whole_filter(client, monkeypatch):
    monkeypatch.setattr(views, "PAGE_SIZE", 1)
    make_event(title="One", date_start=date(2025, 6, 1))
    second = make_event(title="Two", date_start=date(2025, 6, 2))
    html = client.get(f"/?after=2025-06-01.{second.pk - 1}").content.decode()
    # The list continues after the cursor; the histogram still counts the day before it.
    assert 'aria-label="1 June 2025: 1 event"' in html
    assert "2 events match this filter" in html


def test_a_first_page_compiles_each_part_once_for_the_list_and_the_counts(client, monkeypatch):
    make_event(date_start=date(2025, 6, 2))
    compiled = []
    compile_sql = Query.sql_with_params

    def counting(query):
        compiled.append(query.model)
        return compile_sql(query)

    monkeypatch.setattr(Query, "sql_with_params", counting)
    html = client.get("/?event_type=ASSAULT&date_from=2025-06-01").content.decode()
    assert "1 event matches this filter" in html
    # Three parts (long and recent events running into the date, then the rest), once each.
    assert compiled == [Event] * 3


def test_an_unreadable_cursor_starts_from_the_beginning(client):
    make_event(title="One")
    assert titles(client.get("/?after=garbage")) == ["One"]


def test_histogram_bars_link_to_their_day_keeping_the_filter(client):
    make_event(date_start=date(2025, 6, 1))
    make_event(date_start=date(2025, 6, 1))
    make_event(date_start=date(2025, 6, 3))
    html = client.get("/?event_type=ASSAULT").content.decode()
    assert "Events per day, 1 Jun 2025 – 3 Jun 2025 (busiest: 2)" in html
    assert 'href="/?event_type=ASSAULT&amp;date_from=2025-06-01&amp;date_to=2025-06-01"' in html
    assert 'aria-label="1 June 2025: 2 events"' in html
    assert "3 events match this filter" in html


def test_map_shows_located_places_with_links_to_filter_by_place(client):
    kyiv = make_place("Kyiv", country="Ukraine", latitude=50.45, longitude=30.52)
    nowhere = make_place("Unknown village")
    make_event(place=kyiv)
    make_event(place=kyiv)
    make_event(place=nowhere)
    html = client.get("/").content.decode()
    assert "2 located events in 1 place." in html
    assert f'href="/?place={kyiv.pk}"' in html
    assert 'aria-label="Kyiv, Ukraine: 2 events"' in html
    assert "countries-50m.svg" in html


def test_export_and_feed_links_carry_the_current_filter(client):
    make_event()
    html = client.get("/?event_type=ASSAULT&date_from=2025-06-01&q=&after=2025-01-01.1").content.decode()
    for fmt in ("csv", "json", "geojson", "timelinejs", "ics"):
        assert f'href="/api/v1/events/?event_type=ASSAULT&amp;date_from=2025-06-01&amp;format={fmt}"' in html
    assert 'href="/feed/?event_type=ASSAULT&amp;date_from=2025-06-01"' in html
    assert '<link rel="alternate" type="application/atom+xml"' in html


def test_export_and_feed_links_without_a_filter_and_with_odd_characters(client):
    make_event()
    html = client.get("/").content.decode()
    assert 'href="/api/v1/events/?format=csv"' in html
    assert 'href="/feed/">' in html and 'href="/feed/?' not in html
    html = client.get("/?q=a%26b+%22c%22+%3Cd%3E").content.decode()
    assert 'href="/api/v1/events/?q=a%26b+%22c%22+%3Cd%3E&amp;format=ics"' in html
    assert 'href="/feed/?q=a%26b+%22c%22+%3Cd%3E"' in html


def test_untrusted_titles_and_names_are_escaped(client):
    make_event(
        title='<script>alert("t")</script><img src=x onerror=alert(1)>',
        actors=[make_actor("<b>Actor</b>")],
        place=make_place('"><svg onload=alert(2)>'),
    )
    html = client.get("/").content.decode()
    assert "<script>alert" not in html and "<img src=x" not in html and "<svg onload" not in html
    assert "&lt;script&gt;alert(&quot;t&quot;)&lt;/script&gt;" in html
    assert "&lt;b&gt;Actor&lt;/b&gt;" in html


def test_content_security_policy_forbids_inline_scripts_and_styles(client):
    policy = client.get("/")["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "style-src 'self'" in policy
    html = client.get("/").content.decode()
    assert "<script>" not in html and " style=" not in html and "<style" not in html


def _populate(count: int) -> None:
    kyiv = make_place("Kyiv", country="Ukraine", latitude=50.45, longitude=30.52)
    actors = [make_actor(), make_actor()]
    for i in range(count):
        make_event(date_start=date(2025, 3, 1) + timedelta(days=i % 40), place=kyiv,
                   actors=actors, evidence_from=[make_article()])


DATED = "/?date_from=2025-01-01&date_to=2025-12-31&event_type=ASSAULT"


@pytest.mark.parametrize("count", [1, 50])
def test_a_dated_page_takes_three_queries_whatever_it_shows(client, django_assert_num_queries,
                                                            count):
    _populate(count)
    # The generation (timeline.caching); the page: the multi-day events begun before
    # date_from and the events starting from it, with their actors; the histogram's days
    # and the map's places.
    with django_assert_num_queries(3):
        response = client.get(DATED)
    assert len(titles(response)) == count
    assert "Load more" not in response.content.decode()


@pytest.mark.parametrize("count", [1, 50])
def test_an_undated_page_takes_three_queries_whatever_it_shows(client, django_assert_num_queries,
                                                               count):
    _populate(count)
    with django_assert_num_queries(3):
        response = client.get("/?event_type=ASSAULT")
    assert len(titles(response)) == count


@pytest.mark.parametrize("count", [1, 50])
def test_the_same_page_again_takes_one_query(client, django_assert_num_queries, count):
    _populate(count)
    first = client.get(DATED)
    # Only the generation is read: the rendered page comes from the cache.
    with django_assert_num_queries(1):
        again = client.get(DATED)
    assert again.content == first.content
    assert len(titles(again)) == count


def test_events_begun_before_the_start_date_come_first_then_load_more_goes_on(client, monkeypatch):
    monkeypatch.setattr(views, "PAGE_SIZE", 2)
    make_event(title="Month of May", date_start=date(2025, 5, 1), date_end=date(2025, 5, 31),
               precision="month")
    make_event(title="Siege", date_start=date(2025, 5, 20), date_end=date(2025, 6, 5),
               precision="range")
    make_event(title="Ended before", date_start=date(2025, 5, 2), date_end=date(2025, 5, 9),
               precision="range")
    make_event(title="June 1", date_start=date(2025, 6, 1))
    make_event(title="June 2", date_start=date(2025, 6, 2))
    page = client.get("/?date_from=2025-05-25")
    assert titles(page) == ["Month of May", "Siege"]
    cursor = re.search(r"after=([\d.-]+)", page.content.decode()).group(1)
    more = client.get(f"/?date_from=2025-05-25&after={cursor}", HTTP_HX_REQUEST="true")
    assert titles(more) == ["June 1", "June 2"]


def test_one_query_counts_days_for_the_histogram_and_places_for_the_map():
    kyiv = make_place("Kyiv", country="Ukraine", latitude=50.45, longitude=30.52)
    lviv = make_place("Lviv", country="Ukraine", latitude=49.84, longitude=24.03)
    nowhere = make_place("Unlocated")
    for day, place in [(3, kyiv), (3, kyiv), (3, lviv), (5, kyiv), (5, nowhere), (6, None)]:
        make_event(date_start=date(2025, 6, day), place=place)
    make_event(date_start=date(2025, 6, 7), place=lviv, event_type="CONSULT")
    events = Event.objects.filter(event_type="ASSAULT")
    days, places = day_and_place_counts(views.row_selects([events]))
    assert days == {date(2025, 6, 3): 3, date(2025, 6, 5): 2, date(2025, 6, 6): 1}
    assert [(p.name, p.country, p.latitude, p.events) for p in places] == [
        ("Kyiv", "Ukraine", 50.45, 3), ("Lviv", "Ukraine", 49.84, 1),
    ]
    assert [p.name for p in day_and_place_counts(views.row_selects([events]), limit=1)[1]] == ["Kyiv"]
    assert day_and_place_counts(views.row_selects([Event.objects.filter(event_type="AID")])) == ({}, [])


def test_the_counts_of_a_dated_filter_come_from_its_parts_and_skip_unlocated_places():
    kyiv = make_place("Kyiv", country="Ukraine", latitude=50.45, longitude=30.52)
    nowhere = make_place("Unlocated")
    make_event(date_start=date(2025, 5, 20), date_end=date(2025, 6, 5), precision="range",
               place=kyiv)  # began before the range, runs into it
    make_event(date_start=date(2025, 5, 2), date_end=date(2025, 5, 9), precision="range",
               place=kyiv)  # over before it
    for day in (1, 1, 2):
        make_event(date_start=date(2025, 6, day), place=nowhere)
    make_event(date_start=date(2025, 6, 2), place=kyiv)
    make_event(date_start=date(2025, 6, 9), place=kyiv)  # after it
    filterset = EventFilter(QueryDict("date_from=2025-06-01&date_to=2025-06-08"),
                            queryset=Event.objects.all())
    assert filterset.is_valid()
    parts = filterset.date_ordered_parts()
    assert len(parts) == 3  # long events running into the range, recent ones, the rest
    days, places = day_and_place_counts(views.row_selects(parts), limit=1)
    assert days == {date(2025, 5, 20): 1, date(2025, 6, 1): 2, date(2025, 6, 2): 2}
    # The busiest place has no coordinates: the map's one dot is the busiest located one.
    assert [(p.name, p.events) for p in places] == [("Kyiv", 2)]
    assert day_and_place_counts(views.row_selects([filterset.qs]), limit=1) == (days, places)
