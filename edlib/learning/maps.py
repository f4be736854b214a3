"""Map convergence: the Langfield-Smith & Wirth (1992) distance ratio between cognitive maps (methods.md section 4).

A map is {(cause, effect): signed strength}, strengths in [-max_strength, max_strength]. Entries on the diagonal
(cause == effect) and entries equal to 0 are not links and are dropped first; the concepts of a map are the
concepts that appear in its remaining links. Arithmetic is exact (fractions) and rounded to float once.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from fractions import Fraction
from itertools import combinations
from typing import Any

from edlib.errors import Invalid
from edlib.types import ConceptKey, ParticipantId

Map = Mapping[tuple[ConceptKey, ConceptKey], float]


def _links(m: Map, max_strength: float) -> dict[tuple[ConceptKey, ConceptKey], Fraction]:
    links: dict[tuple[ConceptKey, ConceptKey], Fraction] = {}
    for (cause, effect), value in m.items():
        if not math.isfinite(value) or abs(value) > max_strength:
            raise Invalid(f"link strength {value!r} is outside ±{max_strength}", field="map")
        if cause != effect and value != 0:
            links[(cause, effect)] = Fraction(value)
    return links


def lsw_distance(a: Map, b: Map, max_strength: float = 3) -> float | None:
    """Langfield-Smith & Wirth distance ratio D(a, b) in [0, 1].

    pc = concepts in both maps, pu1 / pu2 = concepts in only a / only b, α = 2·max_strength (6 for strengths up
    to 3). Numerator: Σ |a_ij - b_ij| over ordered pairs i != j of shared concepts (absent link = 0), plus 1 for
    every link that involves a concept present in only one of the two maps. Denominator: α·pc² + 2·pc·(pu1 + pu2)
    + pu1² + pu2² - (α·pc + pu1 + pu2), the largest numerator possible, so 0 <= D <= 1. None when both maps are
    empty (the only case where the denominator is 0: a map with a link has at least two concepts).
    """
    if not (math.isfinite(max_strength) and max_strength > 0):
        raise Invalid("max_strength must be a positive number", field="max_strength")
    la, lb = _links(a, max_strength), _links(b, max_strength)
    ca, cb = {c for link in la for c in link}, {c for link in lb for c in link}
    shared = ca & cb
    pc, pu1, pu2 = len(shared), len(ca - cb), len(cb - ca)
    alpha = 2 * Fraction(max_strength)
    denominator = alpha * pc * pc + 2 * pc * (pu1 + pu2) + pu1 * pu1 + pu2 * pu2 - (alpha * pc + pu1 + pu2)
    if denominator == 0:
        return None
    numerator = Fraction(0)
    for cell in la.keys() | lb.keys():
        if cell[0] in shared and cell[1] in shared:
            numerator += abs(la.get(cell, Fraction(0)) - lb.get(cell, Fraction(0)))
        else:  # only the map that holds the unshared concept can hold this link
            numerator += 1
    return float(numerator / denominator)


def _mean(values: list[float]) -> float | None:
    return math.fsum(values) / len(values) if values else None


def map_distances(individual: Mapping[ParticipantId, Map], collective: Map, max_strength: float = 3) -> dict[str, Any]:
    """Group-level map convergence.

    to_collective[member] = lsw_distance(member's map, collective); mean_to_collective = their mean; mean_pairwise
    = mean of lsw_distance over every pair of members (n_pairs of them). Means skip undefined (None) distances and
    are None when nothing is defined. The collective map must be on the members' strength scale, e.g. the mean
    weight of each edge over the members who assert it, not the raw sum S = Σ A_k.
    """
    to_collective = {p: lsw_distance(individual[p], collective, max_strength) for p in sorted(individual)}
    pairs = [lsw_distance(individual[p], individual[q], max_strength) for p, q in combinations(sorted(individual), 2)]
    defined = [d for d in pairs if d is not None]
    return {
        "to_collective": to_collective,
        "mean_to_collective": _mean([d for d in to_collective.values() if d is not None]),
        "mean_pairwise": _mean(defined),
        "n_pairs": len(defined),
    }


def map_convergence(
    early: Mapping[ParticipantId, float | None], late: Mapping[ParticipantId, float | None]
) -> dict[ParticipantId, dict[str, float | None]]:
    """Per member: early and late distance to the collective map and change = late - early (negative = the
    member's map moved toward the collective one); change None when either distance is undefined."""
    out: dict[ParticipantId, dict[str, float | None]] = {}
    for p in sorted(set(early) | set(late)):
        e, f = early.get(p), late.get(p)
        out[p] = {"early": e, "late": f, "change": None if e is None or f is None else f - e}
    return out
