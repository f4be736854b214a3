"""Bridge from the meeting state to the cognitive-map module (edlib.cogmap).

Each item's collective map is a projection kept in `MeetingState.maps`, updated
per link event in O(1) and rebuilt only after a synonym merge. The live `map`
view is the cheap incremental part; loops and potent options (`map_analysis`)
are computed by the server off the event loop and merged in when ready.
"""

from __future__ import annotations

from typing import Any

from .cogmap.model import CollectiveMap, LinkFact
from .cogmap.view import map_view
from .state import Link, MeetingState


def _fact(s: MeetingState, link: Link) -> LinkFact:
    concepts = s.concepts[link.item_id]
    return LinkFact(link.id, link.author, concepts.resolve(link.cause), concepts.resolve(link.effect), link.sign,
                    link.strength)


def on_asserted(s: MeetingState, link: Link) -> None:
    s.maps.setdefault(link.item_id, CollectiveMap()).add(_fact(s, link))


def on_retracted(s: MeetingState, link: Link) -> None:
    s.maps[link.item_id].remove(link.id)


def rebuild(s: MeetingState, item_id: str) -> None:
    """After a merge: add the item's active links again, in log order (later facts win on a shared cell)."""
    links = sorted((x for x in s.links.values() if x.item_id == item_id and x.active), key=lambda x: x.seq)
    s.maps[item_id] = CollectiveMap.from_facts(_fact(s, x) for x in links)


def collective_map(s: MeetingState, item_id: str) -> CollectiveMap:
    return s.maps.get(item_id) or CollectiveMap()


def map_labels(s: MeetingState, item_id: str) -> dict[str, str]:
    concepts = s.concepts.get(item_id)
    return dict(concepts.labels) if concepts else {}


def map_members(s: MeetingState) -> dict[str, tuple[str | None, str]]:
    """participant -> (party group, side) for cross-group support."""
    return {p.id: (p.group, str(p.side)) for p in s.participants.values()}


def item_map_view(s: MeetingState, item_id: str) -> dict[str, Any]:
    """The live map of one item (cheap part): nodes, edges with support and bridges, indices, central concepts."""
    view = map_view(collective_map(s, item_id), map_labels(s, item_id), map_members(s))
    view["item_id"] = item_id
    return view
