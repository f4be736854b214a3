"""The collective cognitive map of an agenda item: model, analyses, views and exports (methods.md §2).

Keep one `CollectiveMap` per agenda item, feed it `LinkFact`s as links are
asserted and retracted, call `map_view` on the loop after each change and
`map_analysis` on a `snapshot()` debounced and off the loop (see `view`).
"""

from .analysis import (
    ConceptMeasures,
    ConceptType,
    Loop,
    LoopReport,
    MapIndices,
    Members,
    Scenario,
    Support,
    argument_support,
    centralities,
    concept_measures,
    edge_support,
    find_loops,
    heads,
    hierarchy_index,
    map_indices,
    potent_options,
    tails,
    top_central,
    what_if,
)
from .export import to_adjacency_csv, to_graphml, to_json
from .model import Cell, CollectiveMap, EdgeStats, LinkFact, MapSnapshot
from .view import MapViewCache, full_map_view, map_analysis, map_view, view_patch

__all__ = [
    "Cell",
    "CollectiveMap",
    "ConceptMeasures",
    "ConceptType",
    "EdgeStats",
    "LinkFact",
    "Loop",
    "LoopReport",
    "MapIndices",
    "MapSnapshot",
    "MapViewCache",
    "Members",
    "Scenario",
    "Support",
    "argument_support",
    "centralities",
    "concept_measures",
    "edge_support",
    "find_loops",
    "full_map_view",
    "heads",
    "hierarchy_index",
    "map_analysis",
    "map_indices",
    "map_view",
    "potent_options",
    "tails",
    "to_adjacency_csv",
    "to_graphml",
    "to_json",
    "top_central",
    "view_patch",
    "what_if",
]
