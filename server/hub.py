"""The application service: load meetings, run commands one at a time, persist, then publish.

Commands on one meeting are decided and appended one at a time (the meeting's lock); their delivery to
the room runs in one task per meeting, in seq order, so an acknowledgement never waits for the fan-out
of earlier commands.

A command is acknowledged only after its events are appended to the store. On an
append conflict (another process wrote first) the hub catches up from the store
and decides again.
"""

from __future__ import annotations

import asyncio
import dataclasses
import logging
import time
from collections import deque
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from edlib.core import decide, evolve, stamp
from edlib.errors import DomainError, NotFound, Unavailable
from edlib.meeting import MeetingSpec, create_meeting
from edlib.registry import Ctx, Recorded, event_from_data
from edlib.schema import parse
from edlib.state import MeetingState

from . import auth
from .store.base import AppendConflict, EventStore, StoredEvent, StoreUnavailable

log = logging.getLogger("edlib.hub")

MAX_ATTEMPTS = 8



@dataclass
class Aggregate:
    """One meeting in memory: its state, its log and the lock that serialises its commands here."""

    id: str
    state: MeetingState = field(default_factory=MeetingState)
    log: list[Recorded] = field(default_factory=list)
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    cids: dict[tuple[str | None, str], int] = field(default_factory=dict)  # (actor, command id) -> last seq
    # Recorded batches waiting to be delivered, in seq order, by one sender task per meeting; `idle` is set
    # whenever the outbox is empty. Commands do not wait for the fan-out of earlier ones.
    outbox: deque[Sequence[Recorded]] = field(default_factory=deque)
    sender: asyncio.Task[None] | None = None
    idle: asyncio.Event = field(default_factory=asyncio.Event)

    def __post_init__(self) -> None:
        self.idle.set()

    def record(self, rec: Recorded) -> None:
        evolve(self.state, rec)
        self.log.append(rec)
        if rec.cid is not None:
            self.cids[(rec.actor, rec.cid)] = rec.seq


class Publisher(Protocol):
    async def __call__(self, agg: Aggregate, records: Sequence[Recorded]) -> None: ...


CID = "_cid"  # where a client's command id is kept in the stored data (never a field of an event)


def to_stored(rec: Recorded) -> StoredEvent:
    data = rec.event.to_data()
    if rec.cid is not None:
        data[CID] = rec.cid
    return StoredEvent(rec.seq, rec.event.name, rec.at, rec.actor, data)


def from_stored(ev: StoredEvent) -> Recorded:
    return Recorded(ev.seq, ev.at, ev.actor, event_from_data(ev.type, ev.data), ev.data.get(CID))


@dataclass
class Created:
    meeting_id: str
    items: list[str]
    participants: list[dict[str, Any]]  # id, name, role, token
    observer_token: str | None
    display_token: str


class Hub:
    def __init__(self, store: EventStore, clock: Callable[[], float] = time.time) -> None:
        self.store = store
        self.clock = clock
        self.meetings: dict[str, Aggregate] = {}
        self.publishers: list[Publisher] = []
        self.caught_up: list[Callable[[Aggregate], None]] = []  # told when events of another process are applied
        self._loading: dict[str, asyncio.Lock] = {}

    def subscribe(self, publisher: Callable[[Aggregate, Sequence[Recorded]], Awaitable[None]]) -> None:
        self.publishers.append(publisher)

    async def get(self, meeting_id: str) -> Aggregate | None:
        """The meeting, loaded from the store on first use; None if it does not exist."""
        agg = self.meetings.get(meeting_id)
        if agg is not None:
            return agg
        lock = self._loading.setdefault(meeting_id, asyncio.Lock())
        async with lock:
            agg = self.meetings.get(meeting_id)
            if agg is None:
                agg = Aggregate(meeting_id)
                await self._catch_up(agg)
                if not agg.state.created:
                    return None
                self.meetings[meeting_id] = agg
        return agg

    async def _catch_up(self, agg: Aggregate) -> None:
        """Apply whatever the store holds beyond our state (written by another process, which delivered it)."""
        events = await self._store(self.store.read(agg.id, agg.state.seq))
        for ev in events:
            agg.record(from_stored(ev))
        if events:
            for listener in self.caught_up:
                listener(agg)

    async def refresh(self, agg: Aggregate) -> bool:
        """Catch up if another process may have written (cheap when nothing is new); True if it had."""
        if await self._store(self.store.last_seq(agg.id)) > agg.state.seq:
            await self._catch_up(agg)
            return True
        return False

    async def _store(self, call: Awaitable[Any]) -> Any:
        try:
            return await call
        except StoreUnavailable as exc:
            raise Unavailable(f"storage is unreachable; nothing was recorded ({exc})") from None

    async def create(self, meeting_id: str, payload: Any) -> Created:
        """Validate a meeting spec, record `meeting.created`, and hand out one token per participant."""
        spec = parse(MeetingSpec, payload)
        events = create_meeting(meeting_id, spec)
        agg = Aggregate(meeting_id)
        ctx = Ctx(None, self.clock())
        records = stamp(agg.state, events, ctx)
        people = list(records[0].event.participants)  # type: ignore[attr-defined]
        tokens = {p["id"]: auth.new_token() for p in people}
        observer = auth.new_token() if spec.visibility == "public" else None
        display = auth.new_token()
        digests = {auth.digest(t): pid for pid, t in tokens.items()}
        digests[auth.digest(display)] = auth.DISPLAY
        if observer:
            digests[auth.digest(observer)] = auth.PUBLIC
        await self._store(self.store.put_tokens(meeting_id, digests))
        try:
            await self._store(self.store.append(meeting_id, 0, [to_stored(r) for r in records]))
        except AppendConflict:
            raise DomainError("a meeting with this id exists") from None
        for rec in records:
            agg.record(rec)
        self.meetings[meeting_id] = agg
        return Created(
            meeting_id, [i["id"] for i in records[0].event.items],  # type: ignore[attr-defined]
            [{"participant_id": p["id"], "name": p["name"], "role": p["role"], "token": tokens[p["id"]]}
             for p in people],
            observer,
            display,
        )

    def _deliver(self, agg: Aggregate, records: Sequence[Recorded]) -> None:
        """Queue a recorded batch for delivery; one task per meeting delivers batches in seq order."""
        agg.outbox.append(records)
        agg.idle.clear()
        if agg.sender is None or agg.sender.done():
            agg.sender = asyncio.get_running_loop().create_task(self._send(agg))

    async def _send(self, agg: Aggregate) -> None:
        while agg.outbox:
            records = agg.outbox[0]
            for publish in self.publishers:
                try:
                    await publish(agg, records)
                except Exception:  # one failed emit must not stop the meeting's deliveries
                    log.exception("delivery failed", extra={"meeting": agg.id, "seq": records[-1].seq})
            agg.outbox.popleft()
        agg.idle.set()

    async def drained(self, agg: Aggregate) -> None:
        """Wait until every recorded batch has been handed to the publishers (used by join, under the lock,
        so that a joiner gets each seq once: from its acknowledgement or from the room, never both)."""
        await agg.idle.wait()

    async def execute(self, meeting_id: str, actor: str | None, payload: Any, cid: str | None = None) -> list[Recorded]:
        """Decide, append (compare-and-append), evolve, publish. Returns the recorded events.

        With a command id (`cid`), a resend of a command already recorded is answered with the
        events it recorded then, and decided no second time.
        """
        agg = await self.get(meeting_id)
        if agg is None:
            raise NotFound("no such meeting")
        async with agg.lock:
            for _ in range(MAX_ATTEMPTS):
                if cid is not None and (actor, cid) in agg.cids:
                    last = agg.cids[(actor, cid)]
                    found = [r for r in agg.log if r.seq == last]
                    # Its first attempt may have failed after reaching the store (a timeout), or its
                    # process died before publishing: publish it again (clients ignore seqs they have).
                    self._deliver(agg, found)
                    return found
                last_at = agg.log[-1].at if agg.log else 0.0
                ctx = Ctx(actor, max(self.clock(), last_at))
                try:
                    events = decide(agg.state, payload, ctx)
                except DomainError:
                    if await self.refresh(agg):  # refused on a stale copy: decide again on the latest state
                        continue
                    raise
                if not events:
                    if await self.refresh(agg):
                        continue
                    return []
                records = stamp(agg.state, events, ctx)
                if cid is not None:
                    records[-1] = dataclasses.replace(records[-1], cid=cid)
                try:
                    await self._store(self.store.append(meeting_id, agg.state.seq, [to_stored(r) for r in records]))
                except AppendConflict:
                    await self._catch_up(agg)
                    continue
                for rec in records:
                    agg.record(rec)
                self._deliver(agg, records)
                return records
        raise Unavailable("the meeting is too busy right now; nothing was recorded, try again")
