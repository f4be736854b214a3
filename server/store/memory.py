"""An in-memory store for tests and experiments. Nothing survives the process."""

from __future__ import annotations

import secrets
from collections.abc import Mapping, Sequence

from .base import AppendConflict, EventStore, StoredEvent, check_batch, decode, encode


class MemoryStore(EventStore):
    def __init__(self) -> None:
        self._logs: dict[str, list[bytes]] = {}
        self._tokens: dict[str, tuple[str, str]] = {}
        self._secrets: dict[str, str] = {}

    async def append(self, meeting_id: str, expected_seq: int, events: Sequence[StoredEvent]) -> None:
        check_batch(expected_seq, events)
        log = self._logs.get(meeting_id, [])
        if len(log) != expected_seq:
            raise AppendConflict(meeting_id, expected_seq, len(log))
        log.extend(encode(e) for e in events)  # encoded, so that tests see exactly what a real store keeps
        self._logs[meeting_id] = log

    async def read(self, meeting_id: str, after: int = 0) -> list[StoredEvent]:
        return [decode(b) for b in self._logs.get(meeting_id, [])[max(after, 0):]]

    async def last_seq(self, meeting_id: str) -> int:
        return len(self._logs.get(meeting_id, []))

    async def meeting_ids(self) -> list[str]:
        return sorted(self._logs)

    async def put_tokens(self, meeting_id: str, tokens: Mapping[str, str]) -> None:
        for digest, participant_id in tokens.items():
            self._tokens[digest] = (meeting_id, participant_id)

    async def find_token(self, digest: str) -> tuple[str, str] | None:
        return self._tokens.get(digest)

    async def secret(self, name: str) -> str:
        return self._secrets.setdefault(name, secrets.token_hex(32))

    async def ping(self) -> bool:
        return True
