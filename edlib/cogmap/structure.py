"""The expensive structural analyses: potent options and feedback loops (Eden's analyses, methods.md §2).

Both work on the links of S (s_ij ≠ 0) and take either a live `CollectiveMap`
or a `MapSnapshot` (take the snapshot on the event loop, analyse it elsewhere).
Neither is incremental: potent options are O(N + C) per call; loop enumeration
is bounded by `limit` loops and `max_work` elementary steps, so it always ends,
whatever the density of the map.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass

from ..types import ConceptKey
from .model import CollectiveMap, MapSnapshot

DEFAULT_LOOP_LIMIT = 50
DEFAULT_MAX_WORK = 250_000  # ≈ 0.1–0.2 s of pure Python in the worst case


def as_snapshot(source: CollectiveMap | MapSnapshot) -> MapSnapshot:
    """The snapshot of a live map, or the snapshot itself."""
    return source.snapshot() if isinstance(source, CollectiveMap) else source


def _adjacency(snap: MapSnapshot) -> dict[ConceptKey, list[ConceptKey]]:
    """Sorted successor lists over the links of S (every concept present, possibly with no successor)."""
    succ: dict[ConceptKey, list[ConceptKey]] = {c: [] for c in snap.concepts}
    for cause, effect in snap.matrix:
        succ[cause].append(effect)
    for targets in succ.values():
        targets.sort()
    return succ


def strongly_connected(
    nodes: Sequence[ConceptKey], succ: Mapping[ConceptKey, Sequence[ConceptKey]]
) -> Iterator[list[ConceptKey]]:
    """Tarjan's strongly connected components, iteratively; each component is yielded after every
    component reachable from it (reverse topological order of the condensation)."""
    index: dict[ConceptKey, int] = {}
    low: dict[ConceptKey, int] = {}
    stack: list[ConceptKey] = []
    on_stack: set[ConceptKey] = set()
    for root in nodes:
        if root in index:
            continue
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        work = [(root, iter(succ[root]))]
        while work:
            v, targets = work[-1]
            for w in targets:
                if w not in index:
                    index[w] = low[w] = len(index)
                    stack.append(w)
                    on_stack.add(w)
                    work.append((w, iter(succ[w])))
                    break
                if w in on_stack and index[w] < low[v]:
                    low[v] = index[w]
            else:
                work.pop()
                if work:
                    parent = work[-1][0]
                    low[parent] = min(low[parent], low[v])
                if low[v] == index[v]:
                    component = []
                    while True:
                        w = stack.pop()
                        on_stack.discard(w)
                        component.append(w)
                        if w == v:
                            break
                    yield component


def potent_options(source: CollectiveMap | MapSnapshot) -> list[ConceptKey]:
    """Tails (in-links = 0, out-links > 0) from which at least two heads (out-links = 0, in-links > 0)
    are reachable along links of S. Sorted. O(N + C): one Tarjan pass, reachable heads as bitsets."""
    snap = as_snapshot(source)
    succ = _adjacency(snap)
    has_in = {effect for _, effect in snap.matrix}
    head_bit = {c: 1 << i for i, c in enumerate(c for c in snap.concepts if not succ[c] and c in has_in)}
    reach: dict[ConceptKey, int] = {}  # concept -> bitset of heads reachable from it (itself included)
    for component in strongly_connected(snap.concepts, succ):
        bits = 0
        for v in component:
            bits |= head_bit.get(v, 0)
            for w in succ[v]:
                bits |= reach.get(w, 0)  # successors outside the component are already done
        for v in component:
            reach[v] = bits
    return [c for c in snap.concepts if succ[c] and c not in has_in and reach[c].bit_count() >= 2]


@dataclass(frozen=True)
class Loop:
    """A simple cycle of S, listed from its smallest concept key; sign = product of the link signs."""

    nodes: tuple[ConceptKey, ...]
    sign: int  # +1 reinforcing, −1 balancing

    @property
    def kind(self) -> str:
        """'reinforcing' for a positive loop, 'balancing' for a negative one."""
        return "reinforcing" if self.sign > 0 else "balancing"


@dataclass(frozen=True)
class LoopReport:
    """The loops found, shortest first, and whether the enumeration stopped early."""

    loops: tuple[Loop, ...]
    truncated: bool  # True: loops that are not listed may exist (limit or work budget reached)

    def as_dict(self) -> dict[str, object]:
        """JSON-ready: {"loops": [{"nodes": [...], "sign": "reinforcing"|"balancing"}], "truncated": bool}."""
        return {"loops": [{"nodes": list(lp.nodes), "sign": lp.kind} for lp in self.loops], "truncated": self.truncated}


class _Budget(Exception):
    """Raised inside the search when the work budget is spent."""


def find_loops(
    source: CollectiveMap | MapSnapshot,
    *,
    limit: int = DEFAULT_LOOP_LIMIT,
    max_length: int | None = None,
    max_work: int = DEFAULT_MAX_WORK,
) -> LoopReport:
    """Simple cycles of the links of S, by increasing length (then by concept key), at most `limit`.

    Iterative deepening: for k = 2, 3, … (up to `max_length`, or the size of the largest
    strongly connected component), list every cycle of exactly k links, each once, from its
    smallest concept, following successors in key order; a reverse breadth-first distance to the
    start prunes paths that cannot close in time. `truncated` is True when a further loop
    exists (or may exist because `max_work` edge visits were spent). Deterministic: a function
    of S only. With `limit` ≥ the number of cycles and no bounds, this is every simple cycle.
    """
    if limit < 0 or max_work < 0:
        raise ValueError("limit and max_work must be ≥ 0")
    snap = as_snapshot(source)
    succ = _adjacency(snap)
    pred: dict[ConceptKey, list[ConceptKey]] = {c: [] for c in snap.concepts}
    for cause, effect in snap.matrix:
        pred[effect].append(cause)
    rank = {c: i for i, c in enumerate(snap.concepts)}
    component: dict[ConceptKey, int] = {}
    largest = 0
    for i, comp in enumerate(strongly_connected(snap.concepts, succ)):
        if len(comp) > 1:
            largest = max(largest, len(comp))
            for v in comp:
                component[v] = i
    starts = [c for c in snap.concepts if c in component]
    top = largest if max_length is None else min(max_length, largest)
    found: list[Loop] = []
    work = 0

    def spend(n: int) -> None:
        nonlocal work
        work += n
        if work > max_work:
            raise _Budget

    def cycles_of_length(start: ConceptKey, k: int) -> Iterator[tuple[ConceptKey, ...]]:
        # Distances to `start` over concepts ranked above it in its component, up to k − 1 links.
        comp, floor = component[start], rank[start]
        dist = {start: 0}
        frontier = [start]
        for d in range(1, k):
            nxt = []
            for v in frontier:
                spend(len(pred[v]))
                for u in pred[v]:
                    if u not in dist and component.get(u) == comp and rank[u] > floor:
                        dist[u] = d
                        nxt.append(u)
            frontier = nxt
        path = [start]
        on_path = {start}
        work_stack = [iter(succ[start])]
        while work_stack:
            w = next(work_stack[-1], None)
            if w is None:
                work_stack.pop()
                on_path.discard(path.pop())
                continue
            spend(1)
            if w == start:
                if len(path) == k:
                    yield tuple(path)
                continue
            left = k - len(path)  # links still needed from w back to start once w is appended
            back = dist.get(w)
            if back is None or back > left or w in on_path:
                continue
            path.append(w)
            on_path.add(w)
            work_stack.append(iter(succ[w]))

    try:
        for k in range(2, top + 1):
            for start in starts:
                for nodes in cycles_of_length(start, k):
                    if len(found) == limit:
                        return LoopReport(tuple(found), True)
                    sign = 1
                    for a, b in zip(nodes, nodes[1:] + nodes[:1], strict=True):
                        sign *= 1 if snap.matrix[(a, b)] > 0 else -1
                    found.append(Loop(nodes, sign))
    except _Budget:
        return LoopReport(tuple(found), True)
    return LoopReport(tuple(found), False)
