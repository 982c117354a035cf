"""Keyset (seek) pagination: pages that stay stable while rows are added.

DRF's CursorPagination keys on the first ordering field and counts an offset inside
ties; a timeline has hundreds of events per day, so an event added on the cursor's day
shifts that offset and a page repeats or skips rows. Here the cursor holds the whole
ordering key, e.g. (date_start, id), and the next page is `WHERE (date_start, id) > (d, i)`,
a range scan on the `event_status_date_id` / `event_type_date_id` indexes.
"""
from __future__ import annotations

import binascii
import json
from base64 import urlsafe_b64decode, urlsafe_b64encode
from collections import OrderedDict
from collections.abc import Callable
from types import SimpleNamespace
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import connections
from django.db.models import F, Model, QuerySet
from django.db.models.fields.tuple_lookups import (
    Tuple,
    TupleGreaterThan,
    TupleGreaterThanOrEqual,
    TupleLessThan,
    TupleLessThanOrEqual,
)
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import BasePagination
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.utils.urls import replace_query_param

from timeline.api.reading import page_json_query

INVALID_CURSOR = "Invalid cursor: use the `next` or `previous` link of a page."


class KeysetPagination(BasePagination):
    """Pages of `page_size` rows after (or before) the ordering key held in `cursor`."""

    page_size = 50
    max_page_size = 500
    cursor_query_param = "cursor"
    page_size_query_param = "page_size"
    ordering_query_param = "ordering"
    # Ordering name -> fields; all in one direction, the last one unique (the id).
    orderings: dict[str, tuple[str, ...]] = {"id": ("id",)}
    default_ordering = "id"

    def paginate_queryset(self, queryset: QuerySet, request: Request, view=None) -> list[Model]:
        return self.paginate_parts([queryset], request)

    def paginate_parts(
        self,
        parts: list[QuerySet],
        request: Request,
        load: Callable[[list[int]], list[Model]] | None = None,
    ) -> list[Model]:
        """A page of the rows of `parts`, which are disjoint and, one after the other, in
        the requested ordering (e.g. EventFilter.date_ordered_parts, reversed for "-").

        With `load`, the parts give only the page's ids (index-only scans) and `load` reads
        those rows, in that order, with what they need prefetched, once for the page.
        """
        self.request = request
        self.page_size = self.get_page_size(request)
        self.ordering_name = self.get_ordering_name(request)
        self.fields = self.orderings[self.ordering_name]
        self.model = parts[0].model
        position = self.decode_cursor(request)  # (values, backwards, inclusive) or None

        backwards = bool(position and position[1])
        order = self.fields if not backwards else tuple(_flip(f) for f in self.fields)
        rows: list = []
        # Every part is queried, even when an earlier one fills the page, so that a list
        # takes the same number of queries whatever its data.
        for part in reversed(parts) if backwards else parts:
            queryset = part.order_by(*order)
            if position is not None:
                queryset = queryset.filter(self._beyond(position))
            if load is not None:
                queryset = queryset.values_list("pk", flat=True)
            rows += queryset[: self.page_size + 1]
        more = len(rows) > self.page_size
        rows = rows[: self.page_size]
        if load is not None:
            rows = load(rows)
        if backwards:
            rows.reverse()
            self.has_next, self.has_previous = True, more
        else:
            self.has_next, self.has_previous = more, position is not None
        self.page = rows
        return rows

    def page_json(self, parts: list[QuerySet], request: Request, permalink: str) -> bytes:
        """The page `paginate_parts` + `get_paginated_response` give, as JSON bytes written
        by Postgres in one query (timeline.api.reading.page_json_query): same rows, same
        order, same links."""
        self.request = request
        self.page_size = self.get_page_size(request)
        self.ordering_name = self.get_ordering_name(request)
        self.fields = self.orderings[self.ordering_name]
        self.model = parts[0].model
        position = self.decode_cursor(request)
        backwards = bool(position and position[1])
        order = self.fields if not backwards else tuple(_flip(f) for f in self.fields)
        names = [_name(f) for f in self.fields]
        selects = []
        for part in reversed(parts) if backwards else parts:
            queryset = part.order_by(*order)
            if position is not None:
                queryset = queryset.filter(self._beyond(position))
            queryset = queryset.values_list(*names)[: self.page_size + 1]
            selects.append(queryset.query.sql_with_params())
        sql, params = page_json_query(
            selects, keys=len(names), descending=order[0].startswith("-"),
            size=self.page_size, reverse=backwards, permalink=permalink,
        )
        with connections[parts[0].db].cursor() as cursor:
            cursor.execute(sql, params)
            found, results, *ends = cursor.fetchone()
        more = found > self.page_size
        if found:
            first, last = ends[: len(names)], ends[len(names):]
            self.page = [SimpleNamespace(**dict(zip(names, first, strict=True))),
                         SimpleNamespace(**dict(zip(names, last, strict=True)))]
        else:
            self.page = []
        if backwards:
            self.has_next, self.has_previous = True, more
        else:
            self.has_next, self.has_previous = more, position is not None
        links = json.dumps(
            {"next": self.get_next_link(), "previous": self.get_previous_link()},
            separators=(",", ":"), ensure_ascii=False,
        )
        return f'{links[:-1]},"results":{results}}}'.encode()

    def _beyond(self, position: tuple[tuple, bool, bool]):
        """The lookup for rows past `position` in the direction of travel."""
        values, backwards, inclusive = position
        ascending = not self.fields[0].startswith("-")
        after = ascending != backwards  # walking towards larger keys
        key = Tuple(*(F(_name(f)) for f in self.fields))
        if inclusive:
            return (TupleGreaterThanOrEqual if after else TupleLessThanOrEqual)(key, values)
        return (TupleGreaterThan if after else TupleLessThan)(key, values)

    def get_paginated_response(self, data: Any) -> Response:
        return Response(
            OrderedDict(
                [
                    ("next", self.get_next_link()),
                    ("previous", self.get_previous_link()),
                    ("results", data),
                ]
            )
        )

    # Parameters -----------------------------------------------------------------------

    def check_parameters(self, request: Request, model: type[Model]) -> str:
        """Validate the paging parameters of a request that is not paged (an export), so a
        bad value is a 400 there too; returns the ordering's name."""
        self.request, self.model = request, model
        self.get_page_size(request)
        self.ordering_name = self.get_ordering_name(request)
        self.fields = self.orderings[self.ordering_name]
        self.decode_cursor(request)
        return self.ordering_name

    def get_page_size(self, request: Request) -> int:
        raw = request.query_params.get(self.page_size_query_param)
        if not raw:  # absent or empty, as an HTML form sends it
            return self.page_size
        field = serializers.IntegerField(min_value=1, max_value=self.max_page_size)
        try:
            return field.run_validation(raw)
        except ValidationError as exc:
            raise ValidationError({self.page_size_query_param: exc.detail}) from None

    def get_ordering_name(self, request: Request) -> str:
        raw = request.query_params.get(self.ordering_query_param)
        if not raw:
            return self.default_ordering
        if raw not in self.orderings:
            choices = ", ".join(self.orderings)
            raise ValidationError(
                {self.ordering_query_param: [f"Unknown ordering {raw[:40]!r}; one of: {choices}."]}
            )
        return raw

    # Cursors --------------------------------------------------------------------------

    def decode_cursor(self, request: Request) -> tuple[tuple, bool, bool] | None:
        raw = request.query_params.get(self.cursor_query_param)
        if not raw:
            return None
        try:
            payload = json.loads(urlsafe_b64decode(raw.encode("ascii") + b"==").decode("utf-8"))
            ordering, values, backwards = payload["o"], payload["k"], payload["b"]
            inclusive = payload.get("i", False)
            if ordering != self.ordering_name or len(values) != len(self.fields):
                raise ValueError("cursor of another ordering")
            typed = tuple(
                self._field(name).to_python(value)
                for name, value in zip(self.fields, values, strict=True)
            )
            flags = (backwards, inclusive)
            if any(value is None for value in typed) or not all(isinstance(f, bool) for f in flags):
                raise ValueError("incomplete cursor")
            # The database rejects integers past bigint; a forged cursor is not a 500.
            if any(isinstance(v, int) and not -(2**63) <= v < 2**63 for v in typed):
                raise ValueError("integer out of range")
            self._cursor_key = [str(v) for v in values]
        except (
            ValueError, TypeError, KeyError, AttributeError, UnicodeError, binascii.Error,
            DjangoValidationError, OverflowError,
        ):
            raise ValidationError({self.cursor_query_param: [INVALID_CURSOR]}) from None
        return typed, backwards, inclusive

    def encode_cursor(self, row: Model, backwards: bool) -> str:
        return self._encode([self._field(f).value_to_string(row) for f in self.fields], backwards)

    def _encode(self, values: list[str], backwards: bool, inclusive: bool = False) -> str:
        payload = {"o": self.ordering_name, "k": values, "b": backwards}
        if inclusive:
            payload["i"] = True
        token = urlsafe_b64encode(json.dumps(payload, separators=(",", ":")).encode())
        return token.decode("ascii").rstrip("=")

    def get_next_link(self) -> str | None:
        if not self.has_next or not self.page:
            return None
        return self._link(self.encode_cursor(self.page[-1], backwards=False))

    def get_previous_link(self) -> str | None:
        if not self.has_previous:
            return None
        if not self.page:
            # Walked past the end: the previous page ends with the row this cursor follows.
            return self._link(self._encode(self._cursor_key, backwards=True, inclusive=True))
        return self._link(self.encode_cursor(self.page[0], backwards=True))

    def _link(self, cursor: str) -> str:
        url = self.request.build_absolute_uri()
        if self.ordering_query_param not in self.request.query_params and (
            self.ordering_name != self.default_ordering
        ):
            url = replace_query_param(url, self.ordering_query_param, self.ordering_name)
        return replace_query_param(url, self.cursor_query_param, cursor)

    def _field(self, name: str):
        return self.model._meta.get_field(_name(name))

    # Schema ---------------------------------------------------------------------------

    def get_schema_operation_parameters(self, view) -> list[dict]:
        return [
            {
                "name": self.cursor_query_param,
                "required": False,
                "in": "query",
                "description": "Opaque position from the `next` or `previous` link of a page.",
                "schema": {"type": "string"},
            },
            {
                "name": self.page_size_query_param,
                "required": False,
                "in": "query",
                "description": f"Rows per page (default {self.page_size}).",
                "schema": {"type": "integer", "minimum": 1, "maximum": self.max_page_size},
            },
            {
                "name": self.ordering_query_param,
                "required": False,
                "in": "query",
                "description": "Sort order (always ends with the id, so it is total).",
                "schema": {"type": "string", "enum": list(self.orderings)},
            },
        ]

    def get_paginated_response_schema(self, schema: dict) -> dict:
        link = {"type": "string", "nullable": True, "format": "uri"}
        return {
            "type": "object",
            "required": ["next", "previous", "results"],
            "properties": {"next": link, "previous": link, "results": schema},
        }


class EventPagination(KeysetPagination):
    # `updated_at` lets a mirror walk every change after `updated_since` in order.
    orderings = {
        "date_start": ("date_start", "id"),
        "-date_start": ("-date_start", "-id"),
        "updated_at": ("updated_at", "id"),
    }
    default_ordering = "date_start"


class TombstonePagination(KeysetPagination):
    orderings = {"deleted_at": ("deleted_at", "id")}
    default_ordering = "deleted_at"


class IdPagination(KeysetPagination):
    orderings = {"id": ("id",)}
    default_ordering = "id"


def _name(field: str) -> str:
    return field.removeprefix("-")


def _flip(field: str) -> str:
    return field[1:] if field.startswith("-") else f"-{field}"

