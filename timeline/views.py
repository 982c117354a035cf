"""The timeline page and the event permalink."""
from __future__ import annotations

from django.shortcuts import get_object_or_404, redirect, render

from timeline.filters import EventFilter
from timeline.models import Event, Tombstone

PAGE_SIZE = 50


def timeline_page(request):
    """The filtered timeline; htmx requests get only the list fragment."""
    filterset = EventFilter(request.GET, queryset=Event.objects.for_timeline(), request=request)
    events = list(filterset.qs[:PAGE_SIZE]) if filterset.is_valid() else []
    template = "timeline/page.html"
    if request.htmx and not request.htmx.history_restore_request:
        template += "#event-list"
    return render(request, template, {"filter": filterset, "events": events})


def event_page(request, pk: int):
    """One event with all its evidence; merged events redirect to where they went."""
    event = Event.objects.visible_to(request.user).for_timeline().filter(pk=pk).first()
    if event is None:
        tombstone = Tombstone.objects.filter(event_id=pk, merged_into__isnull=False).first()
        if tombstone is not None:
            return redirect(tombstone.merged_into, permanent=True)
        event = get_object_or_404(Event.objects.none())
    return render(request, "timeline/event.html", {"event": event})
