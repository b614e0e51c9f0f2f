"""Who may open which socket: Origin, token header, session cookie, job ownership."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.utils import timezone
from websockets.exceptions import InvalidStatus

from drs.jobs.models import Job
from drs.tokens.models import ApiToken
from tests.fixtures.daphne import Daphne
from tests.realtime.conftest import session_cookie, session_headers, token_headers, ws_connect

pytestmark = pytest.mark.django_db(transaction=True)


async def status_of(url: str, headers: dict[str, str]) -> int:
    """101 when the handshake is accepted, else the HTTP status of the refusal."""
    try:
        async with ws_connect(url, additional_headers=headers):
            return 101
    except InvalidStatus as exc:
        return exc.response.status_code


@pytest.fixture
def logs_url(daphne: Daphne, job: Job) -> str:
    return f"{daphne.url}/ws/jobs/{job.pk}/logs/"


async def test_owner_by_token_or_session(daphne: Daphne, logs_url: str, owner: Any) -> None:
    assert await status_of(logs_url, await token_headers(owner)) == 101
    assert await status_of(logs_url, await session_headers(owner, daphne)) == 101
    # Any port of an allowed host is a valid Origin (the SPA's dev server, a proxy).
    headers = {"Cookie": await session_cookie(owner), "Origin": "http://localhost:5173"}
    assert await status_of(logs_url, headers) == 101
    headers = await token_headers(owner) | {"Origin": "https://127.0.0.1"}
    assert await status_of(logs_url, headers) == 101


async def test_anonymous_refused(daphne: Daphne, logs_url: str) -> None:
    assert await status_of(logs_url, {}) == 403
    assert await status_of(logs_url, {"Origin": daphne.origin}) == 403
    assert await status_of(f"{daphne.url}/ws/jobs/", {}) == 403
    assert await status_of(f"{daphne.url}/ws/jobs/", {"Origin": daphne.origin}) == 403


async def test_bad_credentials_refused(daphne: Daphne, logs_url: str, owner: Any) -> None:
    token = (await token_headers(owner))["Authorization"].split()[1]
    assert await status_of(logs_url, {"Authorization": "Token nope"}) == 403
    assert await status_of(logs_url, {"Authorization": f"Bearer {token}"}) == 403
    # Never a token from the URL.
    assert await status_of(f"{logs_url}?token={token}", {}) == 403
    assert await status_of(f"{logs_url}?after=0&token={token}", {"Origin": daphne.origin}) == 403
    # A bad token header does not fall back to a valid session.
    headers = await session_headers(owner, daphne) | {"Authorization": "Token nope"}
    assert await status_of(logs_url, headers) == 403
    # The session cookie alone is for browsers: without an Origin, use the token header.
    assert await status_of(logs_url, {"Cookie": await session_cookie(owner)}) == 403
    # An inactive user's token is dead.
    owner.is_active = False
    await owner.asave()
    assert await status_of(logs_url, {"Authorization": f"Token {token}"}) == 403


@pytest.mark.parametrize(
    "origin",
    [
        "http://evil.example.com",
        "https://127.0.0.1.evil.example.com",
        "http://evil.example.com:8000",
        "null",
        "file://",
        "http://user@127.0.0.1",
    ],
)
async def test_bad_origin_refused(daphne: Daphne, logs_url: str, owner: Any, origin: str) -> None:
    assert (
        await status_of(logs_url, {"Cookie": await session_cookie(owner), "Origin": origin}) == 403
    )
    assert await status_of(logs_url, await token_headers(owner) | {"Origin": origin}) == 403
    url = f"{daphne.url}/ws/jobs/"
    assert await status_of(url, await token_headers(owner) | {"Origin": origin}) == 403


async def test_other_users_job_refused(
    daphne: Daphne, logs_url: str, stranger: Any, staff: Any
) -> None:
    assert await status_of(logs_url, await token_headers(stranger)) == 403
    assert await status_of(logs_url, await session_headers(stranger, daphne)) == 403
    # Staff may follow any job.
    assert await status_of(logs_url, await token_headers(staff)) == 101


async def test_refused_handshake_sends_nothing(daphne: Daphne, job: Job, stranger: Any) -> None:
    """A refusal is an HTTP 403 before any websocket frame: the job's log stays private."""
    # Give the job a log the stranger could otherwise see.
    from tests.realtime.conftest import FakeRunner

    await FakeRunner(job.pk).lines(50)
    with pytest.raises(InvalidStatus) as refused:
        async with ws_connect(
            f"{daphne.url}/ws/jobs/{job.pk}/logs/", additional_headers=await token_headers(stranger)
        ) as ws:
            json.loads(await ws.recv())
    assert refused.value.response.status_code == 403
    assert b"line" not in (refused.value.response.body or b"")


async def test_unknown_job_and_path_refused(daphne: Daphne, owner: Any) -> None:
    headers = await token_headers(owner)
    missing = "00000000-0000-4000-8000-000000000000"
    assert await status_of(f"{daphne.url}/ws/jobs/{missing}/logs/", headers) == 403
    assert await status_of(f"{daphne.url}/ws/jobs/not-a-uuid/logs/", headers) == 403
    assert await status_of(f"{daphne.url}/ws/nothing/", headers) == 403


async def test_bad_after_closes_with_4400(daphne: Daphne, logs_url: str, owner: Any) -> None:
    for after in ("-1", "x", "1.5"):
        async with ws_connect(
            f"{logs_url}?after={after}", additional_headers=await token_headers(owner)
        ) as ws:
            await ws.wait_closed()
            assert ws.close_code == 4400


async def test_staff_follows_any_job(daphne: Daphne, staff: Any, logs_url: str) -> None:
    assert await status_of(logs_url, await session_headers(staff, daphne)) == 101


async def test_expired_or_revoked_token_refused(daphne: Daphne, logs_url: str, owner: Any) -> None:
    headers = await token_headers(owner)
    assert await status_of(logs_url, headers) == 101
    await ApiToken.objects.filter(user=owner).aupdate(expires_at=timezone.now())
    assert await status_of(logs_url, headers) == 403
    headers = await token_headers(owner)
    assert await status_of(logs_url, headers) == 101
    await ApiToken.objects.filter(user=owner).adelete()
    assert await status_of(logs_url, headers) == 403
