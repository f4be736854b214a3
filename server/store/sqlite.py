"""The embedded default store: one SQLite file in WAL mode.

Durability: `synchronous=FULL` makes every COMMIT fsync the write-ahead log, so
an acknowledged append survives `kill -9` and power loss (given a disk that
honours fsync).

Concurrency: compare-and-append runs as `BEGIN IMMEDIATE` (take the write lock),
read the last seq, insert, `COMMIT`. Several processes may share the file; the
write lock orders them and the PRIMARY KEY (meeting_id, seq) is the last line of
defence (a duplicate seq becomes `AppendConflict`). A writer that waits longer
than `busy_timeout` for the lock gets `StoreUnavailable`.

Threads: every sqlite3 call runs on one dedicated worker thread that owns the
connection, so the event loop never blocks on disk. Construction is cheap and
lazy: the file is opened (and the schema created) on the first call, in that
thread. `await SQLiteStore.open(path)` does the same eagerly, for callers that
want a bad path to fail at start-up. A call cancelled by its awaiter still runs
to the end on the worker thread (the append may be committed).
"""

from __future__ import annotations

import asyncio
import secrets
import sqlite3
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from os import PathLike
from typing import TypeVar

from .base import AppendConflict, EventStore, StoredEvent, StoreUnavailable, check_batch, decode, encode

T = TypeVar("T")

BUSY_TIMEOUT_S = 10.0  # how long a call waits for another process's write lock before StoreUnavailable

SCHEMA = """
CREATE TABLE IF NOT EXISTS events (
    meeting_id TEXT NOT NULL,
    seq INTEGER NOT NULL,
    blob BLOB NOT NULL,
    PRIMARY KEY (meeting_id, seq)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS secrets (
    name TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS tokens (
    digest TEXT PRIMARY KEY,
    meeting_id TEXT NOT NULL,
    participant_id TEXT NOT NULL
);
"""


class _Conflict(Exception):
    """Raised on the worker thread; turned into AppendConflict on the loop."""

    def __init__(self, actual: int) -> None:
        self.actual = actual


class SQLiteStore(EventStore):
    def __init__(self, path: str | PathLike[str], *, busy_timeout: float = BUSY_TIMEOUT_S) -> None:
        self._path = path
        self._busy_timeout = busy_timeout
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="edlib-sqlite")
        self._conn: sqlite3.Connection | None = None  # only touched on the worker thread
        self._closed = False

    @classmethod
    async def open(cls, path: str | PathLike[str], *, busy_timeout: float = BUSY_TIMEOUT_S) -> SQLiteStore:
        """A store whose file is already open; raises StoreUnavailable if it cannot be."""
        store = cls(path, busy_timeout=busy_timeout)
        try:
            await store._run(store._ping)
        except BaseException:
            await store.close()
            raise
        return store

    # -- worker-thread side -------------------------------------------------

    def _connection(self) -> sqlite3.Connection:
        if self._conn is None:
            conn = sqlite3.connect(self._path, isolation_level=None, timeout=self._busy_timeout)
            try:
                mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
                if str(mode).lower() != "wal":
                    raise sqlite3.OperationalError(f"{self._path}: WAL mode unavailable (journal_mode={mode})")
                conn.execute("PRAGMA synchronous = FULL")
                conn.executescript(SCHEMA)
            except BaseException:
                conn.close()
                raise
            self._conn = conn
        return self._conn

    def _drop_connection(self) -> None:
        if self._conn is not None:
            try:
                self._conn.close()
            except sqlite3.Error:
                pass
            self._conn = None

    def _write(self, work: Callable[[sqlite3.Connection], T]) -> T:
        """Run `work` in one IMMEDIATE transaction: all of it is committed, or none."""
        conn = self._connection()
        conn.execute("BEGIN IMMEDIATE")
        try:
            result = work(conn)
            conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
        return result

    def _append(self, meeting_id: str, expected_seq: int, rows: list[tuple[str, int, bytes]]) -> None:
        def work(conn: sqlite3.Connection) -> None:
            actual = self._last_seq_in(conn, meeting_id)
            if actual != expected_seq:
                raise _Conflict(actual)
            try:
                conn.executemany("INSERT INTO events (meeting_id, seq, blob) VALUES (?, ?, ?)", rows)
            except sqlite3.IntegrityError:
                # Cannot happen while the write lock orders writers; if it does, the key saved us.
                raise _Conflict(self._last_seq_in(conn, meeting_id)) from None

        self._write(work)

    @staticmethod
    def _last_seq_in(conn: sqlite3.Connection, meeting_id: str) -> int:
        row = conn.execute("SELECT COALESCE(MAX(seq), 0) FROM events WHERE meeting_id = ?", (meeting_id,)).fetchone()
        return int(row[0])

    def _read(self, meeting_id: str, after: int) -> list[StoredEvent]:
        cursor = self._connection().execute(
            "SELECT blob FROM events WHERE meeting_id = ? AND seq > ? ORDER BY seq", (meeting_id, after)
        )
        return [decode(blob) for (blob,) in cursor]

    def _last_seq(self, meeting_id: str) -> int:
        return self._last_seq_in(self._connection(), meeting_id)

    def _meeting_ids(self) -> list[str]:
        cursor = self._connection().execute("SELECT DISTINCT meeting_id FROM events ORDER BY meeting_id")
        return [meeting_id for (meeting_id,) in cursor]

    def _put_tokens(self, rows: list[tuple[str, str, str]]) -> None:
        def work(conn: sqlite3.Connection) -> None:
            conn.executemany(
                "INSERT OR REPLACE INTO tokens (digest, meeting_id, participant_id) VALUES (?, ?, ?)", rows
            )

        self._write(work)

    def _find_token(self, digest: str) -> tuple[str, str] | None:
        row = (
            self._connection()
            .execute("SELECT meeting_id, participant_id FROM tokens WHERE digest = ?", (digest,))
            .fetchone()
        )
        return None if row is None else (row[0], row[1])

    def _secret(self, name: str, fresh: str) -> str:
        def work(conn: sqlite3.Connection) -> None:
            conn.execute("INSERT OR IGNORE INTO secrets (name, value) VALUES (?, ?)", (name, fresh))

        self._write(work)
        row = self._connection().execute("SELECT value FROM secrets WHERE name = ?", (name,)).fetchone()
        return str(row[0])

    def _ping(self) -> bool:
        self._connection().execute("SELECT COUNT(*) FROM sqlite_master").fetchone()
        return True

    def _guarded(self, fn: Callable[[], T]) -> T:
        try:
            return fn()
        except _Conflict:
            raise
        except sqlite3.Error as e:
            # A fresh connection next time: cheap, and it clears whatever state the error left.
            self._drop_connection()
            raise StoreUnavailable(f"sqlite {self._path}: {e}") from e

    # -- loop side ----------------------------------------------------------

    async def _run(self, fn: Callable[[], T]) -> T:
        if self._closed:
            raise StoreUnavailable(f"sqlite {self._path}: store is closed")
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._executor, self._guarded, fn)

    async def append(self, meeting_id: str, expected_seq: int, events: Sequence[StoredEvent]) -> None:
        check_batch(expected_seq, events)
        rows = [(meeting_id, e.seq, encode(e)) for e in events]
        try:
            await self._run(lambda: self._append(meeting_id, expected_seq, rows))
        except _Conflict as c:
            raise AppendConflict(meeting_id, expected_seq, c.actual) from None

    async def read(self, meeting_id: str, after: int = 0) -> list[StoredEvent]:
        return await self._run(lambda: self._read(meeting_id, max(after, 0)))

    async def last_seq(self, meeting_id: str) -> int:
        return await self._run(lambda: self._last_seq(meeting_id))

    async def meeting_ids(self) -> list[str]:
        return await self._run(self._meeting_ids)

    async def put_tokens(self, meeting_id: str, tokens: Mapping[str, str]) -> None:
        rows = [(digest, meeting_id, participant_id) for digest, participant_id in tokens.items()]
        if rows:
            await self._run(lambda: self._put_tokens(rows))

    async def find_token(self, digest: str) -> tuple[str, str] | None:
        return await self._run(lambda: self._find_token(digest))

    async def secret(self, name: str) -> str:
        fresh = secrets.token_hex(32)
        return await self._run(lambda: self._secret(name, fresh))

    async def ping(self) -> bool:
        try:
            return await self._run(self._ping)
        except StoreUnavailable:
            return False

    async def close(self) -> None:
        """Release the connection and the worker thread; later calls raise StoreUnavailable."""
        if self._closed:
            return
        self._closed = True
        loop = asyncio.get_running_loop()
        try:
            await loop.run_in_executor(self._executor, self._drop_connection)
        finally:
            self._executor.shutdown(wait=False)
