"""Actors, places, outlets and articles: read-only reference data beside the events."""
from __future__ import annotations

from django.db.models import Prefetch
from drf_spectacular.utils import extend_schema, extend_schema_view

from timeline.api.base import ReadOnlyViewSet
from timeline.api.filters import ActorFilter, ArticleFilter, OutletFilter, PlaceFilter
from timeline.api.pagination import IdPagination
from timeline.api.serializers import (
    ActorSerializer,
    ArticleSerializer,
    OutletSerializer,
    PlaceSerializer,
)
from timeline.models import Actor, Article, Event, Evidence, Outlet, Place
from timeline.querysets import is_editor


@extend_schema_view(
    list=extend_schema(summary="Actors: people, states, organizations, armed groups"),
    retrieve=extend_schema(summary="One actor"),
)
class ActorViewSet(ReadOnlyViewSet):
    queryset = Actor.objects.order_by("id")
    serializer_class = ActorSerializer
    filterset_class = ActorFilter
    pagination_class = IdPagination


@extend_schema_view(
    list=extend_schema(summary="Places, with coordinates when known"),
    retrieve=extend_schema(summary="One place"),
)
class PlaceViewSet(ReadOnlyViewSet):
    queryset = Place.objects.order_by("id")
    serializer_class = PlaceSerializer
    filterset_class = PlaceFilter
    pagination_class = IdPagination


@extend_schema_view(
    list=extend_schema(summary="News outlets the articles come from"),
    retrieve=extend_schema(summary="One outlet"),
)
class OutletViewSet(ReadOnlyViewSet):
    queryset = Outlet.objects.order_by("id")
    serializer_class = OutletSerializer
    filterset_class = OutletFilter
    pagination_class = IdPagination


@extend_schema_view(
    list=extend_schema(summary="Articles read, with the events they are evidence for"),
    retrieve=extend_schema(summary="One article with its events"),
)
class ArticleViewSet(ReadOnlyViewSet):
    """Read-only here; the ingest app subclasses it to accept new articles (POST).

    Readers see the articles whose processing is done, and only their published events;
    editors see every article and every event.
    """

    serializer_class = ArticleSerializer
    filterset_class = ArticleFilter
    pagination_class = IdPagination
    queryset = Article.objects.all()

    def get_queryset(self):
        editor = is_editor(self.request.user)
        evidence = (
            Evidence.objects.select_related("event")
            .defer("event__search_text")
            .order_by("event_id", "id")
        )
        articles = Article.objects.select_related("outlet").order_by("id")
        if not editor:
            evidence = evidence.filter(event__status=Event.Status.PUBLISHED)
            articles = articles.filter(status=Article.Status.DONE)
        # The article's text and raw bytes stay in the database: lists stay small.
        return articles.defer("text", "raw", "metadata").prefetch_related(
            Prefetch("evidence", queryset=evidence, to_attr="visible_evidence")
        )
