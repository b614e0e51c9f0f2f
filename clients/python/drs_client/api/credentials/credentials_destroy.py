from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.conflict import Conflict
from ...types import UNSET, Response, Unset


def _get_kwargs(
    id: int,
    *,
    remove_from_server: bool | Unset = False,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    params["remove_from_server"] = remove_from_server

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "delete",
        "url": "/api/credentials/{id}/".format(
            id=quote(str(id), safe=""),
        ),
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Any | Conflict | None:
    if response.status_code == 204:
        response_204 = cast(Any, None)
        return response_204

    if response.status_code == 409:
        response_409 = Conflict.from_dict(response.json())

        return response_409

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[Any | Conflict]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    id: int,
    *,
    client: AuthenticatedClient,
    remove_from_server: bool | Unset = False,
) -> Response[Any | Conflict]:
    """Delete a credential no unfinished job uses (409 naming them otherwise).

    Args:
        id (int):
        remove_from_server (bool | Unset):  Default: False.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any | Conflict]
    """

    kwargs = _get_kwargs(
        id=id,
        remove_from_server=remove_from_server,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    id: int,
    *,
    client: AuthenticatedClient,
    remove_from_server: bool | Unset = False,
) -> Any | Conflict | None:
    """Delete a credential no unfinished job uses (409 naming them otherwise).

    Args:
        id (int):
        remove_from_server (bool | Unset):  Default: False.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Any | Conflict
    """

    return sync_detailed(
        id=id,
        client=client,
        remove_from_server=remove_from_server,
    ).parsed


async def asyncio_detailed(
    id: int,
    *,
    client: AuthenticatedClient,
    remove_from_server: bool | Unset = False,
) -> Response[Any | Conflict]:
    """Delete a credential no unfinished job uses (409 naming them otherwise).

    Args:
        id (int):
        remove_from_server (bool | Unset):  Default: False.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any | Conflict]
    """

    kwargs = _get_kwargs(
        id=id,
        remove_from_server=remove_from_server,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    id: int,
    *,
    client: AuthenticatedClient,
    remove_from_server: bool | Unset = False,
) -> Any | Conflict | None:
    """Delete a credential no unfinished job uses (409 naming them otherwise).

    Args:
        id (int):
        remove_from_server (bool | Unset):  Default: False.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Any | Conflict
    """

    return (
        await asyncio_detailed(
            id=id,
            client=client,
            remove_from_server=remove_from_server,
        )
    ).parsed
