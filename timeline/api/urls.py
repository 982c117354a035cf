"""The /api/v1/ routes. `router` is importable so the ingest app can register on it."""
from rest_framework.routers import DefaultRouter

from timeline.api import reference, views

router = DefaultRouter()
# Before "events": `events/deleted/` must not be read as the event with id "deleted".
router.register("events/deleted", views.TombstoneViewSet, basename="tombstone")
router.register("events", views.EventViewSet, basename="event")
router.register("evidence", views.EvidenceViewSet, basename="evidence")
router.register("actors", reference.ActorViewSet, basename="actor")
router.register("places", reference.PlaceViewSet, basename="place")
router.register("outlets", reference.OutletViewSet, basename="outlet")
router.register("articles", reference.ArticleViewSet, basename="article")

urlpatterns = router.urls
