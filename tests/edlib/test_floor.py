"""The list of speakers under every policy, and timer arithmetic with injected times."""

from __future__ import annotations

import pytest

from edlib.floor import TurnEnded, next_request
from edlib.state import Turn
from tests.support import CLAIRE, FAC, LUC, OBS, SEC, SOFIE, T0, Meeting


def queue(m: Meeting) -> list[str]:
    return [r.participant_id for r in m.state.floor.queue]


def speak(m: Meeting, pid: str, start: float, seconds: float) -> None:
    """Give `pid` the floor at `start` and end the turn after `seconds`."""
    m.at(start).do(FAC, type="floor.grant", participant_id=pid)
    m.at(start + seconds).do(FAC, type="floor.end")


def test_fifo_order_and_single_place() -> None:
    m = Meeting()
    for pid in (LUC, SOFIE, CLAIRE):
        m.do(pid, type="floor.request")
    m.refused(SOFIE, "conflict", type="floor.request")  # once in the queue
    assert queue(m) == [LUC, SOFIE, CLAIRE]
    assert next_request(m.state)[0].participant_id == LUC  # type: ignore[index]
    m.do(FAC, type="floor.grant")
    assert m.state.floor.current is not None and m.state.floor.current.participant_id == LUC
    assert queue(m) == [SOFIE, CLAIRE]


def test_point_of_order_then_reply_go_first() -> None:
    m = Meeting()
    m.do(SOFIE, type="floor.request")
    m.do(LUC, type="floor.request")
    m.do(FAC, type="floor.grant")  # Sofie speaks
    m.do(CLAIRE, type="floor.request", kind="reply")
    m.do(SOFIE, type="floor.request", kind="point_of_order")
    pick = next_request(m.state)
    assert pick is not None and (pick[0].participant_id, pick[1]) == (SOFIE, "point_of_order")
    [ended, granted] = m.do(FAC, type="floor.grant")
    assert isinstance(ended, TurnEnded) and granted.reason == "point_of_order"  # type: ignore[attr-defined]
    assert granted.limit_s == 60  # type: ignore[attr-defined]
    assert next_request(m.state)[1] == "reply"  # type: ignore[index]


def test_reply_needs_a_current_speaker() -> None:
    Meeting().refused(SOFIE, "conflict", type="floor.request", kind="reply")


def test_first_time_first() -> None:
    m = Meeting()
    speak(m, SOFIE, 0, 30)
    m.do(FAC, type="floor.set_policy", policy="first_time_first")
    m.do(SOFIE, type="floor.request")
    m.do(LUC, type="floor.request")
    # Sofie asked first but has spoken on this item; Luc has not
    assert next_request(m.state)[0].participant_id == LUC  # type: ignore[index]
    assert next_request(m.state)[1] == "first_time"  # type: ignore[index]


def test_alternate_groups() -> None:
    m = Meeting()
    m.do(FAC, type="floor.set_policy", policy="alternate_groups")
    speak(m, SOFIE, 0, 10)  # majority spoke last
    m.do(CLAIRE, type="floor.request")  # majority
    m.do(LUC, type="floor.request")  # opposition
    pick = next_request(m.state)
    assert pick is not None and pick[0].participant_id == LUC and pick[1] == "alternate_opposition"
    speak(m, LUC, 20, 10)  # opposition spoke last: Claire (majority) next
    assert next_request(m.state)[0].participant_id == CLAIRE  # type: ignore[index]


def test_least_time_first_with_ties_in_list_order() -> None:
    m = Meeting()
    m.do(FAC, type="floor.set_policy", policy="least_time_first")
    speak(m, SOFIE, 0, 90)
    speak(m, LUC, 100, 30)
    speak(m, CLAIRE, 200, 30)
    for pid in (SOFIE, LUC, CLAIRE):
        m.do(pid, type="floor.request")
    # totals: Sofie 90, Luc 30, Claire 30 -> Luc (first of the two least)
    pick = next_request(m.state)
    assert pick is not None and pick[0].participant_id == LUC and pick[1] == "least_time"


def test_facilitator_reorders_removes_and_adds_a_hand_from_the_chamber() -> None:
    m = Meeting()
    m.do(SOFIE, type="floor.request")
    m.do(LUC, type="floor.request")
    m.do(FAC, type="floor.add", participant_id=CLAIRE)
    assert m.state.floor.queue[-1].added_by == FAC
    m.do(FAC, type="floor.move", participant_id=CLAIRE, position=0)
    assert queue(m) == [CLAIRE, SOFIE, LUC]
    m.do(FAC, type="floor.move", participant_id=SOFIE, position=99)
    assert queue(m) == [CLAIRE, LUC, SOFIE]
    m.do(FAC, type="floor.remove", participant_id=LUC)
    assert queue(m) == [CLAIRE, SOFIE]
    m.do(SOFIE, type="floor.withdraw")
    assert queue(m) == [CLAIRE]
    m.refused(SOFIE, "conflict", type="floor.withdraw")
    m.refused(FAC, "not_found", type="floor.remove", participant_id=LUC)
    m.refused(FAC, "conflict", type="floor.add", participant_id=OBS)


def test_councillor_cannot_run_the_floor_for_others() -> None:
    m = Meeting()
    m.do(LUC, type="floor.request")
    m.refused(SOFIE, "forbidden", type="floor.grant")
    m.refused(SOFIE, "forbidden", type="floor.add", participant_id=LUC)
    m.refused(SOFIE, "forbidden", type="floor.remove", participant_id=LUC)
    m.refused(SEC, "forbidden", type="floor.grant", participant_id=LUC)


def test_closed_list_still_takes_points_of_order() -> None:
    m = Meeting()
    m.do(FAC, type="floor.close_list")
    m.refused(SOFIE, "conflict", type="floor.request")
    m.do(SOFIE, type="floor.request", kind="point_of_order")
    m.do(FAC, type="floor.open_list")
    m.do(LUC, type="floor.request")


def test_floor_needs_a_sitting() -> None:
    m = Meeting(sitting=False)
    m.refused(SOFIE, "conflict", type="floor.request")


def test_timer_with_pause_and_overrun() -> None:
    m = Meeting()
    m.do(FAC, type="floor.set_policy", policy="fifo", time_limit_s=120)
    m.do(SOFIE, type="floor.request")
    m.at(1000).do(FAC, type="floor.grant")
    m.at(1050).do(FAC, type="floor.pause")  # 50 s spoken
    m.refused(FAC, "conflict", type="floor.pause")
    m.at(1080).do(FAC, type="floor.resume")  # 30 s paused
    turn = m.state.floor.current
    assert turn is not None and turn.paused_total == 30
    assert turn.elapsed(T0 + 1100) == pytest.approx(70)  # 1100 - 1000 - 30
    [ended] = m.at(1180).do(FAC, type="floor.end")  # 150 s spoken, 30 over the 120 s limit
    assert isinstance(ended, TurnEnded)
    assert ended.duration == pytest.approx(150) and ended.overrun == pytest.approx(30)
    speech = m.state.floor.speeches[-1]
    assert speech.duration == pytest.approx(150) and speech.limit_s == 120 and speech.item_id == "i1"
    m.refused(FAC, "conflict", type="floor.end")


def test_elapsed_freezes_while_paused() -> None:
    t = Turn(SOFIE, kind=None, item_id="i1", started_at=0.0, limit_s=60, paused_at=40.0, paused_total=5.0)  # type: ignore[arg-type]
    assert t.elapsed(100.0) == t.elapsed(1000.0) == 35.0


def test_granting_while_someone_speaks_ends_that_turn() -> None:
    m = Meeting()
    m.do(SOFIE, type="floor.request")
    m.do(LUC, type="floor.request")
    m.at(0).do(FAC, type="floor.grant")
    [ended, granted] = m.at(45).do(FAC, type="floor.grant")
    assert isinstance(ended, TurnEnded) and ended.participant_id == SOFIE and ended.duration == 45
    assert granted.participant_id == LUC  # type: ignore[attr-defined]


def test_item_time_limit_overrides_the_default() -> None:
    spec_item_limit = Meeting()
    spec_item_limit.state.items["i1"].time_limit_s = 90
    spec_item_limit.do(FAC, type="floor.set_policy", policy="fifo", time_limit_s=300)
    spec_item_limit.do(SOFIE, type="floor.request")
    [granted] = spec_item_limit.do(FAC, type="floor.grant")
    assert granted.limit_s == 90  # type: ignore[attr-defined]


def test_absent_member_loses_place_only_through_the_server() -> None:
    from edlib.core import decide
    from edlib.errors import Forbidden
    from edlib.registry import Ctx

    m = Meeting()
    m.do(SOFIE, type="floor.request")
    m.do(FAC, type="floor.add", participant_id=LUC)
    m.refused(FAC, "forbidden", type="floor.drop_absent", participant_id=SOFIE)
    m.refused(SOFIE, "forbidden", type="floor.drop_absent", participant_id=SOFIE)
    ctx = Ctx(None, m.now)
    assert decide(m.state, {"type": "floor.drop_absent", "participant_id": LUC}, ctx) == []  # hand in the chamber
    [ev] = decide(m.state, {"type": "floor.drop_absent", "participant_id": SOFIE}, ctx)
    assert ev.reason == "absent"  # type: ignore[attr-defined]
    try:
        decide(m.state, {"type": "floor.grant"}, ctx)
        raise AssertionError("the server may not send client commands")
    except Forbidden:
        pass


def test_group_budgets() -> None:
    from edlib.floor import budgets

    m = Meeting()
    m.do(FAC, type="floor.set_budget", group_id="g2", seconds=60)
    m.refused(FAC, "not_found", type="floor.set_budget", group_id="g9", seconds=60)
    speak(m, LUC, 0, 45)
    assert budgets(m.state) == {"g2": {"budget_s": 60, "used_s": 45.0, "over": False}}
    speak(m, LUC, 100, 20)
    assert budgets(m.state)["g2"]["over"] is True
    m.do(FAC, type="floor.set_budget", group_id="g2")
    assert budgets(m.state) == {}
