from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.application_job_create_request import ApplicationJobCreateRequest
from ...models.job import Job
from ...models.job_create_request import JobCreateRequest
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    body: ApplicationJobCreateRequest | JobCreateRequest | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/api/jobs/",
    }

    if isinstance(body, JobCreateRequest):
        _kwargs["json"] = body.to_dict()
    else:
        _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Job | None:
    if response.status_code == 201:
        response_201 = Job.from_dict(response.json())

        return response_201

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[Job]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    body: ApplicationJobCreateRequest | JobCreateRequest | Unset = UNSET,
) -> Response[Job]:
    """Submit a job: it is `queued` at once and starts when its server has room. Either
    a program (interpreter, program, arguments...) or an application and its parameters,
    which render into the same plain job.

    Args:
        body (ApplicationJobCreateRequest | JobCreateRequest | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Job]
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
    body: ApplicationJobCreateRequest | JobCreateRequest | Unset = UNSET,
) -> Job | None:
    """Submit a job: it is `queued` at once and starts when its server has room. Either
    a program (interpreter, program, arguments...) or an application and its parameters,
    which render into the same plain job.

    Args:
        body (ApplicationJobCreateRequest | JobCreateRequest | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Job
    """

    return sync_detailed(
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    body: ApplicationJobCreateRequest | JobCreateRequest | Unset = UNSET,
) -> Response[Job]:
    """Submit a job: it is `queued` at once and starts when its server has room. Either
    a program (interpreter, program, arguments...) or an application and its parameters,
    which render into the same plain job.

    Args:
        body (ApplicationJobCreateRequest | JobCreateRequest | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Job]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    body: ApplicationJobCreateRequest | JobCreateRequest | Unset = UNSET,
) -> Job | None:
    """Submit a job: it is `queued` at once and starts when its server has room. Either
    a program (interpreter, program, arguments...) or an application and its parameters,
    which render into the same plain job.

    Args:
        body (ApplicationJobCreateRequest | JobCreateRequest | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Job
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
        )
    ).parsed
