import datetime
from http import HTTPStatus
from typing import Any
from urllib.parse import quote
from uuid import UUID

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.jobs_results_list_status_item import JobsResultsListStatusItem
from ...models.result import Result
from ...types import UNSET, Response, Unset


def _get_kwargs(
    id: UUID,
    *,
    created_after: datetime.datetime | Unset = UNSET,
    created_before: datetime.datetime | Unset = UNSET,
    id_prefix: str | Unset = UNSET,
    owner: float | Unset = UNSET,
    page: int | Unset = UNSET,
    page_size: int | Unset = UNSET,
    search: str | Unset = UNSET,
    server: int | Unset = UNSET,
    status: list[JobsResultsListStatusItem] | Unset = UNSET,
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

    params["id_prefix"] = id_prefix

    params["owner"] = owner

    params["page"] = page

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
        "url": "/api/jobs/{id}/results/".format(
            id=quote(str(id), safe=""),
        ),
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> list[Result] | None:
    if response.status_code == 200:
        response_200 = []
        _response_200 = response.json()
        for componentsschemas_paginated_result_list_item_data in _response_200:
            componentsschemas_paginated_result_list_item = Result.from_dict(
                componentsschemas_paginated_result_list_item_data
            )

            response_200.append(componentsschemas_paginated_result_list_item)

        return response_200

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[list[Result]]:
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
    created_after: datetime.datetime | Unset = UNSET,
    created_before: datetime.datetime | Unset = UNSET,
    id_prefix: str | Unset = UNSET,
    owner: float | Unset = UNSET,
    page: int | Unset = UNSET,
    page_size: int | Unset = UNSET,
    search: str | Unset = UNSET,
    server: int | Unset = UNSET,
    status: list[JobsResultsListStatusItem] | Unset = UNSET,
    sweep: UUID | Unset = UNSET,
) -> Response[list[Result]]:
    """Files the job created or changed that matched its result patterns, by path.
    Paged by `page` and `page_size` (default and most 1000): the next page is in the
    `Link` header, the total in `X-Total-Count`.

    Args:
        id (UUID):
        created_after (datetime.datetime | Unset):
        created_before (datetime.datetime | Unset):
        id_prefix (str | Unset):
        owner (float | Unset):
        page (int | Unset):
        page_size (int | Unset):
        search (str | Unset):
        server (int | Unset):
        status (list[JobsResultsListStatusItem] | Unset):
        sweep (UUID | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[list[Result]]
    """

    kwargs = _get_kwargs(
        id=id,
        created_after=created_after,
        created_before=created_before,
        id_prefix=id_prefix,
        owner=owner,
        page=page,
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
    id: UUID,
    *,
    client: AuthenticatedClient,
    created_after: datetime.datetime | Unset = UNSET,
    created_before: datetime.datetime | Unset = UNSET,
    id_prefix: str | Unset = UNSET,
    owner: float | Unset = UNSET,
    page: int | Unset = UNSET,
    page_size: int | Unset = UNSET,
    search: str | Unset = UNSET,
    server: int | Unset = UNSET,
    status: list[JobsResultsListStatusItem] | Unset = UNSET,
    sweep: UUID | Unset = UNSET,
) -> list[Result] | None:
    """Files the job created or changed that matched its result patterns, by path.
    Paged by `page` and `page_size` (default and most 1000): the next page is in the
    `Link` header, the total in `X-Total-Count`.

    Args:
        id (UUID):
        created_after (datetime.datetime | Unset):
        created_before (datetime.datetime | Unset):
        id_prefix (str | Unset):
        owner (float | Unset):
        page (int | Unset):
        page_size (int | Unset):
        search (str | Unset):
        server (int | Unset):
        status (list[JobsResultsListStatusItem] | Unset):
        sweep (UUID | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        list[Result]
    """

    return sync_detailed(
        id=id,
        client=client,
        created_after=created_after,
        created_before=created_before,
        id_prefix=id_prefix,
        owner=owner,
        page=page,
        page_size=page_size,
        search=search,
        server=server,
        status=status,
        sweep=sweep,
    ).parsed


async def asyncio_detailed(
    id: UUID,
    *,
    client: AuthenticatedClient,
    created_after: datetime.datetime | Unset = UNSET,
    created_before: datetime.datetime | Unset = UNSET,
    id_prefix: str | Unset = UNSET,
    owner: float | Unset = UNSET,
    page: int | Unset = UNSET,
    page_size: int | Unset = UNSET,
    search: str | Unset = UNSET,
    server: int | Unset = UNSET,
    status: list[JobsResultsListStatusItem] | Unset = UNSET,
    sweep: UUID | Unset = UNSET,
) -> Response[list[Result]]:
    """Files the job created or changed that matched its result patterns, by path.
    Paged by `page` and `page_size` (default and most 1000): the next page is in the
    `Link` header, the total in `X-Total-Count`.

    Args:
        id (UUID):
        created_after (datetime.datetime | Unset):
        created_before (datetime.datetime | Unset):
        id_prefix (str | Unset):
        owner (float | Unset):
        page (int | Unset):
        page_size (int | Unset):
        search (str | Unset):
        server (int | Unset):
        status (list[JobsResultsListStatusItem] | Unset):
        sweep (UUID | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[list[Result]]
    """

    kwargs = _get_kwargs(
        id=id,
        created_after=created_after,
        created_before=created_before,
        id_prefix=id_prefix,
        owner=owner,
        page=page,
        page_size=page_size,
        search=search,
        server=server,
        status=status,
        sweep=sweep,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    id: UUID,
    *,
    client: AuthenticatedClient,
    created_after: datetime.datetime | Unset = UNSET,
    created_before: datetime.datetime | Unset = UNSET,
    id_prefix: str | Unset = UNSET,
    owner: float | Unset = UNSET,
    page: int | Unset = UNSET,
    page_size: int | Unset = UNSET,
    search: str | Unset = UNSET,
    server: int | Unset = UNSET,
    status: list[JobsResultsListStatusItem] | Unset = UNSET,
    sweep: UUID | Unset = UNSET,
) -> list[Result] | None:
    """Files the job created or changed that matched its result patterns, by path.
    Paged by `page` and `page_size` (default and most 1000): the next page is in the
    `Link` header, the total in `X-Total-Count`.

    Args:
        id (UUID):
        created_after (datetime.datetime | Unset):
        created_before (datetime.datetime | Unset):
        id_prefix (str | Unset):
        owner (float | Unset):
        page (int | Unset):
        page_size (int | Unset):
        search (str | Unset):
        server (int | Unset):
        status (list[JobsResultsListStatusItem] | Unset):
        sweep (UUID | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        list[Result]
    """

    return (
        await asyncio_detailed(
            id=id,
            client=client,
            created_after=created_after,
            created_before=created_before,
            id_prefix=id_prefix,
            owner=owner,
            page=page,
            page_size=page_size,
            search=search,
            server=server,
            status=status,
            sweep=sweep,
        )
    ).parsed
