"""Delphi statistics against independent values: hand computations, numpy/scipy oracles and published examples."""

from __future__ import annotations

import itertools
import json
import math
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats as sps  # type: ignore[import-untyped, unused-ignore]

from edlib.delphi.stats import (
    ConsensusRule,
    agreement_threshold,
    disagreement_threshold,
    kendall_w,
    outside_iqr,
    round_feedback,
    round_results,
    stability,
    summary,
)
from edlib.errors import Invalid

SCALES = [(1, 5), (1, 7), (1, 9)]


def json_ready(value: Any) -> bool:
    """Only str keys, lists, dicts, str, int, finite float, bool and None; no numpy scalars."""
    if value is None or type(value) in (bool, int, str):
        return True
    if type(value) is float:
        return math.isfinite(value)
    if type(value) is list:
        return all(json_ready(v) for v in value)
    if type(value) is dict:
        return all(type(k) is str and json_ready(v) for k, v in value.items())
    return False


# --- thresholds ---------------------------------------------------------------------------------------------


def test_thresholds_of_methods_md() -> None:
    # methods.md §3: >= 4 on 1-5, >= 5 on 1-7, >= 7 on 1-9; the mirror image for disagreement
    assert [agreement_threshold(lo, hi) for lo, hi in SCALES] == [4, 5, 7]
    assert [disagreement_threshold(lo, hi) for lo, hi in SCALES] == [2, 3, 3]


def test_thresholds_general_rule_is_the_top_and_bottom_third_rounded_up() -> None:
    # k points, band = ceil(k/3): 0-10 has k = 11, band 4 -> >= 7 and <= 3; 1-10: band 4 -> >= 7, <= 4
    assert (agreement_threshold(0, 10), disagreement_threshold(0, 10)) == (7, 3)
    assert (agreement_threshold(1, 10), disagreement_threshold(1, 10)) == (7, 4)
    assert (agreement_threshold(1, 3), disagreement_threshold(1, 3)) == (3, 1)
    assert (agreement_threshold(1, 4), disagreement_threshold(1, 4)) == (3, 2)


@settings(max_examples=50, deadline=None, derandomize=True, database=None)
@given(st.integers(-20, 20), st.integers(1, 40))
def test_agreement_and_disagreement_bands_never_overlap(lo: int, width: int) -> None:
    hi = lo + width
    assert lo <= disagreement_threshold(lo, hi) < agreement_threshold(lo, hi) <= hi


@pytest.mark.parametrize("scale", [(5, 5), (5, 1)])
def test_a_scale_needs_two_points(scale: tuple[int, int]) -> None:
    with pytest.raises(Invalid):
        agreement_threshold(*scale)


# --- summary ------------------------------------------------------------------------------------------------


def test_summary_by_hand_on_1_to_5() -> None:
    ratings = [5, 1, 4, 2, 5, 3, 4, 5]
    s = summary(ratings, 1, 5)
    # sorted 1 2 3 4 4 5 5 5, n = 8. Type 7: h = (n-1)p
    # Q1: h = 1.75 -> x[1] + .75 (x[2] - x[1]) = 2 + .75 = 2.75;  median: h = 3.5 -> 4;  Q3: h = 5.25 -> 5
    assert (s["n"], s["q1"], s["median"], s["q3"], s["iqr"]) == (8, 2.75, 4.0, 5.0, 2.25)
    # mean 29/8; SS = 121 - 29²/8 = 15.875; sample variance 15.875/7; cv = sd/mean
    assert s["mean"] == 3.625
    assert s["sd"] == pytest.approx(math.sqrt(15.875 / 7), rel=1e-15)
    assert s["cv"] == pytest.approx(math.sqrt(15.875 / 7) / 3.625, rel=1e-15)
    assert s["histogram"] == [1, 1, 1, 2, 3]
    # agree >= 4: 5 of 8; disagree <= 2: 2 of 8; IQR 2.25 > 1 -> no consensus
    assert (s["agree_pct"], s["disagree_pct"], s["consensus"]) == (62.5, 25.0, False)
    assert s["p30"] is None and s["disagreement"] is None  # RAND/UCLA only on 1-9
    assert json_ready(s)


def test_quantile_convention_is_type_7_not_type_6() -> None:
    # [1, 2, 3, 4]: type 7 h = 3p -> Q1 = 1.75, Q3 = 3.25; type 6 h = 5p - 1 -> Q1 = 1.25, Q3 = 3.75
    s = summary([1, 2, 3, 4], 1, 5)
    assert (s["q1"], s["q3"]) == (1.75, 3.25)
    assert (s["q1"], s["q3"]) == tuple(np.percentile([1, 2, 3, 4], [25, 75]))  # numpy default 'linear'
    assert (s["q1"], s["q3"]) != tuple(np.percentile([1, 2, 3, 4], [25, 75], method="weibull"))  # type 6


def test_sd_is_the_sample_sd() -> None:
    s = summary([1, 3], 1, 5)
    assert s["sd"] == pytest.approx(math.sqrt(2))  # ddof = 1: ((1-2)² + (3-2)²)/1 = 2; population SD would be 1


def test_empty_and_single_rating() -> None:
    empty = summary([], 1, 5)
    assert empty["n"] == 0 and empty["histogram"] == [0] * 5
    assert all(v is None for k, v in empty.items() if k not in ("n", "histogram"))
    one = summary([3], 1, 5)
    assert (one["median"], one["iqr"], one["mean"], one["sd"], one["cv"]) == (3.0, 0.0, 3.0, None, None)
    assert one["consensus"] is False  # 0% agreement and 0% disagreement


def test_cv_is_none_when_the_mean_is_zero_and_keeps_the_sign_of_the_mean() -> None:
    assert summary([-1, 1], -3, 3)["cv"] is None
    # mean -2, sample SD sqrt(2): cv = -sqrt(2)/2
    assert summary([-3, -1], -3, 3)["cv"] == pytest.approx(-math.sqrt(2) / 2, rel=1e-15)


@settings(max_examples=100, deadline=None, derandomize=True, database=None)
@given(st.integers(0, 10**30), st.integers(1, 10**30))
def test_square_roots_are_correctly_rounded(num: int, den: int) -> None:
    from decimal import Decimal, localcontext

    from edlib.delphi.stats import _sqrt_ratio

    with localcontext() as ctx:  # independent: 60 significant digits, then one rounding to float
        ctx.prec = 60
        exact = (Decimal(num) / Decimal(den)).sqrt()
    assert _sqrt_ratio(num, den) == float(exact)


@pytest.mark.parametrize("bad", [0, 6, 2.5, True, "3"])
def test_a_rating_off_the_scale_is_refused(bad: Any) -> None:
    with pytest.raises(Invalid):
        summary([3, bad], 1, 5)


def test_consensus_rule_at_its_boundaries() -> None:
    # sorted 1 1 1 1 3 3 4x14 (n = 20): Q1 at h = 4.75 between x[4] = x[5] = 3; Q3 at h = 14.25 -> 4; IQR = 1
    # agreement 14/20 = 70% exactly: both conditions hold with equality -> consensus
    hit = [1] * 4 + [3] * 2 + [4] * 14
    s = summary(hit, 1, 5)
    assert (s["iqr"], s["agree_pct"], s["consensus"]) == (1.0, 70.0, True)
    miss = [1] * 4 + [3] * 3 + [4] * 13  # same IQR, 65% agreement
    assert summary(miss, 1, 5)["consensus"] is False
    # the mirror image: 1x4 2x10 3x6 -> Q1 = 2, Q3 = 3, disagreement (<= 2) 14/20 = 70%
    assert summary([1] * 4 + [2] * 10 + [3] * 6, 1, 5)["consensus"] is True
    # 100% agreement but IQR 2: 7 7 8 9 9 -> Q1 = 7, Q3 = 9
    assert summary([7, 7, 8, 9, 9], 1, 9)["consensus"] is False


def test_consensus_rule_is_configurable() -> None:
    hit = [1] * 4 + [3] * 2 + [4] * 14
    assert summary(hit, 1, 5, ConsensusRule(max_iqr=0.5))["consensus"] is False
    assert summary(hit, 1, 5, ConsensusRule(min_agreement_pct=75))["consensus"] is False
    assert summary(hit, 1, 5, ConsensusRule(max_iqr=1, min_agreement_pct=60))["consensus"] is True
    with pytest.raises(Invalid):
        ConsensusRule(min_agreement_pct=120)
    with pytest.raises(Invalid):
        ConsensusRule(max_iqr=-1)


@pytest.mark.parametrize("low", list(itertools.combinations_with_replacement(range(1, 7), 3)))
def test_rand_ucla_published_example(low: tuple[int, int, int]) -> None:
    # BMJ Open 2012;2:e001431, Table 1 (doi:10.1136/bmjopen-2012-001431): 15 panellists on 1-9, five rate 7,
    # five rate 8, two rate 9 and three rate lower (the table does not say where, so every placement below 7 is
    # tried: none changes the percentiles). Published: median 7, P30 7, P70 8, IPR 1, IPRCP 7.5, AI 2.5,
    # IPRAS 6.1 (the table's text writes 2.5 for the constant but its arithmetic, 6.1, uses 2.35): no disagreement.
    s = summary([*low, 7, 7, 7, 7, 7, 8, 8, 8, 8, 8, 9, 9], 1, 9)
    assert (s["median"], s["p30"], s["p70"], s["ipr"], s["iprcp"], s["ai"]) == (7.0, 7.0, 8.0, 1.0, 7.5, 2.5)
    assert s["ipras"] == pytest.approx(6.1, abs=1e-12)
    assert s["disagreement"] is False


def test_rand_ucla_polarised_panel_is_disagreement() -> None:
    # 1x5 9x5: P30 at h = 2.7 -> 1; P70 at h = 6.3 -> 9; IPR 8; IPRCP 5; AI 0; IPRAS 2.35 < 8
    s = summary([1] * 5 + [9] * 5, 1, 9)
    assert (s["p30"], s["p70"], s["ipr"], s["ai"], s["ipras"], s["disagreement"]) == (1.0, 9.0, 8.0, 0.0, 2.35, True)


def test_rand_ucla_tie_is_decided_exactly() -> None:
    # n = 12, sorted 1 1 1 3 6 6 6 6 7 7 7 7: P30 at h = 3.3 -> 3 + .3 x 3 = 3.9; P70 at h = 7.7 -> 6 + .7 = 6.7
    # IPR = 2.8; IPRCP = 5.3; AI = 0.3; IPRAS = 2.35 + 0.45 = 2.8 -> IPR = IPRAS, so no disagreement (strict >).
    ratings = [1, 1, 1, 3, 6, 6, 6, 6, 7, 7, 7, 7]
    s = summary(ratings, 1, 9)
    assert (s["p30"], s["p70"], s["ipr"], s["ipras"], s["disagreement"]) == (3.9, 6.7, 2.8, 2.8, False)
    # naive floating point gets this one wrong, which is why the module computes in fractions
    p30, p70 = np.percentile(ratings, [30, 70])
    assert p70 - p30 > 2.35 + 1.5 * abs(5 - (p30 + p70) / 2)


@settings(max_examples=50, deadline=None, derandomize=True, database=None)
@given(st.sampled_from(SCALES).flatmap(lambda sc: st.tuples(st.just(sc), st.lists(st.integers(*sc), min_size=1))))
def test_summary_agrees_with_numpy_and_scipy(case: tuple[tuple[int, int], list[int]]) -> None:
    (lo, hi), ratings = case
    s = summary(ratings, lo, hi)
    q1, med, q3 = np.percentile(ratings, [25, 50, 75])
    assert (s["q1"], s["median"], s["q3"]) == pytest.approx((q1, med, q3), abs=1e-12)
    assert s["iqr"] == pytest.approx(sps.iqr(ratings), abs=1e-12)
    assert s["mean"] == pytest.approx(np.mean(ratings), abs=1e-12)
    if len(ratings) > 1:
        assert s["sd"] == pytest.approx(np.std(ratings, ddof=1), abs=1e-12)
    assert s["histogram"] == np.bincount(np.array(ratings) - lo, minlength=hi - lo + 1).tolist()
    agree = 100 * np.mean(np.array(ratings) >= agreement_threshold(lo, hi))
    assert s["agree_pct"] == pytest.approx(agree, abs=1e-12)
    if (lo, hi) == (1, 9):
        p30, p70 = np.percentile(ratings, [30, 70])
        assert (s["p30"], s["p70"]) == pytest.approx((p30, p70), abs=1e-12)
    assert json_ready(s)


def test_outside_iqr() -> None:
    s = summary([2, 3, 3, 4, 5], 1, 5)  # Q1 = 3, Q3 = 4
    assert [outside_iqr(r, s) for r in (1, 2, 3, 4, 5)] == [True, True, False, False, True]
    assert outside_iqr(3, summary([], 1, 5)) is False


# --- Kendall's W --------------------------------------------------------------------------------------------

# irr::anxiety (3 raters x 20 subjects), as printed in the DescTools KendallW reference page
# (https://andrisignorell.github.io/DescTools/reference/KendallW.html): KendallW(anxiety, TRUE) = 0.5396569.
ANXIETY = [
    [3, 3, 3, 4, 5, 5, 2, 3, 5, 2, 2, 6, 1, 5, 2, 2, 1, 2, 4, 3],
    [3, 6, 4, 6, 2, 4, 2, 4, 3, 3, 2, 3, 3, 3, 2, 2, 1, 3, 3, 4],
    [2, 1, 4, 4, 3, 2, 1, 6, 1, 1, 1, 2, 3, 3, 1, 1, 3, 3, 2, 2],
]


def test_kendall_w_published_example_with_ties() -> None:
    res = kendall_w(ANXIETY)
    assert round(res["w"], 7) == 0.5396569
    assert (res["m"], res["n"], res["df"]) == (3, 20, 19)
    # oracle: Friedman's tie-corrected chi-square equals m(n-1)W_corrected (columns = treatments, rows = blocks)
    friedman = sps.friedmanchisquare(*np.array(ANXIETY, dtype=float).T)
    assert res["chi2"] == pytest.approx(friedman.statistic, rel=1e-12)
    assert res["p"] == pytest.approx(friedman.pvalue, rel=1e-10)
    assert res["p"] == pytest.approx(sps.chi2.sf(3 * 19 * res["w"], 19), rel=1e-12)


def test_kendall_w_sheskin_worked_example() -> None:
    # Sheskin, Handbook of Parametric and Nonparametric Statistical Procedures, as worked in
    # https://stats.stackexchange.com/q/261206: raters x = [12,2,1,12,2], y = [1,4,7,1,0].
    # ranks x = [4.5, 2.5, 1, 4.5, 2.5], y = [2.5, 4, 5, 2.5, 1]; sums R = [7, 6.5, 6, 7, 3.5], mean 6
    # S = 1 + .25 + 0 + 1 + 6.25 = 8.5; ties: x two pairs (6 + 6), y one pair (6) -> sum T = 18
    # W = 12 x 8.5 / (2²(5³ - 5) - 2 x 18) = 102 / 444 = 0.22973
    res = kendall_w([[12, 2, 1, 12, 2], [1, 4, 7, 1, 0]])
    assert res["w"] == pytest.approx(102 / 444, rel=1e-15)
    assert res["chi2"] == pytest.approx(2 * 4 * 102 / 444, rel=1e-15)


def test_kendall_w_by_hand_without_ties() -> None:
    # 3 raters, 4 statements. Ranks: [1,2,3,4], [1,3,2,4], [2,1,3,4] -> R = [4, 6, 8, 12], mean 7.5
    # S = 12.25 + 2.25 + .25 + 20.25 = 35; W = 12 x 35 / (9 x 60) = 420/540 = 7/9
    res = kendall_w([[1, 2, 3, 4], [10, 30, 20, 40], [2, 1, 3, 4]])
    assert res["w"] == pytest.approx(7 / 9, rel=1e-15)
    assert res["chi2"] == pytest.approx(3 * 3 * 7 / 9, rel=1e-15)
    # chi2 = 3 x 3 x 7/9 = 7 on 3 df; closed form of the chi-square survival for 3 df:
    # P(X > x) = erfc(sqrt(x/2)) + sqrt(2x/pi) exp(-x/2)
    assert res["p"] == pytest.approx(math.erfc(math.sqrt(3.5)) + math.sqrt(14 / math.pi) * math.exp(-3.5), rel=1e-12)


def test_kendall_w_perfect_agreement_and_degenerate_cases() -> None:
    assert kendall_w([[1, 2, 3], [4, 5, 6]])["w"] == 1.0
    none = {"w": None, "chi2": None, "df": None, "p": None}
    assert kendall_w([[1, 2, 3]]).items() >= none.items()  # one rater
    assert kendall_w([[1], [2]]).items() >= none.items()  # one statement
    assert kendall_w([]).items() >= none.items()
    assert kendall_w([[3, 3, 3], [5, 5, 5]]).items() >= none.items()  # everyone tied everywhere: 0/0
    with pytest.raises(Invalid):
        kendall_w([[1, 2, 3], [1, 2]])


def test_ranks_match_scipy_rankdata() -> None:
    from edlib.delphi.stats import _doubled_ranks

    row = [3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5]
    ranks2, ties = _doubled_ranks(row)
    assert [r / 2 for r in ranks2] == sps.rankdata(row).tolist()
    # tie groups: 1 x2, 3 x2, 5 x3 -> 6 + 6 + 24
    assert ties == 36


@settings(max_examples=50, deadline=None, derandomize=True, database=None)
@given(st.integers(2, 8).flatmap(lambda n: st.lists(st.lists(st.integers(1, 5), min_size=n, max_size=n), min_size=2)))
def test_kendall_w_is_in_unit_interval_and_matches_friedman(matrix: list[list[int]]) -> None:
    res = kendall_w(matrix)
    if res["w"] is None:
        assert all(len(set(row)) == 1 for row in matrix)
        return
    assert 0.0 <= res["w"] <= 1.0
    assert json_ready(res)
    if len(matrix[0]) >= 3:
        friedman = sps.friedmanchisquare(*np.array(matrix, dtype=float).T)
        assert res["chi2"] == pytest.approx(friedman.statistic, rel=1e-9, abs=1e-12)
    reversed_scale = [[6 - x for x in row] for row in matrix]  # W does not depend on the scale's direction
    assert kendall_w(reversed_scale)["w"] == pytest.approx(res["w"], abs=1e-15)


# --- stability ----------------------------------------------------------------------------------------------


def test_stability_by_hand() -> None:
    r1 = {"a": 1, "b": 2, "c": 3, "d": 5, "only1": 4}
    r2 = {"a": 2, "b": 2, "c": 5, "d": 1, "only2": 3}
    res = stability(r1, r2)
    # paired a b c d; changed a c d -> 3/4
    # round 1 paired [1,2,3,5]: Q1 h = .75 -> 1.75, Q3 h = 2.25 -> 3 + .25 x 2 = 3.5, IQR 1.75
    # round 2 paired [1,2,2,5]: Q1 -> 1.75, Q3 -> 2 + .25 x 3 = 2.75, IQR 1.0; change -0.75
    assert (res["n_paired"], res["changed_share"]) == (4, 0.75)
    assert (res["iqr_round1"], res["iqr_round2"], res["iqr_change"]) == (1.75, 1.0, -0.75)
    # d = +1, +2, -4 (b's zero dropped): ranks 1, 2, 3 -> W+ = 3, W- = 3, statistic min = 3.
    # Exact null of W+ with n = 3: {0,1,2,3,3,4,5,6}; P(W+ <= 3) = 5/8 -> two-sided 2 x 5/8, capped at 1.
    assert res["wilcoxon"] == {"statistic": 3.0, "p": 1.0, "method": "exact", "n_nonzero": 3}


def test_wilcoxon_exact_p_by_hand() -> None:
    r1 = dict(zip("abcde", [1, 1, 1, 1, 1], strict=True))
    r2 = dict(zip("abcde", [2, 3, 4, 5, 6], strict=True))
    # d = 1..5 all positive and distinct: W- = 0; P(W+ = 15) = 1/32 -> two-sided p = 2/32
    res = stability(r1, r2)["wilcoxon"]
    assert (res["statistic"], res["p"], res["method"]) == (0.0, 2 / 32, "exact")


def test_wilcoxon_with_ties_uses_the_normal_approximation_as_r_does() -> None:
    # d = +1 x5, +2 x3, -1 x2, +3, -2 (n = 12 non-zero, ties) and two zeros that are dropped
    ds = [1, 1, 1, 1, 1, 2, 2, 2, -1, -1, 3, -2, 0, 0]
    r1 = {f"m{i}": 5 for i in range(len(ds))}
    r2 = {f"m{i}": 5 + d for i, d in enumerate(ds)}
    res = stability(r1, r2)["wilcoxon"]
    # |d| ranks: |1| x7 -> ranks 1..7, mean 4; |2| x4 -> 8..11, mean 9.5; |3| -> 12
    # W+ = 5 x 4 + 3 x 9.5 + 12 = 60.5; W- = 2 x 4 + 9.5 = 17.5; statistic = 17.5
    # mean n(n+1)/4 = 39; var = n(n+1)(2n+1)/24 - sum(t^3 - t)/48 = 162.5 - (336 + 60)/48 = 154.25
    # continuity-corrected z = (60.5 - 39 - 0.5)/sqrt(154.25); p = erfc(|z|/sqrt 2)
    z = (60.5 - 39 - 0.5) / math.sqrt(154.25)
    assert (res["statistic"], res["method"], res["n_nonzero"]) == (17.5, "asymptotic", 12)
    assert res["p"] == pytest.approx(math.erfc(z / math.sqrt(2)), rel=1e-12)
    x1 = [r1[k] for k in sorted(r1)]
    x2 = [r2[k] for k in sorted(r2)]
    oracle = sps.wilcoxon(x2, x1, zero_method="wilcox", correction=True, method="asymptotic")
    assert res["p"] == pytest.approx(oracle.pvalue, rel=1e-12)


def test_stability_never_raises_on_degenerate_input() -> None:
    same = stability({"a": 3, "b": 4}, {"a": 3, "b": 4})
    assert same["changed_share"] == 0.0 and same["wilcoxon"]["p"] is None and same["wilcoxon"]["statistic"] is None
    disjoint = stability({"a": 3}, {"b": 4})
    assert disjoint["n_paired"] == 0 and disjoint["changed_share"] is None and disjoint["iqr_change"] is None
    with pytest.raises(Invalid):
        stability({"a": 3.5}, {"a": 4})  # type: ignore[dict-item]
    one = stability({"a": 3}, {"a": 5})
    assert one["wilcoxon"]["p"] == 1.0 and one["iqr_change"] == 0.0
    assert json_ready(same) and json_ready(disjoint) and json_ready(one)


# --- rounds -------------------------------------------------------------------------------------------------

STATEMENTS = ["s1", "s2", "s3"]
ROUND1 = {
    "alice": {"s1": 4, "s2": 2, "s3": 5},
    "bob": {"s1": 5, "s2": 1, "s3": 3},
    "carol": {"s1": 2, "s2": 2},  # skipped s3
    "dave": {"s1": 4, "s2": 3, "s3": 4},  # will not answer round 2
}
ROUND2 = {
    "alice": {"s1": 4, "s2": 2, "s3": 4},
    "bob": {"s1": 4, "s2": 1, "s3": 4},
    "carol": {"s1": 3, "s2": 2, "s3": 4},
    "erin": {"s1": 5, "s2": 1, "s3": 5},  # joined in round 2
}


def test_round_feedback_is_summary_plus_anonymous_rationales() -> None:
    comments = {
        "bob": {"s1": "  Zebra crossings first. ", "s2": "   "},
        "alice": {"s1": "Budget is tight", "s3": "Needs a pilot"},
        "carol": {"s1": "alice is right"},
    }
    fb = round_feedback(STATEMENTS, 1, 5, ROUND1, comments)
    assert list(fb) == STATEMENTS
    for s in STATEMENTS:
        expected = summary([row[s] for row in ROUND1.values() if s in row], 1, 5)
        assert {k: v for k, v in fb[s].items() if k not in ("rationales", "answered")} == expected
        assert fb[s]["answered"] == 4
    # stripped, blank dropped, sorted by text (code point order): nothing about who wrote what or when
    assert fb["s1"]["rationales"] == ["Budget is tight", "Zebra crossings first.", "alice is right"]
    assert fb["s2"]["rationales"] == [] and fb["s3"]["rationales"] == ["Needs a pilot"]
    text = json.dumps(fb, allow_nan=False)
    assert '"alice"' not in text and '"bob"' not in text and "carol" not in text
    assert json_ready(fb)
    # the same answers given in another order produce the same feedback
    shuffled = {p: dict(reversed(list(ROUND1[p].items()))) for p in reversed(list(ROUND1))}
    assert round_feedback(STATEMENTS, 1, 5, shuffled, dict(reversed(list(comments.items())))) == fb


def test_round_feedback_refuses_unknown_statements() -> None:
    with pytest.raises(Invalid):
        round_feedback(STATEMENTS, 1, 5, {"a": {"nope": 3}}, {})
    with pytest.raises(Invalid):
        round_feedback(STATEMENTS, 1, 5, {}, {"a": {"nope": "x"}})
    with pytest.raises(Invalid):
        round_feedback(["s1", "s1"], 1, 5, {}, {})


def test_round_results_pairs_only_members_of_both_rounds() -> None:
    res = round_results(STATEMENTS, 1, 5, ROUND1, ROUND2)
    assert res["members"] == {"round1": 4, "round2": 4, "both": 3}
    s1 = res["statements"]["s1"]
    assert s1["round1"] == summary([4, 5, 2, 4], 1, 5)  # dave counted in round 1
    assert s1["round2"] == summary([4, 4, 3, 5], 1, 5)  # erin counted in round 2
    assert s1["consensus"] == s1["round2"]["consensus"]
    assert s1["stability"] == stability({"alice": 4, "bob": 5, "carol": 2}, {"alice": 4, "bob": 4, "carol": 3})
    assert res["statements"]["s3"]["stability"]["n_paired"] == 2  # carol skipped s3 in round 1
    # W over the members who rated every statement, rows sorted by member id
    w2 = kendall_w([[4, 2, 4], [4, 1, 4], [3, 2, 4], [5, 1, 5]])
    assert res["kendall_w"]["round2"] == w2 and w2["m"] == 4
    assert res["kendall_w"]["round1"] == kendall_w([[4, 2, 5], [5, 1, 3], [4, 3, 4]])  # carol incomplete
    assert json_ready(res)
    json.dumps(res, allow_nan=False)


ratings = st.one_of(st.none(), st.integers(1, 5))


@settings(max_examples=25, deadline=None, derandomize=True, database=None)
@given(st.lists(st.tuples(st.lists(ratings, min_size=3, max_size=3), st.lists(ratings, min_size=3, max_size=3)),
                max_size=25))  # fmt: skip
def test_batched_wilcoxon_in_round_results_equals_stability_per_statement(
    members: list[tuple[list[int | None], list[int | None]]],
) -> None:
    round1 = {f"m{i}": {s: r for s, r in zip(STATEMENTS, a, strict=True) if r is not None} for i, (a, _) in
              enumerate(members)}  # fmt: skip
    round2 = {f"m{i}": {s: r for s, r in zip(STATEMENTS, b, strict=True) if r is not None} for i, (_, b) in
              enumerate(members)}  # fmt: skip
    res = round_results(STATEMENTS, 1, 5, round1, round2)
    for s in STATEMENTS:
        r1 = {p: row[s] for p, row in round1.items() if s in row}
        r2 = {p: row[s] for p, row in round2.items() if s in row}
        assert res["statements"][s]["stability"] == stability(r1, r2)
        paired = sorted(set(r1) & set(r2))
        d = [r2[p] - r1[p] for p in paired if r2[p] != r1[p]]
        if d:  # and scipy, called directly on that statement alone, is the oracle
            method = res["statements"][s]["stability"]["wilcoxon"]["method"]
            oracle = sps.wilcoxon(d, zero_method="wilcox", correction=True, method=method)
            assert res["statements"][s]["stability"]["wilcoxon"]["p"] == pytest.approx(oracle.pvalue, rel=1e-12)
    assert json_ready(res)


def test_round_results_with_nobody() -> None:
    res = round_results(STATEMENTS, 1, 9, {}, {})
    assert res["members"] == {"round1": 0, "round2": 0, "both": 0}
    assert res["kendall_w"]["round2"]["w"] is None and res["kendall_w"]["round2"]["n"] == 3
    assert res["statements"]["s1"]["consensus"] is None
    assert json_ready(res)
