"""What-if scenarios by fuzzy cognitive map inference (methods.md §2; Kosko's rule with self-memory).

W = S / max_ij |s_ij| (so W ∈ [−1, 1]; W = 0 when S has no link), row = cause.
x(t+1) = f(x(t) + x(t)·W), f(v) = 1 / (1 + e^(−v)), with x a row vector, so
concept j receives Σ_i x_i·w_ij from its causes. From x(0) = 1 the baseline runs
to its steady state s; the scenario reruns from x(0) = 1 with the clamped
concepts set to their values at the start and after every step, giving s'. The
report is s' − s per concept. A run stops at the first step t where
max_i |x_i(t) − x_i(t−1)| ≤ tolerance (1e−5) and is then `converged`; after
`max_steps` (200) steps it stops anyway and says it did not converge (a limit
cycle or chaos: the values are then the last state, not a steady state).

This is the convention of Mental Modeler and FCMapper (initial state 1,
sigmoid, λ = 1). O(steps · (N + C)) with a sparse product; run it off the loop
for large maps.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from ..types import ConceptKey
from .model import CollectiveMap, MapSnapshot

TOLERANCE = 1e-5
MAX_STEPS = 200

Vector = npt.NDArray[np.float64]


@dataclass(frozen=True)
class Run:
    """One FCM run: the final state, the steps taken, and whether it reached a steady state."""

    state: Mapping[ConceptKey, float]
    steps: int
    converged: bool


@dataclass(frozen=True)
class Scenario:
    """A what-if scenario: the clamped values, both runs, and s' − s per concept."""

    clamp: Mapping[ConceptKey, float]
    baseline: Run  # s
    scenario: Run  # s'
    delta: Mapping[ConceptKey, float]  # s' − s

    @property
    def converged(self) -> bool:
        """Both runs reached a steady state; otherwise the delta compares states after `max_steps`."""
        return self.baseline.converged and self.scenario.converged

    def as_dict(self) -> dict[str, object]:
        """JSON-ready form."""
        return {
            "clamp": dict(self.clamp),
            "delta": dict(self.delta),
            "baseline": dict(self.baseline.state),
            "scenario": dict(self.scenario.state),
            "converged": self.converged,
            "steps": {"baseline": self.baseline.steps, "scenario": self.scenario.steps},
        }


def _sigmoid(v: Vector) -> Vector:
    return 1.0 / (1.0 + np.exp(-v))


def _run(
    n: int,
    rows: npt.NDArray[np.intp],
    cols: npt.NDArray[np.intp],
    w: Vector,
    clamp_at: npt.NDArray[np.intp],
    clamp_to: Vector,
    tolerance: float,
    max_steps: int,
) -> tuple[Vector, int, bool]:
    """Iterate x ← f(x + x·W) from ones, re-imposing the clamped values after every step."""
    x = np.ones(n)
    x[clamp_at] = clamp_to
    for step in range(1, max_steps + 1):
        incoming = np.bincount(cols, weights=x[rows] * w, minlength=n)  # (x·W)_j = Σ_i x_i w_ij
        nxt = _sigmoid(x + incoming)
        nxt[clamp_at] = clamp_to
        change = float(np.max(np.abs(nxt - x))) if n else 0.0
        x = nxt
        if change <= tolerance:
            return x, step, True
    return x, max_steps, False


def what_if(
    source: CollectiveMap | MapSnapshot,
    clamp: Mapping[ConceptKey, float],
    *,
    tolerance: float = TOLERANCE,
    max_steps: int = MAX_STEPS,
) -> Scenario:
    """s' − s for every concept when `clamp` concepts are held at their values (module docstring).

    Unknown concept in `clamp` → KeyError; non-finite value → ValueError.
    """
    snap = source.snapshot() if isinstance(source, CollectiveMap) else source
    index = {c: i for i, c in enumerate(snap.concepts)}
    for key, value in clamp.items():
        if key not in index:
            raise KeyError(key)
        if not math.isfinite(value):
            raise ValueError(f"clamp value for {key!r} must be finite, got {value!r}")
    if max_steps < 1 or tolerance < 0:
        raise ValueError("max_steps must be ≥ 1 and tolerance ≥ 0")
    n = len(snap.concepts)
    cells = list(snap.matrix.items())
    rows = np.array([index[c] for (c, _), _ in cells], dtype=np.intp)
    cols = np.array([index[e] for (_, e), _ in cells], dtype=np.intp)
    raw = np.array([v for _, v in cells], dtype=np.float64)
    w = raw / np.max(np.abs(raw)) if cells else raw
    none = np.array([], dtype=np.intp)
    base, base_steps, base_ok = _run(n, rows, cols, w, none, np.array([]), tolerance, max_steps)
    at = np.array([index[k] for k in clamp], dtype=np.intp)
    to = np.array([float(v) for v in clamp.values()], dtype=np.float64)
    scen, scen_steps, scen_ok = _run(n, rows, cols, w, at, to, tolerance, max_steps)
    return Scenario(
        clamp=dict(clamp),
        baseline=Run({c: float(base[i]) for c, i in index.items()}, base_steps, base_ok),
        scenario=Run({c: float(scen[i]) for c, i in index.items()}, scen_steps, scen_ok),
        delta={c: float(scen[i] - base[i]) for c, i in index.items()},
    )
