"""API representations, with explicit field lists."""
from __future__ import annotations

from rest_framework import serializers

from timeline.models import Actor, Article, Event, Evidence, Outlet, Place


class ActorSerializer(serializers.ModelSerializer):
    class Meta:
        model = Actor
        fields = ["id", "name", "kind", "country", "aliases"]


class PlaceSerializer(serializers.ModelSerializer):
    class Meta:
        model = Place
        fields = ["id", "name", "country", "region", "latitude", "longitude", "gazetteer_id"]


class OutletSerializer(serializers.ModelSerializer):
    class Meta:
        model = Outlet
        fields = ["id", "name", "domain", "country"]


class EvidenceSerializer(serializers.ModelSerializer):
    article_title = serializers.CharField(source="article.title", read_only=True)
    article_url = serializers.CharField(source="article.url", read_only=True)

    class Meta:
        model = Evidence
        fields = [
            "id", "article", "article_title", "article_url", "quote", "char_start", "char_end",
            "date_text", "date_rule", "anchor_date", "speaker",
        ]


class EventSerializer(serializers.ModelSerializer):
    actors = ActorSerializer(many=True, read_only=True)
    place = PlaceSerializer(read_only=True)
    evidence = EvidenceSerializer(many=True, read_only=True)

    class Meta:
        model = Event
        fields = [
            "id", "date_start", "date_end", "precision", "title", "summary", "event_type", "mode",
            "actors", "place", "status", "origin", "verified", "confidence", "source_count",
            "evidence", "created_at", "updated_at",
        ]


class ArticleSerializer(serializers.ModelSerializer):
    class Meta:
        model = Article
        fields = [
            "id", "url", "outlet", "title", "published_on", "published_basis", "status", "error",
            "created_at",
        ]
