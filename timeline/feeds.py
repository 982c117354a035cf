"""An Atom feed for any filter of the timeline, so readers can subscribe to what they follow."""
from __future__ import annotations

from django.contrib.syndication.views import Feed
from django.http import HttpRequest
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import format_html

from timeline.filters import EventFilter
from timeline.models import Event

FEED_SIZE = 50


class FilteredEventsFeed(Feed):
    """The latest created or updated events matching the query string's filter."""

    feed_type = Atom1Feed

    def get_object(self, request: HttpRequest) -> EventFilter:
        # The Feed instance is shared by all requests: per-request state lives in the object.
        return EventFilter(
            request.GET, queryset=Event.objects.select_related("place"), request=request
        )

    def _query(self, obj: EventFilter) -> str:
        query = obj.data.copy()
        for key in [k for k, values in obj.data.lists() if not any(v.strip() for v in values)]:
            del query[key]
        return query.urlencode()

    def title(self, obj: EventFilter) -> str:
        if not obj.is_valid():
            return "Conflict timeline"
        described = [
            f"{obj.form.fields[name].label.lower()}: "
            f"{', '.join(map(str, value)) if isinstance(value, list) else value}"
            for name, value in obj.form.cleaned_data.items()
            if value not in (None, "", [])
        ]
        return "Conflict timeline" + (f" ({'; '.join(described)})" if described else "")

    def subtitle(self, obj: EventFilter) -> str:
        return "Dated, sourced events merged from news articles."

    def link(self, obj: EventFilter) -> str:
        query = self._query(obj)
        return reverse("timeline:index") + (f"?{query}" if query else "")

    def feed_url(self, obj: EventFilter) -> str:
        query = self._query(obj)
        return reverse("timeline:feed") + (f"?{query}" if query else "")

    def items(self, obj: EventFilter):
        if not obj.is_valid():
            return Event.objects.none()
        # Newest changes first, so corrections reach subscribers too (index event_updated).
        return obj.qs.order_by("-updated_at", "-id")[:FEED_SIZE]

    def item_title(self, item: Event) -> str:
        return f"{item.date_start:%Y-%m-%d}: {item.title}"

    def item_description(self, item: Event) -> str:
        # Atom summaries are HTML for feed readers: every untrusted part is escaped.
        return format_html(
            "<p>{} · {}{} · {} source{}</p>{}",
            item.get_event_type_display(),
            item.date_start.isoformat(),
            f" · {item.place}" if item.place_id else "",
            item.source_count,
            "" if item.source_count == 1 else "s",
            format_html("<p>{}</p>", item.summary) if item.summary else "",
        )

    def item_link(self, item: Event) -> str:
        return item.get_absolute_url()

    def item_pubdate(self, item: Event):
        return item.created_at

    def item_updateddate(self, item: Event):
        return item.updated_at

    def item_categories(self, item: Event) -> list[str]:
        return [item.get_event_type_display()]
