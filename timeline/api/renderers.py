"""Renderers of the export formats, chosen by `?format=` or the Accept header.

Lists in these formats are streamed by the view (see EventViewSet.export); the renderer
serves content negotiation and renders the small cases (one event) in one piece.
"""
from __future__ import annotations

from collections.abc import Iterable

from rest_framework.renderers import BaseRenderer

from timeline.exports import EXPORTERS, Exporter
from timeline.models import Event


class ExportRenderer(BaseRenderer):
    exporter: Exporter
    charset = "utf-8"

    def render(self, data: Iterable[Event], accepted_media_type=None, renderer_context=None):
        request = (renderer_context or {}).get("request")
        base_url = request.build_absolute_uri("/") if request is not None else "/"
        return "".join(self.exporter.write(data, base_url)).encode(self.charset)


class CSVRenderer(ExportRenderer):
    exporter = EXPORTERS["csv"]
    media_type, format = exporter.media_type, exporter.format


class GeoJSONRenderer(ExportRenderer):
    exporter = EXPORTERS["geojson"]
    media_type, format = exporter.media_type, exporter.format


class TimelineJSRenderer(ExportRenderer):
    exporter = EXPORTERS["timelinejs"]
    media_type, format = exporter.media_type, exporter.format


class ICalendarRenderer(ExportRenderer):
    exporter = EXPORTERS["ics"]
    media_type, format = exporter.media_type, exporter.format


EXPORT_RENDERERS = [CSVRenderer, GeoJSONRenderer, TimelineJSRenderer, ICalendarRenderer]
