"""The map view: exact shape on a hand map, JSON-readiness, and incremental ≡ from scratch."""

from __future__ import annotations

import json
import random
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from edlib.cogmap import model
from edlib.cogmap.model import CollectiveMap, LinkFact
from edlib.cogmap.view import full_map_view, map_analysis, map_view, view_patch

from .oracle import random_facts, social_matrix

MEMBERS: dict[str, tuple[str | None, str]] = {
    "alice": ("green", "majority"),
    "bob": ("blue", "opposition"),
    "carol": ("green", "majority"),
}
LABELS = {"streets": "School streets", "traffic": "Car traffic", "air": "Air quality", "noise": "Noise"}

# By hand:
#   alice: streets → traffic −2; bob: streets → traffic −1  → S = −3, supporters 2, mean −1.5, bridge
#   carol: traffic → air −1;  bob: traffic → air +1         → S = 0: contested, not a link
#   alice: traffic → noise +3                               → S = 3
#   od (on |S|): streets 3, traffic 3, air 0, noise 0;  id: streets 0, traffic 3, air 0, noise 3
#   links: streets→traffic, traffic→noise; air only has a cancelled edge → isolated
#   N = 4, C = 2, density 2/12; T = 1 (streets), R = 1 (noise) → complexity 1.0
#   mean od = 1.5; Σ(od − 1.5)² = 4 · 2.25 = 9; h = 12/(3·4·5) · 9 = 1.8
#   potent: streets reaches noise only (air is not reachable through a link) → none
FACTS = [
    LinkFact("1", "alice", "streets", "traffic", -1, 2),
    LinkFact("2", "bob", "streets", "traffic", -1, 1),
    LinkFact("3", "carol", "traffic", "air", -1, 1),
    LinkFact("4", "bob", "traffic", "air", 1, 1),
    LinkFact("5", "alice", "traffic", "noise", 1, 3),
]


def test_full_view_by_hand() -> None:
    view = full_map_view(CollectiveMap.from_facts(FACTS), LABELS, MEMBERS)
    assert view["nodes"][0] == {
        "id": "air",
        "label": "Air quality",
        "indegree": 0,
        "outdegree": 0,
        "centrality": 0,
        "type": "isolated",
        "domain": 0,
        "head": False,
        "tail": False,
        "potent": False,
    }
    by_id = {n["id"]: n for n in view["nodes"]}
    assert [n["id"] for n in view["nodes"]] == ["air", "noise", "streets", "traffic"]
    streets, noise = by_id["streets"], by_id["noise"]
    assert (streets["type"], streets["tail"], streets["outdegree"]) == ("transmitter", True, 3)
    assert (noise["type"], noise["head"], noise["indegree"]) == ("receiver", True, 3)
    assert (by_id["traffic"]["centrality"], by_id["traffic"]["domain"]) == (6, 2)
    assert view["edges"] == [
        {
            "id": "streets→traffic",
            "source": "streets",
            "target": "traffic",
            "weight": -3,
            "mean_weight": -1.5,
            "sign": -1,
            "supporters": 2,
            "plus": 0,
            "minus": 2,
            "contested": False,
            "groups": ["blue", "green"],
            "sides": ["majority", "opposition"],
            "bridge": True,
        },
        {
            "id": "traffic→air",
            "source": "traffic",
            "target": "air",
            "weight": 0,
            "mean_weight": 0.0,
            "sign": 0,
            "supporters": 2,
            "plus": 1,
            "minus": 1,
            "contested": True,
            "groups": ["blue", "green"],
            "sides": ["majority", "opposition"],
            "bridge": False,
        },
        {
            "id": "traffic→noise",
            "source": "traffic",
            "target": "noise",
            "weight": 3,
            "mean_weight": 3.0,
            "sign": 1,
            "supporters": 1,
            "plus": 1,
            "minus": 0,
            "contested": False,
            "groups": ["green"],
            "sides": ["majority"],
            "bridge": False,
        },
    ]
    assert view["indices"] == {
        "n": 4,
        "c": 2,
        "density": 2 / 12,
        "complexity": 1.0,
        "hierarchy": 1.8,
        "transmitters": 1,
        "receivers": 1,
        "ordinary": 1,
        "isolated": 1,
    }
    assert view["central"] == [
        {"id": "traffic", "label": "Car traffic", "centrality": 6},
        {"id": "noise", "label": "Noise", "centrality": 3},
        {"id": "streets", "label": "School streets", "centrality": 3},
        {"id": "air", "label": "Air quality", "centrality": 0},
    ]
    assert view["loops"] == {"items": [], "truncated": False}
    assert view["version"] == 5


def assert_json_ready(value: Any) -> None:
    if isinstance(value, dict):
        for k, v in value.items():
            assert isinstance(k, str)
            assert_json_ready(v)
    elif isinstance(value, list):
        for v in value:
            assert_json_ready(v)
    else:
        assert value is None or type(value) in (str, int, float, bool), repr(value)


def test_views_are_json_ready() -> None:
    m = CollectiveMap.from_facts(random_facts(3, concepts=8, count=30))
    for view in (map_view(m, {}, MEMBERS), full_map_view(m, {}, MEMBERS), map_analysis(m.snapshot())):
        assert_json_ready(view)
        assert json.loads(json.dumps(view)) == view


def test_view_degrees_against_numpy() -> None:
    facts = random_facts(11, concepts=10, count=40)
    view = map_view(CollectiveMap.from_facts(facts), {}, {})
    concepts, s = social_matrix(facts)
    a = np.abs(s)
    assert [n["id"] for n in view["nodes"]] == concepts
    for i, node in enumerate(view["nodes"]):
        assert (node["outdegree"], node["indegree"]) == (a[i].sum(), a[:, i].sum())
        assert node["domain"] == np.count_nonzero(s[i]) + np.count_nonzero(s[:, i])
    weights = {(e["source"], e["target"]): e["weight"] for e in view["edges"]}
    for (c, e), w in weights.items():
        assert s[concepts.index(c), concepts.index(e)] == w


def test_analysis_part() -> None:
    m = CollectiveMap.from_facts([*FACTS, LinkFact("6", "bob", "noise", "streets", 1, 1)])
    snap = m.snapshot()
    m.remove("6")  # the analysis describes the snapshot's version, not the live map
    result = map_analysis(snap)
    assert result["version"] == snap.version
    # streets → traffic (−3) → noise (+3) → streets (+1): sign − → balancing
    assert result["loops"] == {
        "items": [{"nodes": ["noise", "streets", "traffic"], "sign": "balancing"}],
        "truncated": False,
    }
    assert result["potent"] == []
    assert map_analysis(m)["loops"]["items"] == []


def content(view: dict[str, Any]) -> dict[str, Any]:
    """A view without its `version`, which counts changes and so differs between a map and its rebuild."""
    return {k: v for k, v in view.items() if k != "version"}


def fresh_view(facts: list[LinkFact], labels: dict[str, str], members: dict[str, tuple[str | None, str]]) -> Any:
    return content(map_view(CollectiveMap.from_facts(facts), labels, members))


OP = st.one_of(
    st.tuples(
        st.just("add"),
        st.sampled_from(["alice", "bob", "carol", "dan"]),
        st.sampled_from("ABCDE"),
        st.sampled_from("ABCDE"),
        st.sampled_from([1, -1]),
        st.integers(1, 3),
    ),
    st.tuples(st.just("remove"), st.integers(0, 50)),
    st.tuples(st.just("label"), st.sampled_from("ABCDE"), st.sampled_from(["x", "y"])),
    st.tuples(st.just("member"), st.sampled_from(["alice", "bob", "dan"]), st.sampled_from(["majority", "opposition"])),
    st.just(("view",)),
)


@settings(max_examples=100, deadline=None, derandomize=True, database=None)
@given(st.lists(OP, max_size=40))
def test_incremental_view_equals_view_from_scratch(ops: list[tuple[Any, ...]]) -> None:
    m = CollectiveMap()
    alive: list[LinkFact] = []
    labels: dict[str, str] = {}
    members = dict(MEMBERS)
    for n, op in enumerate(ops):
        if op[0] == "add":
            f = LinkFact(f"f{n}", *op[1:])
            m.add(f)
            alive.append(f)
        elif op[0] == "remove" and alive:
            m.remove(alive.pop(op[1] % len(alive)).id)
        elif op[0] == "label":
            labels[op[1]] = op[2]  # mutated in place, as a caller's dict would be
        elif op[0] == "member":
            members[op[1]] = ("g-" + op[2], op[2])
        else:
            assert content(map_view(m, labels, members)) == fresh_view(alive, labels, members)
    assert content(map_view(m, labels, members)) == fresh_view(alive, labels, members)


def test_incremental_view_survives_journal_overflow_and_a_new_map(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(model, "JOURNAL_SIZE", 64)  # a short journal, read when a map is created
    rnd = random.Random(5)
    facts = random_facts(5, concepts=30, count=200)
    m = CollectiveMap.from_facts(facts[:100])
    map_view(m, {}, MEMBERS)
    alive = facts[:100]
    for i in range(model.JOURNAL_SIZE + 10):  # more changes than the journal remembers
        f = LinkFact(f"x{i}", "dan", f"k{rnd.randrange(30)}", "sink", 1, 1)
        m.add(f)
        m.remove(f.id)
    for f in facts[100:]:
        m.add(f)
        alive.append(f)
    assert content(map_view(m, {}, MEMBERS)) == fresh_view(alive, {}, MEMBERS)
    rebuilt = CollectiveMap.from_facts(alive)  # after a synonym merge the caller builds a new map
    assert content(map_view(rebuilt, {}, MEMBERS)) == content(map_view(m, {}, MEMBERS))


def apply_patch(view: dict[str, Any], patch: dict[str, Any]) -> dict[str, Any]:
    """What a client does with a patch (the test's own implementation)."""
    out = {"version": patch["version"], "indices": patch["indices"], "central": patch["central"]}
    for part in ("nodes", "edges"):
        items = {item["id"]: item for item in view[part]}
        for gone in patch[part]["remove"]:
            del items[gone]
        items.update((item["id"], item) for item in patch[part]["upsert"])
        key = (lambda i: i["id"]) if part == "nodes" else (lambda i: (i["source"], i["target"]))
        out[part] = sorted(items.values(), key=key)
    return out


def test_view_patch_turns_one_view_into_the_next() -> None:
    facts = random_facts(8, concepts=12, count=60)
    m = CollectiveMap.from_facts(facts[:40])
    before = map_view(m, {}, MEMBERS)
    m.add(facts[40])
    m.remove(facts[0].id)
    m.remove(facts[1].id)
    after = map_view(m, {"k3": "Three"}, MEMBERS)
    patch = view_patch(before, after)
    assert apply_patch(before, patch) == after
    assert patch["base"] == before["version"] and patch["version"] == after["version"]
    assert len(patch["edges"]["upsert"]) + len(patch["edges"]["remove"]) <= 3
    assert 0 < len(patch["nodes"]["upsert"]) <= 7  # the ends of three cells, and the relabelled k3
    assert view_patch(after, after)["nodes"] == {"upsert": [], "remove": []}
