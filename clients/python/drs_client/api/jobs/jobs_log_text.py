from http import HTTPStatus
from io import BytesIO
from typing import Any
from urllib.parse import quote
from uuid import UUID

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.jobs_log_text_stream import JobsLogTextStream
from ...types import UNSET, File, Response, Unset


def _get_kwargs(
    id: UUID,
    *,
    download: bool | Unset = False,
    stream: JobsLogTextStream | Unset = JobsLogTextStream.ALL,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    params["download"] = download

    json_stream: str | Unset = UNSET
    if not isinstance(stream, Unset):
        json_stream = stream.value

    params["stream"] = json_stream

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/jobs/{id}/log.txt".format(
            id=quote(str(id), safe=""),
        ),
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> File | None:
    if response.status_code == 200:
        response_200 = File(payload=BytesIO(response.text))

        return response_200

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[File]:
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
    download: bool | Unset = False,
    stream: JobsLogTextStream | Unset = JobsLogTextStream.ALL,
) -> Response[File]:
    """The exact bytes the job wrote, streamed (stdout, stderr, or both interleaved as received).

    Args:
        id (UUID):
        download (bool | Unset):  Default: False.
        stream (JobsLogTextStream | Unset):  Default: JobsLogTextStream.ALL.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[File]
    """

    kwargs = _get_kwargs(
        id=id,
        download=download,
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
    download: bool | Unset = False,
    stream: JobsLogTextStream | Unset = JobsLogTextStream.ALL,
) -> File | None:
    """The exact bytes the job wrote, streamed (stdout, stderr, or both interleaved as received).

    Args:
        id (UUID):
        download (bool | Unset):  Default: False.
        stream (JobsLogTextStream | Unset):  Default: JobsLogTextStream.ALL.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        File
    """

    return sync_detailed(
        id=id,
        client=client,
        download=download,
        stream=stream,
    ).parsed


async def asyncio_detailed(
    id: UUID,
    *,
    client: AuthenticatedClient,
    download: bool | Unset = False,
    stream: JobsLogTextStream | Unset = JobsLogTextStream.ALL,
) -> Response[File]:
    """The exact bytes the job wrote, streamed (stdout, stderr, or both interleaved as received).

    Args:
        id (UUID):
        download (bool | Unset):  Default: False.
        stream (JobsLogTextStream | Unset):  Default: JobsLogTextStream.ALL.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[File]
    """

    kwargs = _get_kwargs(
        id=id,
        download=download,
        stream=stream,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    id: UUID,
    *,
    client: AuthenticatedClient,
    download: bool | Unset = False,
    stream: JobsLogTextStream | Unset = JobsLogTextStream.ALL,
) -> File | None:
    """The exact bytes the job wrote, streamed (stdout, stderr, or both interleaved as received).

    Args:
        id (UUID):
        download (bool | Unset):  Default: False.
        stream (JobsLogTextStream | Unset):  Default: JobsLogTextStream.ALL.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        File
    """

    return (
        await asyncio_detailed(
            id=id,
            client=client,
            download=download,
            stream=stream,
        )
    ).parsed
