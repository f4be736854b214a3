"""Test support for the core: given events, when a command, then events or a coded error."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from edlib.core import decide, evolve, stamp
from edlib.errors import DomainError
from edlib.meeting import MeetingSpec, create_meeting
from edlib.registry import Ctx, Event, Recorded
from edlib.schema import parse
from edlib.state import MeetingState

SPEC: dict[str, Any] = {
    "title": "Commissie Mobiliteit",
    "council": "Jette",
    "kind": "committee",
    "visibility": "closed",
    "groups": [
        {"id": "g1", "name": "Groen", "side": "majority", "seats": 6},
        {"id": "g2", "name": "Liberalen", "side": "opposition", "seats": 4},
    ],
    "items": [
        {"title": "Schoolstraat", "draft_decision": "De raad beslist ...", "documents": ["https://example.org/a"]},
        {"title": "Parkeren", "draft_decision": "..."},
    ],
    "participants": [
        {"name": "Anne Mertens", "role": "facilitator"},
        {"name": "Sofie Janssens", "role": "councillor", "group": "g1"},
        {"name": "Luc Peeters", "role": "councillor", "group": "g2"},
        {"name": "Claire Dubois", "role": "councillor", "group": "g1"},
        {"name": "Thomas Leclercq", "role": "secretary"},
        {"name": "Pers", "role": "observer"},
    ],
}

FAC, SOFIE, LUC, CLAIRE, SEC, OBS = "p1", "p2", "p3", "p4", "p5", "p6"
T0 = 1_800_000_000.0  # a fixed instant; the core never reads a clock


class Meeting:
    """A meeting driven through decide/evolve exactly as the server does, with injected time."""

    def __init__(self, spec: dict[str, Any] | None = None, *, sitting: bool = True) -> None:
        self.state = MeetingState()
        self.log: list[Recorded] = []
        self.now = T0
        self._apply(create_meeting("m1", parse(MeetingSpec, spec or SPEC)), Ctx(None, self.now))
        if sitting:
            self.do(FAC, type="meeting.start")
            self.do(FAC, type="item.open", item_id="i1")

    def _apply(self, events: list[Event], ctx: Ctx) -> list[Event]:
        for rec in stamp(self.state, events, ctx):
            evolve(self.state, rec)
            self.log.append(rec)
        return events

    def at(self, seconds: float) -> Meeting:
        """Move the injected clock to T0 + seconds."""
        self.now = T0 + seconds
        return self

    def do(self, actor: str, **payload: Any) -> list[Event]:
        ctx = Ctx(actor, self.now)
        return self._apply(decide(self.state, payload, ctx), ctx)

    def refused(self, actor: str, code: str, **payload: Any) -> DomainError:
        """Assert the command is refused with `code` and that the state did not change."""
        before = copy.deepcopy(self.state)
        with pytest.raises(DomainError) as info:
            decide(self.state, payload, Ctx(actor, self.now))
        assert str(info.value.code) == code, f"{payload}: {info.value.code} {info.value.message}"
        assert self.state == before
        return info.value

    def argument(self, actor: str, text: str = "Een argument", **extra: Any) -> str:
        [ev] = self.do(actor, type="argument.add", item_id="i1", text=text, stance="pro", category="effect", **extra)
        return ev.argument_id  # type: ignore[attr-defined, no-any-return]
