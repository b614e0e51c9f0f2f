from http import HTTPStatus
from typing import Any
from urllib.parse import quote
from uuid import UUID

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.table import Table
from ...types import UNSET, Response, Unset


def _get_kwargs(
    id: UUID,
    result_id: int,
    *,
    max_points: int | Unset = 5000,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    params["max_points"] = max_points

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/jobs/{id}/results/{result_id}/table/".format(
            id=quote(str(id), safe=""),
            result_id=quote(str(result_id), safe=""),
        ),
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Table | None:
    if response.status_code == 200:
        response_200 = Table.from_dict(response.json())

        return response_200

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[Table]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    id: UUID,
    result_id: int,
    *,
    client: AuthenticatedClient,
    max_points: int | Unset = 5000,
) -> Response[Table]:
    """A result file read as a numeric table (CSV, TSV, or whitespace-separated with
    `#` comments), down-sampled to at most `max_points` evenly spaced rows.

    Args:
        id (UUID):
        result_id (int):
        max_points (int | Unset):  Default: 5000.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Table]
    """

    kwargs = _get_kwargs(
        id=id,
        result_id=result_id,
        max_points=max_points,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    id: UUID,
    result_id: int,
    *,
    client: AuthenticatedClient,
    max_points: int | Unset = 5000,
) -> Table | None:
    """A result file read as a numeric table (CSV, TSV, or whitespace-separated with
    `#` comments), down-sampled to at most `max_points` evenly spaced rows.

    Args:
        id (UUID):
        result_id (int):
        max_points (int | Unset):  Default: 5000.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Table
    """

    return sync_detailed(
        id=id,
        result_id=result_id,
        client=client,
        max_points=max_points,
    ).parsed


async def asyncio_detailed(
    id: UUID,
    result_id: int,
    *,
    client: AuthenticatedClient,
    max_points: int | Unset = 5000,
) -> Response[Table]:
    """A result file read as a numeric table (CSV, TSV, or whitespace-separated with
    `#` comments), down-sampled to at most `max_points` evenly spaced rows.

    Args:
        id (UUID):
        result_id (int):
        max_points (int | Unset):  Default: 5000.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Table]
    """

    kwargs = _get_kwargs(
        id=id,
        result_id=result_id,
        max_points=max_points,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    id: UUID,
    result_id: int,
    *,
    client: AuthenticatedClient,
    max_points: int | Unset = 5000,
) -> Table | None:
    """A result file read as a numeric table (CSV, TSV, or whitespace-separated with
    `#` comments), down-sampled to at most `max_points` evenly spaced rows.

    Args:
        id (UUID):
        result_id (int):
        max_points (int | Unset):  Default: 5000.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Table
    """

    return (
        await asyncio_detailed(
            id=id,
            result_id=result_id,
            client=client,
            max_points=max_points,
        )
    ).parsed
