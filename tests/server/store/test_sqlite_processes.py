"""SQLiteStore against real processes: writers racing on one file, and kill -9.

kill -9 proves that an acknowledged append was committed to the file (the OS
keeps what was written); it cannot simulate a power loss, which is what
`synchronous=FULL` is for (test_sqlite.py checks that setting).
"""

from __future__ import annotations

import asyncio
import os
import random
import signal
import sys
import time
from pathlib import Path

from edlib_server.store.sqlite import SQLiteStore

WRITER = """
import asyncio, sys
from edlib_server.store.base import AppendConflict, StoredEvent
from edlib_server.store.sqlite import SQLiteStore

async def main(path: str, name: str, count: int) -> None:
    store = await SQLiteStore.open(path)
    print("ready", flush=True)
    sys.stdin.readline()  # start together
    expected, written, conflicts = 0, 0, 0  # never re-read: learn where the log is from conflicts
    while written < count:
        size = min(1 + written % 3, count - written)
        batch = [StoredEvent(expected + i + 1, "tick", 0.0, name, {"n": written + i}) for i in range(size)]
        try:
            await store.append("m", expected, batch)
        except AppendConflict as c:
            conflicts += 1
            expected = c.actual
            continue
        expected += size
        written += size
    await store.close()
    print("done", conflicts, flush=True)

asyncio.run(main(sys.argv[1], sys.argv[2], int(sys.argv[3])))
"""

APPENDER = """
import asyncio, sys, time
from edlib_server.store.base import StoredEvent
from edlib_server.store.sqlite import SQLiteStore

async def main(path: str) -> None:
    store = await SQLiteStore.open(path)
    seq = await store.last_seq("m")
    while True:
        await store.append("m", seq, [StoredEvent(seq + 1, "tick", time.time(), None, {"seq": seq + 1})])
        seq += 1
        print(seq, flush=True)  # only after the append returned: an acknowledgement

asyncio.run(main(sys.argv[1]))
"""


async def _line(proc: asyncio.subprocess.Process, timeout: float = 5.0) -> str:
    assert proc.stdout is not None
    line = await asyncio.wait_for(proc.stdout.readline(), timeout)
    assert line, f"child exited early with {await proc.wait()}"
    return line.decode().strip()


async def _spawn(script: Path, *args: str) -> asyncio.subprocess.Process:
    return await asyncio.create_subprocess_exec(
        sys.executable,
        str(script),
        *args,
        stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE,
    )


async def _kill(proc: asyncio.subprocess.Process) -> None:
    if proc.returncode is None:
        proc.kill()
    await proc.wait()


async def test_two_processes_racing_on_one_file_leave_one_gapless_log(tmp_path: Path) -> None:
    db, script = tmp_path / "events.sqlite3", tmp_path / "writer.py"
    script.write_text(WRITER)
    count = 300
    writers = [await _spawn(script, str(db), name, str(count)) for name in ("a", "b")]
    try:
        for w in writers:
            assert await _line(w, timeout=10) == "ready"
        for w in writers:
            assert w.stdin is not None
            w.stdin.write(b"go\n")
            await w.stdin.drain()
        conflicts = 0
        for w in writers:
            word, n = (await _line(w, timeout=20)).split()
            assert word == "done"
            conflicts += int(n)
            assert await asyncio.wait_for(w.wait(), 5) == 0
    finally:
        for w in writers:
            await _kill(w)

    store = await SQLiteStore.open(db)
    try:
        log = await store.read("m")
    finally:
        await store.close()
    assert [e.seq for e in log] == list(range(1, 2 * count + 1))
    for name in ("a", "b"):
        assert [e.data["n"] for e in log if e.actor == name] == list(range(count))  # each once, in order
    assert conflicts > 0, "the writers never collided, so this test proved nothing"


async def test_every_acknowledged_append_survives_kill_9(tmp_path: Path) -> None:
    db, script = tmp_path / "events.sqlite3", tmp_path / "appender.py"
    script.write_text(APPENDER)
    rng = random.Random(20241204)
    acknowledged: list[int] = []
    started = time.monotonic()
    for _ in range(3):  # kill it at three different points, each run continuing the same file
        child = await _spawn(script, str(db))
        try:
            for _ in range(rng.randint(20, 120)):
                acknowledged.append(int(await _line(child, timeout=10)))
            os.kill(child.pid, signal.SIGKILL)  # mid-append, most likely
            assert child.stdout is not None
            rest = await asyncio.wait_for(child.stdout.read(), 5)  # acknowledged before the kill landed
            acknowledged.extend(int(s) for s in rest.split())
            assert await asyncio.wait_for(child.wait(), 5) == -signal.SIGKILL
        finally:
            await _kill(child)

        store = await SQLiteStore.open(db)
        try:
            log = await store.read("m")
        finally:
            await store.close()
        seqs = [e.seq for e in log]
        assert seqs == list(range(1, len(seqs) + 1))
        assert [e.data["seq"] for e in log] == seqs
        assert set(acknowledged) <= set(seqs), sorted(set(acknowledged) - set(seqs))
    # a killed child may have committed one append it never printed; the next run continues after it
    assert acknowledged == sorted(set(acknowledged)) and len(acknowledged) >= 60
    assert time.monotonic() - started < 10
