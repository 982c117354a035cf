"""The one FilterSet behind the timeline page, its exports and the API."""
from __future__ import annotations

import copy
from datetime import UTC, date, timedelta

import django_filters
from django import forms
from django.contrib.postgres.search import SearchQuery, SearchVector
from django.db.models import Exists, OuterRef, Q
from django_filters.fields import IsoDateTimeField
from django_filters.filters import FilterMethod, QuerySetRequestMixin

from timeline.models import (
    SHORT_SPAN_DAYS, Actor, Event, EventType, Evidence, Place, day_span, long_span, multi_day,
)
from timeline.querysets import is_editor

# Must match the expression of the `event_search_fts` index, or Postgres will not use it.
SEARCH_VECTOR = SearchVector("search_text", config="english")


class UTCDateTimeField(IsoDateTimeField):
    """An ISO 8601 moment, turned to UTC here: Postgres refuses offsets past 15:59, and a
    moment near year 1 or 9999 may not exist in UTC (both would be a 500, not a 400)."""

    def to_python(self, value):
        moment = super().to_python(value)
        if moment is None:
            return None
        try:
            return moment.astimezone(UTC)
        except (OverflowError, ValueError):
            raise forms.ValidationError("Enter a moment between years 1 and 9999.") from None


class UTCDateTimeFilter(django_filters.IsoDateTimeFilter):
    field_class = UTCDateTimeField


def began_into(day) -> tuple[Q, Q]:
    """Events that began before `day` and are still going on it, in two parts that follow
    each other in (date_start, id) order: the long ones that began more than
    SHORT_SPAN_DAYS earlier (the GiST indexes; needs alias day_span), then those that
    began since (a range scan of the multi-day events' date indexes, which carry date_end)."""
    try:
        since = day - timedelta(days=SHORT_SPAN_DAYS)
    except OverflowError:  # in January of year 1
        since = date.min
    return (
        long_span() & Q(date_start__lt=since, day_span__contains=day),
        multi_day() & Q(date_start__gte=since, date_start__lt=day, date_end__gte=day),
    )


def runs_into(day) -> Q:
    """Events that began before `day` and are still going on it (needs alias day_span)."""
    earlier, recent = began_into(day)
    return earlier | recent


def _id_or_name(value: str) -> tuple[int | None, str]:
    value = value.strip()
    # str.isdigit() also accepts digits int() refuses, such as "²".
    return (int(value), "") if value.isascii() and value.isdigit() else (None, value)


class _SharedFilters(dict):
    """A FilterSet's base_filters, copied cheaply for each of its instances.

    FilterSet.__init__ deep-copies base_filters on every request (widgets, choices and
    all: the largest part of building a filter set) only to give each instance filters of
    its own: `parent` and `model` are set on them per instance, and a `method=` filter
    finds its method through its parent. A shallow copy of each filter is enough for that,
    its FilterMethod bound anew to the copy; the rest (widgets, choices, form field) is
    never changed after the class is made (see EventFilter.get_form_class).
    """

    def __deepcopy__(self, memo):
        return {name: _own_copy(filter_) for name, filter_ in self.items()}


def _own_copy(filter_):
    copied = copy.copy(filter_)
    if isinstance(filter_.filter, FilterMethod):
        copied.method = filter_.method  # a FilterMethod of the copy's own, not the original's
    return copied


class EventFilter(django_filters.FilterSet):
    date_from = django_filters.DateFilter(
        method="filter_date_from", label="From", widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = django_filters.DateFilter(
        method="filter_date_to", label="To", widget=forms.DateInput(attrs={"type": "date"})
    )
    # distinct=False: a plain column cannot duplicate rows, and DISTINCT would cost a sort
    # or hash of every matching event.
    event_type = django_filters.MultipleChoiceFilter(
        choices=EventType.choices, label="Type", widget=forms.CheckboxSelectMultiple,
        distinct=False,
    )
    actor = django_filters.CharFilter(method="filter_actor", label="Actor")
    place = django_filters.CharFilter(method="filter_place", label="Place")
    country = django_filters.CharFilter(method="filter_country", label="Country")
    outlet = django_filters.CharFilter(method="filter_outlet", label="Outlet")
    q = django_filters.CharFilter(method="filter_text", label="Text")
    min_sources = django_filters.NumberFilter(
        field_name="source_count", lookup_expr="gte", label="Min. sources", min_value=0,
        max_value=100000,
    )
    status = django_filters.MultipleChoiceFilter(
        choices=Event.Status.choices, method="filter_status", label="Status", distinct=False
    )
    updated_since = UTCDateTimeFilter(
        field_name="updated_at", lookup_expr="gte", label="Updated since"
    )

    class Meta:
        model = Event
        fields = [
            "date_from", "date_to", "event_type", "actor", "place", "country", "outlet",
            "q", "min_sources", "status", "updated_since",
        ]

    @classmethod
    def get_filters(cls):
        filters = super().get_filters()
        # A filter whose queryset comes from the request makes its form field per request.
        assert not any(isinstance(f, QuerySetRequestMixin) for f in filters.values())
        return _SharedFilters(filters)

    def get_form_class(self):
        # django-filter makes a form class (a form field per filter) for every instance; its
        # fields depend on the class alone, so each class makes it once. Form.__init__
        # deep-copies the fields: what one form changes (errors, the page's widgets) stays
        # its own.
        cls = type(self)
        if "_form_class" not in cls.__dict__:
            cls._form_class = super().get_form_class()
        return cls._form_class

    @property
    def qs(self):
        return self._visible(super().qs)

    def _visible(self, queryset):
        # Readers see published events only, whatever they ask for.
        user = getattr(self.request, "user", None)
        if not is_editor(user):
            queryset = queryset.filter(status=Event.Status.PUBLISHED)
        return queryset

    def qs_without(self, *names: str):
        """`qs` as if the named filters were left empty (the form must be valid)."""
        queryset = self.queryset.all()
        for name, value in self.form.cleaned_data.items():
            if name not in names:
                queryset = self.filters[name].filter(queryset, value)
        return self._visible(queryset)

    def date_ordered_parts(self) -> list:
        """`qs` cut into parts that, one after the other, are `qs` in (date_start, id) order.

        With a start date, three parts each answered by a bounded index scan: the events
        that began before the date and run into it (they all sort first), long ones then
        recent ones (began_into), then the events starting on or after it. `qs` itself
        makes Postgres walk the type's whole history.
        """
        date_from = self.form.cleaned_data.get("date_from")
        if date_from is None:
            return [self.qs]
        base = self.qs_without("date_from")
        earlier, recent = began_into(date_from)
        return [
            base.alias(day_span=day_span()).filter(earlier),
            base.filter(recent),
            base.filter(date_start__gte=date_from),
        ]

    # Dates: an event belongs to a range when its days overlap it. An event overlaps the
    # days from `value` on when it starts on or after it (btree on date_start), or when it
    # began earlier and runs into it (began_into: date indexes and the GiST `event_span`).
    # The lead's `date_end >= value OR ...` form had neither index and scanned every
    # earlier event of the type: 1.3 s on a million events.
    def filter_date_from(self, queryset, name, value):
        return queryset.alias(day_span=day_span()).filter(
            Q(date_start__gte=value) | runs_into(value)
        )

    def filter_date_to(self, queryset, name, value):
        return queryset.filter(date_start__lte=value)

    def filter_actor(self, queryset, name, value):
        actor_id, actor_name = _id_or_name(value)
        actors = (
            Actor.objects.filter(pk=actor_id)
            if actor_id is not None
            else Actor.objects.filter(Q(name__iexact=actor_name) | Q(aliases__contains=[actor_name]))
        )
        through = Event.actors.through.objects.filter(
            event_id=OuterRef("pk"), actor_id__in=actors.values("pk")
        )
        return queryset.filter(Exists(through))

    def filter_place(self, queryset, name, value):
        place_id, place_name = _id_or_name(value)
        if place_id is not None:
            return queryset.filter(place_id=place_id)
        places = Place.objects.filter(
            Q(name__iexact=place_name) | Q(aliases__contains=[place_name])
        ).values("pk")
        return queryset.filter(place_id__in=places)

    def filter_country(self, queryset, name, value):
        return queryset.filter(place__country__iexact=value.strip())

    def filter_outlet(self, queryset, name, value):
        outlet_id, outlet_name = _id_or_name(value)
        evidence = Evidence.objects.filter(event_id=OuterRef("pk"))
        if outlet_id is not None:
            evidence = evidence.filter(article__outlet_id=outlet_id)
        else:
            evidence = evidence.filter(
                Q(article__outlet__domain__iexact=outlet_name)
                | Q(article__outlet__name__iexact=outlet_name)
            )
        return queryset.filter(Exists(evidence))

    # `q` runs full-text search alone and falls back to trigram similarity only when
    # full-text finds nothing (one more query, once per filter), for the page, the API
    # and the exports alike. ORing both makes Postgres scan the trigram index too: for a
    # common word that doubled the first page's search and made the histogram and map of
    # a text filter take seconds on a million events. False ORs them (kept for comparison).
    fulltext_first = True

    def filter_text(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        # Full-text search for words, trigram word similarity for names and misspellings.
        query = SearchQuery(value, config="english", search_type="websearch")
        fulltext = Q(search_vector=query)
        trigram = Q(search_text__trigram_word_similar=value)
        queryset = queryset.annotate(search_vector=SEARCH_VECTOR)
        if not self.fulltext_first:
            # Postgres answers the OR with both GIN indexes.
            return queryset.filter(fulltext | trigram)
        return queryset.filter(fulltext if self._fulltext_finds(value, query) else trigram)

    def _fulltext_finds(self, value: str, query: SearchQuery) -> bool:
        """Whether full-text search finds any event this user may see (asked once: `qs`
        and `qs_without` apply the filters again)."""
        found = getattr(self, "_fulltext_found", {})
        if value not in found:
            matches = Event.objects.annotate(search_vector=SEARCH_VECTOR).filter(
                search_vector=query
            )
            found[value] = self._visible(matches).exists()
            self._fulltext_found = found
        return found[value]

    def filter_status(self, queryset, name, value):
        if not value or not is_editor(getattr(self.request, "user", None)):
            return queryset
        return queryset.filter(status__in=value)
