"""The fast read path gives exactly what DRF's generic serializers give."""
from __future__ import annotations

from datetime import date

from rest_framework.test import APIRequestFactory

from tests.factories import make_actor, make_article, make_event, make_outlet, make_place
from timeline.api.reading import load_events
from timeline.api.serializers import EventRowSerializer, EventSerializer
from timeline.models import Event, Evidence


def test_a_page_read_fast_equals_the_generic_serializer_on_ordinary_querysets(db):
    outlet = make_outlet(name="Kyiv Independent")
    events = [
        make_event(
            title="Strike", date_start=date(2025, 3, 1), summary="Two sources.",
            place=make_place("Odesa", country="Ukraine", latitude=46.48, longitude=30.72,
                             aliases=["Odessa"]),
            actors=[make_actor("Russia", kind="state", aliases=["RF"]), make_actor("Navy")],
            evidence_from=[make_article(outlet=outlet, url="https://kyivindependent.com/x"),
                           make_article(published_on=None)],
        ),
        make_event(title="Talks", date_start=date(2025, 4, 1), date_end=date(2025, 4, 30),
                   precision="month", mode="phone", verified=True),
    ]
    Evidence.objects.filter(event=events[0]).update(anchor_date=date(2025, 3, 2), speaker="Kyiv")
    context = {"request": APIRequestFactory().get("/api/v1/events/")}
    ids = [e.pk for e in reversed(events)]

    fast = EventRowSerializer(load_events(ids), many=True, context=context).data
    ordinary = Event.objects.for_timeline().filter(pk__in=ids).order_by("-date_start")
    generic = EventSerializer(ordinary, many=True, context=context).data
    assert fast == generic
    assert [list(row) for row in fast] == [list(row) for row in generic]  # key order too

    first = fast[1]
    assert first["permalink"] == f"http://testserver/events/{events[0].pk}/"
    assert [e["outlet"] for e in first["evidence"]] == ["Kyiv Independent", None]
    assert [a["name"] for a in first["actors"]] == ["Navy", "Russia"]
    assert first["evidence"][0]["anchor_date"] == "2025-03-02"
    assert first["created_at"].endswith("Z")
