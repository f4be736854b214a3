"""Scale-out benchmark: one meeting's fan-out on 1, 2 and 3 `edlib serve --redis` processes sharing one
Redis, against one process on SQLite without Redis (the baseline), in one run.

    .venv/bin/python bench/scaleout/run.py [--observers 200] [--rate 10] [--seconds 8] [--configs ...]

For each configuration: a public meeting; --observers listening clients (the public gallery's shared
token; observers of a public meeting get events in full) spread evenly over the processes and held by
--workers separate client processes; --writers councillor connections, also spread over the processes,
send `argument.add` at a fixed total --rate for --seconds, each text carrying its send time. Reported:
deliveries per second (events received by all observers / the time from first send to last receive),
fan-out latency (receive - send, same clock) p50 / p99, server CPU, and both ratios against the
baseline. Every observer's events are checked: none lost, duplicates counted, each seq once.

Redis is a redis-server of the run's own on a free port, with the persistence docs/deploy.md
recommends (AOF, appendfsync always), in a temporary directory. Everything listens on 127.0.0.1; every
subprocess is killed at the end whatever happens. Clients speak the Socket.IO framing directly
(bench/fanout/wire.py, imported).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import multiprocessing as mp
import os
import platform
import re
import resource
import shutil
import socket
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

import aiohttp

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "fanout"))
from procs import Server, free_port  # bench/fanout/procs.py, shared
from wire import Refused, SioWs, parse_ack  # bench/fanout/wire.py: its raw Socket.IO client, reused

MARK = "scaleout "
MARK_RX = re.compile(r"scaleout (\d+) (\d+)")
PER_CONNECTION_RATE = 10.0  # server/config.py rate_per_s (burst 30)
COUNCILLORS = 12
COMMAND = {"type": "argument.add", "item_id": "i1", "stance": "pro", "category": "evidence"}
CONFIGS = {"sqlite-1": (1, False), "redis-1": (1, True), "redis-2": (2, True), "redis-3": (3, True)}


def machine() -> str:
    model, mem = platform.processor() or "?", "?"
    try:
        model = next(line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                     if line.startswith("model name"))
        kib = next(int(line.split()[1]) for line in Path("/proc/meminfo").read_text().splitlines()
                   if line.startswith("MemTotal"))
        mem = f"{kib / 1024 / 1024:.1f} GiB"
    except (OSError, StopIteration):
        pass
    load = " ".join(f"{x:.2f}" for x in os.getloadavg())
    return (f"machine: {platform.platform()}, Python {platform.python_version()}, {os.cpu_count()} CPUs ({model}), "
            f"{mem}, load average {load}, {time.strftime('%Y-%m-%d %H:%M %Z')}")


def cpu_seconds() -> float:
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


# --- subprocesses ---------------------------------------------------------------------------------


def start_redis(workdir: Path) -> tuple[Server, str]:
    binary = shutil.which("redis-server")
    if binary is None:
        raise SystemExit("redis-server is not installed (make services installs it)")
    port = free_port()
    data = workdir / "redis"
    data.mkdir()
    proc = Server("redis", [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "yes",
                          "--appendfsync", "always", "--dir", str(data)], workdir)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2) as s:
                s.sendall(b"PING\r\n")
                if s.recv(16).startswith(b"+PONG"):
                    return proc, f"redis://127.0.0.1:{port}/0"
        except OSError:
            pass
        time.sleep(0.05)
    proc.stop()
    raise RuntimeError("redis-server did not answer")


def start_edlib(workdir: Path, admin: str, tag: str, redis_url: str | None, prefix: str) -> tuple[Server, str]:
    exe = Path(sys.executable).with_name("edlib")
    port = free_port()
    cmd = [str(exe) if exe.exists() else sys.executable] + ([] if exe.exists() else ["-m", "edlib_server.cli"])
    cmd += ["serve", "--host", "127.0.0.1", "--port", str(port), "--admin-token", admin, "--log-format", "text"]
    cmd += ["--redis", redis_url] if redis_url else ["--db", str(workdir / f"{tag}.db")]
    server = Server(f"edlib-{tag}-{port}", cmd, workdir, port, {"EDLIB_REDIS_PREFIX": prefix})
    return server, server.base


def cpu_s(proc: Server) -> float:
    """CPU seconds of a process, NaN when /proc cannot tell."""
    value = proc.cpu_s()
    return math.nan if value is None else value


def wait_healthy(procs: list[Server], timeout: float = 30.0) -> None:
    for proc in procs:
        proc.wait_ready(timeout)


# --- the meeting ----------------------------------------------------------------------------------


def create_meeting(url: str, admin: str) -> dict[str, Any]:
    body = {
        "title": "Scale-out benchmark", "council": "Bench", "kind": "committee", "visibility": "public",
        "groups": [{"id": "g1", "name": "Majority", "side": "majority", "seats": COUNCILLORS}],
        "items": [{"title": "Fan-out", "draft_decision": "The council measures its fan-out."}],
        "participants": [{"name": "Chair", "role": "facilitator"}]
        + [{"name": f"Councillor {i}", "role": "councillor", "group": "g1"} for i in range(COUNCILLORS)],
    }
    req = urllib.request.Request(url + "/api/meetings", data=json.dumps(body).encode(), method="POST",
                                 headers={"Authorization": f"Bearer {admin}", "Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=15) as r:
        return json.loads(r.read())  # type: ignore[no-any-return]


async def open_item(url: str, token: str) -> None:
    async with aiohttp.ClientSession() as session:
        conn = await SioWs.connect(session, url, token)
        try:
            for event, data in (("join", {}), ("command", {"type": "meeting.start"}),
                                ("command", {"type": "item.open", "item_id": "i1"})):
                ack = await conn.request(event, data)
                if not (isinstance(ack, dict) and ack.get("ok")):
                    raise RuntimeError(f"setup {data or event} refused: {ack}")
        finally:
            await conn.close()


# --- observers (in worker processes) --------------------------------------------------------------


def observe(worker: int, urls: list[str], token: str, indices: list[int], ready_q: Any, result_q: Any,
            done: Any, expected: Any, drain_s: float, max_s: float) -> None:
    """Process entry: connect one observer per index (index i on urls[i % len]), listen, report."""
    try:
        import uvloop

        uvloop.install()
    except ImportError:
        pass
    try:
        result = asyncio.run(_observe(urls, token, indices, ready_q, done, expected, drain_s, max_s))
    except BaseException as exc:  # the parent must hear about it rather than wait
        ready_q.put({"connected": 0, "errors": [repr(exc)]})
        result = {"error": repr(exc)}
    result["worker"] = worker
    result_q.put(result)


async def _observe(urls: list[str], token: str, indices: list[int], ready_q: Any, done: Any, expected: Any,
                   drain_s: float, max_s: float) -> dict[str, Any]:
    frames: dict[int, list[tuple[int, str]]] = {i: [] for i in indices}
    conns: dict[int, SioWs] = {}
    errors: list[str] = []
    sem = asyncio.Semaphore(25)
    async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=0)) as session:

        async def connect(i: int) -> None:
            async with sem:
                try:
                    conn = await SioWs.connect(session, urls[i % len(urls)], token)
                    ack = await conn.request("join", {})
                    if not (isinstance(ack, dict) and ack.get("ok")):
                        raise Refused(f"join: {str(ack)[:200]}")
                    conns[i] = conn
                except Exception as exc:
                    errors.append(repr(exc)[:200])

        async def listen(i: int, conn: SioWs) -> None:
            got = frames[i]
            while True:
                msg = await conn.ws.receive()
                t = time.time_ns()
                if msg.type is not aiohttp.WSMsgType.TEXT:
                    return
                s = msg.data
                if s == "2":
                    await conn.ws.send_str("3")
                elif s.startswith('42["event"') and MARK in s:
                    got.append((t, s))

        await asyncio.wait_for(asyncio.gather(*(connect(i) for i in indices)), timeout=max_s)
        tasks = [asyncio.create_task(listen(i, c)) for i, c in conns.items()]
        ready_q.put({"connected": len(conns), "errors": errors[:3]})
        t0, cpu0 = time.monotonic(), cpu_seconds()
        while not done.is_set() and time.monotonic() - t0 < max_s:
            await asyncio.sleep(0.05)
        until = time.monotonic() + drain_s
        while time.monotonic() < until and any(len(frames[i]) < expected.value for i in conns):
            await asyncio.sleep(0.02)
        busy = (cpu_seconds() - cpu0) / (time.monotonic() - t0)
        for t in tasks:
            t.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        await asyncio.gather(*(asyncio.wait_for(c.close(), 3) for c in conns.values()), return_exceptions=True)

    rows = []  # per observer: [(command index, send ns, receive ns, seq)]
    for i in conns:
        mine = []
        for t, s in frames[i]:
            m = MARK_RX.search(s)
            if m:
                mine.append((int(m.group(1)), int(m.group(2)), t, json.loads(s[2:])[1]["seq"]))
        rows.append(mine)
    return {"rows": rows, "errors": errors[:3], "failed": len(errors), "cpu_pct": round(100 * busy)}


# --- the writers ----------------------------------------------------------------------------------


async def write(urls: list[str], tokens: list[str], rate: float, seconds: float) -> dict[str, Any]:
    """round(rate*seconds) commands at a fixed total rate, round-robin over the writer connections
    (writer k on urls[k % len]); returns {index: seq} of the acknowledged ones and the first send time."""
    total = max(1, round(rate * seconds))
    acked: dict[int, int] = {}
    refused: dict[str, int] = {}
    sent_ns: dict[int, int] = {}
    ack_ms: dict[int, float] = {}
    async with aiohttp.ClientSession() as session:
        conns = [await SioWs.connect(session, urls[k % len(urls)], t) for k, t in enumerate(tokens)]
        try:
            for c in conns:
                await c.request("join", {})
            pending: list[dict[int, int]] = [{} for _ in conns]  # ack id -> command index

            async def pump(k: int) -> None:
                ws = conns[k].ws
                while True:
                    msg = await ws.receive()
                    if msg.type is not aiohttp.WSMsgType.TEXT:
                        return
                    if msg.data == "2":
                        await ws.send_str("3")
                        continue
                    ack = parse_ack(msg.data)
                    if ack is None or ack[0] not in pending[k]:
                        continue
                    index = pending[k].pop(ack[0])
                    ack_ms[index] = (time.time_ns() - sent_ns[index]) / 1e6
                    if isinstance(ack[1], dict) and ack[1].get("ok"):
                        acked[index] = ack[1]["seq"]
                    else:
                        code = str((ack[1] or {}).get("error", {}).get("code"))
                        refused[code] = refused.get(code, 0) + 1

            pumps = [asyncio.create_task(pump(k)) for k in range(len(conns))]
            await asyncio.sleep(0.5)  # let the join-time view pushes go out first
            start = time.monotonic() + 0.05
            first_ns = time.time_ns()

            async def send(k: int) -> None:
                for i in range(k, total, len(conns)):
                    delay = start + i / rate - time.monotonic()
                    if delay > 0:
                        await asyncio.sleep(delay)
                    aid, text = conns[k].frame("command", dict(COMMAND, text=f"{MARK}{i} @NS@"))
                    pending[k][aid] = i
                    sent_ns[i] = time.time_ns()
                    await conns[k].ws.send_str(text.replace("@NS@", str(sent_ns[i])))

            await asyncio.gather(*(send(k) for k in range(len(conns))))
            deadline = time.monotonic() + 20
            while any(pending) and time.monotonic() < deadline:
                await asyncio.sleep(0.02)
            for p in pumps:
                p.cancel()
            await asyncio.gather(*pumps, return_exceptions=True)
        finally:
            await asyncio.gather(*(asyncio.wait_for(c.close(), 3) for c in conns), return_exceptions=True)
    return {"acked": acked, "ack_ms": sorted(ack_ms[i] for i in acked), "refused": refused, "total": total,
            "first_ns": first_ns,
            "unacked": sum(len(p) for p in pending)}


# --- one configuration ----------------------------------------------------------------------------


def pct(values: list[float], q: float) -> float | None:
    if not values:
        return None
    return values[max(0, min(len(values) - 1, math.ceil(q / 100 * len(values)) - 1))]


def measure(name: str, n_proc: int, use_redis: bool, args: argparse.Namespace, workdir: Path, admin: str,
            redis_url: str | None) -> dict[str, Any]:
    started = [start_edlib(workdir, admin, f"{name}-{k}", redis_url if use_redis else None, f"bench-{name}:")
               for k in range(n_proc)]
    procs, urls = [p for p, _ in started], [u for _, u in started]
    ctx = mp.get_context("spawn")
    workers: list[Any] = []
    try:
        wait_healthy(procs)
        created = create_meeting(urls[0], admin)
        people = created["participants"]
        asyncio.run(open_item(urls[-1], people[0]["token"]))
        observer = created["observer_url"].rsplit("#token=", 1)[1]
        writer_tokens = [p["token"] for p in people if p["role"] == "councillor"][: args.writers]

        ready_q, result_q, done, expected = ctx.Queue(), ctx.Queue(), ctx.Event(), ctx.Value("i", 0)
        shares = [list(range(w, args.observers, args.workers)) for w in range(args.workers)]
        max_s = 60.0 + 3 * args.seconds
        workers = [ctx.Process(target=observe, daemon=True, args=(w, urls, observer, shares[w], ready_q, result_q,
                                                                  done, expected, args.drain, max_s))
                   for w in range(args.workers) if shares[w]]
        for w in workers:
            w.start()
        readies = [ready_q.get(timeout=max_s + 10) for _ in workers]
        connected = sum(r["connected"] for r in readies)
        cpu0 = [cpu_s(p) for p in procs]
        t0 = time.monotonic()
        wrote = asyncio.run(write(urls, writer_tokens, args.rate, args.seconds))
        expected.value = len(wrote["acked"])
        done.set()
        results = [result_q.get(timeout=max_s + args.drain + 10) for _ in workers]
        wall = time.monotonic() - t0
        cpu = [cpu_s(p) - c for p, c in zip(procs, cpu0, strict=True)]
        for p in procs:
            if p.proc.poll() is not None:
                raise RuntimeError(f"{p.name} died:\n{p.tail()}")
    finally:
        for w in workers:
            w.join(5)
            if w.is_alive():
                w.terminate()
                w.join(5)
        for p in procs:
            p.stop()
    return summarize(name, n_proc, use_redis, connected, readies, wrote, results, cpu, wall, args)


def summarize(name: str, n_proc: int, use_redis: bool, connected: int, readies: list[dict[str, Any]],
              wrote: dict[str, Any], results: list[dict[str, Any]], cpu: list[float], wall: float,
              args: argparse.Namespace) -> dict[str, Any]:
    acked: dict[int, int] = wrote["acked"]
    warm = int(args.rate * args.warmup)
    lat: list[float] = []
    received = dupes = wrong_seq = unacked_seen = 0
    last_ns = wrote["first_ns"]
    for r in results:
        for rows in r.get("rows", []):
            seen: set[int] = set()
            for index, sent_ns, recv_ns, seq in rows:
                if index not in acked:  # its acknowledgement never came back in time: not counted
                    unacked_seen += 1
                    continue
                if index in seen:
                    dupes += 1
                    continue
                seen.add(index)
                received += 1
                wrong_seq += acked.get(index) != seq
                last_ns = max(last_ns, recv_ns)
                if index >= warm:
                    lat.append((recv_ns - sent_ns) / 1e6)
    lat.sort()
    expected = len(acked) * connected
    span = (last_ns - wrote["first_ns"]) / 1e9
    return {
        "config": name, "processes": n_proc, "redis": use_redis, "observers": args.observers, "connected": connected,
        "connect_errors": [e for r in readies for e in r.get("errors", [])][:3],
        "commands": wrote["total"], "ok": len(acked), "refused": wrote["refused"], "unacked": wrote["unacked"],
        "expected": expected, "received": received, "lost": expected - received, "duplicates": dupes,
        "wrong_seq": wrong_seq, "unacked_delivered": unacked_seen,
        "deliveries_per_s": received / span if span > 0 else 0.0,
        "p50_ms": pct(lat, 50), "p99_ms": pct(lat, 99), "max_ms": lat[-1] if lat else None,
        "ack_p50_ms": pct(wrote["ack_ms"], 50), "ack_p99_ms": pct(wrote["ack_ms"], 99),
        "server_cpu_pct": [round(100 * c / wall) for c in cpu],
        "client_cpu_pct": [r.get("cpu_pct") for r in results],
        "worker_errors": [r["error"] for r in results if "error" in r],
    }


# --- report ---------------------------------------------------------------------------------------


def fmt(x: float | None, nd: int = 1) -> str:
    return "-" if x is None else f"{x:.{nd}f}"


def report(rows: list[dict[str, Any]]) -> str:
    base = next((r for r in rows if r["config"] == "sqlite-1"), rows[0] if rows else None)
    head = ("| configuration | processes | delivered / expected | dupes | deliveries/s | p50 ms | p99 ms | max ms "
            "| ack p50 / p99 ms "
            "| server CPU % (each process) | client CPU % | deliveries/s vs baseline | p99 vs baseline |")
    lines = [head, "|" + "|".join("---" for _ in head.split("|")[1:-1]) + "|"]
    for r in rows:
        d_ratio = r["deliveries_per_s"] / base["deliveries_per_s"] if base and base["deliveries_per_s"] else None
        p_ratio = r["p99_ms"] / base["p99_ms"] if base and base["p99_ms"] and r["p99_ms"] else None
        label = "1 process, SQLite (baseline)" if r["config"] == "sqlite-1" else \
            f"{r['processes']} process{'es' if r['processes'] > 1 else ''}, Redis"
        lines.append(f"| {label} | {r['processes']} | {r['received']} / {r['expected']} | {r['duplicates']} "
                     f"| {r['deliveries_per_s']:.0f} | {fmt(r['p50_ms'])} | {fmt(r['p99_ms'])} | {fmt(r['max_ms'])} "
                     f"| {fmt(r['ack_p50_ms'])} / {fmt(r['ack_p99_ms'])} "
                     f"| {' / '.join(str(c) for c in r['server_cpu_pct'])} "
                     f"| {' / '.join(str(c) for c in r['client_cpu_pct'])} | {fmt(d_ratio, 2)} | {fmt(p_ratio, 2)} |")
    return "\n".join(lines)


def problems(rows: list[dict[str, Any]]) -> list[str]:
    out = []
    for r in rows:
        tag = r["config"]
        if r["connected"] < r["observers"]:
            out.append(f"{tag}: only {r['connected']}/{r['observers']} observers connected {r['connect_errors']}")
        if r["ok"] < r["commands"]:
            out.append(f"{tag}: {r['commands'] - r['ok']} commands not acknowledged ({r['refused']}, "
                       f"{r['unacked']} unanswered)")
        for key in ("lost", "wrong_seq"):
            if r[key]:
                out.append(f"{tag}: {key} = {r[key]}")
        if any((c or 0) >= 85 for c in r["client_cpu_pct"]):
            out.append(f"{tag}: a client process was busy {max(r['client_cpu_pct'])} % of the time: client-bound, "
                       "latencies include client queueing")
        if r["worker_errors"]:
            out.append(f"{tag}: worker errors {r['worker_errors']}")
    return out


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--observers", type=int, default=200, help="listening clients in each configuration (200)")
    p.add_argument("--rate", type=float, default=10.0, help="commands per second, all writers together (10)")
    p.add_argument("--seconds", type=float, default=8.0, help="sending time per configuration (8)")
    p.add_argument("--writers", type=int, default=None, help="writer connections (default: 5 commands/s each, >= 3)")
    p.add_argument("--workers", type=int, default=2, help="client processes holding the observers (2)")
    p.add_argument("--warmup", type=float, default=1.0, help="seconds of commands left out of the percentiles (1)")
    p.add_argument("--drain", type=float, default=15.0, help="max seconds to wait for the last deliveries (15)")
    p.add_argument("--configs", default=",".join(CONFIGS), help=f"which, in order (default {','.join(CONFIGS)})")
    p.add_argument("--json", dest="json_out", help="also write the figures to this JSON file")
    args = p.parse_args()
    configs = [c.strip() for c in args.configs.split(",") if c.strip()]
    args.writers = args.writers or max(3, math.ceil(args.rate / 5))
    if not set(configs) <= set(CONFIGS) or args.observers < 1 or args.rate <= 0 or args.seconds <= 0:
        p.error(f"--configs among {','.join(CONFIGS)}; --observers, --rate, --seconds > 0")
    if not 1 <= args.writers <= COUNCILLORS or args.rate / args.writers > PER_CONNECTION_RATE:
        p.error(f"need 1..{COUNCILLORS} writers and at most {PER_CONNECTION_RATE:g} commands/s each")

    print(machine())
    print(f"run: {args.observers} observers, {args.rate:g} commands/s for {args.seconds:g} s from {args.writers} "
          f"writers, {args.workers} client processes; configurations {', '.join(configs)}", flush=True)
    try:
        import uvloop

        uvloop.install()
    except ImportError:
        pass
    workdir = Path(tempfile.mkdtemp(prefix="edlib-scaleout-"))
    admin = "bench-" + os.urandom(12).hex()
    redis: Server | None = None
    rows: list[dict[str, Any]] = []
    started = time.monotonic()
    try:
        redis_url = None
        if any(CONFIGS[c][1] for c in configs):
            redis, redis_url = start_redis(workdir)
        for name in configs:
            n_proc, use_redis = CONFIGS[name]
            t = time.monotonic()
            row = measure(name, n_proc, use_redis, args, workdir, admin, redis_url)
            rows.append(row)
            print(f"  {name:<9} {row['received']}/{row['expected']} delivered, {row['deliveries_per_s']:.0f}/s, "
                  f"p99 {fmt(row['p99_ms'])} ms ({time.monotonic() - t:.0f} s)", flush=True)
    finally:
        if redis is not None:
            redis.stop()
        shutil.rmtree(workdir, ignore_errors=True)

    print("\ndeliveries/s = events received by all observers / (last receive - first send); latency = receive -")
    print("send on one clock (it includes the durable write); ack = the writer's command round trip; server CPU =")
    print("each edlib process's busy share of one core over the window; client CPU = each observer process's busy")
    print("share while listening.\n")
    print(report(rows))
    issues = problems(rows)
    print("\n" + ("\n".join("NOTE " + i for i in issues) if issues else
                  "complete: every observer received every acknowledged event, each with its seq"))
    print(f"total time {time.monotonic() - started:.0f} s")
    if args.json_out:
        Path(args.json_out).write_text(json.dumps({"machine": machine(), "args": vars(args), "rows": rows}, indent=2))
    return 1 if any(r["lost"] or r["connected"] < r["observers"] for r in rows) else 0


if __name__ == "__main__":
    sys.exit(main())
