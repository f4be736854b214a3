"""Cost of keeping the collective map's view live: one new link + the updated view, vs a full rebuild.

Run: .venv/bin/python bench/map/run.py [--quick]
See bench/map/README.md for what the figures mean.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import platform
import random
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # run from a checkout without installing

from edlib.cogmap.model import CollectiveMap, LinkFact
from edlib.cogmap.view import map_analysis, map_view, view_patch

SEED = 20240501
LINKS_PER_CONCEPT = 3
AUTHORS = 40
BUDGET_MS = 10.0
# (concepts, baseline reps, incremental reps, analysis reps); p99 of n < 100 samples is close to the max.
SIZES = [(100, 200, 2000, 100), (1_000, 40, 2000, 40), (5_000, 8, 1000, 8)]


def random_map(concepts: int, rnd: random.Random) -> tuple[list[str], list[LinkFact]]:
    """`concepts` concepts and 3 distinct links per concept, random signs, strengths and authors."""
    names = [f"concept {i:05d}" for i in range(concepts)]
    seen: set[tuple[str, str]] = set()
    facts: list[LinkFact] = []
    while len(facts) < LINKS_PER_CONCEPT * concepts:
        cause, effect = rnd.sample(names, 2)
        if (cause, effect) in seen:
            continue
        seen.add((cause, effect))
        author = f"p{rnd.randrange(AUTHORS)}"
        facts.append(LinkFact(f"l{len(facts)}", author, cause, effect, rnd.choice((1, -1)), rnd.randint(1, 3)))
    return names, facts


def members() -> dict[str, tuple[str | None, str]]:
    return {f"p{i}": (f"group {i % 6}", "majority" if i % 6 < 3 else "opposition") for i in range(AUTHORS)}


class Samples:
    """Wall-clock and CPU (this thread) durations of repeated runs of one operation."""

    def __init__(self) -> None:
        self.wall: list[float] = []
        self.cpu: list[float] = []

    def time(self, action: Callable[[], object]) -> object:
        wall, cpu = time.perf_counter(), time.thread_time()
        result = action()
        self.cpu.append(time.thread_time() - cpu)
        self.wall.append(time.perf_counter() - wall)
        return result

    def __len__(self) -> int:
        return len(self.wall)


def percentiles(samples: list[float]) -> tuple[float, float]:
    """p50 and p99 in ms (nearest rank)."""
    ordered = sorted(samples)
    p99 = ordered[min(len(ordered) - 1, max(0, round(0.99 * len(ordered)) - 1))]
    return statistics.median(ordered) * 1e3, p99 * 1e3


def bench(concepts: int, base_reps: int, incr_reps: int, ana_reps: int) -> dict[str, Samples]:
    rnd = random.Random(SEED + concepts)
    names, facts = random_map(concepts, rnd)
    labels = {n: n.title() for n in names}
    who = members()

    def new_link(i: int) -> LinkFact:
        cause, effect = rnd.sample(names, 2)
        return LinkFact(f"new{i}", f"p{rnd.randrange(AUTHORS)}", cause, effect, rnd.choice((1, -1)), rnd.randint(1, 3))

    def rebuild(link: LinkFact) -> None:
        # What a non-incremental server would do for each new link: rebuild the map from every fact,
        # then render the whole view and run the whole analysis from scratch.
        fresh = CollectiveMap.from_facts([*facts, link])
        map_view(fresh, labels, who)
        map_analysis(fresh)

    def step(link: LinkFact) -> dict[str, object]:
        live.add(link)
        return map_view(live, labels, who)

    base, incr, patch, ana, dumps = Samples(), Samples(), Samples(), Samples(), Samples()
    for i in range(base_reps):
        link = new_link(i)
        base.time(lambda: rebuild(link))  # noqa: B023 - called at once, inside the iteration
    live = CollectiveMap.from_facts(facts)
    view = map_view(live, labels, who)
    for i in range(incr_reps):
        link = new_link(i)
        after = incr.time(lambda: step(link))  # noqa: B023
        patch.time(lambda: json.dumps(view_patch(view, after), ensure_ascii=False))  # noqa: B023
        live.remove(link.id)  # untimed: keep the map at its size
        view = map_view(live, labels, who)
    for _ in range(ana_reps):
        ana.time(lambda: map_analysis(live.snapshot()))
        dumps.time(lambda: json.dumps(view, ensure_ascii=False))
    return {
        "baseline: rebuild + full view + analysis": base,
        "add link + map_view (incremental, on loop)": incr,
        "snapshot + map_analysis (debounced, off loop)": ana,
        "json.dumps(map_view) (server, for reference)": dumps,
        "view_patch + json.dumps(patch) (server, ref.)": patch,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="fewer repetitions, for a smoke run")
    args = parser.parse_args()
    print(f"machine: {platform.platform()} | {platform.machine()} | {os.cpu_count()} CPUs")
    print(f"python: {platform.python_implementation()} {platform.python_version()} | gc enabled: {gc.isenabled()}")
    print(f"seed {SEED}, {LINKS_PER_CONCEPT} links per concept, {AUTHORS} authors in 6 groups; times in ms")
    print("wall = perf_counter; cpu = this thread's CPU time (lower than wall when other processes take the CPU)")
    print("ratio = wall figure / baseline wall figure at the same percentile, measured in this run")
    verdict = ""
    for concepts, base_reps, incr_reps, ana_reps in SIZES:
        if args.quick:
            base_reps, incr_reps, ana_reps = max(3, base_reps // 10), incr_reps // 10, max(3, ana_reps // 10)
        rows = bench(concepts, base_reps, incr_reps, ana_reps)
        print(f"\n{concepts} concepts, {LINKS_PER_CONCEPT * concepts} links")
        head = ("n", "wall p50", "wall p99", "p50 ratio", "p99 ratio", "cpu p50", "cpu p99")
        print(f"  {'':46} {head[0]:>5}" + "".join(f" {h:>9}" for h in head[1:]))
        b50, b99 = percentiles(rows["baseline: rebuild + full view + analysis"].wall)
        for name, samples in rows.items():
            p50, p99 = percentiles(samples.wall)
            c50, c99 = percentiles(samples.cpu)
            figures = (p50, p99, p50 / b50, p99 / b99, c50, c99)
            print(
                f"  {name:46} {len(samples):5d}" + "".join(f" {f:9.3f}" if f >= 0.01 else f" {f:9.4f}" for f in figures)
            )
        if concepts == 1_000:
            wall99 = percentiles(rows["add link + map_view (incremental, on loop)"].wall)[1]
            cpu99 = percentiles(rows["add link + map_view (incremental, on loop)"].cpu)[1]
            met = "MET" if wall99 <= BUDGET_MS else "NOT MET"
            verdict = (
                f"budget: add link + map_view at 1,000 concepts: wall p99 {wall99:.3f} ms (cpu p99 {cpu99:.3f} ms)"
                f" vs {BUDGET_MS} ms: {met}"
            )
    print(f"\n{verdict}")


if __name__ == "__main__":
    main()
