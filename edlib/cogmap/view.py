"""The map view pushed to clients, split into a cheap incremental part and an expensive debounced part.

Budget (issue requirement): on a map of 1,000 concepts and 3,000 links, one new
link followed by the updated view must hold the event loop ≤ 10 ms. Measured
with bench/map/run.py (see its README for the figures on the reference machine):
loops and potent options cost tens of milliseconds at that size and are not
incremental, so the view is split:

- `map_view(cmap, labels, members)` — CHEAP, call it on the loop after every
  change. Nodes (degrees, centrality, type, domain, head, tail), edges (S value,
  supporters, contested, groups, sides, bridge), indices (N, C, density,
  complexity, hierarchy, type counts) and the five most central concepts. It is
  incremental: a `MapViewCache` kept in `cmap.memo` re-renders only the nodes and
  edges touched since the previous call (read from the map's change journal),
  the edges of participants whose group or side changed, and the nodes whose
  label changed. Cost ≈ O(changes + N + C) list assembly, well under a millisecond
  of rendering at 1,000 concepts.
- `map_analysis(snapshot)` — EXPENSIVE, run it debounced (e.g. at most once per
  second of quiet) and off the loop, on `cmap.snapshot()` taken on the loop:
  potent options and loops. O(N + C) plus the bounded loop search.
- `view_patch(before, after)` — the difference between two cheap views, for
  pushing deltas: serialising a whole view of 1,000 concepts and 3,000 links
  with json.dumps takes longer than the 10 ms budget by itself.
- `full_map_view(...)` — both merged into one dict (nodes carry `potent`, plus
  `loops`): for exports, tests and small maps.

The dicts inside a returned view are shared with the cache: treat them as
read-only (serialise them, do not edit them). Everything is JSON-ready: str keys,
lists, ints, floats, bools and None.
"""

from __future__ import annotations

import weakref
from bisect import bisect_left
from collections.abc import Mapping
from typing import Any

from ..types import ConceptKey
from .analysis import Members, concept_measures, edge_support, map_indices, top_central
from .model import Cell, CollectiveMap, MapSnapshot
from .structure import DEFAULT_LOOP_LIMIT, DEFAULT_MAX_WORK, as_snapshot, find_loops, potent_options

__all__ = ["MapViewCache", "full_map_view", "map_analysis", "map_view", "view_patch"]

JSONDict = dict[str, Any]
Labels = Mapping[ConceptKey, str]


def edge_id(cause: ConceptKey, effect: ConceptKey) -> str:
    """The wire id of an edge: 'cause→effect'."""
    return f"{cause}→{effect}"


def _node(cmap: CollectiveMap, key: ConceptKey, label: str) -> JSONDict:
    m = concept_measures(cmap, key)
    return {
        "id": key,
        "label": label,
        "indegree": m.indegree,
        "outdegree": m.outdegree,
        "centrality": m.centrality,
        "type": m.type.value,
        "domain": m.domain,
        "head": m.head,
        "tail": m.tail,
    }


def _edge(cmap: CollectiveMap, cell: Cell, members: Members) -> JSONDict:
    cause, effect = cell
    s = cmap.edge(cause, effect)
    support = edge_support(cmap, cause, effect, members)
    return {
        "id": edge_id(cause, effect),
        "source": cause,
        "target": effect,
        "weight": s.weight,
        "mean_weight": s.mean_weight,
        "sign": s.sign,
        "supporters": s.supporters,
        "plus": s.plus,
        "minus": s.minus,
        "contested": s.contested,
        "groups": list(support.groups),
        "sides": list(support.sides),
        "bridge": support.bridge,
    }


class _Sorted:
    """Rendered dicts kept in key order: a sorted key list and an aligned list of dicts."""

    def __init__(self, items: dict[Any, JSONDict]) -> None:
        self.keys = sorted(items)
        self.values = [items[k] for k in self.keys]

    def __contains__(self, key: object) -> bool:
        i = bisect_left(self.keys, key)
        return i < len(self.keys) and self.keys[i] == key

    def get(self, key: Any) -> JSONDict | None:
        i = bisect_left(self.keys, key)
        return self.values[i] if i < len(self.keys) and self.keys[i] == key else None

    def put(self, key: Any, value: JSONDict) -> None:
        i = bisect_left(self.keys, key)
        if i < len(self.keys) and self.keys[i] == key:
            self.values[i] = value
        else:
            self.keys.insert(i, key)
            self.values.insert(i, value)

    def drop(self, key: Any) -> None:
        i = bisect_left(self.keys, key)
        if i < len(self.keys) and self.keys[i] == key:
            del self.keys[i], self.values[i]


class MapViewCache:
    """Rendered node and edge dicts of one map, refreshed from the map's change journal.

    Invariant after `refresh`: equal to rendering every node and edge from scratch, in key order.
    """

    def __init__(self) -> None:
        self._map: weakref.ref[CollectiveMap] | None = None  # weak: the cache lives in the map's memo
        self._version = -1
        self._labels: dict[ConceptKey, str] = {}
        self._members: dict[str, tuple[str | None, str]] = {}
        self.nodes = _Sorted({})  # by concept key
        self.edges = _Sorted({})  # by (cause, effect)

    def refresh(self, cmap: CollectiveMap, labels: Labels, members: Members) -> None:
        """Bring the rendered dicts up to date with the map, the labels and the memberships."""
        mine = self._map is not None and self._map() is cmap
        changes = cmap.changes_since(self._version) if mine else None
        if changes is None:
            self._rebuild(cmap, labels, members)
            return
        cells = set(changes)
        if members != self._members:
            for who in set(members) | set(self._members):
                if members.get(who) != self._members.get(who):
                    cells.update(cmap.individual(who))
            self._members = dict(members)
        touched = {c for cell in changes for c in cell}
        if labels != self._labels:
            touched.update(
                k
                for k, node in zip(self.nodes.keys, self.nodes.values, strict=True)
                if labels.get(k, k) != node["label"]
            )
            self._labels = dict(labels)
        asserted = cmap.edges()
        for cell in cells:
            if cell in asserted:
                self.edges.put(cell, _edge(cmap, cell, members))
            else:
                self.edges.drop(cell)
        for key in touched:
            if key in cmap:
                self.nodes.put(key, _node(cmap, key, labels.get(key, key)))
            else:
                self.nodes.drop(key)
        self._version = cmap.version

    def _rebuild(self, cmap: CollectiveMap, labels: Labels, members: Members) -> None:
        self._map, self._version = weakref.ref(cmap), cmap.version
        self._labels, self._members = dict(labels), dict(members)
        self.nodes = _Sorted({k: _node(cmap, k, labels.get(k, k)) for k in cmap.concepts()})
        self.edges = _Sorted({cell: _edge(cmap, cell, members) for cell in cmap.edges()})


def map_view(cmap: CollectiveMap, labels: Labels, members: Members) -> JSONDict:
    """The cheap, incremental view: {version, nodes, edges, indices, central} (module docstring).

    Equal to the view of the same map rebuilt from scratch; nodes sorted by key, edges by (source, target).
    """
    cache = cmap.memo.get("view")
    if not isinstance(cache, MapViewCache):
        cache = cmap.memo["view"] = MapViewCache()
    cache.refresh(cmap, labels, members)
    return {
        "version": cmap.version,
        "nodes": list(cache.nodes.values),
        "edges": list(cache.edges.values),
        "indices": map_indices(cmap).as_dict(),
        "central": [
            {"id": k, "label": labels.get(k, k), "centrality": cmap.centralities()[k]} for k in top_central(cmap, 5)
        ],
    }


def view_patch(before: Mapping[str, Any], after: Mapping[str, Any]) -> JSONDict:
    """What changed between two `map_view`s: {version, base, nodes: {upsert, remove}, edges: {upsert, remove},
    indices, central}. Applying it — replace or add each upserted item by id, delete each removed id, take
    indices and central whole — turns `before` into `after`. O(N + C), mostly identity checks, since
    unchanged items are the same cached dicts; the result is small, unlike the full view.
    """
    out: JSONDict = {"version": after["version"], "base": before["version"]}
    for part in ("nodes", "edges"):
        old = {item["id"]: item for item in before[part]}
        upsert = []
        for item in after[part]:
            prev = old.pop(item["id"], None)
            if prev is not item and prev != item:  # unchanged items are the cache's same dict
                upsert.append(item)
        out[part] = {"upsert": upsert, "remove": sorted(old)}
    out["indices"], out["central"] = after["indices"], after["central"]
    return out


def map_analysis(
    source: CollectiveMap | MapSnapshot,
    *,
    loop_limit: int = DEFAULT_LOOP_LIMIT,
    max_length: int | None = None,
    max_work: int = DEFAULT_MAX_WORK,
) -> JSONDict:
    """The expensive, debounced part: {version, potent: [keys], loops: {items: [{nodes, sign}], truncated}}.

    Pass a `MapSnapshot` when running off the event loop; `version` tells which map state it describes.
    """
    snap = as_snapshot(source)
    report = find_loops(snap, limit=loop_limit, max_length=max_length, max_work=max_work).as_dict()
    return {
        "version": snap.version,
        "potent": potent_options(snap),
        "loops": {"items": report["loops"], "truncated": report["truncated"]},
    }


def full_map_view(
    cmap: CollectiveMap, labels: Labels, members: Members, *, loop_limit: int = DEFAULT_LOOP_LIMIT
) -> JSONDict:
    """`map_view` and `map_analysis` merged: every node also has `potent`, and the view has `loops`."""
    view = map_view(cmap, labels, members)
    analysis = map_analysis(cmap, loop_limit=loop_limit)
    potent = set(analysis["potent"])
    view["nodes"] = [{**node, "potent": node["id"] in potent} for node in view["nodes"]]
    view["loops"] = analysis["loops"]
    return view
