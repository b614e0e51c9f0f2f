"""Calls into the generated client with one-line errors, and paging over `next` links.

The generated functions return a `Response` whose `parsed` is set only for the statuses
the schema documents; everything else (transport failures, 4xx bodies, a server that is
not DRS) is turned into a `DrsError` here, so commands stay thin.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any, TypeVar

import httpx

from drs_cli.errors import DrsError
from drs_client import AuthenticatedClient
from drs_client.types import Response, Unset

T = TypeVar("T")


def error_detail(response: Response[Any] | httpx.Response) -> str:
    """The server's reason in one line: DRF's `detail`, or `field: message` pairs."""
    content = response.content
    try:
        body = json.loads(content) if content else None
    except ValueError:
        body = None
    if isinstance(body, dict):
        if "detail" in body and len(body) == 1:
            return str(body["detail"])
        parts = []
        for key, value in body.items():
            if isinstance(value, dict):  # by name within the field: an application's parameters
                value = [f"{name}: {' '.join(map(str, v)) if isinstance(v, list) else v}"
                         for name, v in value.items()]  # fmt: skip
            text = " ".join(map(str, value)) if isinstance(value, list) else str(value)
            parts.append(text if key in ("detail", "non_field_errors") else f"{key}: {text}")
        return "; ".join(parts)
    if isinstance(body, list) and body:
        return "; ".join(map(str, body))
    return f"HTTP {int(response.status_code)}"


def status_error(what: str, response: Response[Any] | httpx.Response, base: str = "") -> DrsError:
    status = int(response.status_code)
    detail = error_detail(response)
    if status == 401:
        hint = f"run `drs login {base}`" if base else "run `drs login URL`"
        return DrsError(f"the server did not accept the token ({detail}): {hint}")
    if status == 403:
        return DrsError(f"{what}: not allowed ({detail})")
    if status == 404:
        return DrsError(f"{what}: not found")
    if status >= 500:
        return DrsError(f"{what}: server error (HTTP {status})")
    return DrsError(f"{what}: {detail}")


def transport_error(base: str, exc: Exception) -> DrsError:
    if isinstance(exc, httpx.TimeoutException):
        return DrsError(f"{base} did not answer in time ({type(exc).__name__})")
    if isinstance(exc, httpx.ConnectError):
        return DrsError(f"cannot reach {base}: {exc}")
    if isinstance(exc, httpx.UnsupportedProtocol | httpx.InvalidURL):
        return DrsError(f"bad URL {base!r}: {exc}")
    return DrsError(f"request to {base} failed: {exc}")


def request(
    what: str,
    endpoint: Callable[..., Response[T]],
    *args: Any,
    client: AuthenticatedClient,
    expect: Iterable[int] = (),
    **kwargs: Any,
) -> Response[T]:
    """Call a generated `sync_detailed` endpoint; any 2xx and the `expect` statuses are
    returned, anything else raises DrsError naming `what` (e.g. "job 3f0c…")."""
    base = str(client._base_url)  # the generated client keeps it private
    try:
        response = endpoint(*args, client=client, **kwargs)
    except httpx.HTTPError as exc:
        raise transport_error(base, exc) from exc
    except (ValueError, KeyError, TypeError) as exc:
        raise DrsError(f"unexpected answer from {base} for {what}: is it a DRS server?") from exc
    if 200 <= response.status_code < 300 or response.status_code in set(expect):
        return response
    raise status_error(what, response, base)


def call(
    what: str,
    endpoint: Callable[..., Response[T]],
    *args: Any,
    client: AuthenticatedClient,
    **kwargs: Any,
) -> T:
    """`request` for the success case: the parsed body."""
    response = request(what, endpoint, *args, client=client, **kwargs)
    if response.parsed is None:
        raise DrsError(
            f"unexpected answer from the server for {what} (HTTP {response.status_code})"
        )
    return response.parsed


def _body_next(page: Any) -> str | None:
    link = getattr(page, "next_", None)
    return link if isinstance(link, str) and link and not isinstance(link, Unset) else None


def _header_next(headers: Mapping[str, str] | None) -> str | None:
    """The `rel="next"` target of an RFC 8288 `Link` header, if any."""
    for part in (headers or {}).get("link", "").split(","):
        target, _, params = part.partition(";")
        if re.search(r'\brel="?next"?', params):
            return target.strip().strip("<>")
    return None


def iter_results(
    client: AuthenticatedClient, first: Any, headers: Mapping[str, str] | None = None
) -> Iterator[Any]:
    """Every item of a list endpoint's answer, following next links to the end.

    `first` is what a generated list endpoint parsed: a page object (`results` and a
    `next` link: page-number and cursor pagination alike, the link is fetched as given)
    or a plain array whose next page is in the `Link` header (`headers`: the answer's).
    Later pages are parsed with the first page's own model classes, so nothing here
    depends on a page's other fields (`count`, …)."""
    body = first
    while True:
        items = body if isinstance(body, list) else body.results
        yield from items
        link = _header_next(headers) if isinstance(body, list) else _body_next(body)
        if link is None or not items:
            return
        base = str(client._base_url)  # the generated client keeps it private
        try:
            response = client.get_httpx_client().get(link)
        except httpx.HTTPError as exc:
            raise transport_error(base, exc) from exc
        if response.status_code != 200:
            raise status_error(f"next page {link}", response, base)
        headers = response.headers
        if isinstance(body, list):
            parse = type(items[0]).from_dict
            body = [parse(item) for item in response.json()]
        else:
            body = type(body).from_dict(response.json())


def iter_all(
    what: str,
    endpoint: Callable[..., Response[Any]],
    *args: Any,
    client: AuthenticatedClient,
    **params: Any,
) -> Iterator[Any]:
    """Call a generated list endpoint and yield every item of every page."""
    response = request(what, endpoint, *args, client=client, **params)
    if response.parsed is None:
        raise DrsError(f"unexpected answer from the server for {what}")
    yield from iter_results(client, response.parsed, response.headers)


def list_all(
    what: str, endpoint: Callable[..., Response[Any]], client: AuthenticatedClient, **params: Any
) -> list[Any]:
    """All items of a list endpoint (servers, interpreters, credentials: a few)."""
    return list(iter_all(what, endpoint, client=client, **params))
