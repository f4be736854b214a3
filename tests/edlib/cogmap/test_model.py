"""CollectiveMap: hand-computed aggregates, the later-added rule, and add/remove ≡ rebuild (hypothesis)."""

from __future__ import annotations

import pickle
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from edlib.cogmap import model
from edlib.cogmap.model import CollectiveMap, LinkFact
from edlib.cogmap.tally import ConceptType

from .oracle import random_facts, social_matrix


def fact(i: str, who: str, cause: str, effect: str, sign: int = 1, strength: int = 1) -> LinkFact:
    return LinkFact(i, who, cause, effect, sign, strength)


# Hand example (values worked out below):
#   alice: A→B +1×2 = +2      bob: A→B −1×1 = −1      carol: B→C +1×3 = +3      alice: C→A −1×1 = −1
#   S_AB = 2 − 1 = 1, S_BC = 3, S_CA = −1
#   od: A = 1, B = 3, C = 1      id: A = 1, B = 1, C = 3
HAND = [
    fact("1", "alice", "A", "B", 1, 2),
    fact("2", "bob", "A", "B", -1, 1),
    fact("3", "carol", "B", "C", 1, 3),
    fact("4", "alice", "C", "A", -1, 1),
]


def test_link_fact_validates_sign_and_strength() -> None:
    with pytest.raises(ValueError):
        fact("x", "a", "A", "B", 0, 1)
    with pytest.raises(ValueError):
        fact("x", "a", "A", "B", 1, 4)
    with pytest.raises(ValueError):
        fact("x", "a", "A", "B", 1, 0)
    with pytest.raises(ValueError):
        fact("x", "a", "A", "B", True, 1)
    assert fact("x", "a", "A", "B", -1, 3).value == -3


def test_hand_example_aggregates() -> None:
    m = CollectiveMap.from_facts(HAND)
    assert sorted(m.concepts()) == ["A", "B", "C"]
    assert sorted(m.links()) == [("A", "B", 1), ("B", "C", 3), ("C", "A", -1)]
    ab = m.edge("A", "B")
    assert (ab.weight, ab.plus, ab.minus, ab.supporters, ab.authors) == (1, 1, 1, 2, ("alice", "bob"))
    assert ab.mean_weight == 0.5  # (2 + (−1)) / 2
    assert ab.contested and ab.sign == 1
    bc = m.edge("B", "C")
    assert (bc.weight, bc.mean_weight, bc.contested) == (3, 3.0, False)
    assert [m.outdegree(c) for c in "ABC"] == [1, 3, 1]
    assert [m.indegree(c) for c in "ABC"] == [1, 1, 3]
    assert dict(m.centralities()) == {"A": 2, "B": 4, "C": 4}
    assert m.individual("alice") == {("A", "B"): 2, ("C", "A"): -1}
    assert m.individual("nobody") == {}
    assert m.link_count == 3
    assert len(m) == 4


def test_later_added_fact_counts_and_removal_restores_the_previous_one() -> None:
    m = CollectiveMap.from_facts(HAND)
    m.add(fact("5", "alice", "A", "B", -1, 3))  # alice now says −3 on A→B: S_AB = −3 − 1 = −4
    assert m.weight("A", "B") == -4
    assert (m.edge("A", "B").plus, m.edge("A", "B").minus) == (0, 2)
    assert m.individual("alice")[("A", "B")] == -3
    m.remove("1")  # removing alice's older fact changes nothing: the later one counts
    assert m.weight("A", "B") == -4
    m.add(fact("1", "alice", "A", "B", 1, 2))  # re-added, so now the most recent: +2 again
    assert m.weight("A", "B") == 1
    m.remove("1")
    assert m.weight("A", "B") == -4  # back to fact 5
    m.remove("5")
    assert m.weight("A", "B") == -1  # only bob left
    assert m.edge("A", "B").authors == ("bob",)


def test_unknown_and_duplicate_ids() -> None:
    m = CollectiveMap.from_facts(HAND)
    with pytest.raises(KeyError):
        m.remove("nope")
    with pytest.raises(ValueError):
        m.add(fact("1", "zoe", "X", "Y"))


def test_concept_disappears_with_its_last_link() -> None:
    m = CollectiveMap.from_facts(HAND)
    m.remove("3")  # B→C gone; C still has C→A
    assert "C" in m
    m.remove("4")
    assert "C" not in m and sorted(m.concepts()) == ["A", "B"]
    with pytest.raises(KeyError):
        m.outdegree("C")
    m.remove("1")
    m.remove("2")
    assert list(m.concepts()) == [] and list(m.edges()) == [] and m.link_count == 0
    assert m.tally.concepts == 0 and m.tally.sum_od == 0 and m.tally.counts == [0, 0, 0, 0]


def test_cancelled_cell_is_asserted_but_not_a_link() -> None:
    # alice +1 and bob −1 on A→B: S_AB = 0, contested; no link of S, both concepts isolated.
    m = CollectiveMap.from_facts([fact("1", "alice", "A", "B", 1), fact("2", "bob", "A", "B", -1)])
    assert list(m.edges()) == [("A", "B")]
    assert list(m.links()) == []
    assert m.edge("A", "B").contested and m.edge("A", "B").sign == 0
    assert m.outdegree("A") == 0 and m.indegree("B") == 0
    assert m.link_count == 0
    assert m.tally.count(ConceptType.ISOLATED) == 2


def test_self_link_is_dormant() -> None:
    m = CollectiveMap.from_facts(HAND)
    before = (m.version, m.social_matrix(), sorted(m.concepts()))
    m.add(fact("s", "alice", "A", "A", 1, 3))
    assert (m.version, m.social_matrix(), sorted(m.concepts())) == before
    assert "s" in m.facts
    assert m.remove("s").cause == "A"
    assert "s" not in m.facts


def test_degrees_against_a_numpy_adjacency_matrix() -> None:
    facts = random_facts(seed=7, concepts=12, count=80)
    m = CollectiveMap.from_facts(facts)
    concepts, s = social_matrix(facts)
    assert sorted(m.concepts()) == concepts
    od, id_ = np.abs(s).sum(axis=1), np.abs(s).sum(axis=0)
    for i, c in enumerate(concepts):
        assert m.outdegree(c) == od[i] and m.indegree(c) == id_[i]
        for j, e in enumerate(concepts):
            assert m.weight(c, e) == s[i, j]
    assert m.link_count == np.count_nonzero(s)


def test_journal_reports_changed_cells_and_forgets_old_ones(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(model, "JOURNAL_SIZE", 16)
    m = CollectiveMap.from_facts(HAND)
    v = m.version
    assert m.changes_since(v) == set()
    m.add(fact("9", "zoe", "B", "C"))
    m.remove("2")
    assert m.changes_since(v) == {("B", "C"), ("A", "B")}
    assert m.changes_since(-1) is None and m.changes_since(m.version + 1) is None
    for i in range(model.JOURNAL_SIZE + 1):
        m.add(fact(f"j{i}", "zoe", "X", "Y", 1 if i % 2 else -1))
    assert m.changes_since(v) is None


def test_snapshot_and_networkx() -> None:
    m = CollectiveMap.from_facts(HAND)
    snap = m.snapshot()
    assert snap.concepts == ("A", "B", "C")
    assert dict(snap.matrix) == {("A", "B"): 1, ("B", "C"): 3, ("C", "A"): -1}
    assert pickle.loads(pickle.dumps(snap)) == snap  # can be sent to a worker process
    m.remove("3")
    assert ("B", "C") in snap.matrix  # a snapshot does not follow the live map
    g = CollectiveMap.from_facts(HAND).to_networkx()
    assert sorted(g.nodes) == ["A", "B", "C"]
    assert g.edges["A", "B"]["weight"] == 1 and g.edges["A", "B"]["contested"] is True
    assert g.edges["A", "B"]["supporters"] == 2


def aggregates(m: CollectiveMap) -> dict[str, object]:
    """Everything the map maintains, in a comparable form."""
    return {
        "concepts": sorted(m.concepts()),
        "edges": {c: m.edge(*c) for c in m.edges()},
        "votes": {c: dict(m.votes(*c)) for c in m.edges()},
        "links": sorted(m.links()),
        "od": {c: m.outdegree(c) for c in m.concepts()},
        "id": {c: m.indegree(c) for c in m.concepts()},
        "cent": dict(m.centralities()),
        "succ": {c: dict(m.successors(c)) for c in m.concepts()},
        "pred": {c: dict(m.predecessors(c)) for c in m.concepts()},
        "individual": {a: m.individual(a) for a in sorted(m.authors())},
        "tally": (m.tally.concepts, m.tally.links, m.tally.sum_od, m.tally.sum_od2, list(m.tally.counts)),
        "facts": dict(m.facts),
    }


# An operation: add a fact (author, cause, effect, sign, strength) or remove the n-th active fact.
ADD = st.tuples(
    st.just("add"),
    st.sampled_from(["p0", "p1", "p2"]),
    st.sampled_from("ABCD"),
    st.sampled_from("ABCD"),
    st.sampled_from([1, -1]),
    st.integers(1, 3),
)
REMOVE = st.tuples(st.just("remove"), st.integers(0, 40))


@settings(max_examples=100, deadline=None, derandomize=True, database=None)
@given(st.lists(st.one_of(ADD, REMOVE), max_size=40))
def test_any_add_remove_sequence_equals_rebuilding_from_the_survivors(ops: list[tuple[Any, ...]]) -> None:
    m = CollectiveMap()
    alive: list[LinkFact] = []  # active facts in the order they were added
    for n, op in enumerate(ops):
        if op[0] == "add":
            _, who, cause, effect, sign, strength = op
            f = LinkFact(f"f{n}", who, cause, effect, sign, strength)
            m.add(f)
            alive.append(f)
        elif alive:
            f = alive.pop(op[1] % len(alive))
            assert m.remove(f.id) == f
    rebuilt = CollectiveMap.from_facts(alive)
    assert aggregates(m) == aggregates(rebuilt)
    concepts, s = social_matrix(alive)
    assert aggregates(m)["concepts"] == concepts
    assert sorted(m.links()) == sorted(
        (concepts[i], concepts[j], int(s[i, j])) for i, j in zip(*np.nonzero(s), strict=True)
    )
