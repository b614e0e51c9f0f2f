from http import HTTPStatus
from typing import Any
from urllib.parse import quote
from uuid import UUID

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.jobs_logs_stream import JobsLogsStream
from ...models.log_page import LogPage
from ...types import UNSET, Response, Unset


def _get_kwargs(
    id: UUID,
    *,
    after: int | Unset = UNSET,
    before: int | Unset = UNSET,
    limit: int | Unset = 1000,
    max_bytes: int | Unset = 1048576,
    stream: JobsLogsStream | Unset = UNSET,
    tail: int | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    params["after"] = after

    params["before"] = before

    params["limit"] = limit

    params["max_bytes"] = max_bytes

    json_stream: str | Unset = UNSET
    if not isinstance(stream, Unset):
        json_stream = stream.value

    params["stream"] = json_stream

    params["tail"] = tail

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/jobs/{id}/logs/".format(
            id=quote(str(id), safe=""),
        ),
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> LogPage | None:
    if response.status_code == 200:
        response_200 = LogPage.from_dict(response.json())

        return response_200

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[LogPage]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    id: UUID,
    *,
    client: AuthenticatedClient,
    after: int | Unset = UNSET,
    before: int | Unset = UNSET,
    limit: int | Unset = 1000,
    max_bytes: int | Unset = 1048576,
    stream: JobsLogsStream | Unset = UNSET,
    tail: int | Unset = UNSET,
) -> Response[LogPage]:
    """A page of log chunks in seq order: forward from `after`, the last `tail` chunks, or
    the chunks just `before` a seq. Bounded by `limit` rows and about `max_bytes` bytes.
    `complete` once the job ended and nothing follows.

    Args:
        id (UUID):
        after (int | Unset):
        before (int | Unset):
        limit (int | Unset):  Default: 1000.
        max_bytes (int | Unset):  Default: 1048576.
        stream (JobsLogsStream | Unset):
        tail (int | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[LogPage]
    """

    kwargs = _get_kwargs(
        id=id,
        after=after,
        before=before,
        limit=limit,
        max_bytes=max_bytes,
        stream=stream,
        tail=tail,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    id: UUID,
    *,
    client: AuthenticatedClient,
    after: int | Unset = UNSET,
    before: int | Unset = UNSET,
    limit: int | Unset = 1000,
    max_bytes: int | Unset = 1048576,
    stream: JobsLogsStream | Unset = UNSET,
    tail: int | Unset = UNSET,
) -> LogPage | None:
    """A page of log chunks in seq order: forward from `after`, the last `tail` chunks, or
    the chunks just `before` a seq. Bounded by `limit` rows and about `max_bytes` bytes.
    `complete` once the job ended and nothing follows.

    Args:
        id (UUID):
        after (int | Unset):
        before (int | Unset):
        limit (int | Unset):  Default: 1000.
        max_bytes (int | Unset):  Default: 1048576.
        stream (JobsLogsStream | Unset):
        tail (int | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        LogPage
    """

    return sync_detailed(
        id=id,
        client=client,
        after=after,
        before=before,
        limit=limit,
        max_bytes=max_bytes,
        stream=stream,
        tail=tail,
    ).parsed


async def asyncio_detailed(
    id: UUID,
    *,
    client: AuthenticatedClient,
    after: int | Unset = UNSET,
    before: int | Unset = UNSET,
    limit: int | Unset = 1000,
    max_bytes: int | Unset = 1048576,
    stream: JobsLogsStream | Unset = UNSET,
    tail: int | Unset = UNSET,
) -> Response[LogPage]:
    """A page of log chunks in seq order: forward from `after`, the last `tail` chunks, or
    the chunks just `before` a seq. Bounded by `limit` rows and about `max_bytes` bytes.
    `complete` once the job ended and nothing follows.

    Args:
        id (UUID):
        after (int | Unset):
        before (int | Unset):
        limit (int | Unset):  Default: 1000.
        max_bytes (int | Unset):  Default: 1048576.
        stream (JobsLogsStream | Unset):
        tail (int | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[LogPage]
    """

    kwargs = _get_kwargs(
        id=id,
        after=after,
        before=before,
        limit=limit,
        max_bytes=max_bytes,
        stream=stream,
        tail=tail,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    id: UUID,
    *,
    client: AuthenticatedClient,
    after: int | Unset = UNSET,
    before: int | Unset = UNSET,
    limit: int | Unset = 1000,
    max_bytes: int | Unset = 1048576,
    stream: JobsLogsStream | Unset = UNSET,
    tail: int | Unset = UNSET,
) -> LogPage | None:
    """A page of log chunks in seq order: forward from `after`, the last `tail` chunks, or
    the chunks just `before` a seq. Bounded by `limit` rows and about `max_bytes` bytes.
    `complete` once the job ended and nothing follows.

    Args:
        id (UUID):
        after (int | Unset):
        before (int | Unset):
        limit (int | Unset):  Default: 1000.
        max_bytes (int | Unset):  Default: 1048576.
        stream (JobsLogsStream | Unset):
        tail (int | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        LogPage
    """

    return (
        await asyncio_detailed(
            id=id,
            client=client,
            after=after,
            before=before,
            limit=limit,
            max_bytes=max_bytes,
            stream=stream,
            tail=tail,
        )
    ).parsed
