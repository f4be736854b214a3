"""Derived views pushed to the room, coalesced: a burst of events yields one update per view.

The writer of a burst schedules one flush `view_delay_s` later; the flush
computes each dirty view once from the state as it is then and emits it with the
seq it reflects. Views that differ per viewer (Delphi) go to each member's room.

The map's expensive analyses (feedback loops, potent options) never run on the
event loop: after a change they are computed, debounced by `analysis_delay_s`,
in a worker thread on a frozen snapshot of the map, and merged into the next
`map` view as `analysis` (with the map version it describes).
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable, Sequence
from typing import Any

import socketio

from edlib import views as V
from edlib.cogmap.view import map_analysis, view_patch
from edlib.mapping import collective_map
from edlib.privacy import PUBLIC_OBSERVER, ROOM_DISPLAY, sees_content
from edlib.registry import Recorded
from edlib.state import Participant
from edlib.types import Role

from .config import Config
from .hub import Aggregate, Hub

log = logging.getLogger("edlib.views")

ALL = frozenset({"map", "floor", "participation", "delphi"})
BY_PREFIX = {
    "argument": {"participation"},
    "link": {"map", "participation"},
    "concept": {"map"},
    "floor": {"floor", "participation"},
    "presence": {"participation", "floor"},
    "delphi": {"delphi"},
    "decision": set(),
    "item": ALL,
    "meeting": ALL,
    "facilitator": ALL,
}


def dirty_views(records: Sequence[Recorded]) -> set[str]:
    out: set[str] = set()
    for rec in records:
        out |= BY_PREFIX.get(rec.event.name.split(".", 1)[0], ALL)
    return out


def map_items(agg: Aggregate, records: Sequence[Recorded]) -> set[str]:
    """Items whose map the records changed."""
    items: set[str] = set()
    for rec in records:
        data = rec.event.to_data()
        if rec.event.name in ("link.asserted", "concept.merged", "concept.renamed"):
            items.add(data["item_id"])
        elif rec.event.name == "link.retracted":
            items.add(agg.state.links[data["link_id"]].item_id)
    return items


class ViewScheduler:
    def __init__(self, sio: socketio.AsyncServer, hub: Hub, config: Config,
                 connected: Callable[[str], frozenset[str]]) -> None:
        self.sio, self.hub, self.config, self.connected = sio, hub, config, connected
        self.dirty: dict[str, set[str]] = {}
        self.tasks: dict[str, asyncio.Task[None]] = {}
        self.flushes = 0
        self.analysis: dict[tuple[str, str], dict[str, Any]] = {}  # (meeting, item) -> latest map_analysis
        self.analysing: dict[tuple[str, str], asyncio.Task[None]] = {}
        self.last_map: dict[tuple[str, str], dict[str, Any]] = {}
        self.observer_sent: dict[str, float] = {}  # meeting -> monotonic time of the last gallery participation push
        self.observer_tasks: dict[str, asyncio.Task[None]] = {}  # (meeting, item) -> last map view broadcast

    def adopt(self, agg: Aggregate) -> None:
        """Events written (and delivered) by another process were applied here: take the maps as they are now
        as this process's last broadcast, so that its next patch starts from the version clients already hold
        rather than from an older one (which would make them join again)."""
        if not any(key[0] == agg.id for key in self.last_map):
            return  # nothing broadcast from here yet: the first flush sends full maps anyway
        for item_id, view in self.compute(agg, "map", None).items():
            self.last_map[(agg.id, item_id)] = view

    def after(self, agg: Aggregate, records: Sequence[Recorded]) -> None:
        self.touch(agg.id, dirty_views(records))
        for item in map_items(agg, records):
            key = (agg.id, item)
            if key not in self.analysing:
                self.analysing[key] = asyncio.get_running_loop().create_task(self._analyse(agg, item))

    async def _analyse(self, agg: Aggregate, item_id: str) -> None:
        """Loops and potent options of one item's map, off the loop, debounced; then a fresh map view."""
        key = (agg.id, item_id)
        try:
            await asyncio.sleep(self.config.analysis_delay_s)
            del self.analysing[key]
            snap = collective_map(agg.state, item_id).snapshot()
            self.analysis[key] = await asyncio.to_thread(map_analysis, snap)
            self.touch(agg.id, {"map"})
        except Exception:
            log.exception("map analysis failed", extra={"meeting": agg.id, "item": item_id})
            self.analysing.pop(key, None)

    def touch(self, meeting_id: str, names: set[str]) -> None:
        if not names:
            return
        self.dirty.setdefault(meeting_id, set()).update(names)
        if meeting_id not in self.tasks:
            self.tasks[meeting_id] = asyncio.get_running_loop().create_task(self._flush_later(meeting_id))

    async def _flush_later(self, meeting_id: str) -> None:
        try:
            await asyncio.sleep(self.config.view_delay_s)
            names = self.dirty.pop(meeting_id, set())
            del self.tasks[meeting_id]
            agg = self.hub.meetings.get(meeting_id)
            if agg is not None and names:
                await self.flush(agg, names)
        except Exception:
            log.exception("view update failed", extra={"meeting": meeting_id})
            self.tasks.pop(meeting_id, None)

    def compute(self, agg: Aggregate, name: str, viewer: Participant | None) -> Any:
        s = agg.state
        if name == "map":
            views = V.map_views(s)
            for item_id, view in views.items():
                view["analysis"] = self.analysis.get((agg.id, item_id))
            return views
        if name == "floor":
            return V.floor_view(s, self.connected(agg.id))
        if name == "participation":
            return V.participation_view(s)
        if name == "delphi":
            return V.delphi_view(s, viewer)
        raise KeyError(name)

    def current(self, agg: Aggregate, viewer: Participant) -> dict[str, Any]:
        """All views for one viewer, as of now (sent with the join acknowledgement).

        A map with no analysis yet (after a restart) gets one scheduled, pushed when ready.
        """
        for item_id, cmap in agg.state.maps.items():
            key = (agg.id, item_id)
            if key not in self.analysis and key not in self.analysing and cmap.link_count:
                self.analysing[key] = asyncio.get_running_loop().create_task(self._analyse(agg, item_id))
        if not sees_content(agg.state, viewer):
            return {"delphi": self._wrap(agg, "delphi", V.delphi_view(agg.state, viewer))} \
                if agg.state.results_published else {}
        return {name: self._wrap(agg, name, self.compute(agg, name, viewer)) for name in sorted(ALL)}

    def _wrap(self, agg: Aggregate, name: str, data: Any) -> dict[str, Any]:
        return {"name": name, "seq": agg.state.seq, "data": data}

    async def flush(self, agg: Aggregate, names: set[str]) -> None:
        mid, s = agg.id, agg.state
        public = sees_content(s, PUBLIC_OBSERVER)
        for name in sorted(names):
            if name == "delphi":
                for p in [*s.participants.values(), ROOM_DISPLAY]:
                    if p.role is not Role.OBSERVER or p is ROOM_DISPLAY:
                        await self.sio.emit("view", self._wrap(agg, name, V.delphi_view(s, p)), to=f"{mid}:p:{p.id}")
                if public or s.results_published:
                    data = V.delphi_view(s, PUBLIC_OBSERVER)
                    await self.sio.emit("view", self._wrap(agg, name, data), to=f"{mid}:obs")
                continue
            if name == "map":
                name, data = "map_patch", self._map_patches(agg)
                if not data:
                    continue
            else:
                data = self.compute(agg, name, None)
            payload = self._wrap(agg, name, data)
            await self.sio.emit("view", payload, to=f"{mid}:members")
            if public and name == "participation":
                self._observers_later(agg)
            elif public:
                await self.sio.emit("view", payload, to=f"{mid}:obs")
        self.flushes += 1

    def _observers_later(self, agg: Aggregate) -> None:
        """The public gallery gets the participation view at most every `observer_view_interval_s`.

        It is the largest view (a row per member) and matters least to observers; with hundreds of them,
        pushing it after every burst costs more than everything else edlib does (bench/fanout).
        """
        if agg.id in self.observer_tasks:
            return
        wait = max(0.0, self.observer_sent.get(agg.id, 0.0) + self.config.observer_view_interval_s - time.monotonic())

        async def send() -> None:
            try:
                await asyncio.sleep(wait)
                self.observer_sent[agg.id] = time.monotonic()
                data = self.compute(agg, "participation", None)
                await self.sio.emit("view", self._wrap(agg, "participation", data), to=f"{agg.id}:obs")
            except Exception:
                log.exception("observer view update failed", extra={"meeting": agg.id})
            finally:
                self.observer_tasks.pop(agg.id, None)

        self.observer_tasks[agg.id] = asyncio.get_running_loop().create_task(send())

    def _map_patches(self, agg: Aggregate) -> dict[str, Any]:
        """Per item, what changed since the last map broadcast (a full view when there was none).

        A client applies a patch only onto the version named in `base`; otherwise it joins again
        (the join acknowledgement carries full views). Patches keep each update small: a full map of
        1,000 concepts is about 1 MB of JSON, too much to encode on the event loop at every change.
        """
        out: dict[str, Any] = {}
        for item_id, view in self.compute(agg, "map", None).items():
            before = self.last_map.get((agg.id, item_id))
            if before is not None and (before["version"], before["analysis"]) == (view["version"], view["analysis"]):
                continue  # nothing new on this item's map
            if before is None:
                out[item_id] = {"full": view}
            else:
                patch = view_patch(before, view)
                patch["analysis"] = view["analysis"]
                out[item_id] = {"patch": patch}
            self.last_map[(agg.id, item_id)] = view
        return out
