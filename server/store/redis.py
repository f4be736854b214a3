"""The shared store for several server processes: Redis 7 or later.

Layout, under a key prefix (default ``edlib:``):

- ``{prefix}m:{meeting_id}:log`` a list of msgpack blobs (`base.encode`); its
  length is the meeting's last seq, so seq N is at index N - 1;
- ``{prefix}meetings`` the set of meeting ids that have events;
- ``{prefix}tokens`` a hash, token digest -> msgpack ``[meeting_id, participant_id]``.

Compare-and-append is one Lua script (atomic in Redis): it compares the log's
length with the expected seq and either pushes the whole batch or returns the
actual length. The script names two keys in different hash slots, so this
layout is for a single Redis (or a primary with replicas), not Redis Cluster.

Failures. The client has a 2 s socket timeout and no automatic retries: any
Redis error (refused or lost connection, timeout, loading, MISCONF/OOM, ...)
surfaces at once as `StoreUnavailable`. Retries are off on purpose: re-sending
an append whose reply was lost would turn our own success into an
`AppendConflict`, and the caller would decide the command a second time. The
client reconnects by itself on the next call once Redis answers again. As with
any network store, an append that fails *after* the request left (timeout, lost
connection) has an unknown outcome: the batch may be in the log. The log stays
consistent either way; a caller that next appends with the old expected seq gets
`AppendConflict` and catches up, seeing those events.

Durability depends on the server's AOF settings, not on this client:

- ``appendonly yes`` + ``appendfsync always``: Redis fsyncs the AOF before it
  replies, so an acknowledged append survives a crash of Redis or the machine.
  Costs an fsync per Redis event-loop turn, so write throughput is bounded by
  the disk's fsync latency. This is the setting that meets edlib's
  "acknowledged means durable" rule.
- ``appendfsync everysec`` (Redis's default): fsync once a second in the
  background. A crash of the Redis *process* loses nothing (the data is in the
  OS page cache), but a power loss or kernel crash can lose about one
  to two seconds of acknowledged events.
- ``appendfsync no``: the OS decides when to flush (often ~30 s): fastest,
  and a power loss can lose that much acknowledged history.
- ``appendonly no`` (RDB snapshots only, or nothing): a restart loses
  everything since the last snapshot. Do not use for meetings.

`WAIT`/`WAITAOF` (replication acknowledgements) are not used; a deployment that
needs to survive losing the Redis machine itself should add a replica and
revisit that.
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping, Sequence
from typing import Any, cast

import msgpack  # type: ignore[import-untyped]
import redis.asyncio as aioredis
from redis.asyncio.retry import Retry
from redis.backoff import NoBackoff
from redis.exceptions import RedisError
from redis.typing import EncodableT, FieldT

from .base import AppendConflict, EventStore, StoredEvent, StoreUnavailable, check_batch, decode, encode

# KEYS[1] the meeting's log, KEYS[2] the set of meetings;
# ARGV[1] the expected seq, ARGV[2] the meeting id, ARGV[3..] the blobs.
# Returns {1, new length} after appending, or {0, actual length} and writes nothing.
# The shebang (Redis 7) makes Redis refuse the script up front under OOM rather than midway.
APPEND_LUA = """#!lua
local actual = redis.call('LLEN', KEYS[1])
if actual ~= tonumber(ARGV[1]) then
  return {0, actual}
end
for i = 3, #ARGV, 1000 do
  redis.call('RPUSH', KEYS[1], unpack(ARGV, i, math.min(i + 999, #ARGV)))
end
redis.call('SADD', KEYS[2], ARGV[2])
return {1, actual + #ARGV - 2}
"""

SOCKET_TIMEOUT_S = 2.0


class RedisStore(EventStore):
    """Construction is cheap: nothing connects until the first call."""

    def __init__(self, url: str, prefix: str = "edlib:", *, socket_timeout: float = SOCKET_TIMEOUT_S) -> None:
        self._prefix = prefix
        self._redis: aioredis.Redis = aioredis.Redis.from_url(
            url,
            decode_responses=False,  # blobs are binary
            socket_timeout=socket_timeout,
            socket_connect_timeout=socket_timeout,
            retry=Retry(NoBackoff(), 0),
        )
        self._append_script = self._redis.register_script(APPEND_LUA)

    def _log_key(self, meeting_id: str) -> str:
        return f"{self._prefix}m:{meeting_id}:log"

    @property
    def _meetings_key(self) -> str:
        return f"{self._prefix}meetings"

    @property
    def _tokens_key(self) -> str:
        return f"{self._prefix}tokens"

    def _unavailable(self, e: Exception) -> StoreUnavailable:
        return StoreUnavailable(f"redis: {type(e).__name__}: {e}")

    async def append(self, meeting_id: str, expected_seq: int, events: Sequence[StoredEvent]) -> None:
        check_batch(expected_seq, events)
        args: list[Any] = [expected_seq, meeting_id, *(encode(e) for e in events)]
        try:
            ok, length = await self._append_script(keys=[self._log_key(meeting_id), self._meetings_key], args=args)
        except (RedisError, OSError) as e:
            raise self._unavailable(e) from e
        if not ok:
            raise AppendConflict(meeting_id, expected_seq, int(length))

    async def read(self, meeting_id: str, after: int = 0) -> list[StoredEvent]:
        try:
            blobs = cast(list[bytes], await self._redis.lrange(self._log_key(meeting_id), max(after, 0), -1))
        except (RedisError, OSError) as e:
            raise self._unavailable(e) from e
        return [decode(b) for b in blobs]

    async def last_seq(self, meeting_id: str) -> int:
        try:
            return int(await self._redis.llen(self._log_key(meeting_id)))
        except (RedisError, OSError) as e:
            raise self._unavailable(e) from e

    async def meeting_ids(self) -> list[str]:
        try:
            members = cast(set[bytes], await self._redis.smembers(self._meetings_key))
        except (RedisError, OSError) as e:
            raise self._unavailable(e) from e
        return sorted(m.decode() for m in members)

    async def put_tokens(self, meeting_id: str, tokens: Mapping[str, str]) -> None:
        if not tokens:
            return  # HSET refuses an empty mapping
        mapping: dict[FieldT, EncodableT] = {
            digest: msgpack.packb([meeting_id, pid], use_bin_type=True) for digest, pid in tokens.items()
        }
        try:
            await self._redis.hset(self._tokens_key, mapping=mapping)
        except (RedisError, OSError) as e:
            raise self._unavailable(e) from e

    async def find_token(self, digest: str) -> tuple[str, str] | None:
        try:
            blob = cast(bytes | None, await self._redis.hget(self._tokens_key, digest))
        except (RedisError, OSError) as e:
            raise self._unavailable(e) from e
        if blob is None:
            return None
        meeting_id, participant_id = msgpack.unpackb(blob, raw=False)
        return str(meeting_id), str(participant_id)

    async def secret(self, name: str) -> str:
        key = f"{self._prefix}secret:{name}"
        try:
            await self._redis.set(key, secrets.token_hex(32), nx=True)
            value = cast(bytes, await self._redis.get(key))
        except (RedisError, OSError) as e:
            raise self._unavailable(e) from e
        return value.decode()

    async def connections(self, meeting_id: str, participant_id: str, delta: int) -> int:
        key = f"{self._prefix}m:{meeting_id}:connections"
        try:
            return int(await self._redis.hincrby(key, participant_id, delta))
        except (RedisError, OSError) as e:
            raise self._unavailable(e) from e

    async def ping(self) -> bool:
        try:
            return bool(await self._redis.ping())
        except (RedisError, OSError):
            return False

    async def close(self) -> None:
        await self._redis.aclose()
