"""Events, their evidence and their tombstones: read by everybody, written by editors."""
from __future__ import annotations

from itertools import chain, islice

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpResponse, HttpResponseBase, StreamingHttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import get_conditional_response, quote_etag
from django.utils.http import urlencode
from django_filters.utils import translate_validation
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response

from timeline import caching
from timeline.api.base import ApiViewSetMixin
from timeline.api.conditional import data_version, settled, versions
from timeline.api.filters import EvidenceFilter, TombstoneFilter
from timeline.api.pagination import EventPagination, IdPagination, TombstonePagination
from timeline.api.reading import (
    attach_relations,
    events_for_rows,
    iterate_with_relations,
    load_events,
)
from timeline.api.renderers import EXPORT_RENDERERS, ExportRenderer
from timeline.api.schema import EVENT_FILTER_PARAMETERS, FORMAT_PARAMETER, export_responses
from timeline.api.serializers import EventRowSerializer, EvidenceSerializer, TombstoneSerializer
from timeline.api.write_serializers import EventWriteSerializer, EvidenceWriteSerializer
from timeline.editing import EditingError, add_evidence, lock_fields
from timeline.filters import EventFilter
from timeline.models import Event, Evidence, Tombstone
from timeline.querysets import is_editor
from timeline.services import refresh_event_summary

# Rows per database round trip while streaming an export (each chunk: 1 query + 2 prefetches).
EXPORT_CHUNK_SIZE = 1000


@extend_schema_view(
    list=extend_schema(
        summary="Events, filtered, a page at a time (or all of them in an export format)",
        parameters=[*EVENT_FILTER_PARAMETERS, FORMAT_PARAMETER],
        responses=export_responses(EventRowSerializer),
    ),
    retrieve=extend_schema(
        summary="One event with its evidence, actors and place",
        parameters=[FORMAT_PARAMETER],
        responses=export_responses(EventRowSerializer),
    ),
    create=extend_schema(
        summary="Add an event (editors)",
        request=EventWriteSerializer,
        responses={201: EventRowSerializer},
    ),
    update=extend_schema(
        summary="Replace an event's fields (editors)",
        request=EventWriteSerializer,
        responses={200: EventRowSerializer},
    ),
    partial_update=extend_schema(
        summary="Change some of an event's fields (editors)",
        request=EventWriteSerializer,
        responses={200: EventRowSerializer},
    ),
    destroy=extend_schema(summary="Delete an event, leaving a tombstone (editors)"),
)
class EventViewSet(ApiViewSetMixin, viewsets.ModelViewSet):
    serializer_class = EventRowSerializer
    filterset_class = EventFilter
    pagination_class = EventPagination
    renderer_classes = [*ApiViewSetMixin.renderer_classes, *EXPORT_RENDERERS]

    def get_queryset(self):
        return events_for_rows(Event.objects.visible_to(self.request.user))

    def get_renderers(self):
        # Reads come in every format; writes answer in JSON (`?format=csv` on a POST: 404).
        if self.action in ("list", "retrieve"):
            return super().get_renderers()
        return [JSONRenderer()]

    def get_serializer_class(self):
        if self.action in ("create", "update", "partial_update"):
            return EventWriteSerializer
        return EventRowSerializer

    def list(self, request, *args, **kwargs):
        if isinstance(request.accepted_renderer, ExportRenderer):
            not_modified = self.early_not_modified(data_version())
            if not_modified is not None:
                return not_modified
            return self.export(request.accepted_renderer, self.ordered_parts())
        return self.json_page(request)

    def json_page(self, request) -> HttpResponseBase:
        """A page in JSON: validated against the generation, kept in the render cache.

        One query reads the generation and the data version. The ETag is the cache key's
        (generation + everything the answer depends on: role, format, host, the query), so
        a conditional request is answered without building anything; a cached answer
        costs that one query; otherwise Postgres writes the page (one more query).
        """
        generation, moment = versions()
        self.last_modified = settled(moment)
        parts = [
            "editor" if is_editor(request.user) else "public",  # drafts and `status`
            request.accepted_media_type,
            request.build_absolute_uri("/"),  # the links and permalinks are absolute
            urlencode(sorted(request.query_params.lists()), doseq=True),
            moment.isoformat() if moment is not None else "",
        ]
        key = caching.cache_key("api-events", parts, generation)
        etag = quote_etag(key.split(":", 2)[2].replace(":", "-"))
        timestamp = int(self.last_modified.timestamp()) if self.last_modified else None
        early = get_conditional_response(request._request, etag=etag, last_modified=timestamp)
        if early is not None:
            early.headers["ETag"] = etag
            return early
        body = caching.stored(key, lambda: self.render_page(request))
        response = HttpResponse(body, content_type="application/json")
        response.headers["ETag"] = etag
        return response

    def render_page(self, request) -> bytes:
        parts = self.ordered_parts()
        if timezone.get_current_timezone_name() == "UTC":
            # Postgres writes the page (its timestamps in UTC, as DRF does in this zone).
            root = request.build_absolute_uri("/")[:-1]
            permalink = root + reverse("timeline:event", args=[0]).removesuffix("0/")
            return self.paginator.page_json(parts, request, permalink)
        events = self.paginator.paginate_parts(parts, request, load=load_events)
        data = self.get_serializer(events, many=True).data
        page = self.paginator.get_paginated_response(data).data
        return JSONRenderer().render(page)

    def retrieve(self, request, *args, **kwargs):
        event = self.get_object()
        attach_relations([event])
        self.last_modified = settled(event.updated_at)
        if isinstance(request.accepted_renderer, ExportRenderer):
            return Response([event])
        return Response(self.get_serializer(event).data)

    def ordered_parts(self) -> list[QuerySet]:
        """The filtered events, as parts that follow one another in the requested order.

        Plain querysets (no joins), so that paging reads only ids from the indexes.
        """
        filterset = EventFilter(
            self.request.query_params, queryset=Event.objects.all(), request=self.request
        )
        if not filterset.is_valid():
            raise translate_validation(filterset.errors)
        ordering = self.paginator.get_ordering_name(self.request)
        if ordering == "updated_at":
            return [filterset.qs]
        parts = filterset.date_ordered_parts()
        return parts if ordering == "date_start" else parts[::-1]

    def export(self, renderer: ExportRenderer, parts: list[QuerySet]) -> StreamingHttpResponse:
        """Every matching event, streamed in the renderer's format, up to the export cap."""
        paginator = self.paginator
        ordering = paginator.orderings[paginator.check_parameters(self.request, Event)]
        cap = settings.API_EXPORT_MAX_EVENTS
        # Bounded counts (LIMIT cap + 1): say whether the cap cut the export short.
        truncated = sum(part.order_by()[: cap + 1].count() for part in parts) > cap
        events = islice(
            chain.from_iterable(
                iterate_with_relations(part.order_by(*ordering), EXPORT_CHUNK_SIZE)
                for part in parts
            ),
            cap,
        )
        exporter = renderer.exporter
        base_url = self.request.build_absolute_uri("/")
        chunks = (chunk.encode("utf-8") for chunk in exporter.write(events, base_url))
        response = StreamingHttpResponse(
            chunks, content_type=f"{exporter.media_type}; charset=utf-8"
        )
        response.headers["Content-Disposition"] = (
            f'attachment; filename="timeline-events.{exporter.extension}"'
        )
        if truncated:
            response.headers["X-Export-Truncated"] = f"true; limit={cap}"
        return response

    def create(self, request, *args, **kwargs):
        writer = self.get_serializer(data=request.data)
        writer.is_valid(raise_exception=True)
        # Fields an editor set by hand are locked: re-extraction never overwrites them.
        with transaction.atomic():
            event = writer.save(
                origin=Event.Origin.EDITOR, locked_fields=sorted(writer.validated_data)
            )
            refresh_event_summary(event)
        return Response(self._read(event), status=status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        event = self.get_object()
        writer = self.get_serializer(event, data=request.data, partial=kwargs.get("partial", False))
        writer.is_valid(raise_exception=True)
        lock_fields(event, writer.validated_data)
        with transaction.atomic():
            event = writer.save()
            refresh_event_summary(event)
        return Response(self._read(event))

    def _read(self, event: Event) -> dict:
        (fresh,) = load_events([event.pk])
        return EventRowSerializer(fresh, context=self.get_serializer_context()).data


@extend_schema_view(
    list=extend_schema(summary="Evidence: quotes of articles that report events"),
    retrieve=extend_schema(summary="One piece of evidence"),
    create=extend_schema(
        summary="Cite an article as evidence of an event (editors)",
        request=EvidenceWriteSerializer,
        responses={201: EvidenceSerializer},
    ),
    destroy=extend_schema(summary="Remove a piece of evidence (editors)"),
)
class EvidenceViewSet(
    ApiViewSetMixin,
    mixins.CreateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.ReadOnlyModelViewSet,
):
    """Evidence is cited or withdrawn; to change a quote, withdraw it and cite the new one."""

    serializer_class = EvidenceSerializer
    filterset_class = EvidenceFilter
    pagination_class = IdPagination

    def get_queryset(self):
        queryset = Evidence.objects.select_related("article__outlet").defer(
            "article__text", "article__raw", "article__metadata"
        )
        if not is_editor(self.request.user):
            queryset = queryset.filter(event__status=Event.Status.PUBLISHED)
        return queryset.order_by("id")

    def get_serializer_class(self):
        return EvidenceWriteSerializer if self.action == "create" else EvidenceSerializer

    def create(self, request, *args, **kwargs):
        writer = self.get_serializer(data=request.data)
        writer.is_valid(raise_exception=True)
        data = writer.validated_data
        with transaction.atomic():
            try:
                evidence = add_evidence(
                    data["event"], data["article"], data["quote"],
                    speaker=data["speaker"], date_text=data["date_text"],
                )
            except EditingError as error:
                raise ValidationError({"quote": [str(error)]}) from None
            _touch(data["event"])
        fresh = Evidence.objects.select_related("article__outlet").get(pk=evidence.pk)
        body = EvidenceSerializer(fresh, context=self.get_serializer_context()).data
        return Response(body, status=status.HTTP_201_CREATED)

    def perform_destroy(self, instance: Evidence) -> None:
        with transaction.atomic():
            event = instance.event
            instance.delete()
            refresh_event_summary(event)
            _touch(event)


def _touch(event: Event) -> None:
    """Mark the event updated, so mirrors following `updated_since` fetch it again."""
    Event.objects.filter(pk=event.pk).update(updated_at=timezone.now())


@extend_schema_view(
    list=extend_schema(summary="Events deleted or merged away, for mirrors to drop")
)
class TombstoneViewSet(ApiViewSetMixin, mixins.ListModelMixin, viewsets.GenericViewSet):
    serializer_class = TombstoneSerializer
    filterset_class = TombstoneFilter
    pagination_class = TombstonePagination
    queryset = Tombstone.objects.all()

    def list(self, request, *args, **kwargs):
        latest = Tombstone.objects.order_by("-deleted_at").values_list("deleted_at", flat=True)
        not_modified = self.early_not_modified(latest.first())
        if not_modified is not None:
            return not_modified
        return super().list(request, *args, **kwargs)
