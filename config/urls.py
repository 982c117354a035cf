from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView

from ingest.api import router as ingest_api
from timeline.api.urls import urlpatterns as timeline_api

# The ingest app's article view (read-only one plus POST for editors) replaces the
# read-only route: timeline must not import ingest, so the swap happens here.
api_v1 = [
    *ingest_api.urls,
    *(p for p in timeline_api if getattr(p, "name", "") not in ("article-list", "article-detail")),
]

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", include(api_v1)),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="swagger-ui"),
    path("api/redoc/", SpectacularRedocView.as_view(url_name="schema"), name="redoc"),
    path("", include("timeline.urls")),
]

# API clients get JSON errors even for URLs no API view matched.
handler404 = "timeline.api.errors.not_found"
handler500 = "timeline.api.errors.server_error"
