"""Filters of the API's reference lists (events use the shared timeline.filters.EventFilter)."""
from __future__ import annotations

import django_filters
from django.db.models import Q

from timeline.filters import UTCDateTimeFilter
from timeline.models import Actor, Article, Evidence, Outlet, Place, Tombstone
from timeline.querysets import is_editor


class NameOrAliasFilter(django_filters.FilterSet):
    """`q` matches part of the name or a whole alias; `country` matches exactly."""

    q = django_filters.CharFilter(method="filter_name", label="Name contains, or alias")
    country = django_filters.CharFilter(field_name="country", lookup_expr="iexact")

    def filter_name(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(name__icontains=value) | Q(aliases__contains=[value]))


class ActorFilter(NameOrAliasFilter):
    kind = django_filters.ChoiceFilter(choices=Actor.Kind.choices)

    class Meta:
        model = Actor
        fields = ["q", "kind", "country"]


class PlaceFilter(NameOrAliasFilter):
    class Meta:
        model = Place
        fields = ["q", "country"]


class OutletFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="filter_name", label="Name or domain contains")
    country = django_filters.CharFilter(field_name="country", lookup_expr="iexact")

    class Meta:
        model = Outlet
        fields = ["q", "country"]

    def filter_name(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(name__icontains=value) | Q(domain__icontains=value))


class ArticleFilter(django_filters.FilterSet):
    outlet = django_filters.NumberFilter(field_name="outlet_id", label="Outlet id")
    published_from = django_filters.DateFilter(field_name="published_on", lookup_expr="gte")
    published_to = django_filters.DateFilter(field_name="published_on", lookup_expr="lte")
    status = django_filters.MultipleChoiceFilter(
        choices=Article.Status.choices, method="filter_status", label="Status (editors)"
    )

    class Meta:
        model = Article
        fields = ["outlet", "published_from", "published_to", "status"]

    def filter_status(self, queryset, name, value):
        if not value or not is_editor(getattr(self.request, "user", None)):
            return queryset
        return queryset.filter(status__in=value)


class EvidenceFilter(django_filters.FilterSet):
    event = django_filters.NumberFilter(field_name="event_id", label="Event id")
    article = django_filters.NumberFilter(field_name="article_id", label="Article id")

    class Meta:
        model = Evidence
        fields = ["event", "article"]


class TombstoneFilter(django_filters.FilterSet):
    deleted_since = UTCDateTimeFilter(
        field_name="deleted_at", lookup_expr="gte", label="Deleted since"
    )

    class Meta:
        model = Tombstone
        fields = ["deleted_since"]
