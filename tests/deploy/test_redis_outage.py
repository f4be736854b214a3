"""Redis goes away under two `edlib serve --redis` processes, then comes back on the same port.

Each test runs its own redis-server (AOF, appendfsync always, in a temporary directory) so that it can
stop it. While Redis is down: commands are answered `unavailable` (never acknowledged and then lost),
/healthz answers 503, new connections are refused with `unavailable` (promptly, not hanging), and the
open Socket.IO connections stay up. When Redis is back: commands are acknowledged again, a resend
with the same `cid` is recorded at most once, and the Socket.IO Redis manager fans out again.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import aiohttp
import pytest
import redis
import socketio

from tests.conftest import until
from tests.deploy.cluster import COUNCILLORS, SPEC, Follower, RedisProcess, start_all, stored_log
from tests.processes import ServerProcess, create_meeting

pytestmark = [pytest.mark.slow, pytest.mark.redis]

PREFIX = "edlib-outage:"
ARGUMENT = {"type": "argument.add", "item_id": "i1", "stance": "con", "category": "resource"}


@pytest.fixture
def own_redis(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[RedisProcess]:
    r = RedisProcess(tmp_path).start()
    monkeypatch.setenv("EDLIB_REDIS_PREFIX", PREFIX)
    yield r
    r.cleanup()  # the whole server goes, with its data directory


@pytest.fixture
async def pair(own_redis: RedisProcess) -> AsyncIterator[tuple[ServerProcess, ServerProcess]]:
    servers = await start_all(ServerProcess(redis_url=own_redis.url) for _ in range(2))
    yield servers[0], servers[1]
    for s in servers:
        s.kill()


@pytest.fixture
async def room(pair: tuple[ServerProcess, ServerProcess]) -> AsyncIterator[dict[str, Any]]:
    """A meeting with item i1 open: the chair and one councillor on A, another councillor on B."""
    a, b = pair
    created = await create_meeting(a.url, SPEC)
    tokens = {p["name"]: p["token"] for p in created["participants"]}
    chair, x, y = Follower(a.url, tokens["Voorzitter"]), Follower(a.url, tokens[COUNCILLORS[0]]), \
        Follower(b.url, tokens[COUNCILLORS[1]])
    for f in (chair, x, y):
        await f.connect()
        await f.join()
    for step in ({"type": "meeting.start"}, {"type": "item.open", "item_id": "i1"}):
        assert (await chair.command(**step))["ok"]
    yield {"a": a, "b": b, "chair": chair, "x": x, "y": y, "tokens": tokens, "meeting": created["meeting_id"]}
    for f in (chair, x, y):
        try:
            await asyncio.wait_for(f.close(), 5)
        except Exception:
            pass


async def health(url: str) -> tuple[int, dict[str, Any]]:
    async with aiohttp.ClientSession() as http, http.get(f"{url}/healthz", timeout=aiohttp.ClientTimeout(10)) as r:
        return r.status, await r.json()


async def refused_connect(url: str, token: str) -> Any:
    """Try to connect; return the connect_error data (None if the connection was accepted)."""
    sio = socketio.AsyncClient(reconnection=False)
    errors: list[Any] = []
    sio.on("connect_error", errors.append)
    try:
        await sio.connect(url, auth={"token": token}, transports=["websocket"], wait_timeout=8)
    except socketio.exceptions.ConnectionError:
        return errors[0] if errors else "refused without data"
    await sio.disconnect()
    return None


def subscribers(r: RedisProcess) -> int:
    """Server processes subscribed to the Socket.IO channel (the Redis manager's fan-out)."""
    client = redis.Redis.from_url(r.url, socket_timeout=1)
    try:
        return int(dict(client.pubsub_numsub(f"{PREFIX}socketio"))[f"{PREFIX}socketio".encode()])
    finally:
        client.close()


async def test_redis_stopped_then_back_on_the_same_port(own_redis: RedisProcess, room: dict[str, Any]) -> None:
    a, b, x, y = room["a"], room["b"], room["x"], room["y"]
    first = await x.command(**ARGUMENT, text="voor de storing", cid="before")
    assert first["ok"]
    await until(lambda: y.last == first["seq"])
    assert subscribers(own_redis) == 2
    leaving = Follower(a.url, room["tokens"][COUNCILLORS[2]])
    await leaving.connect()
    await leaving.join()
    asked = await leaving.command(type="floor.request")  # on the list: the floor view shows when they leave
    assert asked["ok"]
    await until(lambda: (room["chair"].view("floor") or {}).get("seq", 0) >= asked["seq"])

    own_redis.stop()
    started = time.monotonic()
    down = await x.command(**ARGUMENT, text="tijdens de storing", cid="during")
    assert down["ok"] is False and down["error"]["code"] == "unavailable", down
    assert time.monotonic() - started < 3  # answered, not left hanging
    rejoin = await y.sio.call("join", {"since": y.last}, timeout=5)
    assert rejoin["ok"] is False and rejoin["error"]["code"] == "unavailable"
    for server in (a, b):
        status, body = await health(server.url)
        assert status == 503 and body["store"] == "unreachable", body
    async with aiohttp.ClientSession() as session:  # the REST API says the same
        snap = await session.get(f"{a.url}/api/meetings/{room['meeting']}",
                                 headers={"Authorization": f"Bearer {room['tokens']['Secretaris']}"})
        assert snap.status == 503 and (await snap.json())["error"]["code"] == "unavailable"
    refusal = {"code": "unavailable", "message": "storage is unreachable; try again shortly"}
    assert await refused_connect(a.url, room["tokens"]["Secretaris"]) == {**refusal, "data": refusal}
    # A member on the list of speakers leaves: A pushes a floor view. Its publish to the other processes
    # fails and is logged (python-socketio tries twice, then gives up); A's own sockets still get it,
    # and nothing crashes.
    chair = room["chair"]
    floor_views = len([v for v in chair.views if v["name"] == "floor"])
    await leaving.close()
    await until(lambda: len([v for v in chair.views if v["name"] == "floor"]) > floor_views)
    assert x.sio.connected and y.sio.connected and chair.sio.connected  # the sockets stay up
    sids = (x.sio.sid, y.sio.sid)

    own_redis.start()  # same port, same directory: the AOF is read back
    for server in (a, b):
        await until_async(lambda s=server: health_ok(s.url), timeout=10)
    # the Redis manager resubscribes on its own, with a backoff of 1, 2, 4 ... s (python-socketio)
    await until(lambda: subscribers(own_redis) == 2, timeout=15)
    assert (x.sio.sid, y.sio.sid) == sids and x.sio.connected and y.sio.connected  # same connections

    again = await x.command(**ARGUMENT, text="tijdens de storing", cid="during")
    assert again["ok"] and again["seq"] == asked["seq"] + 1
    resend = await x.command(**ARGUMENT, text="tijdens de storing", cid="during")
    assert resend == again  # recorded once: the resend is answered with the seq it was recorded at
    await until(lambda: y.last == again["seq"])  # fan-out across processes works again
    log = stored_log(own_redis.url, PREFIX, room["meeting"])
    texts = [data.get("text") for _, type_, _, data in log if type_ == "argument.added"]
    assert texts == ["voor de storing", "tijdens de storing"]  # nothing lost across the restart, nothing doubled
    late = await refused_connect(a.url, room["tokens"]["Secretaris"])
    assert late is None  # connecting works again


async def test_a_write_that_timed_out_lands_once(own_redis: RedisProcess, room: dict[str, Any]) -> None:
    """Redis hangs (SIGSTOP) with an append in flight: the client hears `unavailable` after the store's
    2 s timeout, yet Redis runs the append once it wakes up. The resend with the same `cid` must find it
    and answer its seq rather than record it a second time; the other clients get it too."""
    x, y, chair = room["x"], room["y"], room["chair"]
    own_redis.pause()
    try:
        hung = await x.command(**ARGUMENT, text="onzeker", cid="unknown-outcome")
        assert hung["ok"] is False and hung["error"]["code"] == "unavailable", hung
    finally:
        own_redis.resume()
    await until_async(lambda: health_ok(room["a"].url), timeout=10)
    log = stored_log(own_redis.url, PREFIX, room["meeting"])
    landed = [seq for seq, _, _, data in log if data.get("text") == "onzeker"]
    resend = await x.command(**ARGUMENT, text="onzeker", cid="unknown-outcome")
    assert resend["ok"], resend
    log = stored_log(own_redis.url, PREFIX, room["meeting"])
    assert [seq for seq, _, _, data in log if data.get("text") == "onzeker"] == [resend["seq"]]
    if landed:  # the usual outcome: Redis ran the script it had already received
        assert landed == [resend["seq"]]
    # Nobody had been sent it (the writer thought it failed): the resend publishes it, so that every
    # client gets it now rather than only when a later event reveals the gap.
    for f in (x, y, chair):
        await until(lambda f=f: f.last == resend["seq"], timeout=10)
        assert f.applied[resend["seq"]]["data"]["text"] == "onzeker"
        assert f.gap_fills == 0
    print(f"\nthe timed-out append {'had landed' if landed else 'had not landed'}")


async def health_ok(url: str) -> bool:
    try:
        return (await health(url))[0] == 200
    except (TimeoutError, aiohttp.ClientError):
        return False


async def until_async(check: Any, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while not await check():
        if time.monotonic() > deadline:
            raise AssertionError("condition not reached in time")
        await asyncio.sleep(0.1)
