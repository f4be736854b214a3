"""Measures on the collective map (methods.md §2): concepts, Eden's analyses, map indices, cross-group support.

Everything here is O(1) per concept or per edge, read from the aggregates that
`CollectiveMap` maintains. The expensive analyses (potent options, loops, what-if
scenarios) live in `structure` and `scenario` and are re-exported here.

Conventions (see `model` for asserted edges vs links):

- od_i = Σ_j |s_ij|, id_i = Σ_j |s_ji|, centrality c_i = od_i + id_i.
- type: transmitter (od > 0, id = 0), receiver (od = 0, id > 0), ordinary (both > 0),
  isolated (od = id = 0: a concept whose every asserted edge cancels out in S).
- domain = number of distinct links (s ≠ 0) in and out; head = no out-link but some
  in-link (≡ receiver); tail = no in-link but some out-link (≡ transmitter).
- N = concepts, C = links; density = C / (N(N − 1)), None for N < 2;
  complexity = R / T, None when T = 0; hierarchy
  h = 12 / ((N − 1)N(N + 1)) · Σ_i (od_i − mean od)², None for N < 2, computed exactly
  in integers as 12·(N·Σod² − (Σod)²) / (N²(N − 1)(N + 1)).
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from ..types import ArgumentId, ConceptKey, GroupId, ParticipantId, Side
from .model import CollectiveMap
from .scenario import Scenario, what_if
from .structure import Loop, LoopReport, find_loops, potent_options
from .tally import ConceptType, concept_type

__all__ = [
    "ConceptMeasures",
    "ConceptType",
    "Loop",
    "LoopReport",
    "MapIndices",
    "Members",
    "Scenario",
    "Support",
    "argument_support",
    "centralities",
    "concept_measures",
    "edge_support",
    "find_loops",
    "heads",
    "hierarchy_index",
    "map_indices",
    "potent_options",
    "tails",
    "top_central",
    "what_if",
]

MAJORITY, OPPOSITION, NO_SIDE = Side.MAJORITY.value, Side.OPPOSITION.value, Side.NONE.value

# participant -> (party group or None, "majority" | "opposition" | "none")
Members = Mapping[ParticipantId, tuple[GroupId | None, str]]


@dataclass(frozen=True)
class ConceptMeasures:
    """Per-concept measures on |S| and on the links of S."""

    key: ConceptKey
    outdegree: int
    indegree: int
    out_links: int
    in_links: int

    @property
    def centrality(self) -> int:
        """c_i = od_i + id_i."""
        return self.outdegree + self.indegree

    @property
    def type(self) -> ConceptType:
        """Transmitter, receiver, ordinary or isolated, from (od, id)."""
        return concept_type(self.outdegree, self.indegree)

    @property
    def domain(self) -> int:
        """Eden's domain: distinct links in and out."""
        return self.out_links + self.in_links

    @property
    def head(self) -> bool:
        """An outcome: in-links but no out-link."""
        return self.out_links == 0 and self.in_links > 0

    @property
    def tail(self) -> bool:
        """An option: out-links but no in-link."""
        return self.in_links == 0 and self.out_links > 0


def concept_measures(cmap: CollectiveMap, key: ConceptKey) -> ConceptMeasures:
    """Measures of one concept in O(1); KeyError if it is not in the map."""
    return ConceptMeasures(
        key, cmap.outdegree(key), cmap.indegree(key), len(cmap.successors(key)), len(cmap.predecessors(key))
    )


def centralities(cmap: CollectiveMap) -> dict[ConceptKey, int]:
    """c_i = od_i + id_i for every concept."""
    return dict(cmap.centralities())


def top_central(cmap: CollectiveMap, k: int = 5) -> list[ConceptKey]:
    """The k most central concepts, by centrality descending then key ascending."""
    cent = cmap.centralities()
    if k <= 0:
        return []
    if len(cent) > k:
        # Only concepts at or above the k-th largest value can qualify; avoids a key call per concept.
        cut = heapq.nlargest(k, cent.values())[-1]
        candidates = [c for c, v in cent.items() if v >= cut]
    else:
        candidates = list(cent)
    candidates.sort(key=lambda c: (-cent[c], c))
    return candidates[:k]


def heads(cmap: CollectiveMap) -> list[ConceptKey]:
    """Concepts with in-links and no out-link (outcomes), sorted."""
    return sorted(c for c in cmap.concepts() if not cmap.successors(c) and cmap.predecessors(c))


def tails(cmap: CollectiveMap) -> list[ConceptKey]:
    """Concepts with out-links and no in-link (options), sorted."""
    return sorted(c for c in cmap.concepts() if cmap.successors(c) and not cmap.predecessors(c))


def hierarchy_index(outdegrees: Iterable[int]) -> float | None:
    """h = 12 / ((N − 1)N(N + 1)) · Σ_i (od_i − mean od)²; None for N < 2. Exact in integers."""
    ods = list(outdegrees)
    n = len(ods)
    if n < 2:
        return None
    return _hierarchy(n, sum(ods), sum(od * od for od in ods))


def _hierarchy(n: int, sum_od: int, sum_od2: int) -> float:
    # Σ(od − mean)² = (N·Σod² − (Σod)²) / N, so h = 12·(N·Σod² − (Σod)²) / (N²(N − 1)(N + 1)).
    return 12 * (n * sum_od2 - sum_od * sum_od) / (n * n * (n - 1) * (n + 1))


@dataclass(frozen=True)
class MapIndices:
    """Map-level indices (Özesmi & Özesmi 2004; Eden)."""

    n: int
    c: int
    density: float | None
    complexity: float | None
    hierarchy: float | None
    transmitters: int
    receivers: int
    ordinary: int
    isolated: int

    def as_dict(self) -> dict[str, int | float | None]:
        """JSON-ready form."""
        return dict(self.__dict__)


def map_indices(cmap: CollectiveMap) -> MapIndices:
    """N, C, density, complexity, hierarchy and type counts, in O(1) from the map's running tally."""
    t = cmap.tally
    n = t.concepts
    transmitters, receivers = t.count(ConceptType.TRANSMITTER), t.count(ConceptType.RECEIVER)
    return MapIndices(
        n=n,
        c=t.links,
        density=t.links / (n * (n - 1)) if n >= 2 else None,
        complexity=receivers / transmitters if transmitters else None,
        hierarchy=_hierarchy(n, t.sum_od, t.sum_od2) if n >= 2 else None,
        transmitters=transmitters,
        receivers=receivers,
        ordinary=t.count(ConceptType.ORDINARY),
        isolated=t.count(ConceptType.ISOLATED),
    )


@dataclass(frozen=True)
class Support:
    """Which party groups and sides support a link or an argument, and whether it bridges the line."""

    groups: tuple[GroupId, ...]  # sorted, participants without a group left out
    sides: tuple[str, ...]  # sorted subset of "majority", "opposition", "none"
    bridge: bool

    def as_dict(self) -> dict[str, object]:
        """JSON-ready form."""
        return {"groups": list(self.groups), "sides": list(self.sides), "bridge": self.bridge}


def _membership(members: Members, who: ParticipantId) -> tuple[GroupId | None, str]:
    # A participant missing from `members` (staff, a guest) has no group and side "none".
    return members.get(who, (None, NO_SIDE))


def _groups_and_sides(members: Members, people: Iterable[ParticipantId]) -> tuple[tuple[GroupId, ...], tuple[str, ...]]:
    groups: set[GroupId] = set()
    sides: set[str] = set()
    for who in people:
        group, side = _membership(members, who)
        if group is not None:
            groups.add(group)
        sides.add(str(side))
    return tuple(sorted(groups)), tuple(sorted(sides))


def edge_support(cmap: CollectiveMap, cause: ConceptKey, effect: ConceptKey, members: Members) -> Support:
    """Groups and sides of every supporter of an asserted edge (either sign). `bridge`: some majority
    member and some opposition member assert the link with the same sign (agreement across the line;
    a + from one side against a − from the other is contested, not a bridge). KeyError if not asserted."""
    votes = cmap.votes(cause, effect)
    groups, sides = _groups_and_sides(members, votes)
    seen: dict[int, set[str]] = {1: set(), -1: set()}
    for who, value in votes.items():
        seen[1 if value > 0 else -1].add(str(_membership(members, who)[1]))
    bridge = any(MAJORITY in s and OPPOSITION in s for s in seen.values())
    return Support(groups, sides, bridge)


def argument_support(
    authors_and_agreers: Mapping[ArgumentId, Iterable[ParticipantId]], members: Members
) -> dict[ArgumentId, Support]:
    """For each argument, the groups and sides of its author and of those who agreed with it;
    `bridge` when both the majority and the opposition are among them."""
    out: dict[ArgumentId, Support] = {}
    for argument, people in authors_and_agreers.items():
        groups, sides = _groups_and_sides(members, people)
        out[argument] = Support(groups, sides, MAJORITY in sides and OPPOSITION in sides)
    return out
