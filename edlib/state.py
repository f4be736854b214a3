"""The state of one meeting: a fold of its event log.

The state is owned by one aggregate at a time: `evolve` updates it in place and
`decide` only reads it. Everything here is rebuilt from events on load.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .cogmap.model import CollectiveMap
from .phases import ItemPhase, MeetingPhase
from .types import (
    ArgumentId,
    Category,
    ConceptKey,
    DelphiDimension,
    DelphiId,
    FloorKind,
    FloorPolicy,
    GroupId,
    ItemId,
    LinkId,
    MeetingKind,
    ParticipantId,
    PersonId,
    Presence,
    Relation,
    Role,
    Seq,
    Side,
    Stance,
    StatementId,
    Timestamp,
    Visibility,
    VoteChoice,
    VoteKind,
)


@dataclass
class Group:
    id: GroupId
    name: str
    side: Side
    seats: int


@dataclass
class Participant:
    id: ParticipantId
    name: str
    role: Role
    group: GroupId | None
    side: Side
    person_id: PersonId


@dataclass
class Item:
    id: ItemId
    title: str
    draft_decision: str
    documents: tuple[str, ...]
    phase: ItemPhase = ItemPhase.PREPARATION
    locked: bool = False  # argument and link submission locked by the facilitator
    time_limit_s: int | None = None


@dataclass
class Argument:
    id: ArgumentId
    item_id: ItemId
    author: ParticipantId
    text: str
    stance: Stance
    category: Category
    reply_to: ArgumentId | None
    relation: Relation | None
    created_at: Timestamp
    seq: Seq
    status: str = "active"  # active | withdrawn | hidden
    hidden_reason: str | None = None
    versions: list[str] = field(default_factory=list)  # earlier texts, oldest first


@dataclass
class Link:
    id: LinkId
    item_id: ItemId
    author: ParticipantId
    cause: ConceptKey
    effect: ConceptKey
    sign: int
    strength: int
    argument_id: ArgumentId | None
    seq: Seq
    at: Timestamp
    active: bool = True
    retracted_seq: Seq | None = None


@dataclass
class Concepts:
    """Concept labels of one item: normalised keys, display labels and merges."""

    labels: dict[ConceptKey, str] = field(default_factory=dict)
    merged: dict[ConceptKey, ConceptKey] = field(default_factory=dict)  # from -> into

    def resolve(self, key: ConceptKey) -> ConceptKey:
        seen = set()
        while key in self.merged and key not in seen:
            seen.add(key)
            key = self.merged[key]
        return key


@dataclass
class Request:
    participant_id: ParticipantId
    kind: FloorKind
    about: ArgumentId | None
    at: Timestamp
    seq: Seq
    added_by: ParticipantId | None  # the facilitator, for a hand raised in the chamber


@dataclass
class Turn:
    participant_id: ParticipantId
    kind: FloorKind
    item_id: ItemId | None
    started_at: Timestamp
    limit_s: int | None
    paused_at: Timestamp | None = None
    paused_total: float = 0.0

    def elapsed(self, now: Timestamp) -> float:
        """Speaking seconds so far, pauses excluded."""
        end = self.paused_at if self.paused_at is not None else now
        return max(0.0, end - self.started_at - self.paused_total)


@dataclass
class Speech:
    participant_id: ParticipantId
    kind: FloorKind
    item_id: ItemId | None
    started_at: Timestamp
    ended_at: Timestamp
    duration: float
    limit_s: int | None
    overrun: float


@dataclass
class Floor:
    queue: list[Request] = field(default_factory=list)
    current: Turn | None = None
    policy: FloorPolicy = FloorPolicy.FIFO
    time_limit_s: int | None = None
    closed: bool = False  # the list of speakers is closed to new requests
    group_budget_s: dict[GroupId, int] = field(default_factory=dict)
    speeches: list[Speech] = field(default_factory=list)
    disconnected: dict[ParticipantId, Timestamp] = field(default_factory=dict)


@dataclass
class Statement:
    id: StatementId
    text: str
    argument_id: ArgumentId | None = None
    link_id: LinkId | None = None


@dataclass
class Delphi:
    id: DelphiId
    item_id: ItemId
    statements: list[Statement]
    scale_min: int
    scale_max: int
    dimension: DelphiDimension
    realtime: bool
    consensus: dict[str, float]
    created_at: Timestamp
    round: int = 0  # the round open now or last opened
    open: bool = False
    closed_rounds: list[int] = field(default_factory=list)
    # round -> participant -> statement -> rating / comment; never leaves the core unredacted
    answers: dict[int, dict[ParticipantId, dict[StatementId, int]]] = field(default_factory=dict)
    comments: dict[int, dict[ParticipantId, dict[StatementId, str]]] = field(default_factory=dict)
    feedback: dict[int, dict[str, Any]] = field(default_factory=dict)  # round -> published aggregate
    results: dict[str, Any] | None = None
    published: bool = False


@dataclass
class MeetingState:
    id: str = ""
    seq: Seq = 0
    title: str = ""
    council: str = ""
    kind: MeetingKind = MeetingKind.COMMITTEE
    visibility: Visibility = Visibility.CLOSED
    phase: MeetingPhase = MeetingPhase.SCHEDULED
    created_at: Timestamp = 0.0
    results_published: bool = False
    groups: dict[GroupId, Group] = field(default_factory=dict)
    participants: dict[ParticipantId, Participant] = field(default_factory=dict)
    items: dict[ItemId, Item] = field(default_factory=dict)
    current_item: ItemId | None = None
    arguments: dict[ArgumentId, Argument] = field(default_factory=dict)
    ratings: dict[ArgumentId, dict[ParticipantId, int]] = field(default_factory=dict)
    links: dict[LinkId, Link] = field(default_factory=dict)
    concepts: dict[ItemId, Concepts] = field(default_factory=dict)
    votes: dict[tuple[ItemId, VoteKind], dict[ParticipantId, VoteChoice]] = field(default_factory=dict)
    presence: dict[ParticipantId, Presence] = field(default_factory=dict)
    floor: Floor = field(default_factory=Floor)
    delphis: dict[DelphiId, Delphi] = field(default_factory=dict)
    # Projection: each item's collective map, kept incrementally (edlib.mapping); derived, so not compared.
    maps: dict[ItemId, CollectiveMap] = field(default_factory=dict, compare=False, repr=False)

    @property
    def created(self) -> bool:
        return self.seq > 0
