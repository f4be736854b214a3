"""deploy/nginx/edlib.conf, run by Debian's nginx in front of two `edlib serve --redis` processes.

Clients go through nginx over TLS, by WebSocket and by HTTP long-polling only (each polling request is
a separate HTTP request that must reach the process holding the session: the sticky routing). When
the process they are on is killed, they reconnect through nginx, land on the other one and resume
with `since`. A control run without the sticky line shows that polling depends on it.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import Any

import aiohttp
import pytest
import socketio

from tests.conftest import until
from tests.deploy.cluster import (
    COUNCILLORS,
    SPEC,
    Follower,
    drop_prefix,
    new_prefix,
    shared_redis_or_skip,
    start_all,
    stored_log,
)
from tests.deploy.proxy import Nginx
from tests.processes import ADMIN, ServerProcess

pytestmark = [pytest.mark.slow, pytest.mark.redis]

ARGUMENT = {"type": "argument.add", "item_id": "i1", "stance": "pro", "category": "objective"}
Front = tuple[Nginx, list[ServerProcess], str, str]  # nginx, the edlib processes, redis url, key prefix


async def _front(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, sticky: bool) -> AsyncIterator[Front]:
    url = shared_redis_or_skip()
    prefix = new_prefix()
    monkeypatch.setenv("EDLIB_REDIS_PREFIX", prefix)
    servers: list[ServerProcess] = []
    nginx: Nginx | None = None
    try:
        servers = await start_all(ServerProcess(redis_url=url) for _ in range(2))
        nginx = Nginx(tmp_path / "nginx", [s.port for s in servers], sticky=sticky).start()
        yield nginx, servers, url, prefix
    finally:
        if nginx is not None:
            nginx.stop()
        for s in servers:
            s.kill()
        drop_prefix(url, prefix)


@pytest.fixture
async def front(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[Front]:
    async for f in _front(tmp_path, monkeypatch, sticky=True):
        yield f


@pytest.fixture
async def round_robin_front(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[Front]:
    async for f in _front(tmp_path, monkeypatch, sticky=False):
        yield f


@pytest.fixture
def tls_followers(followers: Callable[..., Awaitable[Follower]]) -> Callable[..., Awaitable[Follower]]:
    """Followers through nginx's TLS front (a self-signed test certificate: not verified)."""

    def connect(url: str, token: str, transports: list[str]) -> Awaitable[Follower]:
        return followers(url, token, transports, ssl_verify=False)

    return connect


async def http(method: str, url: str, source: str = "127.0.0.1", **kw: Any) -> tuple[int, str, Any]:
    """One request (TLS not verified: a self-signed test certificate), from a chosen loopback address."""
    conn = aiohttp.TCPConnector(ssl=False, local_addr=(source, 0))
    async with aiohttp.ClientSession(connector=conn) as s, \
            s.request(method, url, allow_redirects=False, timeout=aiohttp.ClientTimeout(10), **kw) as r:
        text = await r.text()
        return r.status, text, r.headers


async def create_meeting(nginx: Nginx) -> dict[str, Any]:
    status, text, _ = await http("POST", f"{nginx.url}/api/meetings", json=SPEC,
                                 headers={"Authorization": f"Bearer {ADMIN}"})
    assert status == 201, text
    import json

    return json.loads(text)  # type: ignore[no-any-return]


async def connections(server: ServerProcess) -> int:
    """Socket.IO connections open on one edlib process (its /metrics, asked directly)."""
    status, text, _ = await http("GET", f"{server.url}/metrics")
    assert status == 200
    m = re.search(r"^edlib_connections (\d+)$", text, re.MULTILINE)
    assert m is not None
    return int(m.group(1))


async def test_websocket_and_polling_clients_through_nginx(
    front: Front, tls_followers: Callable[..., Awaitable[Follower]],
) -> None:
    nginx, _servers, _, _ = front
    created = await create_meeting(nginx)
    tokens = {p["name"]: p["token"] for p in created["participants"]}
    chair = await tls_followers(nginx.url, tokens["Voorzitter"], ["websocket"])
    member = await tls_followers(nginx.url, tokens[COUNCILLORS[0]], ["polling"])
    assert chair.sio.transport() == "websocket" and member.sio.transport() == "polling"
    await chair.join()
    await member.join()
    for step in ({"type": "meeting.start"}, {"type": "item.open", "item_id": "i1"}):
        assert (await chair.command(**step))["ok"]
    acks = [await member.command(**ARGUMENT, text=f"via polling {n}") for n in range(15)]  # many polling requests
    assert all(a["ok"] for a in acks)
    last = acks[-1]["seq"]
    for f in (chair, member):
        await until(lambda f=f: f.last == last)
        assert [e["data"].get("text") for s, e in sorted(f.applied.items()) if e["type"] == "argument.added"] == \
            [f"via polling {n}" for n in range(15)]
    assert member.sio.transport() == "polling"  # it never upgraded: every event came by long-polling

    status, text, _ = await http("GET", f"{nginx.url}/healthz")
    assert status == 200 and '"store": "ok"' in text
    status, _, headers = await http("GET", f"http://127.0.0.1:{nginx.http_port}/m/x")
    assert status == 301 and headers["Location"] == "https://127.0.0.1/m/x"
    status, text, _ = await http("GET", f"{nginx.url}/metrics")  # from the machine itself
    assert status == 200 and "edlib_connections" in text
    status, _, _ = await http("GET", f"{nginx.url}/metrics", source="127.0.0.2")  # not the admin network
    assert status == 403
    status, _, _ = await http("GET", f"{nginx.url}/api/meetings/{created['meeting_id']}?token={tokens['Secretaris']}")
    assert status == 200
    await asyncio.sleep(0)  # nginx writes its access log line once the response is sent
    assert tokens["Secretaris"] not in nginx.access_log()  # query strings stay out of the log
    assert "/api/meetings/" in nginx.access_log()


async def test_killed_upstream_clients_resume_on_the_other_through_nginx(
    front: Front, tls_followers: Callable[..., Awaitable[Follower]],
) -> None:
    nginx, servers, url, prefix = front
    created = await create_meeting(nginx)
    tokens = {p["name"]: p["token"] for p in created["participants"]}
    chair = await tls_followers(nginx.url, tokens["Voorzitter"], ["websocket"])
    member = await tls_followers(nginx.url, tokens[COUNCILLORS[0]], ["polling"])
    reader = await tls_followers(nginx.url, tokens["Secretaris"], ["websocket"])
    for f in (chair, member, reader):
        await f.join()
    for step in ({"type": "meeting.start"}, {"type": "item.open", "item_id": "i1"}):
        assert (await chair.command(**step))["ok"]
    before = [await member.command(**ARGUMENT, text=f"voor {n}") for n in range(5)]
    assert all(a["ok"] for a in before)
    seq = before[-1]["seq"]

    # every test client comes from 127.0.0.1, so the sticky hash put all three on the same process
    counts = [await connections(s) for s in servers]
    assert sorted(counts) == [0, 3], counts
    doomed, survivor = (servers[0], servers[1]) if counts[0] else (servers[1], servers[0])
    doomed.kill()
    for f in (chair, member, reader):
        await until(lambda f=f: not f.sio.connected, timeout=10)
        ack = await f.reconnect(nginx.url)  # the same address: nginx skips the dead process
        assert ack["ok"] and ack["seq"] == seq
    assert await connections(survivor) == 3
    assert member.sio.transport() == "polling"
    after = [await member.command(**ARGUMENT, text=f"na {n}") for n in range(5)]
    assert [a["seq"] for a in after] == list(range(seq + 1, seq + 6))
    log = stored_log(url, prefix, created["meeting_id"])
    assert len(log) == seq + 5
    for f in (chair, member, reader):
        await until(lambda f=f: f.last == seq + 5)
        assert [(s, e["type"]) for s, e in sorted(f.applied.items())] == [(s, t) for s, t, _, _ in log[1:]]


async def test_polling_without_sticky_routing_breaks(
    round_robin_front: Front, tls_followers: Callable[..., Awaitable[Follower]],
) -> None:
    """The control: the same file without `hash $remote_addr consistent` (round robin over two
    processes). A long-polling session's requests then alternate between processes, and the one that
    did not open the session rejects them, so the client cannot connect or loses its session."""
    nginx, _, _, _ = round_robin_front
    created = await create_meeting(nginx)
    token = created["participants"][1]["token"]
    broken = False
    for _ in range(3):
        sio = socketio.AsyncClient(reconnection=False, ssl_verify=False)
        try:
            await sio.connect(nginx.url, auth={"token": token}, transports=["polling"], wait_timeout=5)
            ack = await sio.call("join", {}, timeout=5)
            broken = not (isinstance(ack, dict) and ack.get("ok"))
        except (socketio.exceptions.ConnectionError, socketio.exceptions.TimeoutError):
            broken = True
        finally:
            await sio.disconnect()
        if broken:
            break
    assert broken
    # while WebSocket clients, one connection each, do not care
    ws = await tls_followers(nginx.url, token, ["websocket"])
    assert (await ws.join())["ok"]
