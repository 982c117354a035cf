"""The hand-written event and evidence representations equal DRF's generic ones."""
from __future__ import annotations

from datetime import date

from rest_framework import serializers
from rest_framework.test import APIRequestFactory

from tests.factories import make_actor, make_article, make_event, make_outlet, make_place
from timeline.api.reading import load_events
from timeline.api.serializers import EventSerializer, EvidenceSerializer
from timeline.models import Evidence


def generic(serializer, instance) -> dict:
    """What ModelSerializer would give, field by field."""
    return dict(serializers.ModelSerializer.to_representation(serializer, instance))


def test_events_read_the_same_by_hand_as_field_by_field(db):
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
    request = APIRequestFactory().get("/api/v1/events/")
    serializer = EventSerializer(context={"request": request})
    for event in load_events([e.pk for e in events]):
        by_hand = serializer.to_representation(event)
        assert by_hand == generic(serializer, event)
        assert list(by_hand) == list(generic(serializer, event))  # same key order too
    first = serializer.to_representation(load_events([events[0].pk])[0])
    assert first["permalink"] == f"http://testserver/events/{events[0].pk}/"
    assert [e["outlet"] for e in first["evidence"]] == ["Kyiv Independent", None]
    assert first["created_at"].endswith("Z")


def test_evidence_reads_the_same_by_hand_as_field_by_field(db):
    event = make_event(evidence_from=[make_article(outlet=make_outlet())])
    evidence = Evidence.objects.select_related("article__outlet").get(event=event)
    serializer = EvidenceSerializer()
    assert serializer.to_representation(evidence) == generic(serializer, evidence)
