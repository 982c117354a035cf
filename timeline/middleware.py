"""Security headers the framework does not set by itself."""
from __future__ import annotations

from django.conf import settings

# Everything is served from this origin (vendored htmx, no CDN); inline scripts are not
# allowed, so article text that slipped through escaping still cannot execute.
DEFAULT_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; object-src 'none'; base-uri 'self'; frame-ancestors 'none'; "
    "form-action 'self'"
)


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.policy = getattr(settings, "CONTENT_SECURITY_POLICY", DEFAULT_POLICY)

    def __call__(self, request):
        response = self.get_response(request)
        # The admin and the API docs bring inline scripts of their own.
        if not request.path.startswith(("/admin/", "/api/docs/", "/api/redoc/")):
            response.headers.setdefault("Content-Security-Policy", self.policy)
        return response
