"""Learning measures against hand computations and scipy/numpy oracles (methods.md section 4)."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats as sps  # type: ignore[import-untyped, unused-ignore]

from edlib.errors import Invalid
from edlib.learning.measures import (
    delphi_learning,
    dri,
    listening,
    lsw_distance,
    map_convergence,
    map_distances,
    movement,
    preference_change,
    preference_changes,
    reinforced,
    revision,
)
from edlib.types import Side, VoteChoice

# --- revision, convergence, reinforcement ------------------------------------------------------------------


def test_revision() -> None:
    assert revision(3, 5) == {"delta": 2, "revised": True}
    assert revision(4, 4) == {"delta": 0, "revised": False}


@pytest.mark.parametrize(
    ("r1", "r2", "median1", "expected"),
    [
        (5, 4, 3.0, "convergence"),  # |4-3| = 1 < |5-3| = 2
        (4, 5, 3.0, "divergence"),
        (2, 4, 3.0, "neither"),  # crossed over, same distance
        (3, 3, 3.0, "neither"),
        (1, 3, 3.5, "convergence"),  # 0.5 < 2.5
        (4, 3, 3.5, "neither"),  # 0.5 = 0.5
    ],
)
def test_movement(r1: int, r2: int, median1: float, expected: str) -> None:
    assert movement(r1, r2, median1) == expected


@pytest.mark.parametrize(
    ("r1", "r2", "scale", "expected"),
    [
        (4, 5, (1, 5), True),  # midpoint 3: both above, 2 > 1
        (2, 1, (1, 5), True),  # both below, further
        (4, 4, (1, 5), False),  # not further
        (5, 4, (1, 5), False),  # closer
        (3, 5, (1, 5), False),  # round 1 on the midpoint: no side
        (4, 3, (1, 5), False),
        (2, 4, (1, 5), False),  # changed side
        (3, 4, (1, 4), True),  # midpoint 2.5: 0.5 -> 1.5
        (2, 3, (1, 4), False),  # changed side
        (6, 9, (1, 9), True),
    ],
)
def test_reinforced(r1: int, r2: int, scale: tuple[int, int], expected: bool) -> None:
    assert reinforced(r1, r2, *scale) is expected


def test_delphi_learning_rows() -> None:
    round1 = {"a": {"s": 1, "t": 5}, "b": {"s": 2, "t": 4}, "c": {"s": 4}, "d": {"s": 5, "t": 2}}
    round2 = {"a": {"s": 2, "t": 5}, "b": {"s": 2}, "c": {"s": 5, "t": 1}, "e": {"s": 3}}
    rows = delphi_learning(["s", "t"], 1, 5, round1, round2)
    # median1 of s over a b c d = median(1, 2, 4, 5) = 3; of t over a b d = median(5, 4, 2) = 4
    assert [(r["member"], r["statement"]) for r in rows] == [("a", "s"), ("a", "t"), ("b", "s"), ("c", "s")]
    a_s, a_t, b_s, c_s = rows
    assert a_s == {"member": "a", "statement": "s", "r1": 1, "r2": 2, "median1": 3.0, "delta": 1, "revised": True,
                   "movement": "convergence", "reinforced": False}  # fmt: skip
    assert (a_t["median1"], a_t["revised"], a_t["movement"], a_t["reinforced"]) == (4.0, False, "neither", False)
    assert (b_s["movement"], c_s["movement"], c_s["reinforced"]) == ("neither", "divergence", True)
    with pytest.raises(Invalid):
        delphi_learning(["s"], 1, 5, {"a": {"s": 9}}, {"a": {"s": 3}})


# --- preference change --------------------------------------------------------------------------------------


def test_preference_change() -> None:
    assert preference_change(VoteChoice.YES, VoteChoice.NO) is True
    assert preference_change(VoteChoice.ABSTAIN, VoteChoice.ABSTAIN) is False
    assert preference_change(VoteChoice.YES, None) is None and preference_change(None, VoteChoice.NO) is None
    res = preference_changes(
        {"a": VoteChoice.YES, "b": VoteChoice.NO, "c": VoteChoice.YES},
        {"a": VoteChoice.YES, "b": VoteChoice.ABSTAIN, "d": VoteChoice.NO},
    )
    assert res == {"by_member": {"a": False, "b": True, "c": None, "d": None}, "n_both": 2, "changed_share": 0.5}
    assert preference_changes({}, {})["changed_share"] is None


# --- listening across lines ---------------------------------------------------------------------------------

MEMBERS = {
    "ann": ("PS", Side.MAJORITY),
    "ben": ("PS", Side.MAJORITY),
    "cat": ("Ecolo", Side.MAJORITY),
    "dan": ("MR", Side.OPPOSITION),
    "eva": ("PTB", Side.OPPOSITION),
    "ind": ("indep", Side.NONE),
}
AUTHORS = {"a1": "ann", "b1": "ben", "c1": "cat", "d1": "dan", "d2": "dan", "e1": "eva", "s1": "staff", "i1": "ind"}


def test_listening_by_hand() -> None:
    # ann agrees with her own a1 (not counted), staff's s1 (not a member), b1 (PS, majority), c1 (Ecolo, majority),
    # d1 and d2 (MR, opposition), i1 (independent, no side), and d1 twice (counted once).
    res = listening("ann", ["a1", "s1", "b1", "c1", "d1", "d2", "d1", "i1"], AUTHORS, MEMBERS)
    # counted: b1 c1 d1 d2 i1 -> n = 5; other group: c1 d1 d2 i1 -> 4/5
    # sided: b1 c1 d1 d2 -> 4; other side (opposition): d1 d2 -> 2/4
    assert res == {"n_agree": 5, "other_group_share": 0.8, "n_sided": 4, "other_side_share": 0.5}


def test_listening_edge_cases() -> None:
    assert listening("ann", [], AUTHORS, MEMBERS) == {
        "n_agree": 0, "other_group_share": None, "n_sided": 0, "other_side_share": None,
    }  # fmt: skip
    assert listening("ann", ["a1", "s1"], AUTHORS, MEMBERS)["other_group_share"] is None
    independent = listening("ind", ["a1", "d1"], AUTHORS, MEMBERS)
    assert independent["other_group_share"] == 1.0 and independent["other_side_share"] is None
    with pytest.raises(Invalid):
        listening("ann", ["nope"], AUTHORS, MEMBERS)
    with pytest.raises(Invalid):
        listening("staff", ["a1"], AUTHORS, MEMBERS)


# --- Langfield-Smith & Wirth distance -----------------------------------------------------------------------


def test_lsw_distance_by_hand() -> None:
    a = {("x", "y"): 2, ("y", "z"): -1, ("z", "w"): 1}
    b = {("x", "y"): 1, ("y", "x"): 3, ("y", "v"): 1}
    # concepts a: x y z w; b: x y v. pc = 2 (x, y), pu1 = 2 (z, w), pu2 = 1 (v)
    # denominator = 6·2² + 2·2·(2 + 1) + 2² + 1² - (6·2 + 2 + 1) = 24 + 12 + 5 - 15 = 26
    # numerator: shared cells x→y |2 - 1| = 1, y→x |0 - 3| = 3; links with an unshared concept count 1 each:
    # y→z, z→w (in a), y→v (in b) -> 3.  D = 7/26
    assert lsw_distance(a, b) == pytest.approx(7 / 26, rel=1e-15)
    assert lsw_distance(b, a) == lsw_distance(a, b)


def test_lsw_distance_extremes_and_conventions() -> None:
    a = {("x", "y"): 3, ("y", "x"): 3}
    assert lsw_distance(a, a) == 0.0
    # opposite strongest links on the two shared concepts: numerator 6 + 6, denominator 6·4 - 6·2 = 12
    assert lsw_distance(a, {("x", "y"): -3, ("y", "x"): -3}) == 1.0
    # disjoint maps: pc = 0, pu1 = pu2 = 2: denominator 4 + 4 - 4 = 4, numerator 1 + 1
    assert lsw_distance({("x", "y"): 1}, {("u", "v"): 2}) == 0.5
    # the diagonal and zero entries are not links
    assert lsw_distance({**a, ("x", "x"): 3, ("x", "q"): 0}, a) == 0.0
    # max_strength sets α = 2·max_strength: with 1, opposite links give 2 + 2 over 2·4 - 2·2
    assert lsw_distance({("x", "y"): 1, ("y", "x"): 1}, {("x", "y"): -1, ("y", "x"): -1}, max_strength=1) == 1.0
    assert lsw_distance({}, {}) is None
    assert lsw_distance({}, {("x", "y"): 1}) == 0.5  # pu2 = 2: denominator 4 - 2, numerator 1
    with pytest.raises(Invalid):
        lsw_distance({("x", "y"): 4}, {})
    with pytest.raises(Invalid):
        lsw_distance({("x", "y"): math.nan}, {})


concepts = st.sampled_from("abcdef")
maps = st.dictionaries(st.tuples(concepts, concepts), st.integers(-3, 3), max_size=12)


@settings(max_examples=60, deadline=None, derandomize=True, database=None)
@given(maps, maps)
def test_lsw_distance_is_a_bounded_symmetric_ratio(
    a: dict[tuple[str, str], int], b: dict[tuple[str, str], int]
) -> None:
    d = lsw_distance(a, b)
    assert d == lsw_distance(b, a)
    if d is not None:
        assert 0.0 <= d <= 1.0
        assert lsw_distance(a, a) in (0.0, None)


def test_map_distances_and_convergence() -> None:
    collective = {("x", "y"): 2, ("y", "z"): 1}
    individual = {
        "p": {("x", "y"): 2, ("y", "z"): 1},  # same as the collective: 0
        "q": {("x", "y"): 1, ("y", "z"): 1},  # pc = 3: denominator 6·9 - 18 = 36, numerator 1 -> 1/36
        "r": {},  # pc = 0, pu2 = 3: denominator 9 - 3 = 6, numerator 2 -> 1/3
    }
    res = map_distances(individual, collective)
    assert res["to_collective"] == pytest.approx({"p": 0.0, "q": 1 / 36, "r": 1 / 3})
    assert res["mean_to_collective"] == pytest.approx((0 + 1 / 36 + 1 / 3) / 3)
    # pairs p-q 1/36, p-r 1/3, q-r 1/3
    assert res["mean_pairwise"] == pytest.approx((1 / 36 + 2 / 3) / 3) and res["n_pairs"] == 3
    assert map_distances({}, collective) == {"to_collective": {}, "mean_to_collective": None, "mean_pairwise": None,
                                             "n_pairs": 0}  # fmt: skip
    conv = map_convergence({"p": 0.5, "q": 0.2, "r": None}, {"p": 0.25, "q": 0.3, "s": 0.1})
    assert conv["p"] == {"early": 0.5, "late": 0.25, "change": -0.25}
    assert conv["q"]["change"] == pytest.approx(0.1) and conv["r"]["change"] is None and conv["s"]["early"] is None


# --- Deliberative Reason Index ------------------------------------------------------------------------------

CONSIDERATIONS = {"A": [1, 2, 3, 4], "B": [1, 2, 4, 3], "C": [4, 3, 2, 1]}
PREFERENCES = {"A": [1, 2, 3], "B": [1, 3, 2], "C": [3, 2, 1]}


def test_dri_by_hand() -> None:
    # Spearman without ties: rho = 1 - 6 Σd² / (n(n² - 1))
    # considerations (n = 4): q_AB = 1 - 6·2/60 = 0.8; q_AC = 1 - 6·20/60 = -1; q_BC = 1 - 6·18/60 = -0.8
    # preferences (n = 3):    r_AB = 1 - 6·2/24 = 0.5; r_AC = -1;              r_BC = 1 - 6·6/24 = -0.5
    # |r - q|: AB 0.3, AC 0, BC 0.3 -> DRI = 1 - 2·0.6/3 = 0.6
    # individual: A (AB, AC) 1 - 2·0.15 = 0.7; B (AB, BC) 1 - 2·0.3 = 0.4; C (AC, BC) 0.7
    res = dri(CONSIDERATIONS, PREFERENCES)
    assert res["dri"] == pytest.approx(0.6, abs=1e-12)
    assert res["individual"] == pytest.approx({"A": 0.7, "B": 0.4, "C": 0.7}, abs=1e-12)
    assert (res["n_members"], res["n_pairs"], res["excluded"]) == (3, 3, [])
    # deliberr (R) get_dri(ic, adjusted = FALSE): d_j = |ccor - pcor|/√2, λ = √2/2, DRI = (-2·mean(d) + λ)/λ
    lam = math.sqrt(2) / 2
    assert res["dri"] == pytest.approx((-2 * (0.6 / 3 / math.sqrt(2)) + lam) / lam, abs=1e-12)
    # ... and not the unrescaled perpendicular-distance variant 1 - 2·mean(|r - q|/√2) = 0.717...
    assert res["dri"] != pytest.approx(1 - 2 * 0.2 / math.sqrt(2), abs=1e-3)


def test_dri_exclusions_and_degenerate_cases() -> None:
    res = dri({**CONSIDERATIONS, "D": [2, 2, 2, 2], "E": [1, 2, 3, 4]}, {**PREFERENCES, "D": [1, 2, 3]})
    assert res["excluded"] == ["D", "E"] and res["n_members"] == 3  # D constant, E gave no preferences
    assert res["dri"] == pytest.approx(0.6, abs=1e-12)
    one = dri({"A": [1, 2, 3]}, {"A": [3, 2, 1]})
    assert one["dri"] is None and one["individual"] == {"A": None}
    two = dri({"A": [1, 2, 3], "B": [1, 2, 3]}, {"A": [1, 2], "B": [2, 1]})
    assert two["dri"] == pytest.approx(1 - 2 * 2) and two["n_pairs"] == 1  # q = 1, r = -1: the minimum, -3
    with pytest.raises(Invalid):
        dri({"A": [1, 2, 3], "B": [1, 2]}, {"A": [1, 2], "B": [2, 1]})


rankings = st.lists(st.integers(1, 4), min_size=5, max_size=5).filter(lambda xs: len(set(xs)) > 1)
prefs = st.permutations([1, 2, 3, 4])


@settings(max_examples=40, deadline=None, derandomize=True, database=None)
@given(st.lists(st.tuples(rankings, prefs), min_size=2, max_size=6))
def test_dri_matches_an_independent_computation(members: list[tuple[list[int], list[int]]]) -> None:
    considerations = {f"m{i}": c for i, (c, _) in enumerate(members)}
    preferences = {f"m{i}": list(p) for i, (_, p) in enumerate(members)}
    res = dri(considerations, preferences)
    # oracle: Spearman = Pearson correlation of average ranks (scipy.stats.rankdata + numpy.corrcoef)
    ids = sorted(considerations)

    def rho(x: list[int], y: list[int]) -> float:
        return float(np.corrcoef(sps.rankdata(x), sps.rankdata(y))[0, 1])

    gaps = {
        (i, j): abs(rho(preferences[i], preferences[j]) - rho(considerations[i], considerations[j]))
        for i, j in itertools.combinations(ids, 2)
    }
    assert res["dri"] == pytest.approx(1 - 2 * sum(gaps.values()) / len(gaps), abs=1e-9)
    for p in ids:
        mine = [g for pair, g in gaps.items() if p in pair]
        assert res["individual"][p] == pytest.approx(1 - 2 * sum(mine) / len(mine), abs=1e-9)
    assert -3 - 1e-9 <= res["dri"] <= 1 + 1e-9
