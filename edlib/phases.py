"""Meeting and agenda-item phases, with their allowed transitions."""

from __future__ import annotations

from enum import StrEnum


class MeetingPhase(StrEnum):
    SCHEDULED = "scheduled"  # created; members may prepare arguments
    IN_SESSION = "in_session"  # the meeting is sitting: floor and Delphi rounds run
    ENDED = "ended"


class ItemPhase(StrEnum):
    PREPARATION = "preparation"  # before discussion: arguments may be prepared, indicative vote
    DISCUSSION = "discussion"  # arguments, links, speaking turns
    DELPHI = "delphi"  # a Delphi survey runs; arguments stay open
    DECISION = "decision"  # final vote; no new arguments
    CLOSED = "closed"


MEETING_TRANSITIONS: dict[MeetingPhase, frozenset[MeetingPhase]] = {
    MeetingPhase.SCHEDULED: frozenset({MeetingPhase.IN_SESSION, MeetingPhase.ENDED}),
    MeetingPhase.IN_SESSION: frozenset({MeetingPhase.ENDED}),
    MeetingPhase.ENDED: frozenset({MeetingPhase.IN_SESSION}),  # reopened, e.g. after a recess
}

ITEM_TRANSITIONS: dict[ItemPhase, frozenset[ItemPhase]] = {
    ItemPhase.PREPARATION: frozenset({ItemPhase.DISCUSSION, ItemPhase.CLOSED}),
    ItemPhase.DISCUSSION: frozenset({ItemPhase.DELPHI, ItemPhase.DECISION, ItemPhase.CLOSED}),
    ItemPhase.DELPHI: frozenset({ItemPhase.DISCUSSION, ItemPhase.DECISION, ItemPhase.CLOSED}),
    ItemPhase.DECISION: frozenset({ItemPhase.DISCUSSION, ItemPhase.CLOSED}),
    ItemPhase.CLOSED: frozenset({ItemPhase.DISCUSSION}),  # reopened
}

# What each item phase allows.
ARGUMENTS_OPEN = frozenset({ItemPhase.PREPARATION, ItemPhase.DISCUSSION, ItemPhase.DELPHI})
LINKS_OPEN = ARGUMENTS_OPEN
INDICATIVE_VOTE_OPEN = frozenset({ItemPhase.PREPARATION, ItemPhase.DISCUSSION})
FINAL_VOTE_OPEN = frozenset({ItemPhase.DECISION})


def can_move(current: ItemPhase, target: ItemPhase) -> bool:
    return target in ITEM_TRANSITIONS[current]
