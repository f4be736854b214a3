"""Analyses: hand-computed maps, networkx and numpy as oracles."""

from __future__ import annotations

import math

import networkx as nx
import numpy as np
import pytest

from edlib.cogmap.analysis import (
    ConceptType,
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
from edlib.cogmap.model import CollectiveMap, LinkFact
from edlib.types import Side

from .oracle import canonical, random_facts, social_matrix


def build(*links: tuple[str, str, int], author: str = "p") -> CollectiveMap:
    """One fact per (cause, effect, value), value = sign × strength."""
    return CollectiveMap.from_facts(
        LinkFact(f"{i}", author, c, e, 1 if v > 0 else -1, abs(v)) for i, (c, e, v) in enumerate(links)
    )


# Eden's example, by hand:
#   T1 → M (+1), M → H1 (+2), M → H2 (−1), T2 → H2 (+3)
#   od: T1 1, M 3, H1 0, H2 0, T2 3        id: T1 0, M 1, H1 2, H2 4, T2 0
#   heads (no out-link): H1, H2            tails (no in-link): T1, T2
#   T1 reaches M, H1, H2 → 2 heads → potent; T2 reaches H2 only → not potent
#   domain: T1 1, M 3, H1 1, H2 2, T2 1
#   N = 5, C = 4, density = 4 / (5·4) = 0.2; T = 2, R = 2 → complexity 1.0
#   mean od = 7/5 = 1.4; Σ(od − 1.4)² = 0.16 + 2.56 + 1.96 + 1.96 + 2.56 = 9.2
#   h = 12 / (4·5·6) · 9.2 = 0.92
EDEN = build(("T1", "M", 1), ("M", "H1", 2), ("M", "H2", -1), ("T2", "H2", 3))


def test_concept_measures_by_hand() -> None:
    expect = {  # od, id, domain, type
        "T1": (1, 0, 1, ConceptType.TRANSMITTER),
        "M": (3, 1, 3, ConceptType.ORDINARY),
        "H1": (0, 2, 1, ConceptType.RECEIVER),
        "H2": (0, 4, 2, ConceptType.RECEIVER),
        "T2": (3, 0, 1, ConceptType.TRANSMITTER),
    }
    for key, (od, id_, domain, kind) in expect.items():
        m = concept_measures(EDEN, key)
        assert (m.outdegree, m.indegree, m.domain, m.type, m.centrality) == (od, id_, domain, kind, od + id_)
        assert m.head == (key in ("H1", "H2")) and m.tail == (key in ("T1", "T2"))
    assert heads(EDEN) == ["H1", "H2"] and tails(EDEN) == ["T1", "T2"]
    assert potent_options(EDEN) == ["T1"]
    assert centralities(EDEN) == {"T1": 1, "M": 4, "H1": 2, "H2": 4, "T2": 3}
    assert top_central(EDEN, 3) == ["H2", "M", "T2"]  # 4, 4 (tie: key order), 3
    assert top_central(EDEN, 0) == [] and len(top_central(EDEN, 9)) == 5


def test_map_indices_by_hand() -> None:
    ix = map_indices(EDEN)
    assert (ix.n, ix.c, ix.transmitters, ix.receivers, ix.ordinary, ix.isolated) == (5, 4, 2, 2, 1, 0)
    assert ix.density == pytest.approx(0.2)
    assert ix.complexity == pytest.approx(1.0)
    assert ix.hierarchy == pytest.approx(0.92)


def test_index_edge_cases() -> None:
    empty = map_indices(CollectiveMap())
    assert (empty.n, empty.c, empty.density, empty.complexity, empty.hierarchy) == (0, 0, None, None, None)
    loop = map_indices(build(("A", "B", 1), ("B", "A", 1)))  # no transmitter: T = 0
    assert loop.complexity is None and loop.density == pytest.approx(1.0)
    assert loop.hierarchy == pytest.approx(0.0)  # od = (1, 1): no spread
    assert hierarchy_index([]) is None and hierarchy_index([3]) is None
    # A perfectly hierarchical tournament on 4 concepts: od = 3, 2, 1, 0 → Σ(od − 1.5)² = 5, h = 12/60·5 = 1
    assert hierarchy_index([3, 2, 1, 0]) == pytest.approx(1.0)


def test_indices_against_numpy() -> None:
    for seed in range(20):
        facts = random_facts(seed, concepts=9, count=30)
        m = CollectiveMap.from_facts(facts)
        concepts, s = social_matrix(facts)
        a = np.abs(s)
        od, id_ = a.sum(axis=1), a.sum(axis=0)
        n, c = len(concepts), int(np.count_nonzero(s))
        ix = map_indices(m)
        assert (ix.n, ix.c) == (n, c)
        assert ix.density == pytest.approx(c / (n * (n - 1)))
        assert ix.transmitters == int(np.sum((od > 0) & (id_ == 0)))
        assert ix.receivers == int(np.sum((od == 0) & (id_ > 0)))
        assert ix.ordinary == int(np.sum((od > 0) & (id_ > 0)))
        assert ix.isolated == int(np.sum((od == 0) & (id_ == 0)))
        assert ix.hierarchy == pytest.approx(12 / ((n - 1) * n * (n + 1)) * n * np.var(od))
        assert ix.hierarchy == pytest.approx(hierarchy_index(int(x) for x in od))
        assert centralities(m) == {k: int(od[i] + id_[i]) for i, k in enumerate(concepts)}


def to_digraph(m: CollectiveMap) -> nx.DiGraph:
    g = nx.DiGraph()
    g.add_nodes_from(m.concepts())
    g.add_edges_from((c, e) for c, e, _ in m.links())
    return g


def test_heads_tails_potent_against_networkx() -> None:
    for seed in range(40):
        m = CollectiveMap.from_facts(random_facts(seed, concepts=10, count=14))
        g = to_digraph(m)
        hs = {v for v in g if g.out_degree(v) == 0 and g.in_degree(v) > 0}
        ts = {v for v in g if g.in_degree(v) == 0 and g.out_degree(v) > 0}
        assert set(heads(m)) == hs and set(tails(m)) == ts
        assert potent_options(m) == sorted(t for t in ts if len(nx.descendants(g, t) & hs) >= 2)
        for v in g:
            assert concept_measures(m, v).domain == g.in_degree(v) + g.out_degree(v)


# Loops by hand: A→B +, B→A −  → [A, B] balancing (+·− = −)
#                B→C +, C→A −  → [A, B, C] balancing (+·+·− = −)
#                C→D +, D→C +  → [C, D] reinforcing
#   shortest first, then by key: [A, B], [C, D], [A, B, C]
LOOPY = build(("A", "B", 1), ("B", "A", -2), ("B", "C", 1), ("C", "A", -1), ("C", "D", 2), ("D", "C", 3))


def test_loops_by_hand() -> None:
    report = find_loops(LOOPY)
    assert [(lp.nodes, lp.kind) for lp in report.loops] == [
        (("A", "B"), "balancing"),
        (("C", "D"), "reinforcing"),
        (("A", "B", "C"), "balancing"),
    ]
    assert not report.truncated
    assert report.as_dict()["loops"][1] == {"nodes": ["C", "D"], "sign": "reinforcing"}
    two = find_loops(LOOPY, limit=2)
    assert len(two.loops) == 2 and two.truncated
    exact = find_loops(LOOPY, limit=3)
    assert len(exact.loops) == 3 and not exact.truncated  # no fourth loop exists
    short = find_loops(LOOPY, max_length=2)
    assert [lp.nodes for lp in short.loops] == [("A", "B"), ("C", "D")] and not short.truncated


def test_loops_against_networkx_simple_cycles() -> None:
    for seed in range(100):
        m = CollectiveMap.from_facts(random_facts(seed, concepts=7, count=18))
        g = to_digraph(m)
        expected = sorted((len(c), canonical(c)) for c in nx.simple_cycles(g))
        report = find_loops(m, limit=10_000)
        assert [(len(lp.nodes), lp.nodes) for lp in report.loops] == expected
        assert not report.truncated
        for lp in report.loops:
            ring = list(zip(lp.nodes, lp.nodes[1:] + lp.nodes[:1], strict=True))
            assert lp.sign == math.prod(1 if m.weight(a, b) > 0 else -1 for a, b in ring)


def test_loops_stay_bounded_on_a_dense_map() -> None:
    # Complete digraph on 14 concepts: ~10^10 simple cycles. The search must stop at the limit.
    names = [f"c{i:02d}" for i in range(14)]
    m = build(*((a, b, 1) for a in names for b in names if a != b))
    report = find_loops(m)
    assert len(report.loops) == 50 and report.truncated
    assert all(len(lp.nodes) == 2 for lp in report.loops)  # 91 two-cycles exist; shortest come first
    budget = find_loops(m, max_length=None, limit=10**9, max_work=5_000)
    assert budget.truncated and len(budget.loops) > 0


def test_cancelled_edges_are_not_links() -> None:
    m = CollectiveMap.from_facts(
        [
            LinkFact("1", "a", "A", "B", 1, 1),
            LinkFact("2", "b", "A", "B", -1, 1),  # cancels: S_AB = 0
            LinkFact("3", "a", "B", "A", 1, 1),
        ]
    )
    assert find_loops(m).loops == ()
    assert concept_measures(m, "A").domain == 1  # only B→A
    assert tails(m) == ["B"] and heads(m) == ["A"]


MEMBERS = {
    "alice": ("g1", "majority"),
    "bob": ("g2", "opposition"),
    "carol": ("g1", Side.MAJORITY),
    "staff": (None, "none"),
}


def test_edge_support_and_bridges() -> None:
    m = CollectiveMap.from_facts(
        [
            LinkFact("1", "alice", "A", "B", 1, 1),
            LinkFact("2", "bob", "A", "B", 1, 2),  # same sign across the line: bridge
            LinkFact("3", "alice", "B", "C", 1, 1),
            LinkFact("4", "bob", "B", "C", -1, 1),  # opposite signs: contested, not a bridge
            LinkFact("5", "carol", "C", "D", 1, 1),
            LinkFact("6", "staff", "C", "D", 1, 1),
            LinkFact("7", "ghost", "C", "D", 1, 1),  # not in members: no group, side "none"
        ]
    )
    ab = edge_support(m, "A", "B", MEMBERS)
    assert (ab.groups, ab.sides, ab.bridge) == (("g1", "g2"), ("majority", "opposition"), True)
    bc = edge_support(m, "B", "C", MEMBERS)
    assert (bc.groups, bc.sides, bc.bridge) == (("g1", "g2"), ("majority", "opposition"), False)
    cd = edge_support(m, "C", "D", MEMBERS)
    assert (cd.groups, cd.sides, cd.bridge) == (("g1",), ("majority", "none"), False)
    assert cd.as_dict() == {"groups": ["g1"], "sides": ["majority", "none"], "bridge": False}


def test_argument_support() -> None:
    out = argument_support({"arg1": {"alice", "bob"}, "arg2": ["alice", "carol", "staff"], "arg3": []}, MEMBERS)
    assert out["arg1"].bridge and out["arg1"].groups == ("g1", "g2")
    assert not out["arg2"].bridge and out["arg2"].sides == ("majority", "none")
    assert out["arg3"].groups == () and not out["arg3"].bridge


def sigmoid(v: float) -> float:
    return 1 / (1 + math.exp(-v))


def test_fcm_first_step_by_hand() -> None:
    # A → B with s = +2; max |s| = 2 so w_AB = 1. From x = (1, 1):
    #   A: f(1 + 0) = f(1) ≈ 0.7311;  B: f(1 + 1·w_AB) = f(2) ≈ 0.8808
    m = build(("A", "B", 2))
    one = what_if(m, {}, max_steps=1)
    assert one.baseline.state["A"] == pytest.approx(sigmoid(1))
    assert one.baseline.state["B"] == pytest.approx(sigmoid(2))
    assert not one.converged and one.baseline.steps == 1
    # Clamping A to 0: B's first step is f(1 + 0·1) = f(1).
    clamped = what_if(m, {"A": 0.0}, max_steps=1)
    assert clamped.scenario.state == {"A": 0.0, "B": pytest.approx(sigmoid(1))}


def dense_fcm(concepts: list[str], s: np.ndarray, clamp: dict[str, float]) -> tuple[np.ndarray, int, bool]:
    """The oracle: a dense matrix and an explicit loop (W transposed times the column vector)."""
    top = np.abs(s).max() if s.size else 0
    w = s / top if top else np.zeros_like(s, dtype=float)
    pinned = {concepts.index(k): v for k, v in clamp.items()}
    x = np.ones(len(concepts))
    for i, v in pinned.items():
        x[i] = v
    for step in range(1, 201):
        new = 1 / (1 + np.exp(-(x + w.T @ x)))
        for i, v in pinned.items():
            new[i] = v
        moved = np.abs(new - x).max() if len(x) else 0.0
        x = new
        if moved <= 1e-5:
            return x, step, True
    return x, 200, False


def test_fcm_steady_state_against_a_dense_numpy_loop() -> None:
    for seed in range(15):
        facts = random_facts(seed, concepts=8, count=20)
        m = CollectiveMap.from_facts(facts)
        concepts, s = social_matrix(facts)
        clamp = {concepts[0]: 1.0, concepts[-1]: 0.0}
        base, base_steps, base_ok = dense_fcm(concepts, s, {})
        scen, scen_steps, scen_ok = dense_fcm(concepts, s, clamp)
        result = what_if(m, clamp)
        assert (result.baseline.steps, result.baseline.converged) == (base_steps, base_ok)
        assert (result.scenario.steps, result.scenario.converged) == (scen_steps, scen_ok)
        for i, c in enumerate(concepts):
            assert result.baseline.state[c] == pytest.approx(base[i], abs=1e-12)
            assert result.scenario.state[c] == pytest.approx(scen[i], abs=1e-12)
            assert result.delta[c] == pytest.approx(scen[i] - base[i], abs=1e-12)
        as_dict = result.as_dict()
        assert as_dict["converged"] == (base_ok and scen_ok)


def test_fcm_edge_cases() -> None:
    empty = what_if(CollectiveMap(), {})
    assert empty.delta == {} and empty.converged and empty.baseline.steps == 1
    m = build(("A", "B", 1))
    with pytest.raises(KeyError):
        what_if(m, {"Z": 1.0})
    with pytest.raises(ValueError):
        what_if(m, {"A": float("nan")})
    with pytest.raises(ValueError):
        what_if(m, {}, max_steps=0)
    # All links cancel: W = 0, every concept settles on x = f(x) ≈ 0.659 and the delta is 0.
    flat = CollectiveMap.from_facts([LinkFact("1", "a", "A", "B", 1, 1), LinkFact("2", "b", "A", "B", -1, 1)])
    result = what_if(flat, {})
    assert result.converged and result.baseline.state["A"] == pytest.approx(0.659046, abs=1e-4)
