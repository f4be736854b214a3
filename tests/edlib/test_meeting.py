"""Meetings, items and their phases, presence, the facilitator role."""

from __future__ import annotations

import copy

import pytest

from edlib.errors import Invalid
from edlib.meeting import MeetingSpec, create_meeting
from edlib.phases import ITEM_TRANSITIONS, ItemPhase, MeetingPhase
from edlib.schema import parse
from edlib.types import Presence, Role
from tests.support import FAC, LUC, OBS, SEC, SOFIE, SPEC, Meeting


def test_creation_gives_ordered_ids_and_sides() -> None:
    m = Meeting(sitting=False)
    s = m.state
    assert s.seq == 1 and s.phase is MeetingPhase.SCHEDULED
    assert list(s.items) == ["i1", "i2"] and list(s.participants) == ["p1", "p2", "p3", "p4", "p5", "p6"]
    assert s.participants[SOFIE].side == "majority" and s.participants[LUC].side == "opposition"
    assert s.participants[FAC].side == "none" and s.participants[FAC].group is None
    assert s.participants[SOFIE].person_id == "m1:p2"


@pytest.mark.parametrize("patch, field", [
    ({"participants": [{"name": "X", "role": "councillor"}]}, "participants"),  # no facilitator
    ({"participants": [{"name": "X", "role": "facilitator", "group": "nope"}]}, "participants[0].group"),
    ({"groups": [{"id": "g", "name": "A", "side": "majority"}, {"id": "g", "name": "B", "side": "opposition"}]},
     "groups"),
])
def test_creation_refuses_inconsistent_specs(patch: dict[str, object], field: str) -> None:
    spec = {**copy.deepcopy(SPEC), **patch}
    with pytest.raises(Invalid) as info:
        create_meeting("m", parse(MeetingSpec, spec))
    assert info.value.field == field


def test_meeting_phases_follow_their_transitions() -> None:
    m = Meeting(sitting=False)
    m.do(FAC, type="meeting.start")
    m.refused(FAC, "conflict", type="meeting.start")
    m.do(FAC, type="meeting.end")
    assert m.state.phase is MeetingPhase.ENDED
    m.refused(SOFIE, "conflict", type="argument.add", item_id="i1", text="x", stance="pro", category="value")


def test_item_phases_follow_the_transition_table() -> None:
    for start, targets in ITEM_TRANSITIONS.items():
        for target in ItemPhase:
            m = Meeting(sitting=False)
            m.state.items["i1"].phase = start  # given an item in `start`
            if target in targets:
                [_ev] = m.do(FAC, type="item.set_phase", item_id="i1", phase=str(target))
                assert m.state.items["i1"].phase is target
                assert (m.state.current_item == "i1") == (target is not ItemPhase.CLOSED)
            else:
                m.refused(FAC, "conflict", type="item.set_phase", item_id="i1", phase=str(target))


def test_unknown_item_is_not_found() -> None:
    Meeting().refused(FAC, "not_found", type="item.open", item_id="i9")


def test_locking_stops_arguments_but_not_ratings() -> None:
    m = Meeting()
    arg = m.argument(SOFIE)
    m.do(FAC, type="item.lock", item_id="i1")
    m.refused(FAC, "conflict", type="item.lock", item_id="i1")
    m.refused(LUC, "conflict", type="argument.add", item_id="i1", text="x", stance="con", category="value")
    m.refused(LUC, "conflict", type="link.assert", item_id="i1", cause="a", effect="b", sign=1)
    m.do(LUC, type="argument.rate", argument_id=arg, value=1)
    m.do(FAC, type="item.unlock", item_id="i1")
    m.argument(LUC)


def test_presence_by_self_and_by_facilitator() -> None:
    m = Meeting()
    m.do(SOFIE, type="presence.set", where="remote")
    assert m.state.presence[SOFIE] is Presence.REMOTE
    assert m.do(SOFIE, type="presence.set", where="remote") == []  # no change, no event
    m.do(FAC, type="presence.set", where="room", participant_id=LUC)
    assert m.state.presence[LUC] is Presence.ROOM
    m.refused(SOFIE, "forbidden", type="presence.set", where="away", participant_id=LUC)
    m.refused(OBS, "forbidden", type="presence.set", where="room")


def test_facilitator_role_can_be_handed_over() -> None:
    m = Meeting()
    m.do(FAC, type="facilitator.transfer", participant_id=SEC)
    assert m.state.participants[SEC].role is Role.FACILITATOR
    assert m.state.participants[FAC].role is Role.SECRETARY  # no party group: back as secretary
    m.refused(FAC, "forbidden", type="floor.grant")
    m.refused(SEC, "conflict", type="facilitator.transfer", participant_id=OBS)
    m.do(SEC, type="facilitator.transfer", participant_id=SOFIE)
    assert m.state.participants[SEC].role is Role.SECRETARY
    assert m.state.participants[SOFIE].role is Role.FACILITATOR
