"""The timeline page and its fragments, the lazy sources of an event, and the permalink."""
from __future__ import annotations

import copy
import functools
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from urllib.parse import quote_plus, urlencode

from django.db import connection
from django.db.models import Prefetch, Q, QuerySet
from django.forms.renderers import get_default_renderer
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.cache import patch_vary_headers

from timeline import caching
from timeline.charts import Histogram, build_histogram
from timeline.filters import EventFilter
from timeline.history import history_lines
from timeline.maps import MapView, build_map, day_and_place_counts
from timeline.models import Actor, Claim, Event, Evidence, Place, Tombstone
from timeline.querysets import is_editor, union_all
from timeline.templatetags.timeline_tags import InputsInPython

PAGE_SIZE = 50
# Filter fields the page's form leaves out (the API's incremental sync uses it).
API_ONLY_FIELDS = ("updated_since",)
SAME_DAY_LIMIT = 20
# The columns a row shows: the search text and the rest stay in the database.
ROW_FIELDS = (
    "id", "date_start", "date_end", "precision", "title", "event_type", "status", "origin",
    "verified", "source_count", "place__name", "place__country",
)


@dataclass(slots=True)
class Row:
    """One event of the list, read as values: a page needs no model instances."""

    pk: int
    date_start: date
    date_end: date | None
    precision: str
    title: str
    event_type: str
    status: str
    origin: str
    verified: bool
    source_count: int
    place: str | None  # as str(Place): "name, country"
    page_url: str = ""
    actor_names: str = ""

    @classmethod
    def of(cls, values: tuple) -> Row:
        *columns, place_name, country = values
        if place_name is None:
            return cls(*columns, None)
        return cls(*columns, f"{place_name}, {country}" if country else place_name)


@dataclass(frozen=True, slots=True)
class Cursor:
    """Keyset position after the last event shown: (date_start, id), the timeline's order."""

    day: date
    pk: int

    def __str__(self) -> str:
        return f"{self.day.isoformat()}.{self.pk}"

    @classmethod
    def parse(cls, value: str | None) -> Cursor | None:
        day, _, pk = (value or "").partition(".")
        try:
            return cls(date.fromisoformat(day), int(pk))
        except ValueError:
            return None

    def after(self, events: QuerySet) -> QuerySet:
        # The redundant `date_start >= day` gives Postgres the index range to start from.
        return events.filter(date_start__gte=self.day).filter(
            Q(date_start__gt=self.day) | Q(date_start=self.day, pk__gt=self.pk)
        )


@dataclass(slots=True)
class DayGroup:
    day: date
    heading: bool
    events: list[Row] = field(default_factory=list)


@dataclass(slots=True)
class MonthGroup:
    month: date
    heading: bool
    days: list[DayGroup] = field(default_factory=list)


def group_by_month_and_day(events: list[Row], previous: date | None = None) -> list[MonthGroup]:
    """Events under month and day headings; a continuation after `previous` repeats neither."""
    months: list[MonthGroup] = []
    for event in events:
        day = event.date_start
        month = day.replace(day=1)
        if not months or months[-1].month != month:
            continues = previous is not None and previous.replace(day=1) == month
            months.append(MonthGroup(month=month, heading=not (continues and not months)))
        days = months[-1].days
        if not days or days[-1].day != day:
            continues = previous is not None and previous == day and len(months) == 1
            days.append(DayGroup(day=day, heading=not (continues and not days)))
        days[-1].events.append(event)
    return months


def filter_query(request: HttpRequest) -> QueryDict:
    """The filter part of the query string: what exports, the feed and links carry on."""
    query = QueryDict(mutable=True)
    for key, values in request.GET.lists():
        kept = [v for v in values if v.strip()]
        if key not in ("after", "format") and kept:
            query.setlist(key, kept)
    return query


def row_selects(parts: Iterable[QuerySet]) -> list[tuple[str, tuple]]:
    """Each part's SQL for its events' date_start, id and place_id, without ORDER BY or
    LIMIT: compiled once, it is read by both the list and the counts of the pictures.

    The date indexes carry the three, so each part is read from the index alone. Postgres
    pulls such a subquery up into the query around it: the list orders and cuts it along
    the index, and the counts group its rows.
    """
    return [
        part.order_by().values_list("date_start", "id", "place_id").query.sql_with_params()
        for part in parts
    ]


@functools.cache
def _row_columns() -> str:
    """ROW_FIELDS as columns of the event `e` and its place `p` (worked out once)."""
    return ", ".join(
        f"p.{Place._meta.get_field(name.removeprefix('place__')).column}"
        if name.startswith("place__") else f"e.{Event._meta.get_field(name).column}"
        for name in ROW_FIELDS
    )


def page_of_events(selects: list[tuple[str, tuple]], size: int) -> list[Row]:
    """Up to `size` events of the parts' selects (row_selects) in (date_start, id) order,
    with the names of their actors, in one query.

    The parts (EventFilter.date_ordered_parts: with a start date, the events that began
    before it and run into it, long then recent ones, then the events starting from it)
    are each a bounded scan of an index where filterset.qs would walk the type's whole
    history; each gives up to `size` ids and their UNION ALL is cut to `size`. Only then
    are those rows and their places read, by primary key; sources are loaded when a reader
    expands them. The actors' names (by name, as Actor orders them) come from a subquery
    per row, which Postgres runs for the rows kept only: an outer join of the pairs made
    it hash every actor.
    """
    if not selects:
        return []
    union, params = union_all(
        selects,
        "(SELECT {number}, s.date_start, s.id FROM ({sql}) s ORDER BY s.date_start, s.id LIMIT %s)",
        [size],
    )
    links, actor = Event.actors.through._meta.db_table, Actor._meta.db_table
    with connection.cursor() as db:
        db.execute(
            f"SELECT {_row_columns()}, (SELECT string_agg(a.name, ', ' ORDER BY a.name, a.id) "
            f"FROM {links} l JOIN {actor} a ON a.id = l.actor_id WHERE l.event_id = e.id) "
            f"FROM (SELECT * FROM ({union}) u(part, date_start, id) "
            "ORDER BY u.part, u.date_start, u.id LIMIT %s) u "
            f"JOIN {Event._meta.db_table} e ON e.id = u.id "
            f"LEFT JOIN {Place._meta.db_table} p ON p.id = e.place_id "
            "ORDER BY u.part, u.date_start, u.id",
            [*params, size],
        )
        found = db.fetchall()
    # Work the template would repeat per row, done once.
    events_url = reverse("timeline:event", args=[0]).removesuffix("0/")
    events = []
    for *values, names in found:
        event = Row.of(values)
        event.page_url = f"{events_url}{event.pk}/"
        event.actor_names = names or ""
        events.append(event)
    return events


PAGE_FORM_RENDERER = InputsInPython(get_default_renderer())


class PageFilter(EventFilter):
    """EventFilter with the page's form: without the API's fields (and `status` for
    readers), a search box, a whole number of sources, inputs drawn in Python."""

    # The page's form classes, by whether the user is an editor: made once (like
    # EventFilter's, see its get_form_class) rather than changing every request's form.
    _page_form_classes: dict[bool, type] = {}

    def get_form_class(self):
        editor = is_editor(self.request.user)
        form_class = self._page_form_classes.get(editor)
        if form_class is None:
            left_out = {*API_ONLY_FIELDS, *(() if editor else ["status"])}
            fields = {
                name: copy.deepcopy(field)
                for name, field in super().get_form_class().base_fields.items()
                if name not in left_out
            }
            fields["q"].widget.input_type = "search"
            fields["min_sources"].widget.attrs.update(min=0, step=1, inputmode="numeric")
            fields["default_renderer"] = PAGE_FORM_RENDERER
            form_class = type("PageFilterForm", (self._meta.form,), fields)
            self._page_form_classes[editor] = form_class
        return form_class


def _page_filter(request: HttpRequest) -> EventFilter:
    filterset = PageFilter(request.GET, queryset=Event.objects.all(), request=request)
    filterset.fulltext_first = True
    return filterset


# What quote_plus leaves as it is: dates and ids, the values of the page's links.
_UNQUOTED = re.compile(r"[A-Za-z0-9_.~-]*").fullmatch


def _quoted(value: str) -> str:
    return value if _UNQUOTED(value) else quote_plus(value)


def _link_adding(query: QueryDict, *replaced: str) -> Callable[..., str]:
    """A fast maker of timeline links: the current filter with `replaced` keys set anew.

    The filter part is encoded once; a histogram and a map make hundreds of links.
    """
    kept = query.copy()
    for key in replaced:
        kept.pop(key, None)
    prefix = f"{reverse('timeline:index')}?{kept.urlencode()}{'&' if kept else ''}"
    keys = [f"{quote_plus(key)}=" for key in replaced]

    def link(*values: object) -> str:
        # What urlencode makes of {key: str(value), ...}, without its per-call checks.
        return prefix + "&".join(
            key + _quoted(str(value)) for key, value in zip(keys, values, strict=True)
        )

    return link


def _pictures(
    filterset: EventFilter, selects: list[tuple[str, tuple]], query: QueryDict
) -> tuple[Histogram | None, MapView | None]:
    """The histogram and the map of the whole filtered set (one grouped query)."""
    cleaned = filterset.form.cleaned_data
    days, places = day_and_place_counts(selects)
    histogram = build_histogram(
        days, _link_adding(query, "date_from", "date_to"),
        cleaned.get("date_from"), cleaned.get("date_to"),
    )
    return histogram, build_map(places, _link_adding(query, "place"))


def _partial(request: HttpRequest, cursor: Cursor | None) -> str:
    """Which part of page.html this request gets: "" (the whole page: a plain request or an
    htmx history restore), "rows" (load more), "app" (histogram and map links) or "results"
    (the filter form)."""
    if not request.htmx or request.htmx.history_restore_request:
        return ""
    if cursor is not None:
        return "rows"
    return "app" if request.htmx.target == "timeline-app" else "results"


def _role(request: HttpRequest) -> str:
    """Everything about the user that the page shows: drafts and the status filter
    (editors) and the link to the admin (staff). Pages are shared within a role."""
    user = request.user
    return f"{'editor' if is_editor(user) else 'reader'}:{'staff' if user.is_staff else ''}"


def _render_page(request: HttpRequest, cursor: Cursor | None, partial: str) -> tuple[bytes, str]:
    """The page or fragment's body and the URL htmx should push ("" for none)."""
    filterset = _page_filter(request)
    query = filter_query(request)
    valid = filterset.is_valid()
    # The filtered events in parts (the filters applied once), compiled once: the first
    # page lists them and the pictures count them; a later page lists what follows it.
    parts = filterset.date_ordered_parts() if valid else []
    pictured = valid and partial != "rows"
    whole = row_selects(parts) if cursor is None or pictured else []
    listed = whole if cursor is None else row_selects(cursor.after(part) for part in parts)
    events = page_of_events(listed, PAGE_SIZE + 1)
    more = len(events) > PAGE_SIZE
    events = events[:PAGE_SIZE]
    histogram = map_view = None
    if pictured:
        histogram, map_view = _pictures(filterset, whole, query)
    # The links that carry the filter on, encoded once (what {% querystring %} makes).
    index_url = reverse("timeline:index")
    encoded = query.urlencode()
    query_string = f"?{encoded}" if encoded else ""
    query_and = f"{query_string}&" if encoded else "?"  # before one more parameter
    context = {
        "filter": filterset,
        "valid": valid,
        "months": group_by_month_and_day(events, cursor.day if cursor else None),
        "shown": len(events),
        "continued": cursor is not None,
        "more_url": index_url + query_and
        + urlencode({"after": str(Cursor(events[-1].date_start, events[-1].pk))})
        if more else "",
        "index_url": index_url,
        "feed_url": reverse("timeline:feed"),
        "query_string": query_string,
        "query_and": query_and,
        "histogram": histogram,
        "map": map_view,
        "editor": is_editor(request.user),
    }
    template = "timeline/page.html" + (f"#{partial}" if partial else "")
    body = render(request, template, context).content
    push_url = ""
    if partial in ("results", "app"):
        # htmx would push every field of the form, empty or not; share the short URL.
        push_url = index_url + query_string
    return body, push_url


def _page_cache_parts(request: HttpRequest, partial: str) -> list[str]:
    """What the rendered answer depends on: the role, the part of the page, and the whole
    query string (empty fields included: the form shows them), keys in sorted order."""
    query = sorted(request.GET.lists(), key=lambda item: item[0])
    return ["v1", _role(request), partial, urlencode(query, doseq=True)]


def _shareable(request: HttpRequest) -> bool:
    """False when rendering used something of this user's own (a CSRF token)."""
    return not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")


def _cached_page(request: HttpRequest, cursor: Cursor | None, partial: str) -> tuple[bytes, str]:
    """_render_page's answer, kept under the timeline's generation (timeline.caching) for
    everyone of the same role; a change to the data makes the next request render afresh."""
    return caching.cached(
        "page",
        _page_cache_parts(request, partial),
        lambda: _render_page(request, cursor, partial),
        keep=lambda _: _shareable(request),
    )


def timeline_page(request: HttpRequest) -> HttpResponse:
    """The filtered timeline. htmx requests get the fragment their target needs:
    the results (filter form), the whole app (histogram and map links), or more rows."""
    cursor = Cursor.parse(request.GET.get("after"))
    partial = _partial(request, cursor)
    body, push_url = _cached_page(request, cursor, partial)
    response = HttpResponse(body)
    if push_url:
        response["HX-Push-Url"] = push_url
    # The same URL answers with a fragment or the whole page: caches must tell them apart.
    patch_vary_headers(response, ("HX-Request", "HX-Target", "HX-History-Restore-Request"))
    return response


def _visible_event(request: HttpRequest, pk: int) -> Event | None:
    return Event.objects.visible_to(request.user).filter(pk=pk).first()


def _evidence_by_article(event: Event) -> list[tuple[object, list[Evidence]]]:
    groups: dict[int, tuple[object, list[Evidence]]] = {}
    for evidence in event.evidence.all():
        groups.setdefault(evidence.article_id, (evidence.article, []))[1].append(evidence)
    return list(groups.values())


def _with_evidence(events: QuerySet) -> QuerySet:
    return events.prefetch_related(
        Prefetch(
            "evidence",
            queryset=Evidence.objects.select_related("article__outlet").order_by(
                "article__published_on", "article_id", "char_start"
            ),
        )
    )


def event_sources(request: HttpRequest, pk: int) -> HttpResponse:
    """The sources of one event, loaded when a reader expands them on the timeline."""
    if not request.htmx:
        return redirect(reverse("timeline:event", args=[pk]) + "#sources")
    event = _with_evidence(Event.objects.visible_to(request.user).filter(pk=pk)).first()
    if event is None:
        event = get_object_or_404(Event.objects.none())
    return render(
        request, "timeline/sources.html", {"event": event, "groups": _evidence_by_article(event)}
    )


@dataclass(frozen=True, slots=True)
class ClaimRow:
    """The claims of one kind, side by side; `differ` when the figures disagree."""

    kind: str
    claims: list[Claim]
    differ: bool


def _claim_rows(event: Event) -> list[ClaimRow]:
    by_kind: dict[str, list[Claim]] = {}
    for claim in event.claims.all():
        by_kind.setdefault(claim.get_kind_display(), []).append(claim)
    return [
        ClaimRow(kind=kind, claims=claims, differ=len({c.value.strip() for c in claims}) > 1)
        for kind, claims in by_kind.items()
    ]


def event_page(request: HttpRequest, pk: int) -> HttpResponse:
    """One event with all its evidence; merged events redirect to where they went."""
    events = Event.objects.visible_to(request.user).filter(pk=pk)
    event = (
        _with_evidence(events)
        .select_related("place")
        .prefetch_related("actors", Prefetch("claims", Claim.objects.order_by("kind", "id")))
        .first()
    )
    if event is None:
        tombstone = Tombstone.objects.filter(event_id=pk, merged_into__isnull=False).first()
        if tombstone is not None and _visible_event(request, tombstone.merged_into_id):
            return redirect(tombstone.merged_into, permanent=True)
        event = get_object_or_404(Event.objects.none())
    same_day_and_place: list[Event] = []
    if event.place_id is not None:
        same_day_and_place = list(
            Event.objects.visible_to(request.user)
            .filter(place_id=event.place_id, date_start=event.date_start)
            .exclude(pk=event.pk)
            .order_by("id")[:SAME_DAY_LIMIT]
        )
    context = {
        "event": event,
        "groups": _evidence_by_article(event),
        "claim_rows": _claim_rows(event),
        "same_day_and_place": same_day_and_place,
        "history": history_lines(event),
        "editor": is_editor(request.user),
    }
    return render(request, "timeline/event.html", context)
