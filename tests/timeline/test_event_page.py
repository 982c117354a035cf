"""The event permalink and the lazily loaded sources of a timeline row."""
from __future__ import annotations

from datetime import date

import pytest
from django.test import Client

from tests.factories import make_actor, make_article, make_event, make_evidence, make_outlet, make_place
from timeline.models import Claim, Event, Tombstone

pytestmark = pytest.mark.django_db

ARTICLE = (
    "KYIV, June 4.\n"
    "Russian forces shelled the port of Kherson on Monday, officials said. "
    "Three people were killed.\n"
    "Talks resume next week."
)
QUOTE = "Russian forces shelled the port of Kherson on Monday"


def kherson_event(**fields) -> Event:
    kherson = make_place("Kherson", country="Ukraine", latitude=46.635, longitude=32.617)
    fields.setdefault("title", "Shelling of Kherson port")
    event = make_event(place=kherson, actors=[make_actor("Russia")], **fields)
    return event


def test_the_quote_is_highlighted_inside_its_paragraph(client):
    event = kherson_event()
    article = make_article(ARTICLE, title="Port shelled", outlet=make_outlet(name="Kyiv Daily"))
    start = ARTICLE.index(QUOTE)
    make_evidence(event, article, start, start + len(QUOTE), date_text="on Monday",
                  date_rule="weekday before the publication date", anchor_date=date(2025, 6, 4))
    html = client.get(event.get_absolute_url()).content.decode()
    assert (
        f"<p><mark>{QUOTE}</mark>, officials said. Three people were killed.</p>" in html
    )
    assert "KYIV, June 4." not in html  # another paragraph
    assert "Kyiv Daily" in html
    assert ("<span class=\"label\">Why this date</span> written “on Monday”; rule: weekday "
            "before the publication date; counted from <time datetime=\"2025-06-04\">") in html


def test_evidence_is_grouped_by_article(client):
    event = kherson_event()
    first = make_article(ARTICLE, title="First report")
    second = make_article(ARTICLE, title="Second report")
    make_evidence(event, first, 0, 13)
    make_evidence(event, first, 14, 40)
    make_evidence(event, second, 14, 40)
    html = client.get(event.get_absolute_url()).content.decode()
    assert html.count('<h3 class="source-title">') == 2
    assert html.count('<blockquote class="in-context">') == 3
    assert html.index("First report") < html.index("Second report")


def test_actors_place_and_coordinates_are_shown(client):
    event = kherson_event()
    html = client.get(event.get_absolute_url()).content.decode()
    assert "Kherson, Ukraine</a> <span class=\"coords\">(46.635° N, 32.617° E)</span>" in html
    assert ">Russia</a>" in html


def test_other_events_of_the_same_day_and_place_are_listed(client):
    event = kherson_event(date_start=date(2025, 6, 2))
    make_event(title="Power cut in Kherson", place=event.place, date_start=date(2025, 6, 2))
    make_event(title="Draft in Kherson", place=event.place, date_start=date(2025, 6, 2),
               status=Event.Status.DRAFT)
    make_event(title="Next day in Kherson", place=event.place, date_start=date(2025, 6, 3))
    html = client.get(event.get_absolute_url()).content.decode()
    assert "Also on 2 June 2025 in Kherson" in html
    assert "Power cut in Kherson" in html
    assert "Draft in Kherson" not in html and "Next day in Kherson" not in html


def test_differing_claims_are_shown_side_by_side_with_their_claimants(client):
    event = kherson_event()
    Claim.objects.create(event=event, kind="fatalities", value="3", claimant="regional governor")
    Claim.objects.create(event=event, kind="fatalities", value="7", claimant="local volunteers")
    Claim.objects.create(event=event, kind="injured", value="12", claimant="")
    html = client.get(event.get_absolute_url()).content.decode()
    assert (
        '<tr class="differ">\n          <th scope="row">Fatalities <span class="flag">sources differ'
        in html
    )
    assert ("<li><strong>3</strong> <span class=\"claimant\">according to regional governor"
            "</span></li><li><strong>7</strong> <span class=\"claimant\">according to local "
            "volunteers</span></li>") in html
    assert "<strong>12</strong> <span class=\"claimant\">claimant not named" in html


def test_history_tells_extraction_and_editor_corrections(client, editor):
    event = kherson_event(extractor_version="extract-1.4", date_start=date(2025, 6, 2))
    event.date_start = date(2025, 6, 1)
    event._history_user = editor
    event.save()
    event.verified = True
    event._history_user = editor
    event.save()
    html = client.get(event.get_absolute_url()).content.decode()
    lines = [line.split(" on <time")[0] for line in html.split("<li>")[1:] if " on <time" in line]
    assert lines == [
        "Extracted by extractor version extract-1.4",
        "Date corrected by an editor",
        "Marked verified by an editor",
    ]


def test_untrusted_article_text_is_escaped_on_the_event_page(client):
    text = 'Intro.\nThe <script>alert("x")</script> shelling <img src=x onerror=alert(1)> began.'
    event = kherson_event()
    article = make_article(text, title="<b>Bold</b> title", url="javascript:alert(1)")
    start = text.index("The <script>")
    make_evidence(event, article, start, len(text))
    html = client.get(event.get_absolute_url()).content.decode()
    assert "<script>alert" not in html and "<img src=x" not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html
    assert "javascript:" not in html
    assert "&lt;b&gt;Bold&lt;/b&gt; title" in html


def test_readers_get_404_for_drafts_and_editors_see_them(editor_client):
    draft = make_event(status=Event.Status.DRAFT)
    assert Client().get(draft.get_absolute_url()).status_code == 404
    response = editor_client.get(draft.get_absolute_url())
    assert response.status_code == 200
    assert '<span class="flag flag-draft">Draft</span>' in response.content.decode()


def test_a_merged_event_redirects_permanently_to_where_it_went(client):
    kept = make_event()
    Tombstone.objects.create(event_id=kept.pk + 1000, merged_into=kept, reason="merged")
    response = client.get(f"/events/{kept.pk + 1000}/")
    assert response.status_code == 301
    assert response["Location"] == kept.get_absolute_url()


def test_a_deleted_event_is_gone(client):
    Tombstone.objects.create(event_id=987654, reason="deleted")
    assert client.get("/events/987654/").status_code == 404


def test_expanded_sources_list_quotes_and_why_this_date(client):
    event = kherson_event()
    article = make_article(ARTICLE, title="Port shelled", url="https://news.example/port")
    start = ARTICLE.index(QUOTE)
    make_evidence(event, article, start, start + len(QUOTE), date_text="on Monday",
                  date_rule="weekday before the publication date")
    response = client.get(f"/events/{event.pk}/sources/", HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert f"<blockquote class=\"quote\"><p>{QUOTE}</p>" in html
    assert '<a href="https://news.example/port" rel="noopener noreferrer nofollow">Port shelled</a>' in html
    assert "written “on Monday”; rule: weekday before the publication date." in html
    assert "<html" not in html


def test_sources_without_htmx_go_to_the_event_page(client):
    event = kherson_event()
    response = client.get(f"/events/{event.pk}/sources/")
    assert response.status_code == 302
    assert response["Location"] == f"/events/{event.pk}/#sources"


def test_sources_of_a_draft_are_hidden_from_readers(client):
    draft = make_event(status=Event.Status.DRAFT)
    assert client.get(f"/events/{draft.pk}/sources/", HTTP_HX_REQUEST="true").status_code == 404
