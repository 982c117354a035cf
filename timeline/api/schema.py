"""OpenAPI schema: every operation documents its errors, and the export formats."""
from __future__ import annotations

from drf_spectacular.openapi import AutoSchema
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema_serializer
from rest_framework import serializers

from timeline.exports import EXPORTERS
from timeline.models import Event, EventType, Precision

ERROR_SCHEMA = {
    "type": "object",
    "description": (
        'Either {"detail": "..."} or, for bad input, the offending parameters or fields '
        'with their messages: {"date_from": ["Enter a valid date."]}.'
    ),
    "additionalProperties": True,
}
SAFE_ERRORS = {
    "400": "A query parameter is invalid; the body names it.",
    "404": "Not found (or not visible to you), or an unknown `format`.",
    "406": "None of the formats in Accept is served here.",
    "429": "Too many requests; retry after the `Retry-After` seconds.",
}
WRITE_ERRORS = {
    "400": "The body is invalid; the response names each field.",
    "401": "No credentials: send `Authorization: Token <key>`.",
    "403": "The credentials do not carry editor rights.",
    "404": "Not found.",
    "415": "Send JSON.",
    "429": "Too many requests.",
}


class TimelineAutoSchema(AutoSchema):
    def get_auth(self):
        auths = super().get_auth()
        # Every read of this API is public (drafts are hidden, not refused); spectacular
        # only knows this of AllowAny and IsAuthenticatedOrReadOnly.
        if self.method in ("GET", "HEAD") and {} not in auths:
            auths.append({})
        return auths

    def _get_parameters(self):
        parameters = super()._get_parameters()
        for parameter in parameters:
            # `?date_from=&q=` (an HTML form's empty fields) means "no filter"; a list
            # parameter (event_type, status) has no empty value.
            if (
                parameter["in"] == "query"
                and not parameter.get("required")
                and parameter.get("schema", {}).get("type") != "array"
            ):
                parameter["allowEmptyValue"] = True
        return parameters

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        if direction != "response":
            return responses
        safe = self.method in ("GET", "HEAD")
        for code, description in (SAFE_ERRORS if safe else WRITE_ERRORS).items():
            responses.setdefault(
                code,
                {
                    "description": description,
                    "content": {"application/json": {"schema": ERROR_SCHEMA}},
                },
            )
        if safe:
            responses.setdefault(
                "304", {"description": "Not modified: your copy (ETag / Last-Modified) is current."}
            )
        return dict(sorted(responses.items()))


FORMAT_PARAMETER = OpenApiParameter(
    "format",
    OpenApiTypes.STR,
    enum=["json", *EXPORTERS],
    description=(
        "Response format (or use Accept). Export formats carry every matching event, "
        "streamed, not one page."
    ),
)


# Shapes of the JSON export formats, for the schema only.


class _PointSerializer(serializers.Serializer):
    type = serializers.ChoiceField(choices=["Point"])
    coordinates = serializers.ListField(
        child=serializers.FloatField(), min_length=2, max_length=2, help_text="[lon, lat]"
    )


class _SourceSerializer(serializers.Serializer):
    outlet = serializers.CharField(allow_blank=True)
    title = serializers.CharField(allow_blank=True)
    url = serializers.CharField(allow_blank=True)
    published_on = serializers.DateField(allow_null=True)
    quote = serializers.CharField(allow_blank=True)


class _FeaturePropertiesSerializer(serializers.Serializer):
    title = serializers.CharField(allow_blank=True)
    summary = serializers.CharField(allow_blank=True)
    date_start = serializers.DateField()
    date_end = serializers.DateField(allow_null=True)
    precision = serializers.ChoiceField(choices=Precision.choices)
    event_type = serializers.ChoiceField(choices=EventType.choices)
    mode = serializers.CharField(allow_blank=True)
    actors = serializers.ListField(child=serializers.CharField(allow_blank=True))
    place = serializers.CharField(allow_null=True, allow_blank=True)
    country = serializers.CharField(allow_null=True, allow_blank=True)
    source_count = serializers.IntegerField()
    status = serializers.CharField(allow_blank=True)
    verified = serializers.BooleanField()
    url = serializers.URLField()
    sources = _SourceSerializer(many=True)


class _FeatureSerializer(serializers.Serializer):
    type = serializers.ChoiceField(choices=["Feature"])
    id = serializers.IntegerField()
    geometry = _PointSerializer(
        allow_null=True, help_text="Null when the place has no coordinates."
    )
    properties = _FeaturePropertiesSerializer()


@extend_schema_serializer(many=False)
class GeoJSONSerializer(serializers.Serializer):
    """A GeoJSON (RFC 7946) FeatureCollection of events."""

    type = serializers.ChoiceField(choices=["FeatureCollection"])
    features = _FeatureSerializer(many=True)


class _TimelineDateSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    month = serializers.IntegerField(required=False)
    day = serializers.IntegerField(required=False)


class _TimelineTextSerializer(serializers.Serializer):
    headline = serializers.CharField(allow_blank=True)
    text = serializers.CharField(allow_blank=True, help_text="HTML")


class _TimelineTitleSerializer(serializers.Serializer):
    text = _TimelineTextSerializer()


class _TimelineSlideSerializer(serializers.Serializer):
    unique_id = serializers.CharField(allow_blank=True)
    start_date = _TimelineDateSerializer()
    end_date = _TimelineDateSerializer(required=False)
    text = _TimelineTextSerializer()
    group = serializers.CharField(allow_blank=True)


@extend_schema_serializer(many=False)
class TimelineJSSerializer(serializers.Serializer):
    """A TimelineJS 3 document: one slide per event."""

    title = _TimelineTitleSerializer()
    events = _TimelineSlideSerializer(many=True)


def export_responses(json_response) -> dict:
    """The 200 responses of an event read: JSON, and each export format."""
    return {
        (200, "application/json"): json_response,
        (200, EXPORTERS["csv"].media_type): OpenApiTypes.STR,
        (200, EXPORTERS["geojson"].media_type): GeoJSONSerializer,
        (200, EXPORTERS["timelinejs"].media_type): TimelineJSSerializer,
        (200, EXPORTERS["ics"].media_type): OpenApiTypes.STR,
    }


# The shared EventFilter's labels are written for the page's form; the API says more.
EVENT_FILTER_PARAMETERS = [
    OpenApiParameter(
        "date_from", OpenApiTypes.DATE, description="Events whose days reach this day or later."
    ),
    OpenApiParameter(
        "date_to", OpenApiTypes.DATE, description="Events starting on or before this day."
    ),
    OpenApiParameter(
        "event_type",
        {"type": "array", "items": {"type": "string", "enum": list(EventType.values)}},
        explode=True,
        description="One or several PLOVER types (repeat the parameter); any of them matches.",
    ),
    OpenApiParameter("actor", OpenApiTypes.STR, description="Actor id, or name or alias."),
    OpenApiParameter("place", OpenApiTypes.STR, description="Place id, or name or alias."),
    OpenApiParameter("country", OpenApiTypes.STR, description="Country of the event's place."),
    OpenApiParameter(
        "outlet", OpenApiTypes.STR, description="Outlet id, domain or name among the sources."
    ),
    OpenApiParameter(
        "q", OpenApiTypes.STR, description="Words in the title, quotes or actor names."
    ),
    OpenApiParameter(
        "min_sources",
        {"type": "integer", "minimum": 0, "maximum": 100000},
        description="At least this many distinct articles cite the event.",
    ),
    OpenApiParameter(
        "status",
        {"type": "array", "items": {"type": "string", "enum": list(Event.Status.values)}},
        explode=True,
        description="Editors only (ignored for others, who see published events).",
    ),
    OpenApiParameter(
        "updated_since",
        OpenApiTypes.DATETIME,
        description="Changed at or after this moment (with ordering=updated_at, for mirrors).",
    ),
]
