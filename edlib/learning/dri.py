"""The Deliberative Reason Index (Niemeyer et al. 2024; methods.md section 4).

Each member rates (or ranks) the same considerations and ranks the same policy preferences. For every pair of
members i, j: q_ij = Spearman correlation of their consideration ratings, r_ij = Spearman correlation of their
preference rankings (scipy.stats.spearmanr: Pearson correlation of average ranks). Pairs whose two correlations
agree are consistent; the index rescales the mean absolute disagreement so that perfect consistency is 1.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from itertools import combinations
from typing import Any

import numpy as np
from scipy import stats as sps  # type: ignore[import-untyped, unused-ignore]

from edlib.errors import Invalid
from edlib.types import ParticipantId


def _matrix(rows: Mapping[ParticipantId, Sequence[float]], members: list[ParticipantId], what: str) -> np.ndarray:
    lengths = {len(rows[p]) for p in members}
    if len(lengths) > 1 or (lengths and min(lengths) < 2):
        raise Invalid(f"every member must give the same {what}, at least two", field=what)
    if any(not math.isfinite(x) for p in members for x in rows[p]):
        raise Invalid(f"{what} must be finite numbers", field=what)
    return np.array([[float(x) for x in rows[p]] for p in members], dtype=float).reshape(len(members), -1)


def _spearman(x: np.ndarray) -> np.ndarray:
    if x.shape[0] == 2:
        rho = float(sps.spearmanr(x[0], x[1]).statistic)
        return np.array([[1.0, rho], [rho, 1.0]])
    return np.asarray(sps.spearmanr(x, axis=1).statistic, dtype=float)


def dri(
    considerations: Mapping[ParticipantId, Sequence[float]], preferences: Mapping[ParticipantId, Sequence[float]]
) -> dict[str, Any]:
    """DRI = 1 - 2 · mean over pairs i<j of |r_ij - q_ij|, in [-3, 1] (1 = every pair consistent).

    Group `dri` over every pair of included members; `individual[i]` = the same formula over the pairs that
    include i. Included: members present in both mappings whose considerations and whose preferences are not all
    equal (a constant vector has no Spearman correlation); `excluded` lists the others. None when fewer than two
    members are included. Algebraically the same as the orthogonal-distance form 1 - 2·mean(d)/(√2/2) with
    d = |r - q|/√2 (deliberr's get_dri(adjusted = FALSE)); it differs from 1 - 2·mean(d) without that rescaling
    and from the low-signal "adjusted" DRI (Veri 2026), neither of which is computed here.
    """
    both = sorted(set(considerations) & set(preferences))
    included = [p for p in both if len(set(considerations[p])) > 1 and len(set(preferences[p])) > 1]
    excluded = sorted((set(considerations) | set(preferences)) - set(included))
    out: dict[str, Any] = {"dri": None, "individual": dict.fromkeys(included), "excluded": excluded}
    out.update(n_members=len(included), n_pairs=len(included) * (len(included) - 1) // 2)
    if len(included) < 2:
        return out
    q = _spearman(_matrix(considerations, included, "considerations"))
    r = _spearman(_matrix(preferences, included, "preferences"))
    gaps = np.abs(r - q)
    pairs = [float(gaps[i, j]) for i, j in combinations(range(len(included)), 2)]
    out["dri"] = 1 - 2 * math.fsum(pairs) / len(pairs)
    for i, p in enumerate(included):
        mine = [float(gaps[i, j]) for j in range(len(included)) if j != i]
        out["individual"][p] = 1 - 2 * math.fsum(mine) / len(mine)
    return out
