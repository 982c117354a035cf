"""API representations (read side), with explicit field lists.

Every field is always present (null when unknown), so each response matches the schema.

EventSerializer says what an event looks like (and makes the schema); lists and details
are written by EventRowSerializer from events as timeline.api.reading loads them, which
gives the same output (tests check it) for a fraction of the CPU.
"""
from __future__ import annotations

from datetime import date, datetime

from django.urls import reverse
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field, extend_schema_serializer
from rest_framework import serializers

from timeline.models import Actor, Article, Event, Evidence, Outlet, Place, Tombstone


def iso_day(value: date | None) -> str | None:
    return value.isoformat() if value is not None else None


def _moment(value: datetime) -> str:
    """As DRF's DateTimeField gives it: in the current time zone, UTC written "Z"."""
    text = timezone.localtime(value).isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


def place_row(place: Place) -> dict:
    return {
        "id": place.pk, "name": place.name, "country": place.country, "region": place.region,
        "latitude": place.latitude, "longitude": place.longitude,
        "gazetteer_id": place.gazetteer_id, "aliases": list(place.aliases),
    }


class ActorSerializer(serializers.ModelSerializer):
    class Meta:
        model = Actor
        fields = ["id", "name", "kind", "country", "aliases"]


class PlaceSerializer(serializers.ModelSerializer):
    class Meta:
        model = Place
        fields = [
            "id", "name", "country", "region", "latitude", "longitude", "gazetteer_id", "aliases",
        ]


class OutletSerializer(serializers.ModelSerializer):
    class Meta:
        model = Outlet
        fields = ["id", "name", "domain", "country"]


class EvidenceSerializer(serializers.ModelSerializer):
    """One quote of one article; `outlet` is the outlet's name, or null."""

    article_title = serializers.SerializerMethodField()
    article_url = serializers.SerializerMethodField()
    outlet = serializers.SerializerMethodField()
    published_on = serializers.SerializerMethodField()

    class Meta:
        model = Evidence
        fields = [
            "id", "event", "article", "article_title", "article_url", "outlet", "published_on",
            "quote", "char_start", "char_end", "date_text", "date_rule", "anchor_date", "speaker",
            "origin",
        ]

    def get_article_title(self, evidence: Evidence) -> str:
        return evidence.article.title

    @extend_schema_field(OpenApiTypes.URI)
    def get_article_url(self, evidence: Evidence) -> str | None:
        return evidence.article.url

    def get_outlet(self, evidence: Evidence) -> str | None:
        outlet = evidence.article.outlet
        return outlet.name if outlet is not None else None

    @extend_schema_field(OpenApiTypes.DATE)
    def get_published_on(self, evidence: Evidence) -> str | None:
        day = evidence.article.published_on
        return day.isoformat() if day else None


class EventSerializer(serializers.ModelSerializer):
    actors = ActorSerializer(many=True, read_only=True)
    place = PlaceSerializer(read_only=True, allow_null=True)
    evidence = EvidenceSerializer(many=True, read_only=True)
    permalink = serializers.SerializerMethodField()

    class Meta:
        model = Event
        fields = [
            "id", "permalink", "date_start", "date_end", "precision", "title", "summary",
            "event_type", "mode", "actors", "place", "status", "origin", "verified",
            "needs_review", "confidence", "source_count", "evidence", "created_at", "updated_at",
        ]

    @extend_schema_field(OpenApiTypes.URI)
    def get_permalink(self, event: Event) -> str:
        # The site's root once per serializer, not a URL reversal and parse per event.
        if not hasattr(self, "_root"):
            request = self.context.get("request")
            self._root = request.build_absolute_uri("/")[:-1] if request is not None else ""
            self._event_path = reverse("timeline:event", args=[0]).removesuffix("0/")
        return f"{self._root}{self._event_path}{event.pk}/"


@extend_schema_serializer(component_name="Event")
class EventRowSerializer(EventSerializer):
    """EventSerializer's output, from events loaded by timeline.api.reading (whose actors
    and evidence are ready rows): the same fields, written out, no per-field machinery."""

    def to_representation(self, event: Event) -> dict:
        place = event.place
        return {
            "id": event.pk, "permalink": self.get_permalink(event),
            "date_start": iso_day(event.date_start), "date_end": iso_day(event.date_end),
            "precision": event.precision, "title": event.title, "summary": event.summary,
            "event_type": event.event_type, "mode": event.mode, "actors": event.actor_list,
            "place": place_row(place) if place is not None else None,
            "status": event.status, "origin": event.origin, "verified": event.verified,
            "needs_review": event.needs_review, "confidence": event.confidence,
            "source_count": event.source_count, "evidence": event.evidence_list,
            "created_at": _moment(event.created_at), "updated_at": _moment(event.updated_at),
        }


class EventBriefSerializer(serializers.ModelSerializer):
    """An event as listed under an article."""

    class Meta:
        model = Event
        fields = ["id", "date_start", "date_end", "precision", "title", "event_type", "status"]


class ArticleSerializer(serializers.ModelSerializer):
    outlet = OutletSerializer(read_only=True, allow_null=True)
    events = serializers.SerializerMethodField()

    class Meta:
        model = Article
        fields = [
            "id", "url", "title", "outlet", "language", "published_on", "published_basis",
            "source", "status", "created_at", "events",
        ]

    @extend_schema_field(EventBriefSerializer(many=True))
    def get_events(self, article: Article) -> list[dict]:
        """The events this article is evidence for (prefetched as `visible_evidence`)."""
        events = {}
        for evidence in article.visible_evidence:
            events.setdefault(evidence.event_id, evidence.event)
        ordered = sorted(events.values(), key=lambda e: (e.date_start, e.pk))
        return EventBriefSerializer(ordered, many=True).data


class TombstoneSerializer(serializers.ModelSerializer):
    merged_into = serializers.PrimaryKeyRelatedField(read_only=True, allow_null=True)

    class Meta:
        model = Tombstone
        fields = ["event_id", "merged_into", "reason", "deleted_at"]
