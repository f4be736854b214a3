"""decide / evolve: the two functions every adapter calls.

`decide(state, payload, ctx)` parses an untrusted payload, checks the actor's
role against the registry, and returns the events the command produces (or
raises a DomainError). `evolve(state, recorded)` applies one event.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

# Importing the concept modules fills the registry.
from . import arguments, delphi_commands, floor, links, meeting  # noqa: F401
from .errors import Forbidden, Invalid, NotFound, TooLarge
from .registry import COMMANDS, EVOLVERS, Command, CommandSpec, Ctx, Event, Recorded
from .schema import parse
from .state import MeetingState

MAX_TYPE = 64


def spec_for(payload: Any) -> CommandSpec:
    """The registry entry for a payload's `type`, or Invalid."""
    if not isinstance(payload, Mapping):
        raise Invalid("a command must be an object with a 'type'")
    name = payload.get("type")
    if not isinstance(name, str) or not name:
        raise Invalid("missing field 'type'", field="type")
    if len(name) > MAX_TYPE:
        raise TooLarge("'type' is too long", field="type")
    spec = COMMANDS.get(name)
    if spec is None:
        raise Invalid(f"unknown command type '{name[:MAX_TYPE]}'", field="type")
    return spec


def parse_command(payload: Any) -> tuple[CommandSpec, Command]:
    spec = spec_for(payload)
    return spec, parse(spec.cls, payload)


def authorize(state: MeetingState, spec: CommandSpec, ctx: Ctx) -> None:
    """Role check from the registry: the one place permissions are decided."""
    if not state.created:
        raise NotFound("no such meeting")
    if ctx.actor is None or spec.system:
        if ctx.actor is None and spec.system:
            return
        raise Forbidden(f"{spec.name} is sent by the server itself" if spec.system else "no actor")
    actor = state.participants.get(ctx.actor)
    if actor is None:
        raise Forbidden("unknown participant")
    if actor.role not in spec.roles:
        allowed = ", ".join(sorted(str(r) for r in spec.roles))
        raise Forbidden(f"the role {actor.role} may not send {spec.name} (allowed: {allowed})")


def decide(state: MeetingState, payload: Any, ctx: Ctx) -> list[Event]:
    """Events that the command produces; raises DomainError and changes nothing when refused."""
    spec = spec_for(payload)
    authorize(state, spec, ctx)  # before parsing: an observer learns nothing about payload rules
    return spec.handler(state, parse(spec.cls, payload), ctx)


def evolve(state: MeetingState, recorded: Recorded) -> MeetingState:
    """Apply one recorded event; seqs must follow each other without gaps."""
    if recorded.seq != state.seq + 1:
        raise ValueError(f"event {recorded.seq} does not follow {state.seq}")
    EVOLVERS[type(recorded.event)](state, recorded.event, recorded)
    state.seq = recorded.seq
    return state


def replay(records: Iterable[Recorded], state: MeetingState | None = None) -> MeetingState:
    """Fold a log into a state."""
    state = state if state is not None else MeetingState()
    for rec in records:
        evolve(state, rec)
    return state


def stamp(state: MeetingState, events: list[Event], ctx: Ctx) -> list[Recorded]:
    """Give decided events their seqs, time and actor, following the state's last seq."""
    return [Recorded(state.seq + i, ctx.now, ctx.actor, e) for i, e in enumerate(events, start=1)]


def events_data(events: Iterable[Event]) -> list[dict[str, Any]]:
    return [e.to_data() for e in events]
