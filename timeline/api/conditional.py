"""Conditional GET: ETag and Last-Modified on API reads, 304 when the client is current."""
from __future__ import annotations

import hashlib
from datetime import datetime, timedelta

from django.db import connection
from django.http import HttpRequest, HttpResponseBase, HttpResponseNotModified
from django.utils import timezone
from django.utils.cache import (
    get_conditional_response,
    patch_cache_control,
    patch_vary_headers,
    quote_etag,
)
from django.utils.http import http_date, parse_http_date_safe
from rest_framework.response import Response

from timeline import caching
from timeline.models import Event, Tombstone


def data_version() -> datetime | None:
    """When events last changed anywhere: the newest update or deletion (two index reads)."""
    sql = (
        f"SELECT GREATEST((SELECT max(updated_at) FROM {Event._meta.db_table}),"
        f" (SELECT max(deleted_at) FROM {Tombstone._meta.db_table}))"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return cursor.fetchone()[0]


def versions() -> tuple[int, datetime | None]:
    """The timeline's generation (timeline.caching) and data_version(), in one query."""
    sql = (
        f"SELECT ({caching.GENERATION_SQL}),"
        f" GREATEST((SELECT max(updated_at) FROM {Event._meta.db_table}),"
        f" (SELECT max(deleted_at) FROM {Tombstone._meta.db_table}))"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql)
        generation, moment = cursor.fetchone()
    return generation or 0, moment


def settled(moment: datetime | None) -> datetime | None:
    """The moment, if it is usable as Last-Modified.

    HTTP dates have whole seconds: a change later in the same second as a response would
    carry the same Last-Modified, and a client asking If-Modified-Since would miss it for
    good. So a version younger than a second is not announced (the ETag still is).
    """
    if moment is None or moment > timezone.now() - timedelta(seconds=1):
        return None
    return moment


def not_modified_since(request: HttpRequest, moment: datetime | None) -> bool:
    """Whether an If-Modified-Since request (without ETag preconditions) may get a 304."""
    header = request.META.get("HTTP_IF_MODIFIED_SINCE")
    if moment is None or not header or request.method not in ("GET", "HEAD"):
        return False
    if any(
        request.META.get(name)
        for name in ("HTTP_IF_NONE_MATCH", "HTTP_IF_MATCH", "HTTP_IF_UNMODIFIED_SINCE")
    ):
        return False
    since = parse_http_date_safe(header)
    return since is not None and int(moment.timestamp()) <= since


class ConditionalGetMixin:
    """For viewsets: strong ETag from the rendered body, Last-Modified from `last_modified`.

    A view sets `self.last_modified` (a datetime) when it knows when its data changed;
    `early_not_modified()` lets a list answer 304 before running its queries.
    """

    last_modified: datetime | None = None

    def early_not_modified(self, moment: datetime | None) -> HttpResponseBase | None:
        self.last_modified = settled(moment)
        if not not_modified_since(self.request._request, self.last_modified):
            return None
        response = HttpResponseNotModified()
        response.headers["Last-Modified"] = http_date(self.last_modified.timestamp())
        return response

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        if request.method not in ("GET", "HEAD") or response.status_code not in (200, 304):
            return response
        # Editors see drafts: a shared cache must not hand their pages to others.
        patch_vary_headers(response, ["Authorization"])
        if request.user.is_authenticated:
            patch_cache_control(response, private=True, no_cache=True)
        else:
            patch_cache_control(response, public=True, max_age=0, must_revalidate=True)
        if isinstance(response, Response) and response.status_code == 200:
            response.add_post_render_callback(self._conditional)
        elif self.last_modified is not None:
            response.headers["Last-Modified"] = http_date(self.last_modified.timestamp())
        return response

    def _conditional(self, response: Response) -> HttpResponseBase:
        digest = hashlib.sha256(response.content).hexdigest()[:32]
        etag = quote_etag(digest)
        response.headers["ETag"] = etag
        timestamp = None
        if self.last_modified is not None:
            timestamp = int(self.last_modified.timestamp())
            response.headers["Last-Modified"] = http_date(timestamp)
        return get_conditional_response(
            self.request._request, etag=etag, last_modified=timestamp, response=response
        )
