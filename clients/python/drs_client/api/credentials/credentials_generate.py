from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.credential import Credential
from ...models.credential_generate_request import CredentialGenerateRequest
from ...types import Response


def _get_kwargs(
    *,
    body: CredentialGenerateRequest,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/api/credentials/generate/",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Credential | None:
    if response.status_code == 201:
        response_201 = Credential.from_dict(response.json())

        return response_201

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[Credential]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    body: CredentialGenerateRequest,
) -> Response[Credential]:
    """Create an ed25519 key pair and install its public key on the server, logging in
    once with `password` (which is never stored). Throttled per user and per target
    account (server + username): 429 with Retry-After.

    Args:
        body (CredentialGenerateRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Credential]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    body: CredentialGenerateRequest,
) -> Credential | None:
    """Create an ed25519 key pair and install its public key on the server, logging in
    once with `password` (which is never stored). Throttled per user and per target
    account (server + username): 429 with Retry-After.

    Args:
        body (CredentialGenerateRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Credential
    """

    return sync_detailed(
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    body: CredentialGenerateRequest,
) -> Response[Credential]:
    """Create an ed25519 key pair and install its public key on the server, logging in
    once with `password` (which is never stored). Throttled per user and per target
    account (server + username): 429 with Retry-After.

    Args:
        body (CredentialGenerateRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Credential]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    body: CredentialGenerateRequest,
) -> Credential | None:
    """Create an ed25519 key pair and install its public key on the server, logging in
    once with `password` (which is never stored). Throttled per user and per target
    account (server + username): 429 with Retry-After.

    Args:
        body (CredentialGenerateRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Credential
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
        )
    ).parsed
