"""Read-only API over the timeline."""
from __future__ import annotations

from rest_framework import viewsets
from rest_framework.pagination import CursorPagination

from timeline.api.serializers import EventSerializer
from timeline.filters import EventFilter
from timeline.models import Event


class TimelineCursorPagination(CursorPagination):
    # (date_start, id) is unique and indexed, so pages stay stable while events are added.
    ordering = ("date_start", "id")
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500


class EventViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = EventSerializer
    filterset_class = EventFilter
    pagination_class = TimelineCursorPagination

    def get_queryset(self):
        return Event.objects.visible_to(self.request.user).for_timeline()
