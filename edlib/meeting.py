"""Meetings: creation, sitting, agenda items and their phases, presence, the facilitator role."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any

from .errors import Conflict, Invalid, NotFound
from .phases import ITEM_TRANSITIONS, MEETING_TRANSITIONS, ItemPhase, MeetingPhase
from .registry import ANY, FACILITATOR, Command, Ctx, Event, Recorded, command, event, evolves, handles
from .schema import MAX_LABEL, Ident, Label, LongText, Range, Size, Text
from .state import Floor, Group, Item, MeetingState, Participant
from .types import MeetingKind, Presence, Role, Side, Visibility

# --- creation (from the HTTP API, not a wire command) -------------------------------------------


@dataclass(frozen=True)
class GroupSpec:
    id: Ident
    name: Label
    side: Side
    seats: Annotated[int, Range(0, 1000)] = 0


@dataclass(frozen=True)
class ItemSpec:
    title: Annotated[str, Text(300)]
    draft_decision: Annotated[str, Text(20000, 0)] = ""
    documents: Annotated[tuple[Annotated[str, Text(1000)], ...], Size(50)] = ()
    time_limit_s: Annotated[int, Range(10, 3600)] | None = None


@dataclass(frozen=True)
class ParticipantSpec:
    name: Label
    role: Role
    group: Ident | None = None
    person_id: Ident | None = None


@dataclass(frozen=True)
class MeetingSpec:
    """The body of `POST /api/meetings`."""

    title: Annotated[str, Text(300)]
    council: Label
    kind: MeetingKind = MeetingKind.COMMITTEE
    visibility: Visibility = Visibility.CLOSED
    groups: Annotated[tuple[GroupSpec, ...], Size(40)] = ()
    items: Annotated[tuple[ItemSpec, ...], Size(100, 1)] = ()
    participants: Annotated[tuple[ParticipantSpec, ...], Size(500, 1)] = ()
    language: Annotated[str, Text(5)] = "nl"


@event("meeting.created")
@dataclass(frozen=True)
class MeetingCreated(Event):
    meeting_id: str
    title: str
    council: str
    kind: str
    visibility: str
    language: str
    groups: tuple[dict[str, Any], ...]
    items: tuple[dict[str, Any], ...]
    participants: tuple[dict[str, Any], ...]


def create_meeting(meeting_id: str, spec: MeetingSpec) -> list[Event]:
    """The first event of a meeting. Item ids are i1.., participant ids p1.., in the order given."""
    groups = {g.id: g for g in spec.groups}
    if len(groups) != len(spec.groups):
        raise Invalid("group ids must be unique", field="groups")
    people = []
    for n, p in enumerate(spec.participants, start=1):
        if p.group is not None and p.group not in groups:
            raise Invalid(f"participant {n} names an unknown group '{p.group}'", field=f"participants[{n - 1}].group")
        side = groups[p.group].side if p.group is not None else Side.NONE
        pid = f"p{n}"
        people.append(
            {"id": pid, "name": p.name, "role": str(p.role), "group": p.group, "side": str(side),
             "person_id": p.person_id or f"{meeting_id}:{pid}"}
        )
    if not any(p["role"] == Role.FACILITATOR for p in people):
        raise Invalid("a meeting needs at least one facilitator", field="participants")
    items = tuple(
        {"id": f"i{n}", "title": it.title, "draft_decision": it.draft_decision, "documents": it.documents,
         "time_limit_s": it.time_limit_s}
        for n, it in enumerate(spec.items, start=1)
    )
    return [
        MeetingCreated(
            meeting_id=meeting_id, title=spec.title, council=spec.council, kind=str(spec.kind),
            visibility=str(spec.visibility), language=spec.language,
            groups=tuple({"id": g.id, "name": g.name, "side": str(g.side), "seats": g.seats} for g in spec.groups),
            items=items, participants=tuple(people),
        )
    ]


@evolves(MeetingCreated)
def _created(s: MeetingState, e: MeetingCreated, r: Recorded) -> None:
    s.id, s.title, s.council = e.meeting_id, e.title, e.council
    s.kind, s.visibility, s.created_at = MeetingKind(e.kind), Visibility(e.visibility), r.at
    s.groups = {g["id"]: Group(g["id"], g["name"], Side(g["side"]), g["seats"]) for g in e.groups}
    s.participants = {
        p["id"]: Participant(p["id"], p["name"], Role(p["role"]), p["group"], Side(p["side"]), p["person_id"])
        for p in e.participants
    }
    s.items = {
        i["id"]: Item(i["id"], i["title"], i["draft_decision"], tuple(i["documents"]), time_limit_s=i["time_limit_s"])
        for i in e.items
    }
    s.floor = Floor()


def item_of(s: MeetingState, item_id: str) -> Item:
    try:
        return s.items[item_id]
    except KeyError:
        raise NotFound(f"no agenda item '{item_id}'", field="item_id") from None


def participant_of(s: MeetingState, pid: str, field: str = "participant_id") -> Participant:
    try:
        return s.participants[pid]
    except KeyError:
        raise NotFound(f"no participant '{pid}'", field=field) from None


def require_sitting(s: MeetingState) -> None:
    if s.phase is not MeetingPhase.IN_SESSION:
        raise Conflict(f"the meeting is not in session (it is {s.phase})")


def require_not_ended(s: MeetingState) -> None:
    if s.phase is MeetingPhase.ENDED:
        raise Conflict("the meeting has ended")


# --- sitting -----------------------------------------------------------------------------------


@command("meeting.start")
@dataclass(frozen=True)
class StartMeeting(Command):
    """Open the sitting."""


@command("meeting.end")
@dataclass(frozen=True)
class EndMeeting(Command):
    """End the sitting."""


@event("meeting.phase_changed")
@dataclass(frozen=True)
class MeetingPhaseChanged(Event):
    phase: str


def _move_meeting(s: MeetingState, target: MeetingPhase) -> list[Event]:
    if target not in MEETING_TRANSITIONS[s.phase]:
        raise Conflict(f"the meeting cannot go from {s.phase} to {target}")
    return [MeetingPhaseChanged(phase=str(target))]


@handles(StartMeeting, FACILITATOR)
def start_meeting(s: MeetingState, c: StartMeeting, ctx: Ctx) -> list[Event]:
    """Open the sitting: speaking turns and Delphi rounds can run."""
    return _move_meeting(s, MeetingPhase.IN_SESSION)


@handles(EndMeeting, FACILITATOR)
def end_meeting(s: MeetingState, c: EndMeeting, ctx: Ctx) -> list[Event]:
    """End the sitting; nothing more can be added."""
    return _move_meeting(s, MeetingPhase.ENDED)


@evolves(MeetingPhaseChanged)
def _meeting_phase(s: MeetingState, e: MeetingPhaseChanged, r: Recorded) -> None:
    s.phase = MeetingPhase(e.phase)


@command("meeting.publish_results")
@dataclass(frozen=True)
class PublishResults(Command):
    """Publish a closed meeting's results (map, Delphi results, votes) to observers."""


@event("meeting.results_published")
@dataclass(frozen=True)
class ResultsPublished(Event):
    pass


@handles(PublishResults, FACILITATOR)
def publish_results(s: MeetingState, c: PublishResults, ctx: Ctx) -> list[Event]:
    """Publish the results of a closed meeting for transparency."""
    if s.results_published:
        raise Conflict("the results are already published")
    return [ResultsPublished()]


@evolves(ResultsPublished)
def _published(s: MeetingState, e: ResultsPublished, r: Recorded) -> None:
    s.results_published = True


# --- agenda items ------------------------------------------------------------------------------


@command("item.open")
@dataclass(frozen=True)
class OpenItem(Command):
    item_id: Ident


@command("item.close")
@dataclass(frozen=True)
class CloseItem(Command):
    item_id: Ident


@command("item.set_phase")
@dataclass(frozen=True)
class SetItemPhase(Command):
    item_id: Ident
    phase: ItemPhase


@event("item.phase_changed")
@dataclass(frozen=True)
class ItemPhaseChanged(Event):
    item_id: str
    phase: str
    current: bool  # the item is (now) the one under discussion


def _move_item(s: MeetingState, item_id: str, target: ItemPhase) -> list[Event]:
    require_not_ended(s)
    item = item_of(s, item_id)
    if target not in ITEM_TRANSITIONS[item.phase]:
        raise Conflict(f"item '{item_id}' cannot go from {item.phase} to {target}")
    return [ItemPhaseChanged(item_id=item_id, phase=str(target), current=target is not ItemPhase.CLOSED)]


@handles(OpenItem, FACILITATOR)
def open_item(s: MeetingState, c: OpenItem, ctx: Ctx) -> list[Event]:
    """Bring an item under discussion (from preparation, or reopen a closed one)."""
    return _move_item(s, c.item_id, ItemPhase.DISCUSSION)


@handles(CloseItem, FACILITATOR)
def close_item(s: MeetingState, c: CloseItem, ctx: Ctx) -> list[Event]:
    """Close an item: no more arguments, links or votes."""
    return _move_item(s, c.item_id, ItemPhase.CLOSED)


@handles(SetItemPhase, FACILITATOR)
def set_item_phase(s: MeetingState, c: SetItemPhase, ctx: Ctx) -> list[Event]:
    """Move an item along its phases: preparation, discussion, delphi, decision, closed."""
    return _move_item(s, c.item_id, c.phase)


@evolves(ItemPhaseChanged)
def _item_phase(s: MeetingState, e: ItemPhaseChanged, r: Recorded) -> None:
    s.items[e.item_id].phase = ItemPhase(e.phase)
    if e.current:
        s.current_item = e.item_id
    elif s.current_item == e.item_id:
        s.current_item = None


@command("item.lock")
@dataclass(frozen=True)
class LockItem(Command):
    item_id: Ident


@command("item.unlock")
@dataclass(frozen=True)
class UnlockItem(Command):
    item_id: Ident


@event("item.lock_changed")
@dataclass(frozen=True)
class ItemLockChanged(Event):
    item_id: str
    locked: bool


@handles(LockItem, FACILITATOR)
def lock_item(s: MeetingState, c: LockItem, ctx: Ctx) -> list[Event]:
    """Stop new arguments and links on an item (ratings and votes stay open)."""
    if item_of(s, c.item_id).locked:
        raise Conflict("the item is already locked")
    return [ItemLockChanged(item_id=c.item_id, locked=True)]


@handles(UnlockItem, FACILITATOR)
def unlock_item(s: MeetingState, c: UnlockItem, ctx: Ctx) -> list[Event]:
    """Allow new arguments and links again."""
    if not item_of(s, c.item_id).locked:
        raise Conflict("the item is not locked")
    return [ItemLockChanged(item_id=c.item_id, locked=False)]


@evolves(ItemLockChanged)
def _locked(s: MeetingState, e: ItemLockChanged, r: Recorded) -> None:
    s.items[e.item_id].locked = e.locked


# --- presence and roles ------------------------------------------------------------------------


@command("presence.set")
@dataclass(frozen=True)
class SetPresence(Command):
    where: Presence
    participant_id: Ident | None = None  # the facilitator may set someone else's


@event("presence.changed")
@dataclass(frozen=True)
class PresenceChanged(Event):
    participant_id: str
    where: str


@handles(SetPresence, ANY)
def set_presence(s: MeetingState, c: SetPresence, ctx: Ctx) -> list[Event]:
    """Say where a member is: in the room, remote or away (the facilitator may set anyone's)."""
    target = c.participant_id or ctx.actor or ""
    if target != ctx.actor and s.participants[ctx.actor or ""].role is not Role.FACILITATOR:
        from .errors import Forbidden

        raise Forbidden("only the facilitator may set someone else's presence", field="participant_id")
    participant_of(s, target)
    if s.presence.get(target) == c.where:
        return []
    return [PresenceChanged(participant_id=target, where=str(c.where))]


@evolves(PresenceChanged)
def _presence(s: MeetingState, e: PresenceChanged, r: Recorded) -> None:
    s.presence[e.participant_id] = Presence(e.where)


@command("facilitator.transfer")
@dataclass(frozen=True)
class TransferFacilitator(Command):
    participant_id: Ident


@event("facilitator.transferred")
@dataclass(frozen=True)
class FacilitatorTransferred(Event):
    from_: str
    to: str
    from_role: str  # the role the former facilitator takes back
    to_role: str  # the role the new facilitator had


@handles(TransferFacilitator, FACILITATOR)
def transfer_facilitator(s: MeetingState, c: TransferFacilitator, ctx: Ctx) -> list[Event]:
    """Hand the facilitator role to another participant (the giver becomes a secretary)."""
    target = participant_of(s, c.participant_id)
    if target.id == ctx.actor:
        raise Conflict("you are already the facilitator", field="participant_id")
    if target.role is Role.OBSERVER:
        raise Conflict("an observer cannot facilitate", field="participant_id")
    giver = s.participants[ctx.actor or ""]
    back = Role.COUNCILLOR if giver.group is not None else Role.SECRETARY
    return [FacilitatorTransferred(from_=giver.id, to=target.id, from_role=str(back), to_role=str(target.role))]


@evolves(FacilitatorTransferred)
def _transferred(s: MeetingState, e: FacilitatorTransferred, r: Recorded) -> None:
    s.participants[e.from_].role = Role(e.from_role)
    s.participants[e.to].role = Role.FACILITATOR


__all__ = ["MAX_LABEL", "LongText", "MeetingSpec", "create_meeting"]
