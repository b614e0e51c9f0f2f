"""Pages of a job's result files, in headers: the body stays a plain array (what every
client already reads), `Link` (RFC 8288) points at the next/previous page and
`X-Total-Count` gives the total. The default page holds DRS_MAX_RESULT_FILES' default,
so a job within the default limits fits on one page."""

from __future__ import annotations

from typing import Any

from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response


class ResultPagination(PageNumberPagination):
    page_size = 1000
    page_size_query_param = "page_size"
    max_page_size = 1000

    def get_paginated_response(self, data: Any) -> Response:
        links = [
            f'<{url}>; rel="{rel}"'
            for url, rel in ((self.get_next_link(), "next"), (self.get_previous_link(), "prev"))
            if url
        ]
        headers = {"X-Total-Count": str(self.page.paginator.count)}  # type: ignore[union-attr]
        if links:
            headers["Link"] = ", ".join(links)
        return Response(data, headers=headers)

    def get_paginated_response_schema(self, schema: dict[str, Any]) -> dict[str, Any]:
        return schema
