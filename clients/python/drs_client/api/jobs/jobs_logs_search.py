from http import HTTPStatus
from typing import Any
from urllib.parse import quote
from uuid import UUID

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.jobs_logs_search_stream import JobsLogsSearchStream
from ...models.log_search_page import LogSearchPage
from ...types import UNSET, Response, Unset


def _get_kwargs(
    id: UUID,
    *,
    cursor: int | Unset = 0,
    limit: int | Unset = 100,
    q: str,
    stream: JobsLogsSearchStream | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    params["cursor"] = cursor

    params["limit"] = limit

    params["q"] = q

    json_stream: str | Unset = UNSET
    if not isinstance(stream, Unset):
        json_stream = stream.value

    params["stream"] = json_stream

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/jobs/{id}/logs/search/".format(
            id=quote(str(id), safe=""),
        ),
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> LogSearchPage | None:
    if response.status_code == 200:
        response_200 = LogSearchPage.from_dict(response.json())

        return response_200

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[LogSearchPage]:
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
    cursor: int | Unset = 0,
    limit: int | Unset = 100,
    q: str,
    stream: JobsLogsSearchStream | Unset = UNSET,
) -> Response[LogSearchPage]:
    """Lines of the whole log that contain `q` (case-insensitive), from line `cursor` on,
    with the total number of matching lines (counted up to a cap).

    Args:
        id (UUID):
        cursor (int | Unset):  Default: 0.
        limit (int | Unset):  Default: 100.
        q (str):
        stream (JobsLogsSearchStream | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[LogSearchPage]
    """

    kwargs = _get_kwargs(
        id=id,
        cursor=cursor,
        limit=limit,
        q=q,
        stream=stream,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    id: UUID,
    *,
    client: AuthenticatedClient,
    cursor: int | Unset = 0,
    limit: int | Unset = 100,
    q: str,
    stream: JobsLogsSearchStream | Unset = UNSET,
) -> LogSearchPage | None:
    """Lines of the whole log that contain `q` (case-insensitive), from line `cursor` on,
    with the total number of matching lines (counted up to a cap).

    Args:
        id (UUID):
        cursor (int | Unset):  Default: 0.
        limit (int | Unset):  Default: 100.
        q (str):
        stream (JobsLogsSearchStream | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        LogSearchPage
    """

    return sync_detailed(
        id=id,
        client=client,
        cursor=cursor,
        limit=limit,
        q=q,
        stream=stream,
    ).parsed


async def asyncio_detailed(
    id: UUID,
    *,
    client: AuthenticatedClient,
    cursor: int | Unset = 0,
    limit: int | Unset = 100,
    q: str,
    stream: JobsLogsSearchStream | Unset = UNSET,
) -> Response[LogSearchPage]:
    """Lines of the whole log that contain `q` (case-insensitive), from line `cursor` on,
    with the total number of matching lines (counted up to a cap).

    Args:
        id (UUID):
        cursor (int | Unset):  Default: 0.
        limit (int | Unset):  Default: 100.
        q (str):
        stream (JobsLogsSearchStream | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[LogSearchPage]
    """

    kwargs = _get_kwargs(
        id=id,
        cursor=cursor,
        limit=limit,
        q=q,
        stream=stream,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    id: UUID,
    *,
    client: AuthenticatedClient,
    cursor: int | Unset = 0,
    limit: int | Unset = 100,
    q: str,
    stream: JobsLogsSearchStream | Unset = UNSET,
) -> LogSearchPage | None:
    """Lines of the whole log that contain `q` (case-insensitive), from line `cursor` on,
    with the total number of matching lines (counted up to a cap).

    Args:
        id (UUID):
        cursor (int | Unset):  Default: 0.
        limit (int | Unset):  Default: 100.
        q (str):
        stream (JobsLogsSearchStream | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        LogSearchPage
    """

    return (
        await asyncio_detailed(
            id=id,
            client=client,
            cursor=cursor,
            limit=limit,
            q=q,
            stream=stream,
        )
    ).parsed
