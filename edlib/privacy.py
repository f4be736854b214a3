"""The one redaction function: what each viewer may see of events and of the state.

Rules:
- a private event (an individual Delphi answer) reaches its author in full; the
  facilitator learns who answered but not what; everyone else gets the bare
  envelope (seq, type, time) so that gap detection still works;
- observers see a public meeting as members do (minus private events); in a
  closed meeting they see nothing until the facilitator publishes the results;
- a hidden argument's text is shown to the facilitator and the secretary only;
- the room display (the projector's link) sees what members see, minus anything private, and sends nothing.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from .registry import Recorded
from .state import MeetingState, Participant
from .types import Role, Side, Visibility

# The shared observer of a public meeting (one link for the public gallery, not a participant).
PUBLIC_OBSERVER = Participant("~public", "public", Role.OBSERVER, None, Side.NONE, "~public")
# The room's screen (projector): read-only, sees what members see (never an individual answer), sends nothing.
ROOM_DISPLAY = Participant("~display", "room display", Role.OBSERVER, None, Side.NONE, "~display")
SPECIAL_VIEWERS = {v.id: v for v in (PUBLIC_OBSERVER, ROOM_DISPLAY)}


def iso(ts: float | None) -> str | None:
    """ISO 8601 UTC with milliseconds, as on the wire."""
    if ts is None:
        return None
    return datetime.fromtimestamp(ts, UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def sees_content(state: MeetingState, viewer: Participant | None) -> bool:
    """False for observers of a closed meeting whose results are not published."""
    if viewer is None:
        return False
    if viewer.id == ROOM_DISPLAY.id:
        return True
    if viewer.role is Role.OBSERVER:
        return state.visibility is Visibility.PUBLIC
    return True


def is_staff(viewer: Participant | None) -> bool:
    return viewer is not None and viewer.role in (Role.FACILITATOR, Role.SECRETARY)


def envelope(state: MeetingState, rec: Recorded, viewer: Participant | None) -> dict[str, Any]:
    """The wire form of one recorded event for one viewer."""
    out: dict[str, Any] = {"seq": rec.seq, "type": rec.event.name, "at": iso(rec.at), "actor": rec.actor}
    mine = viewer is not None and rec.actor == viewer.id
    if rec.event.private and not mine:
        out["data"], out["withheld"] = None, True
        if viewer is None or viewer.role is not Role.FACILITATOR:
            out["actor"] = None
        return out
    if not sees_content(state, viewer):
        out["data"], out["withheld"], out["actor"] = None, True, None
        return out
    out["data"] = rec.event.to_data()
    return out
