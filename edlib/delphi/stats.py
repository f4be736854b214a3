"""Delphi statistics (methods.md section 3): per-statement summaries, consensus, Kendall's W, stability.

Pure functions with JSON-ready results (str keys, lists, ints, floats, bools, None; None = undefined, as each
docstring says). Quantiles, means, the RAND/UCLA test and W are computed exactly (integers, fractions) and rounded
once, so that threshold decisions (consensus, IPR > IPRAS) never depend on floating-point noise.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import numpy as np
from scipy import stats as sps  # type: ignore[import-untyped, unused-ignore]

from edlib.errors import Invalid
from edlib.types import ParticipantId, StatementId

Ratings = Mapping[ParticipantId, Mapping[StatementId, int]]

_SUMMARY_FIELDS = "median q1 q3 iqr mean sd cv agree_pct disagree_pct consensus p30 p70 ipr iprcp ai ipras".split()
_STABILITY_FIELDS = ("changed_share", "iqr_round1", "iqr_round2", "iqr_change", "wilcoxon")


@dataclass(frozen=True)
class ConsensusRule:
    """Consensus when IQR <= max_iqr and (% agreement >= min_agreement_pct or % disagreement >= min_agreement_pct)."""

    max_iqr: float = 1.0
    min_agreement_pct: float = 70.0

    def __post_init__(self) -> None:
        if not (math.isfinite(self.max_iqr) and self.max_iqr >= 0):
            raise Invalid("max_iqr must be a finite number >= 0", field="max_iqr")
        if not (0 <= self.min_agreement_pct <= 100):
            raise Invalid("min_agreement_pct must be between 0 and 100", field="min_agreement_pct")


def _points_in_band(scale_min: int, scale_max: int) -> int:
    if isinstance(scale_min, bool) or isinstance(scale_max, bool) or scale_max <= scale_min:
        raise Invalid(f"a scale needs integer bounds min < max, not {scale_min}..{scale_max}", field="scale")
    return -(-(scale_max - scale_min + 1) // 3)  # ceil(k / 3) for k scale points


def agreement_threshold(scale_min: int, scale_max: int) -> int:
    """Lowest agreeing rating: the top ceil(k/3) of the k scale points (>=4 on 1-5, >=5 on 1-7, >=7 on 1-9)."""
    return scale_max - _points_in_band(scale_min, scale_max) + 1


def disagreement_threshold(scale_min: int, scale_max: int) -> int:
    """Highest rating that counts as disagreement: the bottom ceil(k/3) points (<=2 on 1-5, <=3 on 1-7, <=3 on 1-9)."""
    return scale_min + _points_in_band(scale_min, scale_max) - 1


def _scaled_quantile(xs: Sequence[int], a: int, b: int) -> int:
    """b x Q(a/b) on sorted xs, R type 7 / numpy 'linear': h = (n-1)p, Q = x[⌊h⌋] + (h - ⌊h⌋)(x[⌊h⌋+1] - x[⌊h⌋]).

    Scaled by b so that it is an exact integer."""
    lo, rem = divmod(a * (len(xs) - 1), b)
    return b * xs[lo] + (rem * (xs[lo + 1] - xs[lo]) if rem else 0)


def _sqrt_ratio(num: int, den: int) -> float:
    """sqrt(num/den), correctly rounded: an integer square root of at least 55 bits whose last bit is set when
    inexact (round to odd), then one rounding to float."""
    shift = max(0, (110 - num.bit_length() + den.bit_length()) // 2 + 1)
    scaled = num << (2 * shift)
    root = math.isqrt(scaled // den)
    if root * root * den != scaled:
        root |= 1
    return root / (1 << shift)


def summary(
    ratings: Sequence[int], scale_min: int, scale_max: int, rule: ConsensusRule = ConsensusRule()
) -> dict[str, Any]:
    """Describe one statement's ratings.

    n; median, q1, q3 by linear interpolation (R type 7, numpy's default) and iqr = q3 - q1; mean; sd with ddof=1
    (sample SD, None when n < 2); cv = sd / mean (None when sd is None or mean = 0); histogram = counts for every
    scale point min..max; agree_pct / disagree_pct = 100 * share of ratings >= agreement_threshold / <=
    disagreement_threshold; consensus by `rule` (see ConsensusRule). On a 1-9 scale only (None otherwise), the
    RAND/UCLA test: p30, p70 (type 7), ipr = p70 - p30, iprcp = (p30 + p70)/2, ai = |5 - iprcp|,
    ipras = 2.35 + 1.5 ai, disagreement = ipr > ipras. n = 0: histogram zeros and every other value None.
    All values are exact rationals (sd and cv: square roots of exact rationals) rounded once to the nearest float.
    """
    if not set(map(type, ratings)) <= {int} or (ratings and not scale_min <= min(ratings) <= max(ratings) <= scale_max):
        raise Invalid(f"ratings must be integers on the scale {scale_min}..{scale_max}", field="rating")
    counts = Counter(ratings)
    histogram = [counts[v] for v in range(scale_min, scale_max + 1)]
    n = len(ratings)
    out: dict[str, Any] = {"n": n, "histogram": histogram, **dict.fromkeys(_SUMMARY_FIELDS), "disagreement": None}
    if n == 0:
        return out
    xs = sorted(ratings)
    q1, q3 = _scaled_quantile(xs, 1, 4), _scaled_quantile(xs, 3, 4)  # quarters
    s1, s2 = sum(v * c for v, c in counts.items()), sum(v * v * c for v, c in counts.items())
    ss = n * s2 - s1 * s1  # n x the sum of squared deviations
    sd = _sqrt_ratio(ss, n * (n - 1)) if n > 1 else None
    cv = None if sd is None or s1 == 0 else math.copysign(_sqrt_ratio(ss * n, (n - 1) * s1 * s1), s1)
    agree = sum(histogram[agreement_threshold(scale_min, scale_max) - scale_min :])
    disagree = sum(histogram[: disagreement_threshold(scale_min, scale_max) - scale_min + 1])
    share = Fraction(rule.min_agreement_pct) * n  # compared with 100 x count, exactly
    out.update(median=_scaled_quantile(xs, 1, 2) / 2, q1=q1 / 4, q3=q3 / 4, iqr=(q3 - q1) / 4, mean=s1 / n, sd=sd)
    out.update(cv=cv, agree_pct=100 * agree / n, disagree_pct=100 * disagree / n)
    out["consensus"] = q3 - q1 <= 4 * rule.max_iqr and (100 * agree >= share or 100 * disagree >= share)
    if (scale_min, scale_max) == (1, 9):
        p30, p70 = _scaled_quantile(xs, 3, 10), _scaled_quantile(xs, 7, 10)  # tenths
        ai = abs(100 - (p30 + p70))  # twentieths: |5 - (p30 + p70)/2| x 20
        ipras = 94 + 3 * ai  # fortieths: (2.35 + 1.5 ai) x 40
        out.update(p30=p30 / 10, p70=p70 / 10, ipr=(p70 - p30) / 10, iprcp=(p30 + p70) / 20, ai=ai / 20)
        out.update(ipras=ipras / 40, disagreement=4 * (p70 - p30) > ipras)
    return out


def outside_iqr(rating: int, summary: Mapping[str, Any]) -> bool:
    """True when rating < q1 or rating > q3 of `summary`; False when the summary has no quartiles (n = 0)."""
    q1, q3 = summary.get("q1"), summary.get("q3")
    return q1 is not None and q3 is not None and bool(rating < q1 or rating > q3)


def _doubled_ranks(row: Sequence[float]) -> tuple[list[int], int]:
    """Twice the average ranks (ties share the mean rank, so 2 x rank is an integer) and T = sum(t^3 - t)."""
    counts = Counter(row)
    doubled: dict[float, int] = {}
    below = ties = 0
    for value in sorted(counts):
        t = counts[value]
        doubled[value] = 2 * below + t + 1  # ranks below+1 .. below+t, mean below + (t+1)/2
        below += t
        ties += t * t * t - t
    return [doubled[x] for x in row], ties


def kendall_w(ratings: Sequence[Sequence[float]]) -> dict[str, Any]:
    """Kendall's W with tie correction over m raters (rows) x n statements (columns).

    Each row is ranked (average ranks for ties); R_j = sum of the ranks of statement j, S = sum_j (R_j - mean R)^2,
    W = 12 S / (m^2 (n^3 - n) - m sum T), T = sum (t^3 - t) over each rater's tie groups; chi2 = m (n-1) W on
    df = n - 1, p = chi2 survival. Degenerate (m < 2, n < 2, or denominator 0 because every rater tied every
    statement): w, chi2, df and p are None.
    """
    m = len(ratings)
    n = len(ratings[0]) if m else 0
    if any(len(row) != n or not all(map(math.isfinite, row)) for row in ratings):
        raise Invalid("every rater must give finite ratings to the same statements", field="ratings")
    out: dict[str, Any] = {"w": None, "chi2": None, "df": None, "p": None, "m": m, "n": n}
    if m < 2 or n < 2:
        return out
    sums2, ties = [0] * n, 0
    for row in ratings:
        ranks2, t = _doubled_ranks(row)
        sums2 = [a + b for a, b in zip(sums2, ranks2, strict=True)]
        ties += t
    denominator = m * m * (n**3 - n) - m * ties
    if denominator == 0:
        return out
    # with doubled rank sums 2R_j and their mean m(n+1): 12 S = 3 * sum (2R_j - m(n+1))^2
    w = Fraction(3 * sum((s - m * (n + 1)) ** 2 for s in sums2), denominator)
    chi2 = m * (n - 1) * w
    out.update(w=float(w), chi2=float(chi2), df=n - 1, p=float(sps.chi2.sf(float(chi2), n - 1)))
    return out


def _wilcoxon(differences: Sequence[Sequence[int]]) -> list[dict[str, Any]]:
    """The `wilcoxon` part of stability() for several statements at once: the normal-approximation ones go to
    scipy in a single vectorised call (zero padding is harmless: zero_method="wilcox" drops zeros)."""
    tests: list[dict[str, Any]] = []
    batch: list[int] = []
    for k, row in enumerate(differences):
        d = [x for x in row if x != 0]
        test: dict[str, Any] = {"statistic": None, "p": None, "method": None, "n_nonzero": len(d)}
        tests.append(test)
        if d and len(d) < 50 and len({abs(x) for x in d}) == len(d):
            res = sps.wilcoxon(d, zero_method="wilcox", correction=True, alternative="two-sided", method="exact")
            test.update(statistic=float(res.statistic), p=float(res.pvalue), method="exact")
        elif d:
            batch.append(k)
    if batch:
        padded = np.zeros((len(batch), max(len(differences[k]) for k in batch)))
        for i, k in enumerate(batch):
            padded[i, : len(differences[k])] = differences[k]
        res = sps.wilcoxon(padded, zero_method="wilcox", correction=True, method="asymptotic", axis=1)
        for i, k in enumerate(batch):
            tests[k].update(statistic=float(res.statistic[i]), p=float(res.pvalue[i]), method="asymptotic")
    return tests


def _stability(r1: Mapping[ParticipantId, int], r2: Mapping[ParticipantId, int]) -> tuple[dict[str, Any], list[int]]:
    paired = sorted(set(r1) & set(r2))
    x1, x2 = [r1[p] for p in paired], [r2[p] for p in paired]
    if not set(map(type, x1 + x2)) <= {int}:
        raise Invalid("ratings must be integers", field="rating")
    d = [b - a for a, b in zip(x1, x2, strict=True)]
    out: dict[str, Any] = {"n_paired": len(paired), **dict.fromkeys(_STABILITY_FIELDS)}
    if paired:
        xs1, xs2 = sorted(x1), sorted(x2)
        iqr1 = _scaled_quantile(xs1, 3, 4) - _scaled_quantile(xs1, 1, 4)  # quarters
        iqr2 = _scaled_quantile(xs2, 3, 4) - _scaled_quantile(xs2, 1, 4)
        out.update(changed_share=sum(1 for x in d if x) / len(paired), iqr_round1=iqr1 / 4, iqr_round2=iqr2 / 4)
        out["iqr_change"] = (iqr2 - iqr1) / 4
    return out, d


def stability(r1: Mapping[ParticipantId, int], r2: Mapping[ParticipantId, int]) -> dict[str, Any]:
    """Change between two rounds over the members who rated in both (n_paired).

    changed_share = share of them with r2 != r1; iqr_round1 / iqr_round2 over those members (type 7) and
    iqr_change = iqr_round2 - iqr_round1; wilcoxon = scipy.stats.wilcoxon on d = r2 - r1, two-sided,
    zero_method="wilcox" (zero differences dropped; n_nonzero remain), statistic = min(W+, W-). As in R's
    wilcox.test(paired = TRUE): exact p when n_nonzero < 50 and no ties among |d|, else the normal approximation
    with tie correction and continuity correction (correction=True); `method` says which. Values None when
    n_paired = 0; wilcoxon values None when every difference is zero.
    """
    out, d = _stability(r1, r2)
    out["wilcoxon"] = _wilcoxon([d])[0]
    return out


def _columns(statement_ids: Sequence[StatementId], answers: Ratings) -> dict[StatementId, dict[ParticipantId, int]]:
    if len(set(statement_ids)) != len(statement_ids):
        raise Invalid("statement ids must be unique", field="statement_ids")
    cols: dict[StatementId, dict[ParticipantId, int]] = {s: {} for s in statement_ids}
    for member, row in answers.items():
        for s, rating in row.items():
            if s not in cols:
                raise Invalid(f"answer for unknown statement {s!r}", field="answers")
            cols[s][member] = rating
    return cols


def round_feedback(
    statement_ids: Sequence[StatementId],
    scale_min: int,
    scale_max: int,
    answers: Ratings,
    comments: Mapping[ParticipantId, Mapping[StatementId, str]],
    rule: ConsensusRule = ConsensusRule(),
) -> dict[StatementId, dict[str, Any]]:
    """The feedback published when a round closes: per statement, summary() plus `rationales` (that statement's
    non-blank comments, stripped, without author and sorted by text so that order reveals nobody) and `answered`
    (members who answered at least one statement of the round; the same number on every statement)."""
    cols = _columns(statement_ids, answers)
    notes: dict[StatementId, list[str]] = {s: [] for s in statement_ids}
    for row in comments.values():
        for s, text in row.items():
            if s not in notes:
                raise Invalid(f"comment on unknown statement {s!r}", field="comments")
            if text.strip():
                notes[s].append(text.strip())
    answered = sum(1 for row in answers.values() if row)
    feedback: dict[StatementId, dict[str, Any]] = {}
    for s in statement_ids:
        feedback[s] = summary(list(cols[s].values()), scale_min, scale_max, rule)
        feedback[s].update(rationales=sorted(notes[s]), answered=answered)
    return feedback


def _complete_w(statement_ids: Sequence[StatementId], answers: Ratings) -> dict[str, Any]:
    complete = [p for p in sorted(answers) if all(s in answers[p] for s in statement_ids)]
    res = kendall_w([[float(answers[p][s]) for s in statement_ids] for p in complete])
    res["n"] = len(statement_ids)
    return res


def round_results(
    statement_ids: Sequence[StatementId],
    scale_min: int,
    scale_max: int,
    round1: Ratings,
    round2: Ratings,
    rule: ConsensusRule = ConsensusRule(),
) -> dict[str, Any]:
    """Results after round 2.

    statements[id] = {round1, round2: summary() of everyone who rated it in that round; consensus: round-2
    consensus; stability: stability() over the members who rated it in both rounds}. kendall_w[round] =
    kendall_w() over the members who rated every statement in that round (m = their number). members = how many
    answered at least one statement in round 1, round 2, and both.
    """
    cols1, cols2 = _columns(statement_ids, round1), _columns(statement_ids, round2)
    statements: dict[StatementId, dict[str, Any]] = {}
    diffs: dict[StatementId, list[int]] = {}
    for s in statement_ids:
        s1 = summary(list(cols1[s].values()), scale_min, scale_max, rule)
        s2 = summary(list(cols2[s].values()), scale_min, scale_max, rule)
        statements[s] = {"round1": s1, "round2": s2, "consensus": s2["consensus"]}
        statements[s]["stability"], diffs[s] = _stability(cols1[s], cols2[s])
    for s, test in zip(statement_ids, _wilcoxon([diffs[s] for s in statement_ids]), strict=True):
        statements[s]["stability"]["wilcoxon"] = test
    in1, in2 = {p for p, row in round1.items() if row}, {p for p, row in round2.items() if row}
    return {
        "statements": statements,
        "kendall_w": {"round1": _complete_w(statement_ids, round1), "round2": _complete_w(statement_ids, round2)},
        "members": {"round1": len(in1), "round2": len(in2), "both": len(in1 & in2)},
    }
