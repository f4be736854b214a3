"""The collective cognitive map of one agenda item, maintained incrementally (methods.md §2).

Each councillor's active link facts form an individual map A_k (row = cause,
column = effect, value = sign × strength); the social map is S = Σ_k A_k
(Özesmi & Özesmi 2004). `CollectiveMap.add` and `.remove` update every
aggregate below in O(1) (amortised dict operations), so the map never has to be
rebuilt while a meeting runs.

Conventions:

- One author, one cell: if an author has several active facts on the same
  (cause, effect) cell, the one added most recently to this map counts; removing
  it brings back the next most recent. A rebuild must therefore add facts in log
  order (the caller rebuilds from scratch after a synonym merge).
- An *asserted edge* is a cell with at least one supporter (an author whose
  A_k cell is non-zero). Its S value may be 0 when + and − assertions cancel;
  such an edge is shown (it is contested) but it is not a *link* of S.
- A *link* is a cell with s_ij ≠ 0. Structural measures (C, domain, heads,
  tails, loops, potent options) use links only, as in the FCM convention that
  0 means "no causal relation".
- Degrees are on |S|: od_i = Σ_j |s_ij|, id_i = Σ_j |s_ji|.
- The concept set is the set of ends of asserted edges: a concept with no
  active link fact disappears.
- A fact whose cause equals its effect (possible after a synonym merge) is
  kept, so that it can be removed, but it is dormant: it changes no aggregate.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Iterator, KeysView, Mapping
from dataclasses import dataclass
from types import MappingProxyType

import networkx as nx  # type: ignore[import-untyped]

from ..types import ConceptKey, LinkId, ParticipantId
from .tally import Cell, DegreeTally, Edge, EdgeStats, MapSnapshot

__all__ = ["Cell", "CollectiveMap", "EdgeStats", "LinkFact", "MapSnapshot"]

JOURNAL_SIZE = 4096  # changes remembered for incremental views; older readers rebuild


@dataclass(frozen=True)
class LinkFact:
    """One councillor's assertion `cause → effect`, sign ±1, strength 1–3."""

    id: LinkId
    author: ParticipantId
    cause: ConceptKey
    effect: ConceptKey
    sign: int
    strength: int

    def __post_init__(self) -> None:
        if type(self.sign) is not int or self.sign not in (1, -1):
            raise ValueError(f"link {self.id!r}: sign must be +1 or -1, got {self.sign!r}")
        if type(self.strength) is not int or self.strength not in (1, 2, 3):
            raise ValueError(f"link {self.id!r}: strength must be 1, 2 or 3, got {self.strength!r}")

    @property
    def value(self) -> int:
        """The cell value in the author's individual map: sign × strength."""
        return self.sign * self.strength


class CollectiveMap:
    """The social map S = Σ_k A_k with per-edge and per-concept aggregates, updated per fact."""

    def __init__(self) -> None:
        self._facts: dict[LinkId, LinkFact] = {}
        self._next = 0  # add counter, for "the later-added fact counts"
        # (author, cause, effect) -> {active fact id: its add counter}
        self._cell_facts: dict[tuple[ParticipantId, ConceptKey, ConceptKey], dict[LinkId, int]] = {}
        self._individual: dict[ParticipantId, dict[Cell, int]] = {}
        self._edges: dict[Cell, Edge] = {}
        self._succ: dict[ConceptKey, dict[ConceptKey, int]] = {}  # non-zero S entries by row
        self._pred: dict[ConceptKey, dict[ConceptKey, int]] = {}  # non-zero S entries by column
        self._refs: dict[ConceptKey, int] = {}  # asserted edges touching each concept
        self._od: dict[ConceptKey, int] = {}
        self._id: dict[ConceptKey, int] = {}
        self._cent: dict[ConceptKey, int] = {}  # od + id
        self._tally = DegreeTally()
        self._version = 0
        self._journal: deque[tuple[int, Cell]] = deque(maxlen=JOURNAL_SIZE)
        self.memo: dict[str, object] = {}  # scratch space for derived views; not part of the map's value

    @classmethod
    def from_facts(cls, facts: Iterable[LinkFact]) -> CollectiveMap:
        """Build a map by adding `facts` in order (later facts win on a shared author cell)."""
        cmap = cls()
        for fact in facts:
            cmap.add(fact)
        return cmap

    def add(self, fact: LinkFact) -> None:
        """Activate `fact`; its value becomes its author's value on its cell. Duplicate id → ValueError."""
        if fact.id in self._facts:
            raise ValueError(f"link {fact.id!r} is already in the map")
        self._facts[fact.id] = fact
        self._next += 1
        if fact.cause == fact.effect:
            return
        self._cell_facts.setdefault((fact.author, fact.cause, fact.effect), {})[fact.id] = self._next
        self._vote((fact.cause, fact.effect), fact.author, fact.value)

    def remove(self, link_id: LinkId) -> LinkFact:
        """Retract a fact and return it; the author's previous fact on that cell, if any, counts again."""
        fact = self._facts.pop(link_id)  # KeyError for an unknown id, by contract
        if fact.cause == fact.effect:
            return fact
        key = (fact.author, fact.cause, fact.effect)
        on_cell = self._cell_facts[key]
        del on_cell[link_id]
        if on_cell:
            latest = max(on_cell, key=on_cell.__getitem__)
            value: int | None = self._facts[latest].value
        else:
            del self._cell_facts[key]
            value = None
        self._vote((fact.cause, fact.effect), fact.author, value)
        return fact

    def _vote(self, cell: Cell, author: ParticipantId, new: int | None) -> None:
        """Set author's A_k value on `cell` (None: no longer asserted) and update every aggregate."""
        row = self._individual.setdefault(author, {})
        old = row.get(cell)
        if old == new:
            if not row:
                del self._individual[author]
            return
        if new is None:
            del row[cell]
            if not row:
                del self._individual[author]
        else:
            row[cell] = new
        cause, effect = cell
        ends = (cause, effect)
        for c in ends:
            if c in self._refs:
                self._tally.leave(self._od[c], self._id[c])
        edge = self._edges.get(cell)
        if edge is None:
            edge = self._edges[cell] = Edge()
            for c in ends:
                if c not in self._refs:
                    self._refs[c] = 0
                    self._od[c] = self._id[c] = self._cent[c] = 0
                self._refs[c] += 1
        before = edge.weight
        edge.change(author, old, new)
        after = edge.weight
        change = abs(after) - abs(before)
        self._od[cause] += change
        self._id[effect] += change
        self._cent[cause] += change
        self._cent[effect] += change
        if before != 0:
            del self._succ[cause][effect]
            del self._pred[effect][cause]
            self._tally.links -= 1
        if after != 0:
            self._tally.links += 1
            self._succ.setdefault(cause, {})[effect] = after
            self._pred.setdefault(effect, {})[cause] = after
        if not edge.votes:
            del self._edges[cell]
            for c in ends:
                self._refs[c] -= 1
                if self._refs[c] == 0:
                    del self._refs[c], self._od[c], self._id[c], self._cent[c]
                    self._succ.pop(c, None)
                    self._pred.pop(c, None)
        for c in ends:
            if c in self._refs:
                self._tally.enter(self._od[c], self._id[c])
        self._version += 1
        self._journal.append((self._version, cell))

    @property
    def version(self) -> int:
        """Number of aggregate changes so far; unchanged by a no-op add/remove."""
        return self._version

    def changes_since(self, version: int) -> set[Cell] | None:
        """Cells whose aggregates changed after `version`, or None when the journal no longer reaches back."""
        if version == self._version:
            return set()
        if version < 0 or version > self._version or not self._journal or self._journal[0][0] > version + 1:
            return None
        changed: set[Cell] = set()
        for v, cell in reversed(self._journal):
            if v <= version:
                break
            changed.add(cell)
        return changed

    @property
    def facts(self) -> Mapping[LinkId, LinkFact]:
        """The active facts, in add order (read-only)."""
        return MappingProxyType(self._facts)

    def __len__(self) -> int:
        return len(self._facts)

    def concepts(self) -> KeysView[ConceptKey]:
        """The concepts that are an end of at least one asserted edge."""
        return self._refs.keys()

    def __contains__(self, concept: object) -> bool:
        return concept in self._refs

    def edges(self) -> KeysView[Cell]:
        """The asserted edges (cells with ≥ 1 supporter), including those whose S value is 0."""
        return self._edges.keys()

    def links(self) -> Iterator[tuple[ConceptKey, ConceptKey, int]]:
        """The links of S: (cause, effect, s_ij) for every s_ij ≠ 0."""
        for cause, row in self._succ.items():
            for effect, weight in row.items():
                yield cause, effect, weight

    def edge(self, cause: ConceptKey, effect: ConceptKey) -> EdgeStats:
        """The aggregates of an asserted edge; KeyError if nobody asserts it."""
        return self._edges[(cause, effect)].stats(cause, effect)

    def votes(self, cause: ConceptKey, effect: ConceptKey) -> Mapping[ParticipantId, int]:
        """Each supporter's current value (sign × strength) on an asserted edge, read-only; KeyError if none."""
        return MappingProxyType(self._edges[(cause, effect)].votes)

    def weight(self, cause: ConceptKey, effect: ConceptKey) -> int:
        """s_ij, 0 when the cell is empty or its assertions cancel."""
        edge = self._edges.get((cause, effect))
        return 0 if edge is None else edge.weight

    def successors(self, concept: ConceptKey) -> Mapping[ConceptKey, int]:
        """Effects j with s_ij ≠ 0, with their weight (read-only)."""
        return MappingProxyType(self._succ.get(concept, {}))

    def predecessors(self, concept: ConceptKey) -> Mapping[ConceptKey, int]:
        """Causes j with s_ji ≠ 0, with their weight (read-only)."""
        return MappingProxyType(self._pred.get(concept, {}))

    def outdegree(self, concept: ConceptKey) -> int:
        """od_i = Σ_j |s_ij|; KeyError for a concept not in the map."""
        return self._od[concept]

    def indegree(self, concept: ConceptKey) -> int:
        """id_i = Σ_j |s_ji|; KeyError for a concept not in the map."""
        return self._id[concept]

    def centralities(self) -> Mapping[ConceptKey, int]:
        """c_i = od_i + id_i for every concept (read-only, live)."""
        return MappingProxyType(self._cent)

    @property
    def link_count(self) -> int:
        """C: the number of cells with s_ij ≠ 0."""
        return self._tally.links

    @property
    def tally(self) -> DegreeTally:
        """Running sums over concepts (types, Σ od, Σ od²), for O(1) map indices. Read-only by contract."""
        return self._tally

    def individual(self, author: ParticipantId) -> dict[Cell, int]:
        """A copy of the author's individual map A_k: {(cause, effect): sign × strength}."""
        return dict(self._individual.get(author, {}))

    def authors(self) -> KeysView[ParticipantId]:
        """Authors with at least one non-dormant active fact."""
        return self._individual.keys()

    def social_matrix(self) -> dict[Cell, int]:
        """A copy of the non-zero entries of S, safe to hand to another thread."""
        return {(c, e): w for c, row in self._succ.items() for e, w in row.items()}

    def snapshot(self) -> MapSnapshot:
        """Freeze the concepts and the links of S, for analyses run off the event loop."""
        return MapSnapshot(self._version, tuple(sorted(self._refs)), self.social_matrix())

    def to_networkx(self) -> nx.DiGraph:
        """A networkx.DiGraph of the asserted edges (concepts sorted, edges sorted), with edge attributes
        weight (s_ij), sign, supporters, plus, minus, mean_weight, contested."""
        graph = nx.DiGraph()
        graph.add_nodes_from(sorted(self._refs))
        for cause, effect in sorted(self._edges):
            s = self.edge(cause, effect)
            graph.add_edge(
                cause,
                effect,
                weight=s.weight,
                sign=s.sign,
                supporters=s.supporters,
                plus=s.plus,
                minus=s.minus,
                mean_weight=s.mean_weight,
                contested=s.contested,
            )
        return graph
