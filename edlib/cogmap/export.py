"""Exports of the collective map for desktop tools, as pure functions returning `str`.

- `to_graphml`: GraphML with typed keys, for Gephi and Cytoscape. Nodes: label
  (string), indegree, outdegree, centrality (int), type (string), potent
  (boolean). Edges — the links of S only, s_ij ≠ 0 (Gephi drops or chokes on
  zero-weight edges, gephi/gephi#1945; cancelled cells are in the JSON export):
  weight = |s_ij| (double), value = s_ij (double), sign (int), supporters,
  plus, minus (int), mean_weight (double), contested, bridge (boolean).
  weight is the magnitude so that Gephi's weighted in/out-degree reproduce
  id_i/od_i of methods.md and its layouts do not turn negative links into
  repulsion; the sign is in `sign` and `value`. Booleans are written as the
  XML Schema literals true/false.
- `to_json`: `full_map_view` (views are JSON-ready) as a string.
- `to_adjacency_csv`: the square matrix FCMapper and Mental Modeler import:
  first row an empty cell then the concept labels; then one row per cause, its
  label then the weights towards each effect (row = cause, column = effect).
  By default the weights are W = S / max|s_ij| in [−1, 1] (both tools expect
  that range); `scaled=False` writes the integer S. Absent links are "0", or ""
  with `blank=True` (Mental Modeler's own exports leave them empty).
"""

from __future__ import annotations

import csv
import io
import json
from typing import Any

import networkx as nx  # type: ignore[import-untyped]
import numpy as np
from networkx.readwrite.graphml import GraphMLWriter  # type: ignore[import-untyped]

from ..types import ConceptKey
from .analysis import Members, concept_measures, edge_support
from .model import CollectiveMap
from .structure import potent_options
from .view import Labels, full_map_view

__all__ = ["to_adjacency_csv", "to_graphml", "to_json"]


class _Writer(GraphMLWriter):  # type: ignore[misc]
    """networkx's writer, with XML Schema boolean literals ('true', not Python's 'True')."""

    def add_data(self, name: str, element_type: type, value: Any, scope: str = "all", default: Any = None) -> Any:
        element = super().add_data(name, element_type, value, scope, default)
        if element_type is bool:  # networkx passes str(value): "True" / "False"
            element.text = element.text.lower()
        return element


def _int(value: int) -> np.int32:
    # networkx declares Python ints as GraphML "long"; numpy int32 is declared "int".
    return np.int32(value)


def to_graphml(cmap: CollectiveMap, labels: Labels, members: Members) -> str:
    """GraphML of the concepts and the links of S with typed attributes (module docstring)."""
    potent = set(potent_options(cmap))
    graph = nx.DiGraph()
    for key in sorted(cmap.concepts()):
        m = concept_measures(cmap, key)
        graph.add_node(
            key,
            label=labels.get(key, key),
            indegree=_int(m.indegree),
            outdegree=_int(m.outdegree),
            centrality=_int(m.centrality),
            type=m.type.value,
            potent=key in potent,
        )
    for cause, effect, _ in sorted(cmap.links()):
        s = cmap.edge(cause, effect)
        graph.add_edge(
            cause,
            effect,
            weight=float(abs(s.weight)),
            value=float(s.weight),
            sign=_int(s.sign),
            supporters=_int(s.supporters),
            plus=_int(s.plus),
            minus=_int(s.minus),
            mean_weight=float(s.mean_weight),
            contested=s.contested,
            bridge=edge_support(cmap, cause, effect, members).bridge,
        )
    writer = _Writer(encoding="utf-8", prettyprint=True)
    writer.add_graph_element(graph)
    buffer = io.BytesIO()
    writer.dump(buffer)
    return buffer.getvalue().decode("utf-8")


def to_json(cmap: CollectiveMap, labels: Labels, members: Members) -> str:
    """The full map view (nodes with potent, edges, indices, loops, central) as JSON text."""
    return json.dumps(full_map_view(cmap, labels, members), ensure_ascii=False, sort_keys=True)


def _number(value: float) -> str:
    return str(int(value)) if value == int(value) else repr(value)


def to_adjacency_csv(cmap: CollectiveMap, labels: Labels, *, scaled: bool = True, blank: bool = False) -> str:
    """The N × N matrix over every concept (sorted by key), row = cause, column = effect (module docstring)."""
    keys: list[ConceptKey] = sorted(cmap.concepts())
    top = max((abs(w) for _, _, w in cmap.links()), default=0)
    out = io.StringIO()
    rows = csv.writer(out, lineterminator="\r\n")
    rows.writerow(["", *(labels.get(k, k) for k in keys)])
    for cause in keys:
        succ = cmap.successors(cause)
        cells = []
        for effect in keys:
            s = succ.get(effect, 0)
            if s == 0:
                cells.append("" if blank else "0")
            else:
                cells.append(_number(s / top) if scaled else str(s))
        rows.writerow([labels.get(cause, cause), *cells])
    return out.getvalue()
