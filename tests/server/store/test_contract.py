"""The one contract every EventStore adapter keeps, run against each of them.

A subclass supplies `opener`: a factory of handles on one and the same storage
(the memory store can only hand out itself; SQLite opens the same file again;
Redis connects again with the same key prefix).
"""

from __future__ import annotations

import asyncio
import os
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest
import redis
import redis.asyncio as aioredis

from edlib_server.store.base import AppendConflict, EventStore, StoredEvent
from edlib_server.store.memory import MemoryStore
from edlib_server.store.redis import RedisStore
from edlib_server.store.sqlite import SQLiteStore

Opener = Callable[[], Awaitable[EventStore]]

REDIS_URL = os.environ.get("EDLIB_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")

AT = 1_733_312_345.123456  # a float `at` with more digits than a float32 keeps


def ev(seq: int, type_: str = "argument.added", actor: str | None = "p1", **data: Any) -> StoredEvent:
    return StoredEvent(seq, type_, AT + seq, actor, data or {"n": seq})


def batch(first: int, count: int, actor: str | None = "p1") -> list[StoredEvent]:
    return [ev(seq, actor=actor) for seq in range(first, first + count)]


class StoreContract:
    @pytest.fixture
    async def opener(self, tmp_path: Path) -> AsyncIterator[Opener]:
        raise NotImplementedError("each adapter's test class provides its opener")
        yield  # pragma: no cover

    @pytest.fixture
    async def store(self, opener: Opener) -> EventStore:
        return await opener()

    async def test_unknown_meeting_is_empty(self, store: EventStore) -> None:
        assert await store.read("nobody") == []
        assert await store.read("nobody", after=3) == []
        assert await store.last_seq("nobody") == 0
        assert await store.meeting_ids() == []

    async def test_append_then_read_all_or_after(self, store: EventStore) -> None:
        first, second = batch(1, 3), batch(4, 2)
        await store.append("m", 0, first)
        await store.append("m", 3, second)

        assert await store.read("m") == first + second
        assert await store.read("m", after=2) == (first + second)[2:]
        assert [e.seq for e in await store.read("m", after=4)] == [5]
        assert await store.read("m", after=5) == []
        assert await store.read("m", after=99) == []
        assert await store.read("m", after=-1) == first + second
        assert await store.last_seq("m") == 5

    @pytest.mark.parametrize(
        ("seqs", "why"),
        [
            ([], "empty batch"),
            ([4], "gap before the batch"),
            ([2], "seq already taken"),
            ([3, 5], "gap inside the batch"),
            ([3, 3], "duplicate seq"),
            ([3, 4, 4], "duplicate at the end"),
        ],
    )
    async def test_batch_must_follow_expected_seq(self, store: EventStore, seqs: list[int], why: str) -> None:
        await store.append("m", 0, batch(1, 2))
        before = await store.read("m")

        with pytest.raises(ValueError):
            await store.append("m", 2, [ev(s) for s in seqs])
        with pytest.raises(ValueError):
            await store.append("fresh", 0, [ev(s - 2) for s in seqs])

        assert await store.read("m") == before, why
        assert await store.last_seq("m") == 2
        assert await store.read("fresh") == []
        assert await store.meeting_ids() == ["m"]

    async def test_stale_or_early_expected_seq_conflicts_and_writes_nothing(self, store: EventStore) -> None:
        await store.append("m", 0, batch(1, 2))
        before = await store.read("m")

        with pytest.raises(AppendConflict) as stale:
            await store.append("m", 1, [ev(2, actor="late")])
        assert (stale.value.expected, stale.value.actual) == (1, 2)

        with pytest.raises(AppendConflict) as early:
            await store.append("m", 5, batch(6, 2))
        assert (early.value.expected, early.value.actual) == (5, 2)

        with pytest.raises(AppendConflict) as unknown:
            await store.append("new", 1, [ev(2)])
        assert (unknown.value.expected, unknown.value.actual) == (1, 0)

        assert await store.read("m") == before
        assert await store.last_seq("new") == 0
        assert await store.meeting_ids() == ["m"]

    async def test_writer_catches_up_after_conflict(self, opener: Opener) -> None:
        a, b = await opener(), await opener()
        await a.append("m", 0, batch(1, 1, actor="a"))
        await a.append("m", 1, batch(2, 2, actor="a"))

        b_seq = 1  # b last saw seq 1
        with pytest.raises(AppendConflict) as conflict:
            await b.append("m", b_seq, batch(b_seq + 1, 1, actor="b"))
        missed = await b.read("m", after=b_seq)
        assert [e.seq for e in missed] == [2, 3]
        assert conflict.value.actual == missed[-1].seq

        await b.append("m", conflict.value.actual, batch(4, 1, actor="b"))
        assert [(e.seq, e.actor) for e in await a.read("m")] == [(1, "a"), (2, "a"), (3, "a"), (4, "b")]

    async def test_concurrent_appenders_exactly_one_wins(self, opener: Opener) -> None:
        handles = [await opener(), await opener()]
        await handles[0].append("m", 0, batch(1, 1, actor="setup"))
        expected = 1
        for round_ in range(5):
            contenders = [batch(expected + 1, 1 + i % 3, actor=f"r{round_}w{i}") for i in range(8)]
            results = await asyncio.gather(
                *(handles[i % 2].append("m", expected, b) for i, b in enumerate(contenders)),
                return_exceptions=True,
            )
            winners = [i for i, r in enumerate(results) if r is None]
            assert len(winners) == 1, results
            won = contenders[winners[0]]
            for i, r in enumerate(results):
                if i != winners[0]:
                    assert isinstance(r, AppendConflict), r
                    assert r.actual == expected + len(won)
            assert await handles[1].read("m", after=expected) == won
            expected += len(won)
        assert [e.seq for e in await handles[0].read("m")] == list(range(1, expected + 1))

    async def test_meetings_are_independent(self, store: EventStore) -> None:
        a, b = batch(1, 3, actor="a"), batch(1, 1, actor="b")
        await store.append("ma", 0, a)
        await store.append("mb", 0, b)
        with pytest.raises(AppendConflict):
            await store.append("mb", 0, batch(1, 1, actor="b2"))
        await store.append("mb", 1, batch(2, 1, actor="b"))

        assert await store.read("ma") == a
        assert [e.actor for e in await store.read("mb")] == ["b", "b"]
        assert (await store.last_seq("ma"), await store.last_seq("mb")) == (3, 2)

    async def test_meeting_ids_lists_each_meeting_once_sorted(self, store: EventStore) -> None:
        ids = ["zeta", "alpha", "séance:2024-12-04", "m:1:log", "Ärztekammer"]
        for meeting_id in ids:
            await store.append(meeting_id, 0, batch(1, 1))
            await store.append(meeting_id, 1, batch(2, 2))
        assert await store.meeting_ids() == sorted(ids)
        for meeting_id in ids:
            assert await store.last_seq(meeting_id) == 3

    async def test_tokens(self, store: EventStore) -> None:
        await store.put_tokens("m1", {"d1": "p1", "d2": "p2"})
        await store.put_tokens("m2", {"d3": "p1"})
        await store.put_tokens("m2", {})

        assert await store.find_token("d1") == ("m1", "p1")
        assert await store.find_token("d2") == ("m1", "p2")
        assert await store.find_token("d3") == ("m2", "p1")
        assert await store.find_token("unknown") is None

        await store.put_tokens("m3", {"d1": "p9"})  # a digest names one participant: the latest wins
        assert await store.find_token("d1") == ("m3", "p9")
        assert await store.meeting_ids() == []  # tokens are not events

    async def test_data_round_trips_exactly(self, store: EventStore) -> None:
        events = [
            StoredEvent(
                1,
                "argument.added",
                1_733_312_345.987654321,
                "Gemeinderätin Müller 🏛",
                {
                    "text": "Die Brücke — «sanieren» oder ersetzen? 橋\n\ttab",
                    "nested": {"a": {"b": [1, 2.5, None, True]}, 7: "int key", "": "empty key"},
                    "ids": ("a1", "a2"),
                    "empty": {},
                    "big": 2**62,
                    "neg": -17,
                    "raw": b"\x00\xff",
                },
            ),
            StoredEvent(2, "floor.granted", 0.1, None, {}),
        ]
        await store.append("m", 0, events)
        got = await store.read("m")

        # lists come back as tuples (decode uses use_list=False): say so, then compare
        assert got[0].data["nested"]["a"]["b"] == (1, 2.5, None, True)
        expected_first = StoredEvent(
            1,
            events[0].type,
            events[0].at,
            events[0].actor,
            {**events[0].data, "nested": {"a": {"b": (1, 2.5, None, True)}, 7: "int key", "": "empty key"}},
        )
        assert got == [expected_first, events[1]]
        assert got[0].at == 1_733_312_345.987654321 and type(got[0].at) is float
        assert type(got[0].data["ids"]) is tuple
        assert type(got[0].data["raw"]) is bytes
        assert got[1].actor is None

    async def test_large_batch(self, store: EventStore) -> None:
        events = batch(1, 2_500)
        await store.append("m", 0, events)
        assert await store.read("m") == events
        assert await store.read("m", after=2_499) == events[-1:]

    async def test_another_handle_sees_everything_after_close(self, store: EventStore, opener: Opener) -> None:
        await store.append("m", 0, batch(1, 3))
        await store.append("n", 0, batch(1, 1))
        await store.put_tokens("m", {"d": "p"})
        await store.close()

        again = await opener()
        assert await again.read("m") == batch(1, 3)
        assert await again.meeting_ids() == ["m", "n"]
        assert await again.find_token("d") == ("m", "p")
        await again.append("m", 3, batch(4, 1))
        assert await again.last_seq("m") == 4

    async def test_ping(self, store: EventStore) -> None:
        assert await store.ping() is True

    async def test_connection_counts(self, store: EventStore) -> None:
        assert await store.connections("m", "p1", 0) == 0
        assert await store.connections("m", "p1", 1) == 1
        assert await store.connections("m", "p1", 1) == 2
        assert await store.connections("m", "p2", 1) == 1
        assert await store.connections("n", "p1", 0) == 0  # per meeting
        assert await store.connections("m", "p1", -1) == 1

    async def test_secret_is_created_once_and_kept(self, store: EventStore, opener: Opener) -> None:
        first = await store.secret("research")
        assert len(first) == 64 and int(first, 16) >= 0
        assert await store.secret("research") == first
        assert await store.secret("other") != first
        again = await opener()  # another handle on the same storage (a restart, another process)
        assert await again.secret("research") == first


class TestMemoryStore(StoreContract):
    @pytest.fixture
    async def opener(self, tmp_path: Path) -> AsyncIterator[Opener]:
        the_store = MemoryStore()

        async def open_() -> EventStore:
            return the_store

        yield open_


class TestSQLiteStore(StoreContract):
    @pytest.fixture
    async def opener(self, tmp_path: Path) -> AsyncIterator[Opener]:
        handles: list[SQLiteStore] = []

        async def open_() -> EventStore:
            handles.append(await SQLiteStore.open(tmp_path / "events.sqlite3"))
            return handles[-1]

        yield open_
        for h in handles:
            await h.close()


def _redis_answers(url: str) -> str | None:
    """None if Redis answers at `url`, else why not."""
    client = redis.Redis.from_url(url, socket_timeout=1, socket_connect_timeout=1)
    try:
        client.ping()
        return None
    except redis.RedisError as e:
        return f"{type(e).__name__}: {e}"
    finally:
        client.close()


@pytest.mark.redis
class TestRedisStore(StoreContract):
    @pytest.fixture
    async def opener(self, tmp_path: Path) -> AsyncIterator[Opener]:
        why_not = _redis_answers(REDIS_URL)
        if why_not is not None:
            pytest.skip(f"no Redis answers at {REDIS_URL} ({why_not}); set EDLIB_TEST_REDIS_URL to run these")
        prefix = f"edlib-test:{uuid.uuid4().hex}:"
        handles: list[RedisStore] = []

        async def open_() -> EventStore:
            handles.append(RedisStore(REDIS_URL, prefix=prefix))
            return handles[-1]

        yield open_
        for h in handles:
            await h.close()
        cleaner = aioredis.Redis.from_url(REDIS_URL)
        try:
            keys = [k async for k in cleaner.scan_iter(match=f"{prefix}*")]
            if keys:
                await cleaner.delete(*keys)
            assert [k async for k in cleaner.scan_iter(match=f"{prefix}*")] == []
        finally:
            await cleaner.aclose()


@pytest.mark.redis
async def test_redis_connection_counts_are_shared_by_processes() -> None:
    """Two handles stand for two server processes: a member connected through one is seen by the other."""
    why_not = _redis_answers(REDIS_URL)
    if why_not is not None:
        pytest.skip(f"no Redis answers at {REDIS_URL} ({why_not})")
    prefix = f"edlib-test:{uuid.uuid4().hex}:"
    one, two = RedisStore(REDIS_URL, prefix=prefix), RedisStore(REDIS_URL, prefix=prefix)
    try:
        await one.connections("m", "p2", 1)
        assert await two.connections("m", "p2", 0) == 1
        await two.connections("m", "p2", -1)
        assert await one.connections("m", "p2", 0) == 0
    finally:
        await one.close()
        await two.close()
        cleaner = aioredis.Redis.from_url(REDIS_URL)
        keys = [k async for k in cleaner.scan_iter(match=f"{prefix}*")]
        if keys:
            await cleaner.delete(*keys)
        await cleaner.aclose()
