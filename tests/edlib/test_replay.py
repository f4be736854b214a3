"""Replaying the log rebuilds the same state, also through the store's msgpack encoding."""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from edlib.core import replay
from edlib.errors import DomainError
from edlib.registry import Recorded, event_from_data
from edlib.views import snapshot
from edlib_server.store.base import StoredEvent, decode, encode
from tests.support import CLAIRE, FAC, LUC, SEC, SOFIE, Meeting

PEOPLE = [FAC, SOFIE, LUC, CLAIRE, SEC]
CONCEPTS = ["verkeer", "Veiligheid", "luchtkwaliteit", "handel", "Schoolstraat"]

commands = st.one_of(
    st.builds(lambda t, s, c: {"type": "argument.add", "item_id": "i1", "text": t, "stance": s, "category": c},
              st.text(st.characters(blacklist_categories=("Cc", "Cs")), min_size=1, max_size=30),
              st.sampled_from(["pro", "con", "neutral"]),
              st.sampled_from(["problem", "cause", "effect", "value", "evidence"])),
    st.builds(lambda n, v: {"type": "argument.rate", "argument_id": f"A{n}", "value": v},
              st.integers(4, 24), st.sampled_from([1, 0, -1])),
    st.builds(lambda n: {"type": "argument.withdraw", "argument_id": f"A{n}"}, st.integers(4, 24)),
    st.builds(lambda a, b, s, w: {"type": "link.assert", "item_id": "i1", "cause": a, "effect": b, "sign": s,
                                  "strength": w},
              st.sampled_from(CONCEPTS), st.sampled_from(CONCEPTS), st.sampled_from([1, -1]), st.integers(1, 3)),
    st.builds(lambda n: {"type": "link.retract", "link_id": f"L{n}"}, st.integers(4, 24)),
    st.builds(lambda a, b: {"type": "concept.merge", "item_id": "i1", "into": a, "from": b},
              st.sampled_from(CONCEPTS), st.sampled_from(CONCEPTS)),
    st.builds(lambda k: {"type": "floor.request", "kind": k}, st.sampled_from(["speak", "point_of_order"])),
    st.just({"type": "floor.grant"}),
    st.just({"type": "floor.end"}),
    st.just({"type": "floor.pause"}),
    st.just({"type": "floor.resume"}),
    st.builds(lambda p: {"type": "floor.set_policy", "policy": p},
              st.sampled_from(["fifo", "first_time_first", "alternate_groups", "least_time_first"])),
    st.builds(lambda w: {"type": "presence.set", "where": w}, st.sampled_from(["room", "remote", "away"])),
    st.builds(lambda c, k: {"type": "decision.vote", "item_id": "i1", "choice": c, "kind": k},
              st.sampled_from(["yes", "no", "abstain"]), st.sampled_from(["indicative", "final"])),
    st.builds(lambda p: {"type": "item.set_phase", "item_id": "i1", "phase": p},
              st.sampled_from(["discussion", "delphi", "decision", "closed"])),
)
steps = st.lists(st.tuples(st.sampled_from(PEOPLE), commands, st.floats(0, 30)), min_size=5, max_size=60)


def run(script: list[tuple[str, dict[str, Any], float]]) -> Meeting:
    m = Meeting()
    clock = 0.0
    for actor, payload, dt in script:
        clock += dt
        try:
            m.at(clock).do(actor, **payload)
        except DomainError:
            pass  # refused commands record nothing
    return m


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(steps)
def test_replay_rebuilds_the_same_state(script: list[tuple[str, dict[str, Any], float]]) -> None:
    m = run(script)
    assert replay(m.log) == m.state
    # through the store's encoding: what a restart or another process sees
    stored = [decode(encode(StoredEvent(r.seq, r.event.name, r.at, r.actor, r.event.to_data()))) for r in m.log]
    rebuilt = replay(Recorded(e.seq, e.at, e.actor, event_from_data(e.type, e.data)) for e in stored)
    assert rebuilt == m.state
    for pid in PEOPLE:
        viewer = m.state.participants[pid]
        assert snapshot(rebuilt, viewer) == snapshot(m.state, viewer)


def test_replay_refuses_gaps() -> None:
    m = Meeting()
    import pytest

    with pytest.raises(ValueError):
        replay([m.log[0], m.log[2]])
