"""The records behind `CollectiveMap`: per-edge and per-map running aggregates (O(1) per change), and snapshots."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum

from ..types import ConceptKey, ParticipantId

Cell = tuple[ConceptKey, ConceptKey]  # (cause, effect): row, column of S


class ConceptType(StrEnum):
    """Concept type from degrees on |S| (methods.md §2)."""

    TRANSMITTER = "transmitter"  # od > 0, id = 0
    RECEIVER = "receiver"  # od = 0, id > 0
    ORDINARY = "ordinary"  # od > 0, id > 0
    ISOLATED = "isolated"  # od = id = 0: every link of the concept cancels out in S


# Indexed by 2·(od > 0) + (id > 0); plain tuple lookup because enum attribute access is slow on hot paths.
_TYPES = (ConceptType.ISOLATED, ConceptType.RECEIVER, ConceptType.TRANSMITTER, ConceptType.ORDINARY)


def concept_type(outdegree: int, indegree: int) -> ConceptType:
    """transmitter (od > 0, id = 0), receiver (od = 0, id > 0), ordinary (both > 0), else isolated."""
    return _TYPES[2 * (outdegree > 0) + (indegree > 0)]


@dataclass(frozen=True)
class EdgeStats:
    """Aggregates of one asserted edge: s_ij, its supporters and their signs."""

    cause: ConceptKey
    effect: ConceptKey
    weight: int  # s_ij = Σ_k a_k,ij
    plus: int  # supporters asserting +
    minus: int  # supporters asserting −
    authors: tuple[ParticipantId, ...]  # the supporters, sorted

    @property
    def supporters(self) -> int:
        """Number of authors whose individual map has this cell (= plus + minus)."""
        return self.plus + self.minus

    @property
    def mean_weight(self) -> float:
        """s_ij / supporters: the mean of the supporters' sign × strength."""
        return self.weight / self.supporters

    @property
    def sign(self) -> int:
        """Sign of s_ij: +1, −1, or 0 when the assertions cancel."""
        return (self.weight > 0) - (self.weight < 0)

    @property
    def contested(self) -> bool:
        """Some supporters asserted +, others −."""
        return self.plus > 0 and self.minus > 0


@dataclass
class Edge:
    """Mutable aggregate of one cell: the sum and each supporter's current value."""

    weight: int = 0
    plus: int = 0
    minus: int = 0
    votes: dict[ParticipantId, int] = field(default_factory=dict)

    def change(self, author: ParticipantId, old: int | None, new: int | None) -> None:
        """Replace the author's value `old` (None: absent) by `new` (None: withdrawn)."""
        if old is not None:
            self.weight -= old
            if old > 0:
                self.plus -= 1
            else:
                self.minus -= 1
            del self.votes[author]
        if new is not None:
            self.weight += new
            if new > 0:
                self.plus += 1
            else:
                self.minus += 1
            self.votes[author] = new

    def stats(self, cause: ConceptKey, effect: ConceptKey) -> EdgeStats:
        """An immutable snapshot of this edge."""
        return EdgeStats(cause, effect, self.weight, self.plus, self.minus, tuple(sorted(self.votes)))


@dataclass
class DegreeTally:
    """Sums over the concepts of a map, so that map indices cost O(1).

    Invariant: equal to the same sums recomputed over every concept of the map.
    """

    concepts: int = 0
    links: int = 0  # C: cells with s_ij ≠ 0
    sum_od: int = 0  # Σ_i od_i
    sum_od2: int = 0  # Σ_i od_i²
    counts: list[int] = field(default_factory=lambda: [0, 0, 0, 0])  # per type, in _TYPES order

    def count(self, kind: ConceptType) -> int:
        """Number of concepts of this type."""
        return self.counts[_TYPES.index(kind)]

    def enter(self, outdegree: int, indegree: int) -> None:
        """Count one concept with these degrees."""
        self.concepts += 1
        self.sum_od += outdegree
        self.sum_od2 += outdegree * outdegree
        self.counts[2 * (outdegree > 0) + (indegree > 0)] += 1

    def leave(self, outdegree: int, indegree: int) -> None:
        """Uncount one concept with these degrees (the degrees it was counted with)."""
        self.concepts -= 1
        self.sum_od -= outdegree
        self.sum_od2 -= outdegree * outdegree
        self.counts[2 * (outdegree > 0) + (indegree > 0)] -= 1


@dataclass(frozen=True)
class MapSnapshot:
    """An immutable copy of what the expensive analyses need: the concepts and the non-zero cells of S.

    Taking one is O(N + C); hand it to a worker thread or process (it pickles) instead of the live map.
    `matrix` is typed read-only and must not be mutated.
    """

    version: int
    concepts: tuple[ConceptKey, ...]  # sorted
    matrix: Mapping[Cell, int]  # s_ij for every s_ij ≠ 0
