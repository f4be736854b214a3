"""The event-store port.

A meeting is one ordered log. `append(meeting, expected_seq, events)` succeeds
only if the log still ends at `expected_seq`; then the events take the seqs
`expected_seq + 1 ...` and are durable when the call returns. Otherwise it
raises `AppendConflict` and writes nothing. Any storage failure raises
`StoreUnavailable`: the caller must then treat the events as not recorded.
"""

from __future__ import annotations

import abc
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import msgpack


@dataclass(frozen=True)
class StoredEvent:
    seq: int
    type: str
    at: float  # seconds since the epoch, UTC
    actor: str | None
    data: Mapping[str, Any]


class StoreError(Exception):
    pass


class AppendConflict(StoreError):
    """The log did not end where the writer expected: catch up and decide again."""

    def __init__(self, meeting_id: str, expected: int, actual: int) -> None:
        super().__init__(f"meeting {meeting_id}: expected seq {expected}, log is at {actual}")
        self.expected = expected
        self.actual = actual


class StoreUnavailable(StoreError):
    """The storage could not be reached; nothing was recorded."""


def encode(event: StoredEvent) -> bytes:
    """msgpack form of one event: [seq, type, at, actor, data]."""
    return msgpack.packb([event.seq, event.type, event.at, event.actor, dict(event.data)], use_bin_type=True)


def decode(blob: bytes) -> StoredEvent:
    seq, type_, at, actor, data = msgpack.unpackb(blob, raw=False, use_list=False, strict_map_key=False)
    return StoredEvent(seq, type_, at, actor, data)


def check_batch(expected_seq: int, events: Sequence[StoredEvent]) -> None:
    """Every adapter refuses a batch whose seqs do not follow `expected_seq` without gaps."""
    if not events:
        raise ValueError("append needs at least one event")
    for offset, ev in enumerate(events, start=1):
        if ev.seq != expected_seq + offset:
            raise ValueError(f"event seq {ev.seq} does not follow {expected_seq + offset - 1}")


class EventStore(abc.ABC):
    """What every store does. Implementations: memory, SQLite, Redis."""

    @abc.abstractmethod
    async def append(self, meeting_id: str, expected_seq: int, events: Sequence[StoredEvent]) -> None: ...

    @abc.abstractmethod
    async def read(self, meeting_id: str, after: int = 0) -> list[StoredEvent]:
        """Events with seq > after, in order ([] for an unknown meeting)."""

    @abc.abstractmethod
    async def last_seq(self, meeting_id: str) -> int:
        """The seq the log ends at (0 for an unknown meeting)."""

    @abc.abstractmethod
    async def meeting_ids(self) -> list[str]: ...

    @abc.abstractmethod
    async def put_tokens(self, meeting_id: str, tokens: Mapping[str, str]) -> None:
        """Remember token digests -> participant ids of a meeting (tokens are secrets, not events)."""

    @abc.abstractmethod
    async def find_token(self, digest: str) -> tuple[str, str] | None:
        """(meeting_id, participant_id) of a token digest, or None."""

    @abc.abstractmethod
    async def secret(self, name: str) -> str:
        """A random secret created on first use and kept with the data ever after (the key of research pseudonyms)."""

    @abc.abstractmethod
    async def ping(self) -> bool:
        """True when the storage answers."""

    async def connections(self, meeting_id: str, participant_id: str, delta: int) -> int:
        """Add `delta` to a participant's count of open connections and return it, across every server process
        that shares this store. This default counts in this process only (SQLite serves from one process);
        the Redis store counts in Redis. A process killed with connections open leaves its counts behind, so a
        member may look connected when they are not: the safe side for the speaking-list grace period."""
        counts = self.__dict__.setdefault("_connection_counts", {})
        key = (meeting_id, participant_id)
        counts[key] = max(0, counts.get(key, 0) + delta)
        return int(counts[key])

    async def close(self) -> None:  # noqa: B027 - optional for adapters with nothing to release
        pass
