"""What the SQLite adapter promises beyond the contract: its file settings, its
failures, and that it never blocks the event loop."""

from __future__ import annotations

import asyncio
import sqlite3
import time
from pathlib import Path

import pytest

from edlib_server.store.base import StoredEvent, StoreUnavailable
from edlib_server.store.sqlite import SQLiteStore


def ev(seq: int) -> StoredEvent:
    return StoredEvent(seq, "tick", 1.0 + seq, None, {"n": seq})


async def test_file_is_wal_and_commits_are_fsynced(tmp_path: Path) -> None:
    path = tmp_path / "events.sqlite3"
    store = await SQLiteStore.open(path)
    try:
        await store.append("m", 0, [ev(1)])
        # synchronous is a per-connection setting: ask the store's own connection, on its own thread
        synchronous = await store._run(lambda: store._connection().execute("PRAGMA synchronous").fetchone()[0])
        assert synchronous == 2  # FULL
    finally:
        await store.close()
    probe = sqlite3.connect(path)
    try:
        assert probe.execute("PRAGMA journal_mode").fetchone()[0] == "wal"  # persistent, a property of the file
    finally:
        probe.close()


async def test_unopenable_path_is_unavailable(tmp_path: Path) -> None:
    path = tmp_path / "no-such-dir" / "events.sqlite3"
    with pytest.raises(StoreUnavailable):
        await SQLiteStore.open(path)

    lazy = SQLiteStore(path)  # construction does not touch the file
    try:
        assert await lazy.ping() is False
        with pytest.raises(StoreUnavailable):
            await lazy.append("m", 0, [ev(1)])
        with pytest.raises(StoreUnavailable):
            await lazy.read("m")
        (tmp_path / "no-such-dir").mkdir()
        assert await lazy.ping() is True  # a failed open is retried on the next call
        await lazy.append("m", 0, [ev(1)])
        assert await lazy.read("m") == [ev(1)]
    finally:
        await lazy.close()


async def test_closed_store_is_unavailable(tmp_path: Path) -> None:
    store = await SQLiteStore.open(tmp_path / "events.sqlite3")
    await store.close()
    await store.close()  # idempotent
    with pytest.raises(StoreUnavailable):
        await store.last_seq("m")
    assert await store.ping() is False


async def test_waiting_for_another_writer_does_not_block_the_loop(tmp_path: Path) -> None:
    path = tmp_path / "events.sqlite3"
    store = await SQLiteStore.open(path)
    other = sqlite3.connect(path, isolation_level=None)
    try:
        other.execute("BEGIN IMMEDIATE")  # another process's write lock, as far as the store can tell
        append = asyncio.create_task(store.append("m", 0, [ev(1)]))

        gaps: list[float] = []
        last = time.monotonic()
        for _ in range(30):
            await asyncio.sleep(0.01)
            now = time.monotonic()
            gaps.append(now - last)
            last = now
        assert not append.done(), "the append should be waiting for the lock"
        assert max(gaps) < 0.2, f"the loop stalled for {max(gaps):.3f} s"

        other.execute("COMMIT")
        await asyncio.wait_for(append, timeout=5)
        assert await store.read("m") == [ev(1)]
    finally:
        other.close()
        await store.close()


async def test_lock_held_past_busy_timeout_is_unavailable_and_writes_nothing(tmp_path: Path) -> None:
    path = tmp_path / "events.sqlite3"
    store = await SQLiteStore.open(path, busy_timeout=0.2)
    other = sqlite3.connect(path, isolation_level=None)
    try:
        await store.append("m", 0, [ev(1)])
        other.execute("BEGIN IMMEDIATE")
        started = time.monotonic()
        with pytest.raises(StoreUnavailable, match="locked"):
            await store.append("m", 1, [ev(2)])
        assert time.monotonic() - started < 2
        with pytest.raises(StoreUnavailable):
            await store.put_tokens("m", {"d": "p"})
        assert await store.read("m") == [ev(1)]  # in WAL mode readers do not wait for the writer
        other.execute("ROLLBACK")

        assert await store.read("m") == [ev(1)]  # nothing half-written
        assert await store.find_token("d") is None
        await store.append("m", 1, [ev(2)])  # and the store recovers by itself
        assert await store.last_seq("m") == 2
    finally:
        other.close()
        await store.close()
