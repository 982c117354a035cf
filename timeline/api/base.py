"""What every API view shares: JSON in and out, errors always in JSON, conditional GET."""
from __future__ import annotations

from rest_framework import viewsets
from rest_framework.parsers import JSONParser
from rest_framework.permissions import DjangoModelPermissionsOrAnonReadOnly
from rest_framework.renderers import JSONRenderer

from timeline.api.conditional import ConditionalGetMixin
from timeline.api.schema import TimelineAutoSchema


class ApiViewSetMixin(ConditionalGetMixin):
    renderer_classes = [JSONRenderer]
    parser_classes = [JSONParser]
    # Everybody reads (querysets hide drafts from non-editors); writes need the model's
    # add/change/delete permission, which the Editors group grants. No credentials: 401;
    # a token without those permissions: 403.
    permission_classes = [DjangoModelPermissionsOrAnonReadOnly]
    schema = TimelineAutoSchema()

    def handle_exception(self, exc):
        response = super().handle_exception(exc)
        # A 400 for `?format=csv&date_from=nope` is JSON, not an empty CSV file.
        self.request.accepted_renderer = JSONRenderer()
        self.request.accepted_media_type = JSONRenderer.media_type
        return response


class ReadOnlyViewSet(ApiViewSetMixin, viewsets.ReadOnlyModelViewSet):
    pass
