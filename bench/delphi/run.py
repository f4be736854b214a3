"""Closing a Delphi round: 50 members x 30 statements on 1-9 (round_feedback + round_results with stability and W).

Usage: .venv/bin/python bench/delphi/run.py [--iterations 200] [--members 50] [--statements 30]

Prints the machine first, then p50/p99 in ms of the workload and of a baseline measured in the same run (bare
numpy: the 30 statements' quartiles with np.percentile, nothing else), and the workload as a ratio of the
baseline. The figure to quote is the ratio; absolute times depend on the machine and its load.
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from edlib.delphi.stats import round_feedback, round_results

TARGET_MS = 50.0


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    load = " ".join(f"{x:.2f}" for x in os.getloadavg()) if hasattr(os, "getloadavg") else "n/a"
    import scipy  # type: ignore[import-untyped, unused-ignore]

    return (
        f"machine: {platform.system()} {platform.release()} | {cpu} | {os.cpu_count()} CPUs | load {load}\n"
        f"python {platform.python_version()} | numpy {np.__version__} | scipy {scipy.__version__}"
    )


Answers = dict[str, dict[str, int]]
Round = tuple[list[str], Answers, Answers, dict[str, dict[str, str]], "np.ndarray"]


def make_round(members: int, statements: int) -> Round:
    """Deterministic data: round 1 drawn around a per-statement centre, round 2 nudged toward round 1's median."""
    rng = np.random.default_rng(20240611)
    ids = [f"s{j:02d}" for j in range(statements)]
    people = [f"m{i:03d}" for i in range(members)]
    centres = rng.integers(2, 9, statements)
    r1 = np.clip(centres + rng.integers(-3, 4, (members, statements)), 1, 9)
    medians = np.median(r1, axis=0)
    move = rng.random((members, statements)) < 0.4
    r2 = np.where(move, np.clip(np.round((r1 + medians) / 2), 1, 9), r1).astype(int)
    round1 = {p: {s: int(r1[i, j]) for j, s in enumerate(ids)} for i, p in enumerate(people)}
    round2 = {p: {s: int(r2[i, j]) for j, s in enumerate(ids)} for i, p in enumerate(people)}
    comments = {
        p: {s: f"rationale {i}-{j}" for j, s in enumerate(ids) if (i + j) % 3 == 0} for i, p in enumerate(people)
    }
    return ids, round1, round2, comments, r1


def timed(fn: Callable[[], object], iterations: int, warmup: int = 5) -> list[float]:
    for _ in range(warmup):
        fn()
    samples = []
    for _ in range(iterations):
        t0 = time.perf_counter_ns()
        fn()
        samples.append((time.perf_counter_ns() - t0) / 1e6)
    return samples


def pct(samples: list[float], q: float) -> float:
    return float(np.percentile(samples, q))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--iterations", type=int, default=200)
    ap.add_argument("--members", type=int, default=50)
    ap.add_argument("--statements", type=int, default=30)
    args = ap.parse_args()
    print(machine())
    ids, round1, round2, comments, matrix = make_round(args.members, args.statements)
    print(f"workload: {args.members} members x {args.statements} statements, scale 1-9, {args.iterations} runs each")

    def close_round() -> None:
        round_feedback(ids, 1, 9, round1, comments)
        round_results(ids, 1, 9, round1, round2)

    def baseline() -> None:
        np.percentile(matrix, [25, 50, 75], axis=0)

    work = timed(close_round, args.iterations)
    base = timed(baseline, args.iterations)
    w50, w99, b50, b99 = pct(work, 50), pct(work, 99), pct(base, 50), pct(base, 99)
    print(f"close round (feedback + results): p50 {w50:8.3f} ms   p99 {w99:8.3f} ms   min {min(work):8.3f} ms")
    print(f"baseline (np.percentile only):    p50 {b50:8.3f} ms   p99 {b99:8.3f} ms   min {min(base):8.3f} ms")
    print(f"ratio close round / baseline:     p50 {w50 / b50:8.1f} x    p99 {w99 / b99:8.1f} x")
    verdict = "within" if w99 < TARGET_MS else "OVER"
    print(f"target: p99 well within {TARGET_MS:.0f} ms -> {verdict} ({w99 / TARGET_MS:.0%} of it)")


if __name__ == "__main__":
    main()
