"""The learning report of one agenda item: every measure of methods.md section 4, per member and for the group.

Members are named by a pseudonym function passed in (the server derives stable pseudonyms from person ids with a
secret key), never by name or participant id. The "early" map of a member is their individual map when half of
the item's link assertions had been made (by count, in log order), the "late" map is the map at the end; the
collective map used for distances is the mean weight of each edge over the members who assert it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from edlib.learning.maps import map_convergence, map_distances
from edlib.learning.measures import delphi_learning, listening, preference_changes
from edlib.state import Link, MeetingState
from edlib.types import ParticipantId, Side, VoteKind

Map = dict[tuple[str, str], float]


def _maps(s: MeetingState, item_id: str, links: list[Link], cut: int | None) -> dict[ParticipantId, Map]:
    """Individual maps as they stood at seq `cut` (None: now). A later assertion of the same cell wins."""
    concepts = s.concepts.get(item_id)
    maps: dict[ParticipantId, Map] = {}
    for link in sorted(links, key=lambda x: x.seq):
        if cut is not None and link.seq > cut:
            continue
        alive = link.retracted_seq is None or (cut is not None and link.retracted_seq > cut)
        if not alive or concepts is None:
            continue
        cause, effect = concepts.resolve(link.cause), concepts.resolve(link.effect)
        if cause != effect:
            maps.setdefault(link.author, {})[(cause, effect)] = float(link.sign * link.strength)
    return maps


def _collective(maps: dict[ParticipantId, Map]) -> Map:
    sums: dict[tuple[str, str], list[float]] = {}
    for m in maps.values():
        for cell, w in m.items():
            sums.setdefault(cell, []).append(w)
    return {cell: sum(ws) / len(ws) for cell, ws in sums.items()}


def learning_report(s: MeetingState, item_id: str, pseudonym: Callable[[ParticipantId], str]) -> dict[str, Any]:
    """Per-member rows and group figures for one item; see docs/methods.md for every field."""
    members = {p.id: (p.group or "", p.side) for p in s.participants.values() if p.group is not None}
    links = [link for link in s.links.values() if link.item_id == item_id]
    cut = sorted(link.seq for link in links)[(len(links) - 1) // 2] if links else None
    early, late = _maps(s, item_id, links, cut), _maps(s, item_id, links, None)
    d_early = map_distances(early, _collective(early))
    d_late = map_distances(late, _collective(late))
    convergence = map_convergence(d_early["to_collective"], d_late["to_collective"])
    votes = preference_changes(s.votes.get((item_id, VoteKind.INDICATIVE), {}),
                               s.votes.get((item_id, VoteKind.FINAL), {}))
    authors = {a.id: a.author for a in s.arguments.values() if a.item_id == item_id}
    rows = []
    for pid in sorted(members):
        agreed = [aid for aid in authors if s.ratings.get(aid, {}).get(pid) == 1]
        listen = listening(pid, agreed, authors, {k: (g, Side(side)) for k, (g, side) in members.items()})
        conv = convergence.get(pid, {"early": None, "late": None, "change": None})
        rows.append({
            "member": pseudonym(pid), "preference_changed": votes["by_member"].get(pid),
            **listen, "map_distance_early": conv["early"], "map_distance_late": conv["late"],
            "map_distance_change": conv["change"],
        })
    delphi = []
    for d in s.delphis.values():
        if d.item_id != item_id or 1 not in d.closed_rounds or 2 not in d.closed_rounds:
            continue
        ids = [st.id for st in d.statements]
        for row in delphi_learning(ids, d.scale_min, d.scale_max, d.answers.get(1, {}), d.answers.get(2, {})):
            delphi.append({"delphi": d.id, **row, "member": pseudonym(row["member"])})
    revised = [r["revised"] for r in delphi]
    moved = [r["movement"] for r in delphi]
    return {
        "item_id": item_id,
        "members": rows,
        "delphi": delphi,
        "group": {
            "members": len(rows),
            "preference_changed_share": votes["changed_share"],
            "revised_share": sum(revised) / len(revised) if revised else None,
            "convergence_share": moved.count("convergence") / len(moved) if moved else None,
            "divergence_share": moved.count("divergence") / len(moved) if moved else None,
            "mean_map_distance_to_collective": {"early": d_early["mean_to_collective"],
                                                "late": d_late["mean_to_collective"]},
            "mean_pairwise_map_distance": {"early": d_early["mean_pairwise"], "late": d_late["mean_pairwise"]},
        },
    }
