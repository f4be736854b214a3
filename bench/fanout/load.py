"""Load generators: listening clients (one worker process holds many) and the writers (timed commands).

A listener stamps time.time_ns() as soon as a frame is read and keeps the raw frame, parsing it only after
the run so that the clients spend as little CPU as possible while the server is being measured. Events are
matched to commands by seq (the writers' acks carry it), which also works for withheld events; each
command's text also carries `fanout-bench <i> <send time_ns>`, checked against the seq when visible.
"""

from __future__ import annotations

import asyncio
import json
import re
import resource
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import aiohttp
from wire import Refused, SioWs, parse_ack

MARK = "fanout-bench "
MARK_RX = re.compile(r"fanout-bench (\d+) (\d+)")
MAX_MESSAGES = 1_000_000  # per client and run: a bound on every receive loop
CONNECT_CONCURRENCY = 20  # connects in flight per worker


def cpu_seconds() -> float:
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def use_uvloop() -> None:
    try:
        import uvloop

        uvloop.install()
    except ImportError:
        pass


# --- listeners ------------------------------------------------------------------------------------


@dataclass
class Listener:
    sio: SioWs | None = None
    raw: list[tuple[int, str]] = field(default_factory=list)  # (receive time_ns, frame) of events
    got: int = 0
    views: list[tuple[int, str]] = field(default_factory=list)  # (receive time_ns, view name)
    other: int = 0
    bytes: int = 0
    kicked: bool = False  # the server closed the connection (Socket.IO disconnect or websocket close)

    async def run(self) -> None:
        assert self.sio is not None
        ws = self.sio.ws
        for _ in range(MAX_MESSAGES):
            msg = await ws.receive()
            t = time.time_ns()
            if msg.type is not aiohttp.WSMsgType.TEXT:
                self.kicked = True
                return
            s: str = msg.data
            self.bytes += len(s)
            if s.startswith('42["event"'):
                self.raw.append((t, s))
                self.got += 1
            elif s.startswith('42["view",{"name":"'):
                self.views.append((t, s[19:s.find('"', 19)]))
            elif s == "2":
                await ws.send_str("3")
            elif s.startswith("41"):
                self.kicked = True
                return
            else:
                self.other += 1


def listener_main(worker: int, base: str, token: str | list[str], count: int, ready_q: Any, result_q: Any,
                  done: Any, expected: Any, start_ns: Any, end_ns: Any, drain_s: float, max_s: float) -> None:
    """Process entry: connect `count` listeners, report ready, listen until told, report results.

    `token`: one token for every listener (a public meeting's observer token), or one token each.

    `done` (Event) is set once the writers are through; `expected` is then the number of events every
    listener should get, and [start_ns, end_ns] the sending window (first send to last ack), by which the
    view pushes are told apart: before it (caused by the joins), during it, after it."""
    use_uvloop()
    try:
        result = asyncio.run(_listen(worker, base, token, count, ready_q, done, expected, start_ns, end_ns,
                                     drain_s, max_s))
    except BaseException as exc:  # the parent must hear about it rather than wait
        ready_q.put({"worker": worker, "connected": 0, "errors": [repr(exc)]})
        result = {"worker": worker, "error": repr(exc)}
    result_q.put(result)


async def _listen(worker: int, base: str, token: str | list[str], count: int, ready_q: Any, done: Any, expected: Any,
                  start_ns: Any, end_ns: Any, drain_s: float, max_s: float) -> dict[str, Any]:
    clients = [Listener() for _ in range(count)]
    errors: list[str] = []
    sem = asyncio.Semaphore(CONNECT_CONCURRENCY)
    async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=0)) as session:

        async def open_one(k: int, c: Listener) -> None:
            async with sem:
                try:
                    sio = await SioWs.connect(session, base, token if isinstance(token, str) else token[k])
                    ack = await sio.request("join", {})
                    if not (isinstance(ack, dict) and ack.get("ok")):
                        await sio.close()
                        raise Refused(f"join refused: {str(ack)[:200]}")
                    c.sio = sio
                except Exception as exc:
                    errors.append(repr(exc)[:300])

        try:
            await asyncio.wait_for(asyncio.gather(*(open_one(k, c) for k, c in enumerate(clients))), timeout=max_s)
        except TimeoutError:
            errors.append("connect phase timed out")
        live = [c for c in clients if c.sio is not None]
        tasks = [asyncio.create_task(c.run()) for c in live]
        ready_q.put({"worker": worker, "connected": len(live), "errors": errors[:5], "failed": len(errors)})
        cpu0, wall0 = cpu_seconds(), time.monotonic()

        deadline = time.monotonic() + max_s
        while not done.is_set() and time.monotonic() < deadline:
            await asyncio.sleep(0.05)
        want = expected.value
        window = (start_ns.value, end_ns.value)
        drain_end = time.monotonic() + drain_s
        while time.monotonic() < drain_end and any(c.got < want and not c.kicked for c in live):
            await asyncio.sleep(0.02)
        cpu, wall = cpu_seconds() - cpu0, time.monotonic() - wall0

        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        await asyncio.gather(*(asyncio.wait_for(c.sio.close(), 3) for c in live if c.sio), return_exceptions=True)

    per_client = []
    for c in live:
        rows: list[tuple[int, int, int]] = []  # (seq, receive time_ns, command index from the text or -1)
        for t, s in c.raw:
            m = MARK_RX.search(s)  # absent when the event is withheld from this viewer
            rows.append((int(json.loads(s[2:])[1].get("seq", -1)), t, int(m.group(1)) if m else -1))
        before: dict[str, int] = {}
        during: dict[str, int] = {}
        after: dict[str, int] = {}
        for at, name in c.views:
            seg = before if at < window[0] else during if at <= window[1] else after
            seg[name] = seg.get(name, 0) + 1
        per_client.append({"rows": rows, "views_before": before, "views_during": during, "views_after": after,
                           "other": c.other, "bytes": c.bytes, "kicked": c.kicked})
    return {"worker": worker, "clients": per_client, "cpu_s": cpu, "wall_s": wall, "failed": len(errors),
            "errors": errors[:5]}


# --- writers --------------------------------------------------------------------------------------


@dataclass
class Sent:
    index: int
    writer: int
    send_ns: int
    ack_ns: int = 0
    ok: bool = False
    code: str | None = None
    seq: int | None = None


async def _pump(sio: SioWs, pending: dict[int, tuple[Sent, asyncio.Future[None]]], counts: dict[str, int]) -> None:
    """Read one writer's websocket: resolve acks, answer pings, count the rest."""
    ws = sio.ws
    for _ in range(MAX_MESSAGES):
        msg = await ws.receive()
        t = time.time_ns()
        if msg.type is not aiohttp.WSMsgType.TEXT:
            return
        s = msg.data
        if s == "2":
            await ws.send_str("3")
            continue
        ack = parse_ack(s)
        if ack is None:
            counts["received"] = counts.get("received", 0) + 1
            continue
        entry = pending.pop(ack[0], None)
        if entry is None:
            continue
        sent, fut = entry
        sent.ack_ns = t
        body = ack[1] if isinstance(ack[1], dict) else {}
        sent.ok = bool(body.get("ok"))
        sent.seq = body.get("seq")
        if not sent.ok:
            sent.code = str((body.get("error") or {}).get("code"))
        if not fut.done():
            fut.set_result(None)


async def write(base: str, tokens: list[str], command: dict[str, Any], rate: float, seconds: float,
                on_start: Callable[[], None] = lambda: None, ack_timeout: float = 15.0) -> dict[str, Any]:
    """Send round(rate*seconds) commands at a fixed total rate, round-robin over one connection per token.

    `command` is the payload; its "text" gets `fanout-bench <i> <time_ns>` stamped just before the send.
    `on_start` is called once every writer has joined and the join-time view pushes have settled,
    just before the first command."""
    total = max(1, round(rate * seconds))
    w = len(tokens)
    loop = asyncio.get_running_loop()
    async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=0)) as session:
        conns: list[SioWs] = []
        try:
            for token in tokens:
                sio = await SioWs.connect(session, base, token)
                conns.append(sio)
                ack = await sio.request("join", {})
                if not (isinstance(ack, dict) and ack.get("ok")):
                    raise Refused(f"writer join refused: {str(ack)[:200]}")
            # ack ids count per connection, so each connection has its own table of pending acks
            pending: list[dict[int, tuple[Sent, asyncio.Future[None]]]] = [{} for _ in conns]
            counts: dict[str, int] = {}
            pumps = [asyncio.create_task(_pump(c, pend, counts)) for c, pend in zip(conns, pending, strict=False)]
            sent: list[Sent] = []
            futures: list[asyncio.Future[None]] = []
            await asyncio.sleep(0.5)  # the view pushes that our joins caused go out before the clock starts
            on_start()
            t0 = time.monotonic() + 0.05

            async def run_writer(k: int) -> None:
                sio = conns[k]
                for i in range(k, total, w):
                    delay = t0 + i / rate - time.monotonic()
                    if delay > 0:
                        await asyncio.sleep(delay)
                    payload = dict(command, text=f"{MARK}{i} @NS@")
                    aid, frame = sio.frame("command", payload)
                    head, tail = frame.split("@NS@", 1)
                    fut: asyncio.Future[None] = loop.create_future()
                    ns = time.time_ns()
                    rec = Sent(i, k, ns)
                    pending[k][aid] = (rec, fut)
                    sent.append(rec)
                    futures.append(fut)
                    await sio.ws.send_str(f"{head}{ns}{tail}")

            started_ns = time.time_ns()
            await asyncio.wait_for(asyncio.gather(*(run_writer(k) for k in range(w))), timeout=seconds * 3 + 10)
            sent_wall = time.monotonic() - t0
            _done, not_done = await asyncio.wait(futures, timeout=ack_timeout) if futures else (set(), set())
            for p in pumps:
                p.cancel()
            await asyncio.gather(*pumps, return_exceptions=True)
        finally:
            await asyncio.gather(*(asyncio.wait_for(c.close(), 3) for c in conns), return_exceptions=True)
    sent.sort(key=lambda r: r.index)
    return {"sent": sent, "started_ns": started_ns, "send_wall_s": sent_wall, "unacked": len(not_done),
            "writer_received": counts.get("received", 0)}
