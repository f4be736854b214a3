"""The floor: the list of speakers, its policies, speaking turns and their timers.

Time comes only from recorded events (`Recorded.at`) and from `Ctx.now`; nothing
ticks. A turn's elapsed time excludes pauses; an overrun is the time spoken
beyond the limit.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from .errors import Conflict, NotFound
from .meeting import participant_of, require_sitting
from .registry import FACILITATOR, MEMBERS, SYSTEM, Command, Ctx, Event, Recorded, command, event, evolves, handles
from .schema import Ident, Range
from .state import Floor, MeetingState, Request, Speech, Turn
from .types import FloorKind, FloorPolicy, ParticipantId, Role, Side

PRIORITY = {FloorKind.POINT_OF_ORDER: 0, FloorKind.REPLY: 1, FloorKind.SPEAK: 2}


def spoken_seconds(floor: Floor, item_id: str | None) -> dict[ParticipantId, float]:
    """Total speaking time per participant on an item (all items when None), finished turns only."""
    out: dict[ParticipantId, float] = {}
    for sp in floor.speeches:
        if item_id is None or sp.item_id == item_id:
            out[sp.participant_id] = out.get(sp.participant_id, 0.0) + sp.duration
    return out


def next_request(s: MeetingState) -> tuple[Request, str] | None:
    """The request the active policy puts next, and why (a short reason code for the facilitator).

    Points of order go first, then replies to the current speaker, then speakers by policy;
    ties keep list order (which the facilitator may rearrange).
    """
    floor = s.floor
    if not floor.queue:
        return None
    top = min(PRIORITY[r.kind] for r in floor.queue)
    if top < PRIORITY[FloorKind.SPEAK]:
        req = next(r for r in floor.queue if PRIORITY[r.kind] == top)
        return req, str(req.kind)
    speakers = [r for r in floor.queue if r.kind is FloorKind.SPEAK]
    item = s.current_item
    if floor.policy is FloorPolicy.FIRST_TIME_FIRST:
        spoken = spoken_seconds(floor, item)
        fresh = [r for r in speakers if r.participant_id not in spoken]
        if fresh:
            return fresh[0], "first_time"
        return speakers[0], "fifo"
    if floor.policy is FloorPolicy.ALTERNATE_GROUPS:
        last = _last_side(s)
        want = Side.OPPOSITION if last is Side.MAJORITY else Side.MAJORITY if last is Side.OPPOSITION else None
        if want is not None:
            match = [r for r in speakers if s.participants[r.participant_id].side is want]
            if match:
                return match[0], f"alternate_{want}"
        return speakers[0], "fifo"
    if floor.policy is FloorPolicy.LEAST_TIME_FIRST:
        spoken = spoken_seconds(floor, item)
        least = min(speakers, key=lambda r: spoken.get(r.participant_id, 0.0))  # min keeps the first of equals
        return least, "least_time"
    return speakers[0], "fifo"


def _last_side(s: MeetingState) -> Side | None:
    """Side of the speaker who last held the floor with a party group."""
    turns = [sp.participant_id for sp in s.floor.speeches]
    if s.floor.current is not None:
        turns.append(s.floor.current.participant_id)
    for pid in reversed(turns):
        side = s.participants[pid].side
        if side is not Side.NONE:
            return side
    return None


def _queued(floor: Floor, pid: str) -> Request | None:
    return next((r for r in floor.queue if r.participant_id == pid), None)


@command("floor.request")
@dataclass(frozen=True)
class RequestFloor(Command):
    kind: FloorKind = FloorKind.SPEAK
    about: Ident | None = None


@command("floor.add")
@dataclass(frozen=True)
class AddToFloor(Command):
    participant_id: Ident
    kind: FloorKind = FloorKind.SPEAK


@event("floor.requested")
@dataclass(frozen=True)
class FloorRequested(Event):
    participant_id: str
    kind: str
    about: str | None
    added_by: str | None  # the facilitator's id for a hand raised in the chamber


def _request(s: MeetingState, pid: str, kind: FloorKind, about: str | None, by: str | None) -> list[Event]:
    require_sitting(s)
    who = participant_of(s, pid)
    if who.role is Role.OBSERVER:
        raise Conflict("observers do not take the floor", field="participant_id")
    if s.floor.closed and kind is not FloorKind.POINT_OF_ORDER:
        raise Conflict("the list of speakers is closed (points of order are still taken)")
    if _queued(s.floor, pid) is not None:
        raise Conflict(f"{who.name} is already on the list of speakers")
    if kind is FloorKind.REPLY and s.floor.current is None:
        raise Conflict("there is no speaker to reply to", field="kind")
    if about is not None and about not in s.arguments:
        raise NotFound(f"no argument '{about}'", field="about")
    return [FloorRequested(participant_id=pid, kind=str(kind), about=about, added_by=by)]


@handles(RequestFloor, MEMBERS)
def request_floor(s: MeetingState, c: RequestFloor, ctx: Ctx) -> list[Event]:
    """Ask for the floor: to speak, to reply to the current speaker, or on a point of order."""
    return _request(s, ctx.actor or "", c.kind, c.about, None)


@handles(AddToFloor, FACILITATOR)
def add_to_floor(s: MeetingState, c: AddToFloor, ctx: Ctx) -> list[Event]:
    """Put a hand raised in the chamber on the list, for someone without a device."""
    return _request(s, c.participant_id, c.kind, None, ctx.actor)


@evolves(FloorRequested)
def _requested(s: MeetingState, e: FloorRequested, r: Recorded) -> None:
    s.floor.queue.append(Request(e.participant_id, FloorKind(e.kind), e.about, r.at, r.seq, e.added_by))


@command("floor.withdraw")
@dataclass(frozen=True)
class WithdrawRequest(Command):
    pass


@command("floor.remove")
@dataclass(frozen=True)
class RemoveRequest(Command):
    participant_id: Ident


@event("floor.withdrawn")
@dataclass(frozen=True)
class RequestWithdrawn(Event):
    participant_id: str
    by: str | None  # None when withdrawn by the member (or the server), else the facilitator
    reason: str | None = None  # "absent": disconnected for longer than the grace period


@handles(WithdrawRequest, MEMBERS)
def withdraw_request(s: MeetingState, c: WithdrawRequest, ctx: Ctx) -> list[Event]:
    """Take your name off the list of speakers."""
    if _queued(s.floor, ctx.actor or "") is None:
        raise Conflict("you are not on the list of speakers")
    return [RequestWithdrawn(participant_id=ctx.actor or "", by=None)]


@handles(RemoveRequest, FACILITATOR)
def remove_request(s: MeetingState, c: RemoveRequest, ctx: Ctx) -> list[Event]:
    """Take someone off the list of speakers."""
    if _queued(s.floor, c.participant_id) is None:
        raise NotFound("that participant is not on the list", field="participant_id")
    return [RequestWithdrawn(participant_id=c.participant_id, by=ctx.actor)]


@command("floor.drop_absent")
@dataclass(frozen=True)
class DropAbsent(Command):
    participant_id: Ident


@handles(DropAbsent, SYSTEM, system=True)
def drop_absent(s: MeetingState, c: DropAbsent, ctx: Ctx) -> list[Event]:
    """The server removes the request of a member disconnected for longer than the grace period."""
    req = _queued(s.floor, c.participant_id)
    if req is None or req.added_by is not None:  # a hand raised in the chamber has no device to lose
        return []
    return [RequestWithdrawn(participant_id=c.participant_id, by=None, reason="absent")]


@evolves(RequestWithdrawn)
def _withdrawn(s: MeetingState, e: RequestWithdrawn, r: Recorded) -> None:
    s.floor.queue = [q for q in s.floor.queue if q.participant_id != e.participant_id]


@command("floor.move")
@dataclass(frozen=True)
class MoveRequest(Command):
    participant_id: Ident
    position: Annotated[int, Range(0, 10000)]


@event("floor.moved")
@dataclass(frozen=True)
class RequestMoved(Event):
    participant_id: str
    position: int


@handles(MoveRequest, FACILITATOR)
def move_request(s: MeetingState, c: MoveRequest, ctx: Ctx) -> list[Event]:
    """Reorder the list: put a request at a position (0 = first)."""
    if _queued(s.floor, c.participant_id) is None:
        raise NotFound("that participant is not on the list", field="participant_id")
    return [RequestMoved(participant_id=c.participant_id, position=min(c.position, len(s.floor.queue) - 1))]


@evolves(RequestMoved)
def _moved(s: MeetingState, e: RequestMoved, r: Recorded) -> None:
    req = _queued(s.floor, e.participant_id)
    assert req is not None
    s.floor.queue.remove(req)
    s.floor.queue.insert(e.position, req)


@command("floor.close_list")
@dataclass(frozen=True)
class CloseList(Command):
    pass


@command("floor.open_list")
@dataclass(frozen=True)
class OpenList(Command):
    pass


@event("floor.list_changed")
@dataclass(frozen=True)
class ListChanged(Event):
    closed: bool


@handles(CloseList, FACILITATOR)
def close_list(s: MeetingState, c: CloseList, ctx: Ctx) -> list[Event]:
    """Close the list of speakers to new requests (points of order still allowed)."""
    if s.floor.closed:
        raise Conflict("the list is already closed")
    return [ListChanged(closed=True)]


@handles(OpenList, FACILITATOR)
def open_list(s: MeetingState, c: OpenList, ctx: Ctx) -> list[Event]:
    """Reopen the list of speakers."""
    if not s.floor.closed:
        raise Conflict("the list is already open")
    return [ListChanged(closed=False)]


@evolves(ListChanged)
def _list(s: MeetingState, e: ListChanged, r: Recorded) -> None:
    s.floor.closed = e.closed


@command("floor.grant")
@dataclass(frozen=True)
class GrantFloor(Command):
    participant_id: Ident | None = None


@event("floor.granted")
@dataclass(frozen=True)
class FloorGranted(Event):
    participant_id: str
    kind: str
    item_id: str | None
    limit_s: int | None
    reason: str  # why this member: named, fifo, first_time, alternate_majority, least_time, point_of_order...


@command("floor.end")
@dataclass(frozen=True)
class EndTurn(Command):
    pass


@event("floor.ended")
@dataclass(frozen=True)
class TurnEnded(Event):
    participant_id: str
    duration: float
    overrun: float


def _end(s: MeetingState, now: float) -> TurnEnded:
    turn = s.floor.current
    assert turn is not None
    spoken = round(turn.elapsed(now), 3)
    over = round(max(0.0, spoken - turn.limit_s), 3) if turn.limit_s is not None else 0.0
    return TurnEnded(participant_id=turn.participant_id, duration=spoken, overrun=over)


@handles(GrantFloor, FACILITATOR)
def grant_floor(s: MeetingState, c: GrantFloor, ctx: Ctx) -> list[Event]:
    """Give the floor to a named member, or to the next one by the active policy (ending the current turn)."""
    require_sitting(s)
    if c.participant_id is not None:
        who = participant_of(s, c.participant_id)
        if who.role is Role.OBSERVER:
            raise Conflict("observers do not take the floor", field="participant_id")
        req = _queued(s.floor, c.participant_id)
        kind, reason = (req.kind if req else FloorKind.SPEAK), "named"
        pid = c.participant_id
    else:
        pick = next_request(s)
        if pick is None:
            raise Conflict("the list of speakers is empty")
        pid, kind, reason = pick[0].participant_id, pick[0].kind, pick[1]
    out: list[Event] = []
    if s.floor.current is not None:
        out.append(_end(s, ctx.now))
    limit = s.floor.time_limit_s
    if s.current_item is not None and s.items[s.current_item].time_limit_s is not None:
        limit = s.items[s.current_item].time_limit_s
    if kind is FloorKind.POINT_OF_ORDER:
        limit = min(limit, 60) if limit is not None else 60
    out.append(FloorGranted(participant_id=pid, kind=str(kind), item_id=s.current_item, limit_s=limit, reason=reason))
    return out


@evolves(FloorGranted)
def _granted(s: MeetingState, e: FloorGranted, r: Recorded) -> None:
    s.floor.queue = [q for q in s.floor.queue if q.participant_id != e.participant_id]
    s.floor.current = Turn(e.participant_id, FloorKind(e.kind), e.item_id, r.at, e.limit_s)


@handles(EndTurn, FACILITATOR)
def end_turn(s: MeetingState, c: EndTurn, ctx: Ctx) -> list[Event]:
    """End the current speaker's turn; the time spoken and any overrun are recorded."""
    if s.floor.current is None:
        raise Conflict("nobody has the floor")
    return [_end(s, ctx.now)]


@evolves(TurnEnded)
def _ended(s: MeetingState, e: TurnEnded, r: Recorded) -> None:
    t = s.floor.current
    assert t is not None
    s.floor.speeches.append(Speech(t.participant_id, t.kind, t.item_id, t.started_at, r.at, e.duration, t.limit_s,
                                   e.overrun))
    s.floor.current = None


@command("floor.pause")
@dataclass(frozen=True)
class PauseTurn(Command):
    pass


@command("floor.resume")
@dataclass(frozen=True)
class ResumeTurn(Command):
    pass


@event("floor.paused")
@dataclass(frozen=True)
class TurnPaused(Event):
    pass


@event("floor.resumed")
@dataclass(frozen=True)
class TurnResumed(Event):
    pass


@handles(PauseTurn, FACILITATOR)
def pause_turn(s: MeetingState, c: PauseTurn, ctx: Ctx) -> list[Event]:
    """Stop the speaker's clock (an interruption, a technical problem)."""
    if s.floor.current is None or s.floor.current.paused_at is not None:
        raise Conflict("there is no running turn to pause")
    return [TurnPaused()]


@handles(ResumeTurn, FACILITATOR)
def resume_turn(s: MeetingState, c: ResumeTurn, ctx: Ctx) -> list[Event]:
    """Restart the speaker's clock."""
    if s.floor.current is None or s.floor.current.paused_at is None:
        raise Conflict("there is no paused turn")
    return [TurnResumed()]


@evolves(TurnPaused)
def _paused(s: MeetingState, e: TurnPaused, r: Recorded) -> None:
    assert s.floor.current is not None
    s.floor.current.paused_at = r.at


@evolves(TurnResumed)
def _resumed(s: MeetingState, e: TurnResumed, r: Recorded) -> None:
    t = s.floor.current
    assert t is not None and t.paused_at is not None
    t.paused_total += r.at - t.paused_at
    t.paused_at = None


@command("floor.set_policy")
@dataclass(frozen=True)
class SetPolicy(Command):
    policy: FloorPolicy
    time_limit_s: Annotated[int, Range(10, 3600)] | None = None


@event("floor.policy_set")
@dataclass(frozen=True)
class PolicySet(Event):
    policy: str
    time_limit_s: int | None


@handles(SetPolicy, FACILITATOR)
def set_policy(s: MeetingState, c: SetPolicy, ctx: Ctx) -> list[Event]:
    """Choose how the next speaker is picked, and the default speaking-time limit."""
    return [PolicySet(policy=str(c.policy), time_limit_s=c.time_limit_s)]


@evolves(PolicySet)
def _policy(s: MeetingState, e: PolicySet, r: Recorded) -> None:
    s.floor.policy, s.floor.time_limit_s = FloorPolicy(e.policy), e.time_limit_s




@command("floor.set_budget")
@dataclass(frozen=True)
class SetBudget(Command):
    group_id: Ident
    seconds: Annotated[int, Range(0, 36000)] | None = None


@event("floor.budget_set")
@dataclass(frozen=True)
class BudgetSet(Event):
    group_id: str
    seconds: int | None


@handles(SetBudget, FACILITATOR)
def set_budget(s: MeetingState, c: SetBudget, ctx: Ctx) -> list[Event]:
    """Give a party group a speaking-time budget per item (none: no budget)."""
    if c.group_id not in s.groups:
        raise NotFound(f"no group '{c.group_id}'", field="group_id")
    return [BudgetSet(group_id=c.group_id, seconds=c.seconds)]


@evolves(BudgetSet)
def _budget(s: MeetingState, e: BudgetSet, r: Recorded) -> None:
    if e.seconds is None:
        s.floor.group_budget_s.pop(e.group_id, None)
    else:
        s.floor.group_budget_s[e.group_id] = e.seconds


def budgets(s: MeetingState) -> dict[str, dict[str, float | int | bool]]:
    """Per group with a budget: seconds used on the current item (finished turns), budget, and over or not."""
    spoken = spoken_seconds(s.floor, s.current_item)
    out: dict[str, dict[str, float | int | bool]] = {}
    for gid, budget in s.floor.group_budget_s.items():
        used = sum(t for pid, t in spoken.items() if s.participants[pid].group == gid)
        out[gid] = {"budget_s": budget, "used_s": round(used, 1), "over": used > budget}
    return out
