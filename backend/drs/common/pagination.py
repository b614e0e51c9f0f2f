from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

from django.db.models import Model, Q, QuerySet
from rest_framework import pagination
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param


class PageNumberPagination(pagination.PageNumberPagination):
    page_size = 50  # its own, not the host's PAGE_SIZE
    page_size_query_param = "page_size"
    max_page_size = 500


class KeysetPagination(pagination.BasePagination):
    """Cursor pagination on (-created_at, id) for lists that grow without bound.

    No COUNT(*) and no OFFSET: a page is `created_at <= c` minus the rows at exactly `c`
    already shown (`id <= last id`), read in index order, so a deep page costs what the
    first one does. DRF's CursorPagination orders on one field and breaks ties with an
    offset; this one breaks them with the primary key, so equal timestamps (bulk inserts)
    never repeat or skip a row. The cursor is opaque (base64 JSON): position and direction.
    """

    page_size = 50
    max_page_size = 200
    cursor_query_param = "cursor"
    page_size_query_param = "page_size"
    time_field = "created_at"

    def __init__(self) -> None:
        self.next_position: tuple[datetime, Any] | None = None
        self.previous_position: tuple[datetime, Any] | None = None
        self.base_url = ""

    def paginate_queryset(
        self, queryset: QuerySet[Any], request: Request, view: Any = None
    ) -> list[Any]:
        size = self.get_page_size(request)
        backwards, position = self.decode_cursor(request)
        self.base_url = request.build_absolute_uri()
        t = self.time_field
        if position is None:
            rows = list(queryset.order_by(f"-{t}", "pk")[: size + 1])
            page, more = rows[:size], len(rows) > size
            self.next_position = self.position(page[-1]) if more else None
            self.previous_position = None
            return page
        at, pk = position
        if not backwards:
            rows = list(
                queryset.filter(**{f"{t}__lte": at})
                .exclude(Q(**{t: at}) & Q(pk__lte=pk))
                .order_by(f"-{t}", "pk")[: size + 1]
            )
            page, more = rows[:size], len(rows) > size
            self.next_position = self.position(page[-1]) if more else None
            # We came from a later cursor, so something precedes this page.
            self.previous_position = self.position(page[0]) if page else position
            return page
        rows = list(
            queryset.filter(**{f"{t}__gte": at})
            .exclude(Q(**{t: at}) & Q(pk__gte=pk))
            .order_by(t, "-pk")[: size + 1]
        )
        page, more = rows[:size][::-1], len(rows) > size
        self.previous_position = self.position(page[0]) if more else None
        self.next_position = self.position(page[-1]) if page else position
        return page

    def position(self, row: Model | dict[str, Any]) -> tuple[datetime, Any]:
        if isinstance(row, dict):  # a values() row: the primary key is read as `id`
            return row[self.time_field], row["id"]
        return getattr(row, self.time_field), row.pk

    def get_page_size(self, request: Request) -> int:
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None or raw == "":
            return self.page_size
        try:
            size = int(raw)
        except ValueError:
            raise ValidationError({self.page_size_query_param: ["Enter a whole number."]}) from None
        if size < 1:
            raise ValidationError({self.page_size_query_param: ["Must be at least 1."]})
        return min(size, self.max_page_size)

    def decode_cursor(self, request: Request) -> tuple[bool, tuple[datetime, Any] | None]:
        raw = request.query_params.get(self.cursor_query_param)
        if not raw:
            return False, None
        try:
            data = json.loads(
                base64.urlsafe_b64decode(raw.encode("ascii") + b"=" * (-len(raw) % 4))
            )
            direction, at, pk = data["d"], datetime.fromisoformat(data["t"]), data["k"]
            if direction not in ("n", "p") or at.tzinfo is None:
                raise ValueError(direction)
            at = at.astimezone(UTC)  # PostgreSQL refuses offsets beyond ±15:59
            pk = str(UUID(pk)) if isinstance(pk, str) else int(pk)
        except (
            ValueError, TypeError, KeyError, UnicodeError, binascii.Error, OverflowError,
            RecursionError,
        ):  # fmt: skip
            raise ValidationError({self.cursor_query_param: ["Invalid cursor."]}) from None
        return direction == "p", (at, pk)

    def encode_cursor(self, backwards: bool, position: tuple[datetime, Any]) -> str:
        at, pk = position
        pk_value = str(pk) if isinstance(pk, UUID) else pk
        raw = json.dumps({"d": "p" if backwards else "n", "t": at.isoformat(), "k": pk_value})
        return base64.urlsafe_b64encode(raw.encode()).decode("ascii").rstrip("=")

    def link(self, backwards: bool, position: tuple[datetime, Any] | None) -> str | None:
        if position is None:
            return None
        return replace_query_param(
            self.base_url, self.cursor_query_param, self.encode_cursor(backwards, position)
        )

    def get_next_link(self) -> str | None:
        return self.link(False, self.next_position)

    def get_previous_link(self) -> str | None:
        return self.link(True, self.previous_position)

    def get_paginated_response(self, data: Sequence[Any]) -> Response:
        return Response(
            {
                "next": self.get_next_link(),
                "previous": self.get_previous_link(),
                "results": data,
            }
        )

    def get_first_link(self) -> str:
        return remove_query_param(self.base_url, self.cursor_query_param)

    def get_paginated_response_schema(self, schema: dict[str, Any]) -> dict[str, Any]:
        return {
            "type": "object",
            "required": ["next", "previous", "results"],
            "properties": {
                "next": {
                    "type": "string",
                    "nullable": True,
                    "format": "uri",
                    "description": "The next (older) page; null on the last page.",
                },
                "previous": {
                    "type": "string",
                    "nullable": True,
                    "format": "uri",
                    "description": "The previous (newer) page; null on the first page.",
                },
                "results": schema,
            },
        }

    def get_schema_operation_parameters(self, view: Any) -> list[dict[str, Any]]:
        return [
            {
                "name": self.cursor_query_param,
                "required": False,
                "in": "query",
                "description": "Opaque position from a `next` or `previous` link.",
                "schema": {"type": "string"},
            },
            {
                "name": self.page_size_query_param,
                "required": False,
                "in": "query",
                "description": f"Rows per page (default {self.page_size}, at most "
                f"{self.max_page_size}; larger values are capped).",
                "schema": {"type": "integer", "minimum": 1},
            },
        ]
