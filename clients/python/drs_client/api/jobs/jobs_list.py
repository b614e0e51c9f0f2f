import datetime
from http import HTTPStatus
from typing import Any
from uuid import UUID

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.jobs_list_status_item import JobsListStatusItem
from ...models.paginated_job_summary_list import PaginatedJobSummaryList
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    created_after: datetime.datetime | Unset = UNSET,
    created_before: datetime.datetime | Unset = UNSET,
    cursor: str | Unset = UNSET,
    id_prefix: str | Unset = UNSET,
    owner: float | Unset = UNSET,
    page_size: int | Unset = UNSET,
    search: str | Unset = UNSET,
    server: int | Unset = UNSET,
    status: list[JobsListStatusItem] | Unset = UNSET,
    sweep: UUID | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    json_created_after: str | Unset = UNSET
    if not isinstance(created_after, Unset):
        json_created_after = created_after.isoformat()
    params["created_after"] = json_created_after

    json_created_before: str | Unset = UNSET
    if not isinstance(created_before, Unset):
        json_created_before = created_before.isoformat()
    params["created_before"] = json_created_before

    params["cursor"] = cursor

    params["id_prefix"] = id_prefix

    params["owner"] = owner

    params["page_size"] = page_size

    params["search"] = search

    params["server"] = server

    json_status: list[str] | Unset = UNSET
    if not isinstance(status, Unset):
        json_status = []
        for status_item_data in status:
            status_item = status_item_data.value
            json_status.append(status_item)

    params["status"] = json_status

    json_sweep: str | Unset = UNSET
    if not isinstance(sweep, Unset):
        json_sweep = str(sweep)
    params["sweep"] = json_sweep

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/jobs/",
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> PaginatedJobSummaryList | None:
    if response.status_code == 200:
        response_200 = PaginatedJobSummaryList.from_dict(response.json())

        return response_200

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[PaginatedJobSummaryList]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    created_after: datetime.datetime | Unset = UNSET,
    created_before: datetime.datetime | Unset = UNSET,
    cursor: str | Unset = UNSET,
    id_prefix: str | Unset = UNSET,
    owner: float | Unset = UNSET,
    page_size: int | Unset = UNSET,
    search: str | Unset = UNSET,
    server: int | Unset = UNSET,
    status: list[JobsListStatusItem] | Unset = UNSET,
    sweep: UUID | Unset = UNSET,
) -> Response[PaginatedJobSummaryList]:
    """Jobs, newest first, a page at a time: follow `next` (cursor pagination).

    Args:
        created_after (datetime.datetime | Unset):
        created_before (datetime.datetime | Unset):
        cursor (str | Unset):
        id_prefix (str | Unset):
        owner (float | Unset):
        page_size (int | Unset):
        search (str | Unset):
        server (int | Unset):
        status (list[JobsListStatusItem] | Unset):
        sweep (UUID | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[PaginatedJobSummaryList]
    """

    kwargs = _get_kwargs(
        created_after=created_after,
        created_before=created_before,
        cursor=cursor,
        id_prefix=id_prefix,
        owner=owner,
        page_size=page_size,
        search=search,
        server=server,
        status=status,
        sweep=sweep,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    created_after: datetime.datetime | Unset = UNSET,
    created_before: datetime.datetime | Unset = UNSET,
    cursor: str | Unset = UNSET,
    id_prefix: str | Unset = UNSET,
    owner: float | Unset = UNSET,
    page_size: int | Unset = UNSET,
    search: str | Unset = UNSET,
    server: int | Unset = UNSET,
    status: list[JobsListStatusItem] | Unset = UNSET,
    sweep: UUID | Unset = UNSET,
) -> PaginatedJobSummaryList | None:
    """Jobs, newest first, a page at a time: follow `next` (cursor pagination).

    Args:
        created_after (datetime.datetime | Unset):
        created_before (datetime.datetime | Unset):
        cursor (str | Unset):
        id_prefix (str | Unset):
        owner (float | Unset):
        page_size (int | Unset):
        search (str | Unset):
        server (int | Unset):
        status (list[JobsListStatusItem] | Unset):
        sweep (UUID | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        PaginatedJobSummaryList
    """

    return sync_detailed(
        client=client,
        created_after=created_after,
        created_before=created_before,
        cursor=cursor,
        id_prefix=id_prefix,
        owner=owner,
        page_size=page_size,
        search=search,
        server=server,
        status=status,
        sweep=sweep,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    created_after: datetime.datetime | Unset = UNSET,
    created_before: datetime.datetime | Unset = UNSET,
    cursor: str | Unset = UNSET,
    id_prefix: str | Unset = UNSET,
    owner: float | Unset = UNSET,
    page_size: int | Unset = UNSET,
    search: str | Unset = UNSET,
    server: int | Unset = UNSET,
    status: list[JobsListStatusItem] | Unset = UNSET,
    sweep: UUID | Unset = UNSET,
) -> Response[PaginatedJobSummaryList]:
    """Jobs, newest first, a page at a time: follow `next` (cursor pagination).

    Args:
        created_after (datetime.datetime | Unset):
        created_before (datetime.datetime | Unset):
        cursor (str | Unset):
        id_prefix (str | Unset):
        owner (float | Unset):
        page_size (int | Unset):
        search (str | Unset):
        server (int | Unset):
        status (list[JobsListStatusItem] | Unset):
        sweep (UUID | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[PaginatedJobSummaryList]
    """

    kwargs = _get_kwargs(
        created_after=created_after,
        created_before=created_before,
        cursor=cursor,
        id_prefix=id_prefix,
        owner=owner,
        page_size=page_size,
        search=search,
        server=server,
        status=status,
        sweep=sweep,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    created_after: datetime.datetime | Unset = UNSET,
    created_before: datetime.datetime | Unset = UNSET,
    cursor: str | Unset = UNSET,
    id_prefix: str | Unset = UNSET,
    owner: float | Unset = UNSET,
    page_size: int | Unset = UNSET,
    search: str | Unset = UNSET,
    server: int | Unset = UNSET,
    status: list[JobsListStatusItem] | Unset = UNSET,
    sweep: UUID | Unset = UNSET,
) -> PaginatedJobSummaryList | None:
    """Jobs, newest first, a page at a time: follow `next` (cursor pagination).

    Args:
        created_after (datetime.datetime | Unset):
        created_before (datetime.datetime | Unset):
        cursor (str | Unset):
        id_prefix (str | Unset):
        owner (float | Unset):
        page_size (int | Unset):
        search (str | Unset):
        server (int | Unset):
        status (list[JobsListStatusItem] | Unset):
        sweep (UUID | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        PaginatedJobSummaryList
    """

    return (
        await asyncio_detailed(
            client=client,
            created_after=created_after,
            created_before=created_before,
            cursor=cursor,
            id_prefix=id_prefix,
            owner=owner,
            page_size=page_size,
            search=search,
            server=server,
            status=status,
            sweep=sweep,
        )
    ).parsed
