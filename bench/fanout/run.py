"""Fan-out benchmark: edlib against a bare python-socketio broadcast server, side by side, in one run.

    .venv/bin/python bench/fanout/run.py [--clients 50,500] [--rate 20] [--seconds 10]

For each server and each N: N listening clients in --workers separate processes (Engine.IO/Socket.IO
framing spoken directly over aiohttp websockets, see wire.py), and --writers councillor connections
that send `argument.add` at a fixed total --rate for --seconds, each command's text carrying its send
time. Fan-out latency = a listener's receive time - the writer's send time (time.time_ns, same machine).

edlib runs as a real `edlib serve` subprocess on an SQLite file in a temporary directory; its
listeners share the public-gallery observer token of a public meeting (observers of a public meeting
receive events in full, edlib/privacy.py). The baseline is bare_server.py. Everything is on 127.0.0.1;
both servers are killed at the end whatever happens.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import multiprocessing as mp
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections import Counter
from pathlib import Path
from typing import Any

import aiohttp
import load
from procs import Server, free_port
from wire import SioWs

HERE = Path(__file__).resolve().parent
RATE_LIMIT_PER_WRITER = 10.0  # server/config.py: rate_per_s (burst 30) per connection
COUNCILLORS = 20
MAX_PARTICIPANTS = 500  # edlib/meeting.py MeetingSpec.participants
COMMAND = {"type": "argument.add", "item_id": "i1", "stance": "pro", "category": "problem"}


# --- machine --------------------------------------------------------------------------------------


def machine() -> dict[str, Any]:
    model, mem = platform.processor() or "?", "?"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                mem = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
                break
    except OSError:
        pass
    try:
        root = HERE.parent.parent
        head = subprocess.run(["git", "-C", str(root), "rev-parse", "--short", "HEAD"], capture_output=True,
                              text=True, timeout=10).stdout.strip()
        dirty = subprocess.run(["git", "-C", str(root), "status", "--porcelain", "--", "server", "edlib"],
                               capture_output=True, text=True, timeout=10).stdout.split("\n")
        code = f"{head}" + (f" + {sum(1 for x in dirty if x.strip())} uncommitted changes in server/ edlib/"
                            if any(x.strip() for x in dirty) else "")
    except (OSError, subprocess.SubprocessError):
        code = "?"
    return {"code": code, "platform": platform.platform(), "python": platform.python_version(), "cpus": os.cpu_count(),
            "cpu_model": model, "memory": mem, "loadavg": os.getloadavg() if hasattr(os, "getloadavg") else None,
            "date": time.strftime("%Y-%m-%d %H:%M:%S %Z")}


# --- servers --------------------------------------------------------------------------------------


def machine_busy() -> tuple[int, int] | None:
    """(busy, total) jiffies over all CPUs, from /proc/stat."""
    try:
        v = [int(x) for x in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
        return sum(v) - v[3] - v[4], sum(v)
    except (OSError, IndexError, ValueError):
        return None


def profiled(profile: str | None, name: str) -> list[str]:
    """`python -m cProfile -o DIR/NAME.prof`: the stats are written when the server exits on SIGTERM
    (aiohttp's graceful exit)."""
    if not profile:
        return [sys.executable]
    Path(profile).mkdir(parents=True, exist_ok=True)
    return [sys.executable, "-m", "cProfile", "-o", str(Path(profile).resolve() / f"{name}.prof")]


def start_edlib(workdir: Path, admin: str, profile: str | None = None) -> Server:
    exe = Path(sys.executable).with_name("edlib")
    cmd = [str(exe)] if exe.exists() and not profile else [*profiled(profile, "edlib"), "-m", "edlib_server.cli"]
    port = free_port()
    cmd += ["serve", "--db", str(workdir / "edlib.db"), "--host", "127.0.0.1", "--port", str(port),
            "--admin-token", admin, "--log-format", "text"]
    return Server("edlib", cmd, workdir, port)


def start_bare(workdir: Path, profile: str | None = None) -> Server:
    port = free_port()
    return Server("bare", [*profiled(profile, "bare"), str(HERE / "bare_server.py"), "--port", str(port)], workdir,
                  port)


# --- edlib meeting --------------------------------------------------------------------------------


def create_meeting(base: str, admin: str, visibility: str = "public", observers: int = 0) -> dict[str, Any]:
    half = COUNCILLORS // 2
    body = {
        "title": "Fan-out benchmark", "council": "Bench", "kind": "committee", "visibility": visibility,
        "groups": [{"id": "maj", "name": "Majority", "side": "majority", "seats": half},
                   {"id": "opp", "name": "Opposition", "side": "opposition", "seats": COUNCILLORS - half}],
        "items": [{"title": "Fan-out", "draft_decision": "The council measures its fan-out.", "documents": []}],
        "participants": [{"name": "Facilitator", "role": "facilitator"}]
        + [{"name": f"Councillor {i + 1}", "role": "councillor", "group": "maj" if i < half else "opp"}
           for i in range(COUNCILLORS)]
        + [{"name": "Secretary", "role": "secretary"}]
        + [{"name": f"Observer {i + 1}", "role": "observer"} for i in range(observers)],
    }
    req = urllib.request.Request(base + "/api/meetings", data=json.dumps(body).encode(), method="POST",
                                 headers={"Authorization": f"Bearer {admin}", "Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=15) as r:
        created: dict[str, Any] = json.loads(r.read())
        return created


async def open_item(base: str, facilitator: str) -> None:
    async with aiohttp.ClientSession() as session:
        sio = await SioWs.connect(session, base, facilitator)
        try:
            for data in ({}, {"type": "meeting.start"}, {"type": "item.open", "item_id": "i1"}):
                ack = await sio.request("join" if not data else "command", data)
                if not (isinstance(ack, dict) and ack.get("ok")):
                    raise RuntimeError(f"setup step {data or 'join'} refused: {str(ack)[:300]}")
        finally:
            await sio.close()


def edlib_meeting(server: Server, admin: str, writers: int, visibility: str = "public",
                  n: int = 0) -> tuple[str | list[str], list[str]]:
    """A fresh meeting with item i1 open: (listener token(s), writer tokens).

    public: the one public-gallery observer token for every listener (they receive events in full);
    closed: n observer participants, one token each (they receive withheld events and no views)."""
    created = create_meeting(server.base, admin, visibility, n if visibility == "closed" else 0)
    people = created["participants"]
    asyncio.run(open_item(server.base, people[0]["token"]))
    writer_tokens = [p["token"] for p in people if p["role"] == "councillor"][:writers]
    if visibility == "closed":
        return [p["token"] for p in people if p["role"] == "observer"], writer_tokens
    return created["observer_url"].rsplit("#token=", 1)[1], writer_tokens


# --- one measurement ------------------------------------------------------------------------------


def pct(sorted_values: list[float], q: float) -> float | None:
    """Nearest-rank percentile of an ascending list."""
    if not sorted_values:
        return None
    k = max(0, min(len(sorted_values) - 1, math.ceil(q / 100 * len(sorted_values)) - 1))
    return sorted_values[k]


def phase(server: Server, listen_token: str | list[str], writer_tokens: list[str], n: int,
          args: argparse.Namespace) -> dict[str, Any]:
    ctx = mp.get_context("spawn")
    ready_q, result_q = ctx.Queue(), ctx.Queue()
    done, expected = ctx.Event(), ctx.Value("i", 0)
    start_ns, end_ns = ctx.Value("q", 0), ctx.Value("q", 0)
    workers = max(1, min(args.workers, n))
    shares = [n // workers + (1 if w < n % workers else 0) for w in range(workers)]
    drain_s = args.drain
    max_s = 60.0 + args.seconds * 3 + args.ack_timeout
    offsets = [sum(shares[:w]) for w in range(workers)]
    tokens = [listen_token if isinstance(listen_token, str) else listen_token[offsets[w]:offsets[w] + shares[w]]
              for w in range(workers)]
    procs = [ctx.Process(target=load.listener_main, daemon=True,
                         args=(w, server.base, tokens[w], shares[w], ready_q, result_q, done, expected,
                               start_ns, end_ns, drain_s, max_s))
             for w in range(workers)]
    results: list[dict[str, Any]] = []
    try:
        for p in procs:
            p.start()
        readies = [ready_q.get(timeout=max_s + 10) for _ in procs]
        connected = sum(r["connected"] for r in readies)
        connect_errors = [e for r in readies for e in r.get("errors", [])]
        mark: dict[str, Any] = {}

        def on_start() -> None:
            mark["cpu"], mark["t"] = server.cpu_s(), time.monotonic()
            mark["wait"], mark["busy"] = server.runqueue_wait_s(), machine_busy()

        wrote = asyncio.run(load.write(server.base, writer_tokens, COMMAND, args.rate, args.seconds, on_start,
                                       ack_timeout=args.ack_timeout))
        cpu0, t0 = mark["cpu"], mark["t"]
        ok = [s for s in wrote["sent"] if s.ok]
        expected.value = len(ok)
        start_ns.value = wrote["started_ns"]
        end_ns.value = max((s.ack_ns for s in ok), default=time.time_ns())
        done.set()
        results = [result_q.get(timeout=max_s + drain_s + 10) for _ in procs]
        cpu1, t1 = server.cpu_s(), time.monotonic()
        wait1, busy1 = server.runqueue_wait_s(), machine_busy()
    finally:
        done.set()
        for p in procs:
            p.join(5)
            if p.is_alive():
                p.terminate()
                p.join(5)
    row = summarize(server, n, connected, connect_errors, wrote, results,
                    (cpu1 - cpu0) if cpu0 is not None and cpu1 is not None else None, t1 - t0, args)
    busy0, wait0 = mark["busy"], mark["wait"]
    row["machine_busy_pct"] = (100 * (busy1[0] - busy0[0]) / max(1, busy1[1] - busy0[1])
                               if busy0 and busy1 else None)
    row["server_runqueue_wait_pct"] = (100 * (wait1 - wait0) / (t1 - t0)
                                       if wait0 is not None and wait1 is not None else None)
    return row


def summarize(server: Server, n: int, connected: int, connect_errors: list[str], wrote: dict[str, Any],
              results: list[dict[str, Any]],
              server_cpu: float | None, wall: float, args: argparse.Namespace) -> dict[str, Any]:
    sent = wrote["sent"]
    ok = {s.index for s in sent if s.ok}
    by_seq = {s.seq: s for s in sent if s.ok and isinstance(s.seq, int)}
    mismatched = 0
    codes = Counter(s.code for s in sent if not s.ok and s.ack_ns)
    warm = int(args.rate * args.warmup)
    lat: list[float] = []
    by_command: dict[int, list[float]] = {}
    received = dupes = unexpected = disorder = gaps = views = kicked = 0
    v_before: Counter[str] = Counter()
    v_during: Counter[str] = Counter()
    v_after: Counter[str] = Counter()
    clients = 0
    bytes_in = 0
    errors = [r["error"] for r in results if "error" in r]
    for r in results:
        for c in r.get("clients", []):
            clients += 1
            views += sum(c["views_during"].values())
            v_before.update(c["views_before"])
            v_during.update(c["views_during"])
            v_after.update(c["views_after"])
            bytes_in += c["bytes"]
            kicked += c["kicked"]
            seen: set[int] = set()
            last_seq = None
            for seq, recv_ns, marked in c["rows"]:
                cmd = by_seq.get(seq)
                if cmd is None:
                    unexpected += 1
                    continue
                if marked >= 0 and marked != cmd.index:
                    mismatched += 1
                idx, us = cmd.index, (recv_ns - cmd.send_ns) / 1000
                if idx in seen:
                    dupes += 1
                    continue
                seen.add(idx)
                received += 1
                if last_seq is not None:
                    if seq <= last_seq:
                        disorder += 1
                    elif seq != last_seq + 1:
                        gaps += 1
                last_seq = seq
                by_command.setdefault(idx, []).append(us / 1000)
                if idx >= warm:
                    lat.append(us / 1000)
    lat.sort()
    first_ns = min((s.send_ns for s in sent), default=0)
    send_at = {s.index: (s.send_ns - first_ns) / 1e9 for s in sent}
    medians = sorted(((sorted(v)[len(v) // 2], i) for i, v in by_command.items()), reverse=True)
    worst = [{"command": i, "sent_at_s": round(send_at.get(i, 0), 2), "median_ms": round(m, 1)} for m, i in medians[:3]]
    acks = sorted((s.ack_ns - s.send_ns) / 1e6 for s in sent if s.ok and s.ack_ns and s.index >= warm)
    acked = [s for s in sent if s.ok and s.ack_ns]
    span = (max(s.ack_ns for s in acked) - min(s.send_ns for s in sent)) / 1e9 if acked else None
    expected = len(ok) * connected
    cpu_w = [r["cpu_s"] / r["wall_s"] for r in results if r.get("wall_s")]
    return {
        "server": server.name, "clients": n, "connected": connected, "connect_errors": connect_errors[:5],
        "commands": len(sent), "ok": len(ok), "refused": dict(codes), "unacked": wrote["unacked"],
        "expected": expected, "received": received, "lost": expected - received, "duplicates": dupes,
        "unexpected": unexpected, "mismatched": mismatched, "out_of_order": disorder, "seq_gaps": gaps,
        "kicked": kicked, "drain_s": args.drain,
        "p50_ms": pct(lat, 50), "p99_ms": pct(lat, 99), "max_ms": lat[-1] if lat else None, "samples": len(lat),
        "worst_commands": worst,
        "ack_p50_ms": pct(acks, 50), "ack_p99_ms": pct(acks, 99),
        "throughput": len(acked) / span if span else None, "offered": args.rate,
        "loadavg": os.getloadavg()[0],
        "views_per_command": views / clients / len(ok) if clients and ok else 0.0,
        "views_by_name_per_command": {k: round(v / clients / len(ok), 2) for k, v in sorted(v_during.items())}
        if clients and ok else {},
        "views_before_per_listener": {k: round(v / clients, 1) for k, v in sorted(v_before.items())} if clients else {},
        "views_after_per_listener": {k: round(v / clients, 1) for k, v in sorted(v_after.items())} if clients else {},
        "kb_per_client": bytes_in / clients / 1024 if clients else 0.0,
        "send_wall_s": wrote["send_wall_s"], "schedule_s": (len(sent) - 1) / args.rate, "window_s": wall,
        "server_cpu_s": server_cpu,
        "server_cpu_ms_per_command": server_cpu / len(ok) * 1000 if server_cpu and ok else None,
        "capacity": len(ok) / server_cpu if server_cpu and ok else None,
        "server_cpu_pct": 100 * server_cpu / wall if server_cpu is not None and wall else None,
        "server_rss_mb": server.rss_mb(),
        "client_cpu_pct": [round(100 * x) for x in cpu_w], "worker_errors": errors,
    }


# --- report ---------------------------------------------------------------------------------------


def fmt(x: float | None, nd: int = 1) -> str:
    return "-" if x is None else f"{x:.{nd}f}"


def table(rows: list[dict[str, Any]], args: argparse.Namespace) -> str:
    head = ("|    N | server | delivered / expected | lost | p50 ms | p99 ms | max ms | ack p50 | ack p99 "
            "| cmd/s done | views/cmd | server CPU | CPU ms/cmd | cmd/s per core | client CPU | server waits "
            "| all CPUs |")
    lines = [head, "|" + "|".join("-" * (len(c)) for c in head.split("|")[1:-1]) + "|"]
    for r in rows:
        lines.append(
            f"| {r['clients']:>4} | {r['server']:<6} | {r['received']:>9} / {r['expected']:<9}"
            f" | {r['lost']:>4} | {fmt(r['p50_ms']):>6} | {fmt(r['p99_ms']):>6} | {fmt(r['max_ms']):>6}"
            f" | {fmt(r['ack_p50_ms']):>7} | {fmt(r['ack_p99_ms']):>7} | {fmt(r['throughput']):>10}"
            f" | {r['views_per_command']:>9.2f}"
            f" | {fmt(r['server_cpu_pct'], 0) + ' %':>10} | {fmt(r['server_cpu_ms_per_command'], 2):>10}"
            f" | {fmt(r['capacity'], 0):>14} | {'/'.join(str(x) for x in r['client_cpu_pct']) + ' %':>10}"
            f" | {fmt(r['server_runqueue_wait_pct'], 0) + ' %':>12}"
            f" | {fmt(r['machine_busy_pct'], 0) + ' %':>8} |")
    return "\n".join(lines)


def ratios(rows: list[dict[str, Any]]) -> list[str]:
    out = []
    for n in sorted({r["clients"] for r in rows}):
        by = {r["server"]: r for r in rows if r["clients"] == n}
        e, b = by.get("edlib"), by.get("bare")
        if not e or not b:
            continue
        parts = []
        for key, label in (("p50_ms", "p50"), ("p99_ms", "p99"), ("server_cpu_ms_per_command", "CPU/cmd")):
            if e[key] and b[key]:
                parts.append(f"{label} {e[key] / b[key]:.1f}x")
        out.append(f"N={n}: edlib/bare " + ", ".join(parts))
    return out


def problems(rows: list[dict[str, Any]]) -> list[str]:
    out = []
    for r in rows:
        tag = f"{r['server']} N={r['clients']}"
        if r["connected"] < r["clients"]:
            out.append(f"{tag}: only {r['connected']}/{r['clients']} listeners connected {r['connect_errors']}")
        if r["ok"] < r["commands"]:
            out.append(f"{tag}: {r['commands'] - r['ok']} of {r['commands']} commands not ok "
                       f"(refused {r['refused']}, unacked {r['unacked']})")
        for key in ("lost", "duplicates", "unexpected", "mismatched", "out_of_order", "seq_gaps"):
            if r[key]:
                out.append(f"{tag}: {key} = {r[key]}")
        if r["lost"] and not r["kicked"]:
            out.append(f"{tag}: {r['lost']} deliveries did not arrive within --drain {r['drain_s']:g} s "
                       "of the last ack")
        if r["kicked"]:
            out.append(f"{tag}: the server closed {r['kicked']} listener connections during the run (e.g. a ping "
                       "answered too late because the ping waited behind a long send queue); a real client would "
                       "reconnect and catch up with join {since}, these do not, so their missing events count as lost")
        if r["throughput"] and r["throughput"] < 0.9 * r["offered"]:
            out.append(f"{tag}: overloaded: completed {r['throughput']:.1f} of {r['offered']:g} commands/s offered; "
                       "latencies measure the growing backlog, not the fan-out itself")
        if r["send_wall_s"] > r["schedule_s"] * 1.2 + 0.5:
            out.append(f"{tag}: the writers fell behind schedule ({r['send_wall_s']:.1f} s to send)")
        if any(x >= 85 for x in r["client_cpu_pct"]):
            out.append(f"{tag}: a listener worker used {max(r['client_cpu_pct'])} % CPU: client-bound, "
                       "latencies include client queueing")
        if r["worker_errors"]:
            out.append(f"{tag}: worker errors {r['worker_errors']}")
    return out


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--clients", default="50,500", help="listening clients per run, comma-separated (default 50,500)")
    p.add_argument("--rate", type=float, default=20.0, help="commands per second, all writers together (default 20)")
    p.add_argument("--seconds", type=float, default=10.0, help="sending time per run (default 10)")
    p.add_argument("--writers", type=int, default=None,
                   help="writer connections (default: enough for <= 5 commands/s each, at least 2)")
    p.add_argument("--workers", type=int, default=2, help="listener processes (default 2)")
    p.add_argument("--warmup", type=float, default=1.0,
                   help="seconds of commands left out of the latency percentiles (still checked for delivery)")
    p.add_argument("--drain", type=float, default=15.0, help="max seconds to wait for the last deliveries")
    p.add_argument("--visibility", choices=["public", "closed"], default="public",
                   help="edlib's meeting: public (default; listeners share the observer token and get events and "
                        "views in full) or closed (one observer participant per listener, max "
                        f"{MAX_PARTICIPANTS - COUNCILLORS - 2}; they get withheld events and no views)")
    p.add_argument("--servers", default="bare,edlib", help="which servers, in this order (default bare,edlib)")
    p.add_argument("--json", dest="json_out", help="also write the figures to this JSON file")
    p.add_argument("--profile", metavar="DIR",
                   help="run the servers under cProfile, write DIR/edlib.prof and DIR/bare.prof and print their "
                        "top functions (slows the servers down: for attribution, not for figures)")
    p.add_argument("--ack-timeout", type=float, default=60.0,
                   help="max seconds to wait for the last acks after sending (an overloaded server drains its "
                        "backlog meanwhile; default 60)")
    p.add_argument("--tmp", metavar="DIR", help="where the temporary directory (SQLite file, logs) goes "
                   "(default: the system's; /dev/shm takes the disk's fsync out of the figures)")
    p.add_argument("--keep", action="store_true", help="keep the temporary directory (server logs, SQLite file)")
    args = p.parse_args()

    sizes = [int(x) for x in args.clients.split(",") if x.strip()]
    servers = [s.strip() for s in args.servers.split(",") if s.strip()]
    writers = args.writers or max(2, math.ceil(args.rate / 5))
    if not sizes or min(sizes) < 1 or args.rate <= 0 or args.seconds <= 0 or not set(servers) <= {"edlib", "bare"}:
        p.error("need --clients >= 1, --rate > 0, --seconds > 0, --servers among edlib,bare")
    if not 1 <= writers <= COUNCILLORS:
        p.error(f"--writers must be 1..{COUNCILLORS}")
    if args.rate / writers > RATE_LIMIT_PER_WRITER:
        p.error(f"{args.rate / writers:.1f} commands/s per writer exceeds edlib's {RATE_LIMIT_PER_WRITER:g}/s per "
                f"connection: use --writers {math.ceil(args.rate / 5)}")
    args.writers = writers
    if args.visibility == "closed" and "edlib" in servers and max(sizes) > MAX_PARTICIPANTS - COUNCILLORS - 2:
        p.error(f"--visibility closed takes at most {MAX_PARTICIPANTS - COUNCILLORS - 2} clients "
                "(one participant each)")

    m = machine()
    print(f"machine: {m['platform']}, Python {m['python']}, {m['cpus']} CPUs ({m['cpu_model']}), {m['memory']}, "
          f"load average {' '.join(f'{x:.2f}' for x in m['loadavg'] or ())}")
    print(f"date: {m['date']}; code: {m['code']}")
    print(f"run: clients {sizes}, {args.rate:g} commands/s for {args.seconds:g} s from {writers} writers, "
          f"{args.workers} listener processes, latency over commands after the first {args.warmup:g} s", flush=True)

    load.use_uvloop()
    workdir = Path(tempfile.mkdtemp(prefix="edlib-fanout-", dir=args.tmp))
    admin = "bench-" + os.urandom(12).hex()
    running: dict[str, Server] = {}
    rows: list[dict[str, Any]] = []
    started = time.monotonic()
    try:
        for name in servers:
            running[name] = (start_edlib(workdir, admin, args.profile) if name == "edlib"
                             else start_bare(workdir, args.profile))
        for s in running.values():
            s.wait_ready()
        for n in sizes:
            for name in servers:
                server = running[name]
                listen: str | list[str] = "listener"
                wtokens = [f"writer-{k}" for k in range(writers)]
                if name == "edlib":
                    listen, wtokens = edlib_meeting(server, admin, writers, args.visibility, n)
                t = time.monotonic()
                row = phase(server, listen, wtokens, n, args)
                if not server.alive():
                    raise RuntimeError(f"{name} died during the run:\n{server.tail()}")
                rows.append(row)
                print(f"  {name:<5} N={n:<4} {row['received']}/{row['expected']} delivered, "
                      f"p50 {fmt(row['p50_ms'])} ms, p99 {fmt(row['p99_ms'])} ms "
                      f"({time.monotonic() - t:.0f} s)", flush=True)
    finally:
        for s in running.values():
            s.stop()
        if args.keep:
            print(f"kept {workdir}")
        else:
            shutil.rmtree(workdir, ignore_errors=True)

    print()
    print("fan-out latency = listener receive time - writer send time; ack = the writer's command round trip;")
    print("views/cmd = view pushes each listener got per command; server CPU = busy share of one core over the")
    print("sending + draining window; cmd/s per core = 1000 / CPU ms per command; server waits = share of the window")
    print("the server was runnable but waiting for a CPU; client CPU = each listener process's busy share; all")
    print("CPUs = busy share of the whole machine (other processes included).")
    print()
    print(table(rows, args))
    print()
    for line in ratios(rows):
        print(line)
    for r in rows:
        if r["views_by_name_per_command"]:
            print(f"{r['server']} N={r['clients']}: view pushes per command and listener "
                  + ", ".join(f"{k} {v:.2f}" for k, v in r["views_by_name_per_command"].items())
                  + f"; before the first command (caused by the joins) {r['views_before_per_listener']}, after "
                  f"the last ack {r['views_after_per_listener']}; {r['kb_per_client']:.0f} KiB received per listener")
    for r in rows:
        print(f"{r['server']} N={r['clients']}: slowest commands (median over listeners): "
              + ", ".join(f"#{w['command']} sent at {w['sent_at_s']:.2f} s: {w['median_ms']:.0f} ms"
                          for w in r["worst_commands"]))
    issues = problems(rows)
    print("\n" + ("\n".join("NOTE " + i for i in issues) if issues
                  else "complete: every listener received every event, in order, without gaps"))
    for name in servers if args.profile else ():
        prof = Path(args.profile) / f"{name}.prof"
        if prof.exists():
            import pstats

            print(f"\n{name} profile ({prof}), top functions by own time:")
            pstats.Stats(str(prof), stream=sys.stdout).sort_stats("tottime").print_stats(20)
    print(f"\ntotal time {time.monotonic() - started:.0f} s")
    if args.json_out:
        Path(args.json_out).write_text(json.dumps({"machine": m, "args": vars(args), "rows": rows}, indent=2))
    return 1 if any(r["lost"] or r["connected"] < r["clients"] for r in rows) else 0


if __name__ == "__main__":
    sys.exit(main())
