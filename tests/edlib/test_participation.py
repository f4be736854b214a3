"""Participation statistics: the oracle checks of methods.md section 5 and independent formulas."""

from __future__ import annotations

import itertools
import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from edlib.errors import Invalid
from edlib.participation import gini, gini_over_members, not_yet_spoken, presence_shares, shares
from edlib.types import Presence, Side

# --- Gini ---------------------------------------------------------------------------------------------------


def test_gini_oracle_checks_of_methods_md() -> None:
    # methods.md §5: [10,10,10,10] -> 0; [0,0,0,40] -> 0.75 (corrected 1.0); [5,10,15,20,50] -> 0.40 (0.50)
    assert gini([10, 10, 10, 10]) == {"gini": 0.0, "corrected": 0.0}
    # [0,0,0,40]: coefficients 2i - n - 1 = -3, -1, 1, 3 -> 3·40 / (4·40) = 0.75; corrected 0.75·4/3 = 1
    assert gini([0, 0, 0, 40]) == {"gini": 0.75, "corrected": 1.0}
    # [5,10,15,20,50]: coefficients -4 -2 0 2 4 -> -20 - 20 + 0 + 40 + 200 = 200; 200 / (5·100) = 0.4; ·5/4 = 0.5
    assert gini([5, 10, 15, 20, 50]) == {"gini": 0.4, "corrected": 0.5}
    assert gini([50, 20, 5, 15, 10]) == {"gini": 0.4, "corrected": 0.5}  # order does not matter


def test_gini_conventions() -> None:
    assert gini([]) == {"gini": None, "corrected": None}
    assert gini([42.0]) == {"gini": 0.0, "corrected": None}
    assert gini([0.0]) == {"gini": 0.0, "corrected": None}
    assert gini([0, 0, 0]) == {"gini": 0.0, "corrected": 0.0}  # nobody spoke: perfect equality
    for bad in (-1.0, math.nan, math.inf):
        with pytest.raises(Invalid):
            gini([1.0, bad])


def mean_absolute_difference_gini(xs: list[float]) -> float:
    """Independent definition: G = Σ_i Σ_j |x_i - x_j| / (2 n² mean)."""
    n = len(xs)
    return sum(abs(a - b) for a, b in itertools.product(xs, xs)) / (2 * n * n * (sum(xs) / n))


@settings(max_examples=80, deadline=None, derandomize=True, database=None)
@given(st.lists(st.floats(0, 1e4, allow_nan=False), min_size=2, max_size=30).filter(lambda xs: sum(xs) > 0))
def test_gini_matches_the_mean_absolute_difference_and_its_bounds(xs: list[float]) -> None:
    res = gini(xs)
    n = len(xs)
    assert res["gini"] == pytest.approx(mean_absolute_difference_gini(xs), rel=1e-9, abs=1e-12)
    assert res["gini"] is not None and res["corrected"] is not None
    assert 0.0 <= res["gini"] <= 1 - 1 / n + 1e-15
    assert 0.0 <= res["corrected"] <= 1.0 + 1e-15
    assert res["corrected"] == pytest.approx(res["gini"] * n / (n - 1), rel=1e-12)


def test_silent_members_count_as_zero() -> None:
    members = ["a", "b", "c", "d"]
    assert gini_over_members(members, {"d": 40.0, "staff": 500.0}) == {"gini": 0.75, "corrected": 1.0}
    assert not_yet_spoken(members, {"d": 40.0, "b": 0.0, "staff": 5.0}) == ["a", "b", "c"]


# --- shares -------------------------------------------------------------------------------------------------

MEMBERS = {
    "ann": ("PS", Side.MAJORITY),
    "bob": ("PS", Side.MAJORITY),
    "cat": ("MR", Side.OPPOSITION),
    "dan": ("Ecolo", Side.OPPOSITION),
}
SEATS = {"PS": 10, "MR": 6, "Ecolo": 4}
SIDES = {"PS": Side.MAJORITY, "MR": Side.OPPOSITION, "Ecolo": Side.OPPOSITION}


def test_shares_by_group_and_side_beside_seats() -> None:
    res = shares({"ann": 120.0, "bob": 60.0, "cat": 120.0, "chair": 300.0}, MEMBERS, SEATS, SIDES)
    # members spoke 300 s (PS 180, MR 120, Ecolo 0); the chair's 300 s are kept apart. Seats 20.
    assert (res["total_seconds"], res["other_seconds"]) == (300.0, 300.0)
    assert res["groups"]["PS"] == {"side": "majority", "seconds": 180.0, "speaking_share": 0.6, "seats": 10,
                                   "seat_share": 0.5}  # fmt: skip
    assert res["groups"]["MR"]["speaking_share"] == 0.4 and res["groups"]["MR"]["seat_share"] == 0.3
    assert res["groups"]["Ecolo"]["speaking_share"] == 0.0 and res["groups"]["Ecolo"]["seat_share"] == 0.2
    assert res["sides"]["majority"] == {"seconds": 180.0, "speaking_share": 0.6, "seats": 10, "seat_share": 0.5}
    assert res["sides"]["opposition"] == {"seconds": 120.0, "speaking_share": 0.4, "seats": 10, "seat_share": 0.5}
    assert all(type(k) is str for k in res["sides"])


def test_shares_when_nobody_spoke() -> None:
    res = shares({}, MEMBERS, SEATS, SIDES)
    assert res["total_seconds"] == 0.0 and res["groups"]["PS"]["speaking_share"] is None
    assert res["groups"]["PS"]["seat_share"] == 0.5
    assert shares({}, {}, {}, {}) == {"total_seconds": 0.0, "other_seconds": 0.0, "groups": {}, "sides": {}}


def test_presence_shares() -> None:
    presence = {"ann": Presence.ROOM, "bob": Presence.REMOTE, "cat": Presence.ROOM}
    res = presence_shares({"ann": 30.0, "bob": 20.0, "cat": 40.0, "dan": 10.0}, presence)
    assert res == {
        "room": {"seconds": 70.0, "share": 0.7},
        "remote": {"seconds": 20.0, "share": 0.2},
        "away": {"seconds": 0.0, "share": 0.0},
        "unknown": {"seconds": 10.0, "share": 0.1},
    }
    assert presence_shares({}, presence)["room"]["share"] is None
