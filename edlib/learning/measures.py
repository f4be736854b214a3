"""Per member and statement learning measures (methods.md section 4).

Revision, convergence/divergence and reinforcement compare a member's round-1 and round-2 Delphi ratings;
preference change compares the indicative and the final vote; listening measures whose arguments a member
endorses. Map convergence (Langfield-Smith & Wirth) and the Deliberative Reason Index live in maps.py and dri.py
and are re-exported here. Outputs are JSON-ready; None means undefined, as each docstring says.
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Literal

from edlib.errors import Invalid
from edlib.learning.dri import dri
from edlib.learning.maps import lsw_distance, map_convergence, map_distances
from edlib.types import ArgumentId, GroupId, ParticipantId, Side, StatementId, VoteChoice

__all__ = [
    "delphi_learning",
    "dri",
    "listening",
    "lsw_distance",
    "map_convergence",
    "map_distances",
    "movement",
    "preference_change",
    "preference_changes",
    "reinforced",
    "revision",
]

Movement = Literal["convergence", "divergence", "neither"]
Ratings = Mapping[ParticipantId, Mapping[StatementId, int]]


def revision(r1: int, r2: int) -> dict[str, Any]:
    """delta = r2 - r1; revised = (delta != 0)."""
    return {"delta": r2 - r1, "revised": r2 != r1}


def movement(r1: int, r2: int, median1: float) -> Movement:
    """'convergence' when |r2 - median1| < |r1 - median1| (moved toward the round-1 group median), 'divergence'
    when >, else 'neither' (including no revision)."""
    before, after = abs(r1 - median1), abs(r2 - median1)
    return "convergence" if after < before else "divergence" if after > before else "neither"


def reinforced(r1: int, r2: int, scale_min: int, scale_max: int) -> bool:
    """True when r1 and r2 lie on the same side of the scale midpoint (min + max)/2 and r2 is further from it;
    a rating on the midpoint has no side."""
    c1, c2 = 2 * r1 - (scale_min + scale_max), 2 * r2 - (scale_min + scale_max)  # twice the signed distance
    return c1 * c2 > 0 and abs(c2) > abs(c1)


def delphi_learning(
    statement_ids: Sequence[StatementId], scale_min: int, scale_max: int, round1: Ratings, round2: Ratings
) -> list[dict[str, Any]]:
    """One row per (member, statement) rated in both rounds, ordered by member id then statement order:
    member, statement, r1, r2, median1 (median of every round-1 rating of the statement), delta, revised,
    movement (see movement()) and reinforced (see reinforced())."""
    rows: list[dict[str, Any]] = []
    medians: dict[StatementId, float] = {}
    for s in statement_ids:
        firsts = [row[s] for row in round1.values() if s in row]
        if firsts:
            medians[s] = float(statistics.median(firsts))
    for member in sorted(set(round1) & set(round2)):
        for s in statement_ids:
            if s not in round1[member] or s not in round2[member]:
                continue
            r1, r2, m1 = round1[member][s], round2[member][s], medians[s]
            for r in (r1, r2):
                if not scale_min <= r <= scale_max:
                    raise Invalid(f"rating {r!r} is not on the scale {scale_min}..{scale_max}", field="rating")
            rows.append(
                {
                    "member": member,
                    "statement": s,
                    "r1": r1,
                    "r2": r2,
                    "median1": m1,
                    **revision(r1, r2),
                    "movement": movement(r1, r2, m1),
                    "reinforced": reinforced(r1, r2, scale_min, scale_max),
                }
            )
    return rows


def preference_change(indicative: VoteChoice | None, final: VoteChoice | None) -> bool | None:
    """True when the final vote differs from the indicative one (abstain is a choice); None when either is missing."""
    if indicative is None or final is None:
        return None
    return str(indicative) != str(final)


def preference_changes(
    indicative: Mapping[ParticipantId, VoteChoice], final: Mapping[ParticipantId, VoteChoice]
) -> dict[str, Any]:
    """by_member = preference_change() for every member with either vote; n_both = members with both votes;
    changed_share = share of those n_both who changed (None when n_both = 0)."""
    by_member = {p: preference_change(indicative.get(p), final.get(p)) for p in sorted(set(indicative) | set(final))}
    both = [changed for changed in by_member.values() if changed is not None]
    return {"by_member": by_member, "n_both": len(both), "changed_share": sum(both) / len(both) if both else None}


def listening(
    member: ParticipantId,
    agree_ratings: Iterable[ArgumentId],
    authors: Mapping[ArgumentId, ParticipantId],
    members: Mapping[ParticipantId, tuple[GroupId, Side]],
) -> dict[str, Any]:
    """Listening across lines: the share of a member's `agree` ratings that go to other groups and the other side.

    Counted (n_agree): the distinct arguments the member rated `agree`, except the member's own and those whose
    author is not in `members` (staff, facilitators). other_group_share = share of them written by a member of
    another party group. other_side_share = among those whose author sits on the majority or the opposition
    (n_sided), the share written by the side the member does not sit on; None when the member's side is `none`
    or n_sided = 0. Both shares None when n_agree = 0.
    """
    if member not in members:
        raise Invalid(f"{member!r} is not a member", field="member")
    group, side = members[member]
    counted: list[tuple[GroupId, Side]] = []
    for argument in set(agree_ratings):
        if argument not in authors:
            raise Invalid(f"unknown argument {argument!r}", field="agree_ratings")
        author = authors[argument]
        if author != member and author in members:
            counted.append(members[author])
    sided = [s for _, s in counted if str(s) != Side.NONE]
    other_side = None
    if str(side) != Side.NONE and sided:
        other_side = sum(1 for s in sided if str(s) != str(side)) / len(sided)
    return {
        "n_agree": len(counted),
        "other_group_share": sum(1 for g, _ in counted if g != group) / len(counted) if counted else None,
        "n_sided": len(sided),
        "other_side_share": other_side,
    }
