"""Independent re-computations used as oracles by the cogmap tests (deliberately written another way)."""

from __future__ import annotations

import random
from collections.abc import Iterable, Sequence

import numpy as np

from edlib.cogmap.model import LinkFact


def social_matrix(facts: Iterable[LinkFact]) -> tuple[list[str], np.ndarray]:
    """S from scratch: each author's last fact per cell wins (dict overwrite), then summed into a dense matrix."""
    facts = [f for f in facts if f.cause != f.effect]
    last: dict[tuple[str, str, str], int] = {}
    for f in facts:  # in add order: a later assignment overwrites an earlier one
        last[(f.author, f.cause, f.effect)] = f.sign * f.strength
    concepts = sorted({c for (_, a, b) in last for c in (a, b)})
    index = {c: i for i, c in enumerate(concepts)}
    s = np.zeros((len(concepts), len(concepts)), dtype=np.int64)
    for (_, a, b), v in last.items():
        s[index[a], index[b]] += v
    return concepts, s


def random_facts(seed: int, concepts: int, count: int, authors: int = 4) -> list[LinkFact]:
    """Reproducible random facts over a small alphabet, so that cells repeat and cancel."""
    rnd = random.Random(seed)
    names = [f"k{i}" for i in range(concepts)]
    out = []
    for i in range(count):
        a, b = rnd.sample(names, 2)
        out.append(LinkFact(f"l{i}", f"p{rnd.randrange(authors)}", a, b, rnd.choice((1, -1)), rnd.randint(1, 3)))
    return out


def canonical(cycle: Sequence[str]) -> tuple[str, ...]:
    """A cycle rotated to start at its smallest node."""
    i = cycle.index(min(cycle))
    return tuple(cycle[i:]) + tuple(cycle[:i])
