"""What editors send to write events and evidence; checked here so a bad body is a 400.

The database constraints on dates (in order, a range has an end, a day has none) are
checked again in `validate`, because an IntegrityError would be a 500.
"""
from __future__ import annotations

from django.db import models
from rest_framework import serializers

from timeline.models import Actor, Article, Event, Place, Precision


class StrictCharField(serializers.CharField):
    """A CharField whose max_length holds for the text as sent, before trimming, so that
    what the schema calls too long is refused."""

    def to_internal_value(self, data):
        if isinstance(data, str) and self.max_length is not None and len(data) > self.max_length:
            self.fail("max_length", max_length=self.max_length)
        return super().to_internal_value(data)


class EventWriteSerializer(serializers.ModelSerializer):
    serializer_field_mapping = {
        **serializers.ModelSerializer.serializer_field_mapping,
        models.CharField: StrictCharField,
    }
    actors = serializers.PrimaryKeyRelatedField(
        many=True, queryset=Actor.objects.all(), required=False
    )
    place = serializers.PrimaryKeyRelatedField(
        queryset=Place.objects.all(), required=False, allow_null=True
    )
    confidence = serializers.FloatField(min_value=0.0, max_value=1.0, required=False)

    class Meta:
        model = Event
        fields = [
            "date_start", "date_end", "precision", "title", "summary", "event_type", "mode",
            "actors", "place", "status", "verified", "needs_review", "confidence",
        ]

    def validate(self, attrs: dict) -> dict:
        current = self.instance
        start = attrs.get("date_start", current.date_start if current else None)
        end = attrs.get("date_end", current.date_end if current else None)
        precision = attrs.get("precision", current.precision if current else Precision.DAY)
        if precision == Precision.DAY and end is not None:
            raise serializers.ValidationError(
                {"date_end": ["An event of one day has no end date; use precision 'range'."]}
            )
        if precision == Precision.RANGE and end is None:
            raise serializers.ValidationError({"date_end": ["A range needs an end date."]})
        if start is not None and end is not None and end < start:
            raise serializers.ValidationError({"date_end": ["Ends before it starts."]})
        return attrs


class EvidenceWriteSerializer(serializers.Serializer):
    """A quote to cite: the server finds where it stands in the article's text."""

    event = serializers.PrimaryKeyRelatedField(queryset=Event.objects.all())
    article = serializers.PrimaryKeyRelatedField(queryset=Article.objects.all())
    quote = serializers.CharField(
        trim_whitespace=False, help_text="Copied word for word from the article's text."
    )
    speaker = StrictCharField(max_length=200, required=False, default="", allow_blank=True)
    date_text = StrictCharField(
        max_length=200, required=False, default="", allow_blank=True,
        help_text="The date as the article writes it.",
    )
