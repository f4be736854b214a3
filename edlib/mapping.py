"""Bridge from the meeting state to the cognitive-map module (edlib.cogmap)."""

from __future__ import annotations

from typing import Any

from .state import MeetingState


def item_map_view(s: MeetingState, item_id: str) -> dict[str, Any]:
    """A provisional map view: nodes and summed edges (replaced by edlib.cogmap's analyses)."""
    concepts = s.concepts[item_id]
    edges: dict[tuple[str, str], dict[str, Any]] = {}
    for link in s.links.values():
        if link.item_id != item_id or not link.active:
            continue
        cause, effect = concepts.resolve(link.cause), concepts.resolve(link.effect)
        if cause == effect:
            continue
        e = edges.setdefault((cause, effect), {"source": cause, "target": effect, "weight": 0, "supporters": 0})
        e["weight"] += link.sign * link.strength
        e["supporters"] += 1
    nodes = sorted({k for pair in edges for k in pair})
    return {"item_id": item_id, "nodes": [{"id": n, "label": concepts.labels.get(n, n)} for n in nodes],
            "edges": list(edges.values())}
