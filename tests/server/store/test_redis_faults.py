"""RedisStore when Redis goes away: each test runs its own redis-server.

The server runs with `appendonly yes` and `appendfsync always`, the setting
edlib needs. SIGKILL proves that an acknowledged append reached the AOF file
(the OS keeps what was written); it cannot simulate a power loss.
"""

from __future__ import annotations

import asyncio
import shutil
import signal
import socket
import subprocess
import time
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from pathlib import Path

import pytest
import redis.asyncio as aioredis
from redis.asyncio.retry import Retry
from redis.backoff import NoBackoff
from redis.exceptions import RedisError

from edlib_server.store.base import AppendConflict, StoredEvent, StoreUnavailable
from edlib_server.store.redis import RedisStore

pytestmark = pytest.mark.redis

REDIS_SERVER = shutil.which("redis-server")


def ev(seq: int, actor: str = "p1") -> StoredEvent:
    return StoredEvent(seq, "tick", 1_000.0 + seq, actor, {"seq": seq})


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


async def _eventually(check: Callable[[], Awaitable[bool]], timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not await check():
        if time.monotonic() > deadline:
            raise AssertionError(f"not within {timeout} s: {what}")
        await asyncio.sleep(0.02)


class RedisServer:
    """One redis-server process on a fixed port and data dir, which a test can stop and start again."""

    def __init__(self, binary: str, data_dir: Path) -> None:
        self.binary, self.dir, self.port = binary, data_dir, _free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.proc: subprocess.Popen[bytes] | None = None

    async def start(self) -> None:
        assert self.proc is None
        self.proc = subprocess.Popen(
            [self.binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "yes", "--appendfsync", "always", "--dir", str(self.dir)],
            stdout=subprocess.DEVNULL,
        )  # fmt: skip
        await _eventually(self._answers, 10, f"redis-server answers on port {self.port}")

    async def _answers(self) -> bool:
        assert self.proc is not None
        if self.proc.poll() is not None:
            raise AssertionError(f"redis-server exited with {self.proc.returncode}")
        probe = aioredis.Redis.from_url(self.url, socket_timeout=0.5, retry=Retry(NoBackoff(), 0))
        try:
            return bool(await probe.ping())  # False-y or BusyLoadingError while it loads the AOF
        except RedisError:
            return False
        finally:
            await probe.aclose()

    def _signal_and_wait(self, sig: signal.Signals) -> None:
        assert self.proc is not None
        self.proc.send_signal(sig)
        self.proc.wait(timeout=10)
        self.proc = None

    def stop(self) -> None:
        self._signal_and_wait(signal.SIGTERM)

    def kill(self) -> None:
        self._signal_and_wait(signal.SIGKILL)

    def pause(self) -> None:
        assert self.proc is not None
        self.proc.send_signal(signal.SIGSTOP)

    def resume(self) -> None:
        assert self.proc is not None
        self.proc.send_signal(signal.SIGCONT)

    def cleanup(self) -> None:
        if self.proc is not None:
            self.proc.kill()
            self.proc.wait(timeout=10)
            self.proc = None


@pytest.fixture
def server_factory(tmp_path: Path) -> Iterator[Callable[[], RedisServer]]:
    if REDIS_SERVER is None:
        pytest.skip("redis-server is not installed")
    servers: list[RedisServer] = []

    def make() -> RedisServer:
        servers.append(RedisServer(REDIS_SERVER, tmp_path))
        return servers[-1]

    yield make
    for s in servers:
        s.cleanup()


@pytest.fixture
async def server(server_factory: Callable[[], RedisServer]) -> RedisServer:
    s = server_factory()
    await s.start()
    return s


@pytest.fixture
async def store(server: RedisServer) -> AsyncIterator[RedisStore]:
    s = RedisStore(server.url, prefix=f"faults-{uuid.uuid4().hex[:8]}:")
    yield s
    await s.close()


async def _unavailable_promptly(call: Awaitable[object], limit: float = 5.0) -> None:
    started = time.monotonic()
    with pytest.raises(StoreUnavailable):
        await call
    assert time.monotonic() - started < limit


async def test_outage_is_reported_promptly_and_the_client_reconnects(server: RedisServer, store: RedisStore) -> None:
    await store.append("m", 0, [ev(1), ev(2)])
    await store.put_tokens("m", {"d": "p"})
    server.stop()

    await _unavailable_promptly(store.append("m", 2, [ev(3)]))
    await _unavailable_promptly(store.read("m"))
    await _unavailable_promptly(store.last_seq("m"))
    await _unavailable_promptly(store.meeting_ids())
    await _unavailable_promptly(store.find_token("d"))
    await _unavailable_promptly(store.put_tokens("m", {"e": "q"}))
    started = time.monotonic()
    assert await store.ping() is False
    assert time.monotonic() - started < 5

    await server.start()  # same port, same AOF directory
    await _eventually(store.ping, 5, "the store answers again")
    assert await store.read("m") == [ev(1), ev(2)]  # kept in the AOF across the restart
    assert await store.find_token("d") == ("m", "p")
    await store.append("m", 2, [ev(3)])  # the script cache is empty after a restart: reloaded by itself
    assert await store.last_seq("m") == 3
    assert await store.meeting_ids() == ["m"]


async def test_restart_between_calls_is_invisible(server: RedisServer, store: RedisStore) -> None:
    await store.append("m", 0, [ev(1)])  # leaves a pooled connection that the restart breaks
    server.stop()
    await server.start()
    assert await store.read("m") == [ev(1)]  # the first call after the restart already succeeds
    await store.append("m", 1, [ev(2)])
    assert await store.last_seq("m") == 2


async def test_acknowledged_appends_survive_sigkill(server: RedisServer, store: RedisStore) -> None:
    acknowledged: list[int] = []

    async def writer() -> None:
        seq = 0
        while True:
            try:
                await store.append("m", seq, [ev(seq + 1)])
            except StoreUnavailable:
                return
            seq += 1
            acknowledged.append(seq)

    async def enough() -> bool:
        return len(acknowledged) >= 200

    task = asyncio.create_task(writer())
    await _eventually(enough, 10, "200 acknowledged appends")
    server.kill()  # while the writer keeps appending
    await asyncio.wait_for(task, 5)

    await server.start()
    log = await store.read("m")
    seqs = [e.seq for e in log]
    assert seqs == list(range(1, len(seqs) + 1))
    assert log == [ev(s) for s in seqs]
    assert set(acknowledged) <= set(seqs), sorted(set(acknowledged) - set(seqs))
    assert len(seqs) - len(acknowledged) in (0, 1)  # at most the one append in flight at the kill landed unacknowledged


async def test_hung_redis_times_out_and_no_reply_is_misattributed(server: RedisServer, store: RedisStore) -> None:
    await store.append("m", 0, [ev(1)])
    server.pause()  # SIGSTOP: the socket stays open, nothing answers
    try:
        await _unavailable_promptly(store.append("m", 1, [ev(2)]))
        assert await store.ping() is False
    finally:
        server.resume()

    await _eventually(store.ping, 5, "the store answers again")
    # The timed-out append was already on its way: it may have landed. Its late reply must never be
    # taken for the answer to a later command, and the log must be whole either way.
    landed = await store.last_seq("m")
    assert landed in (1, 2)
    assert await store.read("m") == [ev(s) for s in range(1, landed + 1)]
    with pytest.raises(AppendConflict) as conflict:
        await store.append("m", landed - 1, [ev(landed)])
    assert conflict.value.actual == landed
    await store.append("m", landed, [ev(landed + 1)])
    assert await store.last_seq("m") == landed + 1
