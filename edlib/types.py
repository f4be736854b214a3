"""The shared vocabulary of edlib: ids, roles and the small enums every module uses."""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from typing import Any

MeetingId = str
ParticipantId = str
PersonId = str
GroupId = str
ItemId = str
ArgumentId = str
LinkId = str
ConceptKey = str  # a normalised concept label
DelphiId = str
StatementId = str
Seq = int
Timestamp = float  # seconds since the Unix epoch, UTC; always passed in, never read
JSON = Mapping[str, Any]


class Role(StrEnum):
    FACILITATOR = "facilitator"
    COUNCILLOR = "councillor"
    SECRETARY = "secretary"
    OBSERVER = "observer"


class Side(StrEnum):
    MAJORITY = "majority"
    OPPOSITION = "opposition"
    NONE = "none"  # staff, facilitators from outside the council


class Stance(StrEnum):
    PRO = "pro"
    CON = "con"
    NEUTRAL = "neutral"


class Category(StrEnum):
    """The public-problem framework (methods.md section 1)."""

    PROBLEM = "problem"
    CAUSE = "cause"
    TARGET_GROUP = "target_group"
    BENEFICIARY = "beneficiary"
    THIRD_PARTY = "third_party"
    OBJECTIVE = "objective"
    INSTRUMENT = "instrument"
    EFFECT = "effect"
    RESOURCE = "resource"
    VALUE = "value"
    EVIDENCE = "evidence"


class Relation(StrEnum):
    SUPPORTS = "supports"
    ATTACKS = "attacks"


class Presence(StrEnum):
    ROOM = "room"
    REMOTE = "remote"
    AWAY = "away"


class VoteChoice(StrEnum):
    YES = "yes"
    NO = "no"
    ABSTAIN = "abstain"


class VoteKind(StrEnum):
    INDICATIVE = "indicative"
    FINAL = "final"


class FloorKind(StrEnum):
    SPEAK = "speak"
    REPLY = "reply"
    POINT_OF_ORDER = "point_of_order"


class FloorPolicy(StrEnum):
    FIFO = "fifo"
    FIRST_TIME_FIRST = "first_time_first"
    ALTERNATE_GROUPS = "alternate_groups"
    LEAST_TIME_FIRST = "least_time_first"


class Visibility(StrEnum):
    CLOSED = "closed"
    PUBLIC = "public"


class MeetingKind(StrEnum):
    COMMITTEE = "committee"
    WORKING_GROUP = "working_group"
    COUNCIL = "council"


class DelphiDimension(StrEnum):
    AGREEMENT = "agreement"
    IMPORTANCE = "importance"
    FEASIBILITY = "feasibility"
