"""Several `edlib serve --redis` processes, one meeting: one gap-free sequence for everyone, nothing lost.

Real processes on real ports, the shared Redis on 127.0.0.1:6379 with a key prefix of each test's own
(EDLIB_REDIS_PREFIX), deleted afterwards. Writers are councillors connected to different processes,
so their commands race through the store's compare-and-append.
"""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from typing import Any

import pytest

from tests.conftest import until
from tests.deploy.cluster import (
    COUNCILLORS,
    SPEC,
    Follower,
    drop_prefix,
    new_prefix,
    shared_redis_or_skip,
    start_all,
    stored_log,
)
from tests.mirror import MapMirror
from tests.processes import ServerProcess, create_meeting

pytestmark = [pytest.mark.slow, pytest.mark.redis]

ARGUMENT = {"type": "argument.add", "item_id": "i1", "stance": "pro", "category": "effect"}


@pytest.fixture
def redis_prefix(monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[str, str]]:
    url = shared_redis_or_skip()
    prefix = new_prefix()
    monkeypatch.setenv("EDLIB_REDIS_PREFIX", prefix)  # inherited by the server processes
    yield url, prefix
    drop_prefix(url, prefix)


@pytest.fixture
async def cluster(redis_prefix: tuple[str, str]) -> AsyncIterator[Callable[[int], Awaitable[list[ServerProcess]]]]:
    started: list[ServerProcess] = []

    async def start(n: int) -> list[ServerProcess]:
        servers = await start_all(ServerProcess(redis_url=redis_prefix[0]) for _ in range(n))
        started.extend(servers)
        return servers

    yield start
    for s in started:
        s.kill()


async def open_meeting(url: str, connect: Callable[[str, str], Awaitable[Follower]]) -> tuple[dict[str, str], str]:
    """Create the meeting through one process and open item i1: (tokens by name, meeting id)."""
    created = await create_meeting(url, SPEC)
    tokens = {p["name"]: p["token"] for p in created["participants"]}
    chair = await connect(url, tokens["Voorzitter"])
    await chair.join()
    for step in ({"type": "meeting.start"}, {"type": "item.open", "item_id": "i1"}):
        assert (await chair.command(**step))["ok"]
    return tokens, created["meeting_id"]


async def write(c: Follower, who: str, count: int, acked: dict[int, tuple[str, str]], refused: Counter[str],
                pause: float = 0.02) -> None:
    """`count` arguments, each with a command id; `unavailable` (too contended) is retried with the same id."""
    for n in range(count):
        text, cid = f"{who} argument {n}", f"{who}-{n}"
        for _ in range(20):
            ack = await c.command(**ARGUMENT, text=text, cid=cid)
            if ack["ok"]:
                assert ack["seq"] not in acked, f"seq {ack['seq']} acknowledged twice"
                acked[ack["seq"]] = (text, who)
                break
            code = ack["error"]["code"]
            refused[code] += 1
            assert code == "unavailable", ack
            await asyncio.sleep(0.05)
        else:
            raise AssertionError(f"{cid} never acknowledged")
        await asyncio.sleep(pause)


def check_store(log: list[tuple[int, str, str | None, dict[str, Any]]], acked: dict[int, tuple[str, str]],
                pids: dict[str, str]) -> None:
    """One entry per seq, 1..N; every acknowledged command at its seq, and recorded exactly once."""
    assert [entry[0] for entry in log] == list(range(1, len(log) + 1))
    for seq, (text, who) in acked.items():
        _, type_, actor, data = log[seq - 1]
        assert (type_, actor, data["text"]) == ("argument.added", pids[who], text)
    texts = Counter(data.get("text") for _, type_, _, data in log if type_ == "argument.added")
    assert all(n == 1 for n in texts.values()), [t for t, n in texts.items() if n > 1]


@pytest.mark.parametrize("n_processes", [2, 3])
async def test_concurrent_writers_on_several_processes_share_one_sequence(
    n_processes: int, cluster: Callable[[int], Awaitable[list[ServerProcess]]],
    followers: Callable[[str, str], Awaitable[Follower]], redis_prefix: tuple[str, str],
    record_property: Callable[[str, object], None],
) -> None:
    servers = await cluster(n_processes)
    tokens, meeting = await open_meeting(servers[0].url, followers)
    names = ["Voorzitter", *COUNCILLORS, "Secretaris", "Pers"]
    pids = {n: f"p{i}" for i, n in enumerate(names, start=1)}
    room = {name: await followers(servers[i % n_processes].url, tokens[name]) for i, name in enumerate(names)}
    joined = {name: (await f.join())["seq"] for name, f in room.items()}
    assert len(set(joined.values())) == 1  # nobody writes yet: every process answers the same seq

    acked: dict[int, tuple[str, str]] = {}
    refused: Counter[str] = Counter()
    await asyncio.gather(*(write(room[w], w, 12, acked, refused) for w in COUNCILLORS))

    log = stored_log(redis_prefix[0], redis_prefix[1], meeting)
    check_store(log, acked, pids)
    last = len(log)
    assert len(acked) == 12 * len(COUNCILLORS) and max(acked) == last

    # every process fans every event out to its sockets: nobody needs to fill a gap
    await until(lambda: all(f.last == last for f in room.values()), timeout=10)
    start = joined["Voorzitter"]
    for name, f in room.items():
        assert f.gap_fills == 0
        assert [s for s, _, _ in f.sequence()] == list(range(start + 1, last + 1)), name
        assert [(s, t) for s, t, _ in f.sequence()] == [(s, t) for s, t, _, _ in log[start:]], name
    members = [f.sequence() for name, f in room.items() if name != "Pers"]
    assert all(seq == members[0] for seq in members)  # same content for every member, on every process
    assert all(e["withheld"] for e in room["Pers"].applied.values())  # a closed meeting: observers get envelopes
    for seq, (text, _) in acked.items():
        assert members[0][seq - start - 1][2]["text"] == text
    # and the coalesced views settle on the last seq everywhere (each process pushes from its own state)
    await until(lambda: all((f.view("participation") or {}).get("seq") == last
                            for n, f in room.items() if n != "Pers"))

    # a late joiner gets the same snapshot from every process
    snapshots = []
    for s in servers:
        late = await followers(s.url, tokens["Secretaris"])
        ack = await late.join()
        assert ack["seq"] == last
        snapshots.append(ack["snapshot"])
        replay = await late.join(since=0)
        assert [(e["seq"], e["type"]) for e in replay["events"]] == [(s, t) for s, t, _, _ in log]
    assert all(snap == snapshots[0] for snap in snapshots)
    assert {a["text"] for a in snapshots[0]["arguments"]} == {text for text, _ in acked.values()}

    dupes = {name: f.duplicates for name, f in room.items()}
    record_property("duplicates_per_client", dupes)
    record_property("refused", dict(refused))
    print(f"\n{n_processes} processes: {last} events, {len(acked)} commands acknowledged, "
          f"retried after {dict(refused) or 'nothing'}; duplicates received per client: {dupes}")


async def test_a_process_that_missed_events_decides_on_the_latest_state(
    cluster: Callable[[int], Awaitable[list[ServerProcess]]], followers: Callable[[str, str], Awaitable[Follower]],
) -> None:
    """The chair unlocks an item through process A; a councillor on B, whose copy of the meeting was loaded
    while the item was locked, adds an argument at once: B must not refuse it on the strength of its stale copy."""
    a, b = await cluster(2)
    created = await create_meeting(a.url, SPEC)
    tokens = {p["name"]: p["token"] for p in created["participants"]}
    chair = await followers(a.url, tokens["Voorzitter"])
    member = await followers(b.url, tokens[COUNCILLORS[0]])
    await chair.join()
    for step in ({"type": "meeting.start"}, {"type": "item.open", "item_id": "i1"},
                 {"type": "item.lock", "item_id": "i1"}):
        assert (await chair.command(**step))["ok"]
    await member.join()  # B loads the meeting now, with i1 locked
    refused = await member.command(**ARGUMENT, text="Te vroeg")
    assert refused["error"]["code"] == "conflict"
    unlocked = await chair.command(type="item.unlock", item_id="i1")
    assert unlocked["ok"]
    await until(lambda: member.last == unlocked["seq"])  # the councillor has seen the item unlocked...
    ack = await member.command(**ARGUMENT, text="Nu wel")
    assert ack["ok"], ack  # ...and B accepts the argument
    assert ack["seq"] == unlocked["seq"] + 1


async def test_sigkill_of_one_process_clients_resume_on_another(
    cluster: Callable[[int], Awaitable[list[ServerProcess]]], followers: Callable[[str, str], Awaitable[Follower]],
    redis_prefix: tuple[str, str],
) -> None:
    a, b, c = await cluster(3)
    tokens, meeting = await open_meeting(b.url, followers)
    names = ["Voorzitter", *COUNCILLORS, "Secretaris"]
    pids = {n: f"p{i}" for i, n in enumerate(names, start=1)}
    on_a = [*COUNCILLORS[:3], "Secretaris"]
    room = {name: await followers((a if name in on_a else [b, c][i % 2]).url, tokens[name])
            for i, name in enumerate([*COUNCILLORS, "Secretaris"])}
    for f in room.values():
        await f.join()

    acked: dict[int, tuple[str, str]] = {}
    refused: Counter[str] = Counter()
    lost_connection: Counter[str] = Counter()
    count = 15

    async def write_through_failover(who: str) -> None:
        f = room[who]
        for n in range(count):
            text, cid = f"{who} argument {n}", f"{who}-{n}"
            for _ in range(20):
                try:
                    ack = await f.command(**ARGUMENT, text=text, cid=cid)
                except Exception:  # our process died with this command in flight: resume elsewhere, resend
                    lost_connection[who] += 1
                    await until(lambda: not f.sio.connected, timeout=10)
                    await f.reconnect(b.url if who != COUNCILLORS[0] else c.url)
                    continue
                if ack["ok"]:
                    acked[ack["seq"]] = (text, who)
                    break
                refused[ack["error"]["code"]] += 1
                assert ack["error"]["code"] == "unavailable", ack
                await asyncio.sleep(0.05)
            else:
                raise AssertionError(f"{cid} never acknowledged")
            await asyncio.sleep(0.02)

    tasks = [asyncio.create_task(write_through_failover(w)) for w in COUNCILLORS]
    await until(lambda: len(acked) >= 30, timeout=10)  # kill A in the middle of the stream
    a.kill()
    await until(lambda: not room["Secretaris"].sio.connected, timeout=10)
    await room["Secretaris"].reconnect(c.url)  # a reader on A moves too
    await asyncio.gather(*tasks)

    log = stored_log(redis_prefix[0], redis_prefix[1], meeting)
    check_store(log, acked, pids)  # in particular: a resend after the kill was not recorded twice
    assert len(acked) == count * len(COUNCILLORS)
    last = len(log)
    # An event that A appended but had no time to publish reaches the others only by gap filling
    # (join with since), as protocol.md asks of every client; give the live pushes time first.
    try:
        await until(lambda: all(f.last == last for f in room.values()), timeout=5)
    except AssertionError:
        pass
    for f in room.values():
        await f.fill_gaps()
        if f.last < last:
            await f.join(since=f.last)
    start = room["Secretaris"].joined_at
    for name, f in room.items():
        assert f.last == last, name
        assert [(s, t) for s, t, _ in f.sequence()] == [(s, t) for s, t, _, _ in log[start:]], name
    print(f"\nSIGKILL of one of 3: {last} events; connections lost {dict(lost_connection)}, "
          f"gap fills {[f.gap_fills for f in room.values()]}, duplicates {[f.duplicates for f in room.values()]}")


async def test_map_patches_chain_across_processes(
    cluster: Callable[[int], Awaitable[list[ServerProcess]]],
    followers: Callable[[str, str], Awaitable[Follower]],
) -> None:
    """Links written through two processes in turn: a client's map follows by patches alone, no re-join.

    Each process patches from the last map it broadcast; one that catches up on another's events adopts the
    map as it is then, so its next patch starts from the version clients already hold.
    """
    servers = await cluster(2)
    tokens, _ = await open_meeting(servers[0].url, followers)
    watcher = await followers(servers[0].url, tokens["Secretaris"])
    mirror = MapMirror(watcher, "i1")
    mirror.load(await watcher.join())
    writers = [await followers(servers[n % 2].url, tokens[name]) for n, name in enumerate(COUNCILLORS[:2])]
    for w in writers:
        await w.join()
    concepts = ["schoolstraat", "verkeer", "veiligheid", "lawaai", "handel", "fietsen"]
    for n in range(6):
        writer = writers[n % 2]  # alternate processes
        ack = await writer.command(type="link.assert", item_id="i1", cause=concepts[n], effect=concepts[(n + 1) % 6],
                                   sign=1 if n % 2 else -1)
        assert ack["ok"], ack

        def arrived(version: int = n + 1) -> bool:
            mirror.apply_all()
            return mirror.map is not None and mirror.map["version"] == version

        await until(arrived, timeout=10)  # this write's patch reached the watcher before the next write
    assert mirror.resyncs == 0
    fresh = await followers(servers[1].url, tokens["Voorzitter"])
    reference = (await fresh.join())["views"]["map"]["data"]["i1"]
    assert sorted(e["id"] for e in mirror.map["edges"]) == sorted(e["id"] for e in reference["edges"])  # type: ignore[index]
