"""Shared fixtures: a real server on a real port, real Socket.IO clients."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import pytest
import socketio
from aiohttp.test_utils import TestServer

from edlib_server.app import create_app
from edlib_server.config import Config
from edlib_server.store.memory import MemoryStore
from tests.support import SPEC

ADMIN = "test-admin-token"

class Client:
    """A real python-socketio client that records every `event` and `view` it receives."""

    def __init__(self, url: str, token: str) -> None:
        self.url, self.token = url, token
        self.sio = socketio.AsyncClient(reconnection=False)
        self.events: list[dict[str, Any]] = []
        self.views: list[dict[str, Any]] = []
        self.sio.on("event", self._on_event)
        self.sio.on("view", self._on_view)

    async def _on_event(self, data: dict[str, Any]) -> None:
        self.events.append(data)

    async def _on_view(self, data: dict[str, Any]) -> None:
        self.views.append(data)

    async def connect(self) -> None:
        await self.sio.connect(self.url, auth={"token": self.token}, transports=["websocket"], wait_timeout=5)

    async def join(self, since: int | None = None) -> dict[str, Any]:
        payload = {} if since is None else {"since": since}
        return await self.sio.call("join", payload, timeout=5)  # type: ignore[no-any-return]

    async def command(self, **payload: Any) -> dict[str, Any]:
        return await self.sio.call("command", payload, timeout=5)  # type: ignore[no-any-return]

    async def close(self) -> None:
        if self.sio.connected:
            await self.sio.disconnect()

    def seqs(self) -> list[int]:
        return [e["seq"] for e in self.events]

    def view(self, name: str) -> dict[str, Any] | None:
        """The view of that name with the highest seq (the latest received among equals), as protocol.md says:
        with several server processes, a process that is behind can push an older view after a newer one."""
        found = [v for v in self.views if v["name"] == name]
        return max(reversed(found), key=lambda v: v["seq"]) if found else None


async def until(check: Callable[[], bool], timeout: float = 5.0) -> None:
    """Poll a condition (never a bare sleep as synchronisation)."""
    loop = asyncio.get_running_loop()
    end = loop.time() + timeout
    while not check():
        if loop.time() > end:
            raise AssertionError("condition not reached in time")
        await asyncio.sleep(0.01)


@pytest.fixture
async def server() -> AsyncIterator[TestServer]:
    srv = await start_server()
    yield srv
    await srv.close()


@pytest.fixture
async def make_meeting(server: TestServer) -> Callable[..., Awaitable[dict[str, Any]]]:
    import aiohttp

    async def make(spec: dict[str, Any] | None = None) -> dict[str, Any]:
        async with aiohttp.ClientSession() as http:
            resp = await http.post(str(server.make_url("/api/meetings")), json=spec or SPEC,
                                   headers={"Authorization": f"Bearer {ADMIN}"})
            assert resp.status == 201, await resp.text()
            return await resp.json()  # type: ignore[no-any-return]

    return make


@pytest.fixture
async def clients(server: TestServer) -> AsyncIterator[Callable[[str], Awaitable[Client]]]:
    made: list[Client] = []

    async def connect(token: str) -> Client:
        c = Client(str(server.make_url("")).rstrip("/"), token)
        await c.connect()
        made.append(c)
        return c

    yield connect
    for c in made:
        await c.close()


async def start_server(**overrides: Any) -> TestServer:
    """A real server on a free port with a test configuration (and any overrides)."""
    settings: dict[str, Any] = {"admin_token": ADMIN, "view_delay_s": 0.01, "rate_per_s": 50, "rate_burst": 50}
    settings.update(overrides)
    srv = TestServer(create_app(Config(**settings), store=MemoryStore()), port=0)
    await srv.start_server()
    return srv


@pytest.fixture
async def sitting(
    make_meeting: Callable[..., Awaitable[dict[str, Any]]], clients: Callable[[str], Awaitable[Client]]
) -> Callable[..., Awaitable[tuple[dict[str, Any], dict[str, str], Client]]]:
    """A meeting in session with item i1 under discussion: (creation answer, tokens by name, joined facilitator)."""

    async def make(spec: dict[str, Any] | None = None) -> tuple[dict[str, Any], dict[str, str], Client]:
        created = await make_meeting(spec)
        tokens = {p["name"]: p["token"] for p in created["participants"]}
        fac = await clients(tokens["Anne Mertens"])
        assert (await fac.join())["ok"]
        for command in ({"type": "meeting.start"}, {"type": "item.open", "item_id": "i1"}):
            assert (await fac.command(**command))["ok"]
        return created, tokens, fac

    return make
