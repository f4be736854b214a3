"""The one registry: wire name -> command type, handler and the roles allowed to send it.

Concept modules register themselves with `@handles(...)`, `@event(...)` and
`@evolves(...)`. The protocol document, the permission tests and the web
client's constants are all generated from `COMMANDS` and `EVENTS`.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar

from .types import ParticipantId, Role, Seq, Timestamp

if TYPE_CHECKING:
    from .state import MeetingState


@dataclass(frozen=True)
class Command:
    """A request to change a meeting, parsed from the wire. Named imperatively."""

    name: ClassVar[str] = ""


@dataclass(frozen=True)
class Event:
    """Something that happened to a meeting. Named in the past tense.

    `private` events (an individual Delphi answer) reach only their author; the
    facilitator learns that they happened, nobody else even that.
    """

    name: ClassVar[str] = ""
    private: ClassVar[bool] = False

    def to_data(self) -> dict[str, Any]:
        return {f.name.rstrip("_"): getattr(self, f.name) for f in dataclasses.fields(self)}


@dataclass(frozen=True)
class Ctx:
    """Who acts and when: passed in, because the core has no clock and no sessions."""

    actor: ParticipantId | None  # None: the server itself (meeting creation, timers)
    now: Timestamp


@dataclass(frozen=True)
class Recorded:
    """An event with its place in the log."""

    seq: Seq
    at: Timestamp
    actor: ParticipantId | None
    event: Event
    cid: str | None = None  # the client's command id (idempotent resend), on the last event of a batch


Handler = Callable[["MeetingState", Any, Ctx], list[Event]]
Evolver = Callable[["MeetingState", Any, Recorded], None]


@dataclass(frozen=True)
class CommandSpec:
    name: str
    cls: type[Command]
    handler: Handler
    roles: frozenset[Role]
    summary: str
    own_only: bool  # councillors may act only on what they own (withdraw, retract)
    system: bool = False  # sent only by the server itself (actor None), never by a client


COMMANDS: dict[str, CommandSpec] = {}
EVENTS: dict[str, type[Event]] = {}
EVOLVERS: dict[type[Event], Evolver] = {}

FACILITATOR = frozenset({Role.FACILITATOR})
MEMBERS = frozenset({Role.FACILITATOR, Role.COUNCILLOR})
ANY = frozenset({Role.FACILITATOR, Role.COUNCILLOR, Role.SECRETARY})
SYSTEM: frozenset[Role] = frozenset()  # with system=True: the server's own commands (timers, grace periods)

C = TypeVar("C", bound=type)


def command(name: str) -> Callable[[C], C]:
    """Name a command class."""

    def wrap(cls: C) -> C:
        cls.name = name  # type: ignore[attr-defined]
        return cls

    return wrap


def event(name: str, *, private: bool = False) -> Callable[[C], C]:
    """Name and register an event class."""

    def wrap(cls: C) -> C:
        if name in EVENTS:
            raise ValueError(f"event {name} registered twice")
        cls.name = name  # type: ignore[attr-defined]
        cls.private = private  # type: ignore[attr-defined]
        EVENTS[name] = cls
        return cls

    return wrap


def handles(
    cls: type[Command], roles: frozenset[Role], *, own_only: bool = False, system: bool = False
) -> Callable[[Handler], Handler]:
    """Register the handler of a command together with the roles that may send it."""

    def wrap(fn: Handler) -> Handler:
        if cls.name in COMMANDS:
            raise ValueError(f"command {cls.name} registered twice")
        doc = (fn.__doc__ or cls.__doc__ or "").strip().splitlines()
        COMMANDS[cls.name] = CommandSpec(cls.name, cls, fn, roles, doc[0] if doc else "", own_only, system)
        return fn

    return wrap


def evolves(cls: type[Event]) -> Callable[[Evolver], Evolver]:
    def wrap(fn: Evolver) -> Evolver:
        EVOLVERS[cls] = fn
        return fn

    return wrap


def event_from_data(name: str, data: Mapping[str, Any]) -> Event:
    """Rebuild an event from its stored form (the inverse of `Event.to_data`)."""
    cls = EVENTS[name]
    kwargs = {}
    for f in dataclasses.fields(cls):
        key = f.name.rstrip("_")
        if key in data:
            kwargs[f.name] = data[key]
    return cls(**kwargs)
