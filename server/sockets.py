"""The Socket.IO edge: authenticate, join, run commands, deliver events and views.

Rooms per meeting M: `M:members` (every non-observer socket), `M:obs`
(observers), `M:p:PID` (each participant's own sockets). Events go to
`M:members` and `M:obs` in one redacted form each; private events go to each
member's own room, redacted for that member.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import socketio

from edlib.errors import Conflict, DomainError, Forbidden, Invalid, NotFound, RateLimited, TooLarge
from edlib.privacy import PUBLIC_OBSERVER, ROOM_DISPLAY, SPECIAL_VIEWERS, envelope, iso
from edlib.registry import COMMANDS, Recorded
from edlib.state import Participant
from edlib.types import Role

from . import auth
from .config import Config
from .hub import Aggregate, Hub
from .metrics import Metrics
from .store.base import StoreUnavailable
from .views import ViewScheduler

log = logging.getLogger("edlib.socket")


class Refused(socketio.exceptions.ConnectionRefusedError):
    """A connect refusal whose data is {"code", "message"} (protocol.md).

    The same pair is repeated under "data" because the JavaScript client hands only `data` to its
    `connect_error` handler (as `err.data`), while other clients receive the whole object.
    """

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.error_args = {"code": code, "message": message, "data": {"code": code, "message": message}}


@dataclass
class Bucket:
    """Token bucket: `rate` per second sustained, `burst` at once."""

    rate: float
    burst: float
    tokens: float = 0.0
    at: float = field(default_factory=time.monotonic)

    def take(self) -> bool:
        now = time.monotonic()
        self.tokens = min(self.burst, self.tokens + (now - self.at) * self.rate)
        self.at = now
        if self.tokens >= 1:
            self.tokens -= 1
            return True
        return False


def viewer_of(agg: Aggregate, pid: str) -> Participant:
    return SPECIAL_VIEWERS.get(pid) or agg.state.participants[pid]


def error(exc: DomainError) -> dict[str, Any]:
    return {"ok": False, "error": exc.as_dict()}


class SocketEdge:
    def __init__(self, sio: socketio.AsyncServer, hub: Hub, config: Config, metrics: Metrics) -> None:
        self.sio, self.hub, self.config, self.metrics = sio, hub, config, metrics
        self.buckets: dict[str, Bucket] = {}
        self.views = ViewScheduler(sio, hub, config, self.connected)
        hub.caught_up.append(self.views.adopt)
        self.online: dict[str, dict[str, int]] = {}  # meeting -> participant -> sockets
        hub.subscribe(self.publish)
        sio.on("connect", self.on_connect)
        sio.on("disconnect", self.on_disconnect)
        sio.on("join", self.on_join)
        sio.on("command", self.on_command)
        sio.on("*", self.on_other)

    def connected(self, meeting_id: str) -> frozenset[str]:
        return frozenset(pid for pid, n in self.online.get(meeting_id, {}).items() if n > 0)

    async def on_connect(self, sid: str, environ: dict[str, Any], auth_data: Any = None) -> None:
        token = auth_data.get("token") if isinstance(auth_data, dict) else None
        if not isinstance(token, str) or not token or len(token) > 200:
            raise Refused("unauthorized", "a participant token is required (auth = {token})")
        try:
            found = await self.hub.store.find_token(auth.digest(token))
        except Exception:
            raise Refused("unavailable", "storage is unreachable; try again shortly") from None
        if found is None:
            raise Refused("unauthorized", "unknown or revoked token")
        meeting_id, pid = found
        await self.sio.save_session(sid, {"meeting": meeting_id, "pid": pid, "joined": False})
        self.buckets[sid] = Bucket(self.config.rate_per_s, self.config.rate_burst, self.config.rate_burst)
        self.metrics.connections += 1

    async def on_disconnect(self, sid: str, reason: Any = None) -> None:
        self.buckets.pop(sid, None)
        self.metrics.connections -= 1
        session = await self.sio.get_session(sid)
        if session.get("joined"):
            mid, pid = session["meeting"], session["pid"]
            online = self.online.setdefault(mid, {})
            online[pid] = max(0, online.get(pid, 1) - 1)
            if online[pid] == 0:
                self._connection_changed(mid, pid)
            if pid not in SPECIAL_VIEWERS:
                with contextlib.suppress(StoreUnavailable):
                    await self.hub.store.connections(mid, pid, -1)
            if online[pid] == 0 and pid not in SPECIAL_VIEWERS:
                asyncio.get_running_loop().call_later(
                    self.config.grace_s, lambda: asyncio.ensure_future(self._after_grace(mid, pid)))

    def _connection_changed(self, meeting_id: str, pid: str) -> None:
        """A participant came online or went offline: the floor view shows it only for members on the list."""
        agg = self.hub.meetings.get(meeting_id)
        if agg is not None and any(r.participant_id == pid for r in agg.state.floor.queue):
            self.views.touch(meeting_id, {"floor"})

    async def _after_grace(self, meeting_id: str, pid: str) -> None:
        """A member still offline after the grace period loses their place on the list of speakers."""
        if self.online.get(meeting_id, {}).get(pid, 0) > 0:
            return
        try:
            if await self.hub.store.connections(meeting_id, pid, 0) > 0:
                return  # connected to another server process
        except StoreUnavailable:
            return  # unsure: keep the place
        try:
            await self.hub.execute(meeting_id, None, {"type": "floor.drop_absent", "participant_id": pid})
        except DomainError as exc:
            log.warning("grace period expiry not recorded", extra={"meeting": meeting_id, "code": str(exc.code)})

    def _limited(self, sid: str) -> bool:
        bucket = self.buckets.get(sid)
        return bucket is not None and not bucket.take()

    async def on_join(self, sid: str, data: Any = None) -> dict[str, Any]:
        if self._limited(sid):
            return error(RateLimited("too many messages; slow down"))
        session = await self.sio.get_session(sid)
        since = None
        if isinstance(data, dict) and data.get("since") is not None:
            since = data["since"]
            if isinstance(since, bool) or not isinstance(since, int) or since < 0:
                return error(Invalid("'since' must be a whole number ≥ 0", field="since"))
        elif data is not None and not isinstance(data, dict):
            return error(Invalid("join takes an object {since}"))
        try:
            agg = await self.hub.get(session["meeting"])
            if agg is None:
                raise NotFound("no such meeting")
            async with agg.lock:
                await self.hub.drained(agg)  # what is recorded so far has reached the room: no duplicates
                # Rooms first, then the catch-up read: an event another process publishes meanwhile then
                # arrives twice at worst (clients drop seqs they have), never not at all.
                viewer = viewer_of(agg, session["pid"])
                mid = agg.id
                if viewer.role is Role.OBSERVER and viewer.id != auth.DISPLAY:
                    await self.sio.enter_room(sid, f"{mid}:obs")
                else:
                    await self.sio.enter_room(sid, f"{mid}:members")
                    await self.sio.enter_room(sid, f"{mid}:p:{viewer.id}")
                await self.hub.refresh(agg)
                viewer = viewer_of(agg, session["pid"])
                if not session["joined"]:
                    online = self.online.setdefault(mid, {})
                    online[viewer.id] = online.get(viewer.id, 0) + 1
                    session["joined"] = True
                    await self.sio.save_session(sid, session)
                    if online[viewer.id] == 1:
                        self._connection_changed(mid, viewer.id)
                    if viewer.id not in SPECIAL_VIEWERS:
                        with contextlib.suppress(StoreUnavailable):
                            await self.hub.store.connections(mid, viewer.id, 1)
                out: dict[str, Any] = {
                    "ok": True, "seq": agg.state.seq, "server_time": iso(self.hub.clock()),
                    "you": {"participant_id": viewer.id, "role": str(viewer.role), "name": viewer.name},
                }
                if since is None or since > agg.state.seq:
                    from edlib.views import snapshot

                    out["snapshot"] = snapshot(agg.state, viewer)
                else:
                    out["events"] = [envelope(agg.state, r, viewer) for r in agg.log[since:]]
                out["views"] = self.views.current(agg, viewer)
                return out
        except DomainError as exc:
            return error(exc)

    async def on_command(self, sid: str, data: Any = None) -> dict[str, Any]:
        started = time.perf_counter()
        kind = data.get("type") if isinstance(data, dict) and isinstance(data.get("type"), str) else "?"
        kind = kind if len(kind) <= 64 else "?"
        try:
            if self._limited(sid):
                raise RateLimited("too many commands; wait a moment and try again")
            session = await self.sio.get_session(sid)
            if not session.get("joined"):
                raise Conflict("join the meeting before sending commands")
            if len(json.dumps(data, ensure_ascii=False)) > self.config.max_payload:
                raise TooLarge(f"a command may not exceed {self.config.max_payload} bytes")
            if session["pid"] in SPECIAL_VIEWERS:
                raise Forbidden("this link is read-only")
            cid = None
            if isinstance(data, dict) and "cid" in data:
                data = dict(data)
                cid = data.pop("cid")
                if not isinstance(cid, str) or not 0 < len(cid) <= 64:
                    raise Invalid("'cid' must be a string of 1 to 64 characters", field="cid")
            records = await self.hub.execute(session["meeting"], session["pid"], data, cid)
            agg = self.hub.meetings[session["meeting"]]
            self.metrics.command(kind, "ok", time.perf_counter() - started)
            log.info("command", extra={"meeting": session["meeting"], "actor": session["pid"], "type": kind,
                                       "outcome": "ok", "seq": agg.state.seq, "events": len(records)})
            return {"ok": True, "seq": records[-1].seq if records else agg.state.seq}
        except DomainError as exc:
            self.metrics.command(kind if kind in COMMANDS else "?", str(exc.code), time.perf_counter() - started)
            log.info("command refused", extra={"type": kind, "outcome": str(exc.code)})
            return error(exc)
        except Exception:  # a bug must not cost the connection
            log.exception("command failed", extra={"type": kind})
            self.metrics.command(kind if kind in COMMANDS else "?", "internal", time.perf_counter() - started)
            return {"ok": False, "error": {"code": "internal", "message": "the server failed on this command; "
                                           "nothing was recorded"}}

    async def on_other(self, event: str, sid: str, data: Any = None) -> dict[str, Any]:
        return error(Invalid(f"unknown message '{str(event)[:40]}'; send 'join' or 'command'"))

    async def publish(self, agg: Aggregate, records: Sequence[Recorded]) -> None:
        """Deliver new events to every socket of the meeting, redacted per viewer class."""
        mid, state = agg.id, agg.state
        obs = PUBLIC_OBSERVER
        for rec in records:
            if rec.event.private:
                for viewer in [*state.participants.values(), ROOM_DISPLAY]:
                    if viewer.role is not Role.OBSERVER or viewer is ROOM_DISPLAY:
                        await self.sio.emit("event", envelope(state, rec, viewer), to=f"{mid}:p:{viewer.id}")
            else:
                member = next((p for p in state.participants.values() if p.role is not Role.OBSERVER), None)
                await self.sio.emit("event", envelope(state, rec, member), to=f"{mid}:members")
            await self.sio.emit("event", envelope(state, rec, obs), to=f"{mid}:obs")
        self.metrics.events += len(records)
        self.views.after(agg, records)
