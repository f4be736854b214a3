"""Helpers for the deployment tests: several real `edlib serve --redis` processes, a Redis of our own,
and a client that follows a meeting the way protocol.md asks (dedup by seq, fill gaps with `since`)."""

from __future__ import annotations

import asyncio
import shutil
import signal
import subprocess
import time
import uuid
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import msgpack
import pytest
import redis
import socketio

from tests.conftest import Client
from tests.processes import ServerProcess, free_port

SHARED_REDIS = "redis://127.0.0.1:6379/0"
REDIS_SERVER = shutil.which("redis-server")

# A committee big enough for several concurrent writers (each connection may send 10 commands/s, burst 30).
COUNCILLORS = [f"Raadslid {i}" for i in range(1, 7)]
SPEC: dict[str, Any] = {
    "title": "Commissie Financiën", "council": "Jette", "kind": "committee", "visibility": "closed",
    "groups": [{"id": "g1", "name": "Groen", "side": "majority", "seats": 4},
               {"id": "g2", "name": "Liberalen", "side": "opposition", "seats": 3}],
    "items": [{"title": "Begrotingswijziging", "draft_decision": "De raad keurt goed ..."}],
    "participants": [{"name": "Voorzitter", "role": "facilitator"}]
    + [{"name": n, "role": "councillor", "group": "g1" if i % 2 else "g2"} for i, n in enumerate(COUNCILLORS)]
    + [{"name": "Secretaris", "role": "secretary"}, {"name": "Pers", "role": "observer"}],
}


def shared_redis_or_skip() -> str:
    try:
        redis.Redis.from_url(SHARED_REDIS, socket_timeout=1).ping()
    except redis.RedisError as exc:
        pytest.skip(f"no Redis at {SHARED_REDIS} ({exc}); `make services` starts one")
    return SHARED_REDIS


def new_prefix() -> str:
    return f"edlib-test-{uuid.uuid4().hex[:10]}:"


def drop_prefix(url: str, prefix: str) -> None:
    r = redis.Redis.from_url(url, socket_timeout=2)
    try:
        keys = list(r.scan_iter(match=f"{prefix}*", count=500))
        if keys:
            r.delete(*keys)
    finally:
        r.close()


def stored_log(url: str, prefix: str, meeting_id: str) -> list[tuple[int, str, str | None, dict[str, Any]]]:
    """The meeting's log as Redis holds it: (seq, type, actor, data) per entry, in list order."""
    r = redis.Redis.from_url(url, socket_timeout=2)
    try:
        blobs = r.lrange(f"{prefix}m:{meeting_id}:log", 0, -1)
    finally:
        r.close()
    out = []
    for blob in blobs:  # type: ignore[union-attr]
        seq, type_, _at, actor, data = msgpack.unpackb(blob, raw=False, strict_map_key=False)
        out.append((seq, type_, actor, data))
    return out


async def start_all(servers: Iterable[ServerProcess]) -> list[ServerProcess]:
    """Start processes side by side (each takes about two seconds to come up)."""
    servers = list(servers)
    await asyncio.gather(*(asyncio.to_thread(s.start) for s in servers))
    return servers


class RedisProcess:
    """A redis-server of our own on a free port, with AOF fsynced on every write, that a test may stop."""

    def __init__(self, data_dir: Path) -> None:
        if REDIS_SERVER is None:
            pytest.skip("redis-server is not installed (`make services` installs it)")
        self.dir, self.port = data_dir, free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self, timeout: float = 10.0) -> RedisProcess:
        assert self.proc is None
        self.proc = subprocess.Popen(
            [str(REDIS_SERVER), "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "yes", "--appendfsync", "always", "--dir", str(self.dir)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"redis-server exited with {self.proc.returncode}")
            try:
                if redis.Redis.from_url(self.url, socket_timeout=0.5).ping():
                    return self
            except redis.RedisError:  # refused, or still loading the AOF
                pass
            time.sleep(0.05)
        raise RuntimeError(f"redis-server did not answer on port {self.port} in {timeout}s")

    def _signal(self, sig: signal.Signals) -> None:
        if self.proc is not None:
            self.proc.send_signal(sig)

    def stop(self) -> None:
        """SIGTERM and wait: Redis goes away (connections refused) until start() again."""
        if self.proc is not None:
            self.proc.send_signal(signal.SIGTERM)
            self.proc.wait(10)
            self.proc = None

    def pause(self) -> None:
        """SIGSTOP: Redis keeps its sockets open and answers nothing (a hung server or a network black hole)."""
        self._signal(signal.SIGSTOP)

    def resume(self) -> None:
        self._signal(signal.SIGCONT)

    def cleanup(self) -> None:
        if self.proc is not None:
            self.proc.send_signal(signal.SIGCONT)
            self.proc.kill()
            self.proc.wait(10)
            self.proc = None


class Follower(Client):
    """A client that applies a meeting's events as protocol.md says: in seq order, each seq once.

    `applied` maps seq -> event; `duplicates` counts events received again (live pushes that overlap
    a `join(since)` answer, or the same event fanned out twice); `gap_fills` counts re-joins made
    because a later seq arrived while an earlier one was missing."""

    def __init__(self, url: str, token: str, transports: list[str] | None = None, ssl_verify: bool = True) -> None:
        super().__init__(url, token)
        self.transports = transports or ["websocket"]
        self.ssl_verify = ssl_verify
        self._new_client()
        self.applied: dict[int, dict[str, Any]] = {}
        self.duplicates = 0
        self.gap_fills = 0
        self.joined_at = 0

    def _new_client(self) -> None:
        self.sio = socketio.AsyncClient(reconnection=False, ssl_verify=self.ssl_verify)
        self.sio.on("event", self._on_event)
        self.sio.on("view", self._on_view)

    async def connect(self) -> None:
        await self.sio.connect(self.url, auth={"token": self.token}, transports=self.transports, wait_timeout=5)

    async def _on_event(self, data: dict[str, Any]) -> None:
        await super()._on_event(data)
        self._apply(data)

    def _apply(self, ev: dict[str, Any]) -> None:
        if ev["seq"] in self.applied or ev["seq"] <= self.joined_at:
            self.duplicates += 1
        else:
            self.applied[ev["seq"]] = ev

    async def join(self, since: int | None = None) -> dict[str, Any]:
        ack = await super().join(since)
        assert ack.get("ok"), ack
        if "events" in ack:
            for ev in ack["events"]:
                self._apply(ev)
        else:  # a snapshot: everything up to its seq is known
            self.joined_at = ack["seq"]
            self.applied = {s: e for s, e in self.applied.items() if s > ack["seq"]}
        return ack

    @property
    def last(self) -> int:
        """The last seq applied without a gap before it."""
        seq = self.joined_at
        while seq + 1 in self.applied:
            seq += 1
        return seq

    def has_gap(self) -> bool:
        return bool(self.applied) and max(self.applied) > self.last

    async def fill_gaps(self) -> None:
        if self.has_gap():
            self.gap_fills += 1
            await self.join(since=self.last)

    def sequence(self) -> list[tuple[int, str, Any]]:
        """(seq, type, data) of everything applied after the join, in seq order."""
        return [(s, self.applied[s]["type"], self.applied[s]["data"]) for s in sorted(self.applied)]

    async def reconnect(self, url: str) -> dict[str, Any]:
        """Move to another server address (the old one died) and resume with `since`."""
        self.url = url
        self._new_client()
        await self.connect()
        return await self.join(since=self.last)
