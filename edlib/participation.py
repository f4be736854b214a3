"""Participation statistics (methods.md section 5): inequality of speaking time, shares by group, side and presence.

Speaking time is in seconds, finite and >= 0. Statistics are taken over the members of the meeting, a silent
member counting as 0. Outputs are JSON-ready; None means undefined, as each docstring says.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from fractions import Fraction
from typing import Any

from edlib.errors import Invalid
from edlib.types import GroupId, ParticipantId, Presence, Side


def _seconds(x: float) -> float:
    if isinstance(x, bool) or not math.isfinite(x) or x < 0:
        raise Invalid(f"speaking time must be a finite number of seconds >= 0, got {x!r}", field="seconds")
    return float(x)


def gini(values: Sequence[float]) -> dict[str, float | None]:
    """Gini coefficient G = Σ_i (2i - n - 1)·x_(i) / (n·Σx), x sorted ascending, i = 1..n, in [0, 1 - 1/n];
    corrected = G·n/(n - 1), the small-group correction, in [0, 1].

    Computed exactly and rounded once. Conventions: n = 0 → both None; all values 0 (nobody spoke) → 0.0, perfect
    equality; n = 1 → gini 0.0 and corrected None (n - 1 = 0).
    """
    xs = sorted(Fraction(_seconds(x)) for x in values)
    n = len(xs)
    if n == 0:
        return {"gini": None, "corrected": None}
    total = sum(xs, Fraction(0))
    g = Fraction(0) if total == 0 else sum((2 * i - n - 1) * x for i, x in enumerate(xs, start=1)) / (n * total)
    return {"gini": float(g), "corrected": float(g * n / (n - 1)) if n > 1 else None}


def gini_over_members(members: Iterable[ParticipantId], speaking: Mapping[ParticipantId, float]) -> dict[str, Any]:
    """gini() over the members, a member absent from `speaking` counting as 0; non-members are ignored."""
    return gini([speaking.get(p, 0.0) for p in set(members)])


def not_yet_spoken(members: Iterable[ParticipantId], speaking: Mapping[ParticipantId, float]) -> list[ParticipantId]:
    """Members with no speaking time (absent or 0), sorted by id: the facilitator's nudge list."""
    return sorted(p for p in set(members) if _seconds(speaking.get(p, 0.0)) == 0)


def _share(part: float, whole: float) -> float | None:
    return part / whole if whole > 0 else None


def shares(
    speaking: Mapping[ParticipantId, float],
    members: Mapping[ParticipantId, tuple[GroupId, Side]],
    seats: Mapping[GroupId, int],
    sides: Mapping[GroupId, Side],
) -> dict[str, Any]:
    """Speaking share of each party group and each side, beside its seat share.

    total_seconds = speaking time of members; other_seconds = time of speakers who are not members (staff,
    facilitators), left out of every share. groups[g] = {side: sides[g] (None if unknown), seconds,
    speaking_share = seconds / total_seconds, seats, seat_share = seats / Σ seats}; sides[s] likewise, a
    member's speaking counted under the side in `members` and seats under `sides[g]`. Shares are None when their
    denominator is 0. Groups and sides are those found in any of the mappings.
    """
    spoken: dict[str, list[float]] = {str(g): [] for g, _ in members.values()}
    side_spoken: dict[str, list[float]] = {str(s): [] for _, s in members.values()}
    other: list[float] = []
    for p, secs in speaking.items():
        if p not in members:
            other.append(_seconds(secs))
            continue
        g, s = members[p]
        spoken[str(g)].append(_seconds(secs))
        side_spoken[str(s)].append(_seconds(secs))
    by_group = {g: math.fsum(v) for g, v in spoken.items()}
    by_side = {s: math.fsum(v) for s, v in side_spoken.items()}
    total = math.fsum(x for v in spoken.values() for x in v)
    seat_total = sum(seats.values())
    seats_by_side: dict[str, int] = {}
    for g, n in seats.items():
        if n < 0:
            raise Invalid(f"group {g!r} has a negative number of seats", field="seats")
        by_group.setdefault(str(g), 0.0)
        side = sides.get(g)
        if side is not None:
            seats_by_side[str(side)] = seats_by_side.get(str(side), 0) + n
            by_side.setdefault(str(side), 0.0)
    groups = {
        g: {
            "side": str(sides[g]) if g in sides else None,
            "seconds": secs,
            "speaking_share": _share(secs, total),
            "seats": seats.get(g, 0),
            "seat_share": _share(seats.get(g, 0), seat_total),
        }
        for g, secs in sorted(by_group.items())
    }
    sides_out = {
        s: {
            "seconds": secs,
            "speaking_share": _share(secs, total),
            "seats": seats_by_side.get(s, 0),
            "seat_share": _share(seats_by_side.get(s, 0), seat_total),
        }
        for s, secs in sorted(by_side.items())
    }
    return {"total_seconds": total, "other_seconds": math.fsum(other), "groups": groups, "sides": sides_out}


def presence_shares(
    seconds: Mapping[ParticipantId, float], presence: Mapping[ParticipantId, Presence]
) -> dict[str, dict[str, float | None]]:
    """Speaking time by presence: for room, remote, away and unknown (no presence given), {seconds, share of the
    total}; share None when the total is 0. The caller decides which presence applies, e.g. at the time of speaking."""
    buckets = {str(p): 0.0 for p in Presence} | {"unknown": 0.0}
    for p, secs in seconds.items():
        where = presence.get(p)
        buckets["unknown" if where is None else str(where)] += _seconds(secs)
    total = math.fsum(buckets.values())
    return {k: {"seconds": v, "share": _share(v, total)} for k, v in buckets.items()}
