"""Delphi rounds as commands and events: the round rules, validation and what each event records."""

from __future__ import annotations

from typing import Any

import pytest

from edlib.delphi_commands import Responded, RoundClosed
from tests.support import CLAIRE, FAC, LUC, OBS, SEC, SOFIE, Meeting


def survey(m: Meeting, **extra: Any) -> str:
    payload: dict[str, Any] = {"type": "delphi.create", "item_id": "i1",
                               "statements": [{"text": "De schoolstraat verhoogt de veiligheid"},
                                              {"text": "De handelaars lijden eronder"}], **extra}
    [ev] = m.do(FAC, **payload)
    return ev.delphi_id  # type: ignore[attr-defined, no-any-return]


def test_create_from_text_arguments_and_links() -> None:
    m = Meeting()
    arg = m.argument(SOFIE, "Minder verkeer maakt de straat veiliger")
    [link] = m.do(LUC, type="link.assert", item_id="i1", cause="Schoolstraat", effect="Omzet", sign=-1)
    [ev] = m.do(FAC, type="delphi.create", item_id="i1", scale={"min": 1, "max": 9}, dimension="importance",
                statements=[{"text": "Vrije tekst"}, {"argument_id": arg}, {"link_id": link.link_id}])
    d = m.state.delphis[ev.delphi_id]  # type: ignore[attr-defined]
    assert [s.text for s in d.statements] == ["Vrije tekst", "Minder verkeer maakt de straat veiliger",
                                              "Schoolstraat decreases Omzet"]
    assert [s.id for s in d.statements] == [f"{d.id}.S1", f"{d.id}.S2", f"{d.id}.S3"]
    assert (d.scale_min, d.scale_max, d.dimension) == (1, 9, "importance")


@pytest.mark.parametrize("statements, code", [
    ([], "invalid"),
    ([{"text": "a", "argument_id": "A1"}], "invalid"),
    ([{}], "invalid"),
    ([{"argument_id": "A404"}], "not_found"),
    ([{"link_id": "L404"}], "not_found"),
    ([{"text": "x" * 2001}], "too_large"),
])
def test_create_refuses_bad_statements(statements: list[dict[str, str]], code: str) -> None:
    Meeting().refused(FAC, code, type="delphi.create", item_id="i1", statements=statements)


def test_create_refuses_other_scales_and_roles() -> None:
    m = Meeting()
    for scale in ({"min": 0, "max": 5}, {"min": 1, "max": 6}, {"min": 1, "max": "5"}):
        m.refused(FAC, "invalid", type="delphi.create", item_id="i1", statements=[{"text": "a"}], scale=scale)
    m.refused(SOFIE, "forbidden", type="delphi.create", item_id="i1", statements=[{"text": "a"}])


def test_two_rounds_from_start_to_results() -> None:
    m = Meeting()
    d = survey(m)
    s1, s2 = f"{d}.S1", f"{d}.S2"
    m.refused(SOFIE, "conflict", type="delphi.respond", delphi_id=d, round=1, ratings={s1: 4})  # not open yet
    m.refused(FAC, "conflict", type="delphi.open_round", delphi_id=d, round=2)
    m.do(FAC, type="delphi.open_round", delphi_id=d, round=1)
    m.refused(FAC, "conflict", type="delphi.open_round", delphi_id=d, round=1)
    [ev] = m.do(SOFIE, type="delphi.respond", delphi_id=d, round=1, ratings={s1: 5, s2: 2},
                comments={s1: "Kinderen eerst"})
    assert isinstance(ev, Responded) and Responded.private
    m.do(SOFIE, type="delphi.respond", delphi_id=d, round=1, ratings={s2: 3})  # changes one answer
    m.do(LUC, type="delphi.respond", delphi_id=d, round=1, ratings={s1: 2, s2: 5})
    m.do(CLAIRE, type="delphi.respond", delphi_id=d, round=1, ratings={s1: 4})  # only one statement
    assert m.state.delphis[d].answers[1] == {SOFIE: {s1: 5, s2: 3}, LUC: {s1: 2, s2: 5}, CLAIRE: {s1: 4}}
    [closed] = m.do(FAC, type="delphi.close_round", delphi_id=d, round=1)
    assert isinstance(closed, RoundClosed) and closed.results is None
    fb = closed.feedback
    assert fb[s1]["n"] == 3 and fb[s1]["median"] == 4 and fb[s2]["n"] == 2
    assert fb[s1]["rationales"] == ["Kinderen eerst"] and fb[s1]["answered"] == 3
    assert all(f"'{p}'" not in repr(fb) for p in (SOFIE, LUC, CLAIRE))  # the aggregate names nobody
    m.refused(SOFIE, "conflict", type="delphi.respond", delphi_id=d, round=1, ratings={s1: 1})  # closed
    m.do(FAC, type="delphi.open_round", delphi_id=d, round=2)
    m.do(SOFIE, type="delphi.respond", delphi_id=d, round=2, ratings={s1: 4, s2: 3})
    m.do(LUC, type="delphi.respond", delphi_id=d, round=2, ratings={s1: 3, s2: 5})
    [final] = m.do(FAC, type="delphi.close_round", delphi_id=d, round=2)
    res = final.results  # type: ignore[attr-defined]
    assert res["members"] == {"round1": 3, "round2": 2, "both": 2}
    assert res["statements"][s1]["stability"]["changed_share"] == 1.0  # 5→4 and 2→3
    assert res["statements"][s2]["stability"]["changed_share"] == 0.0
    m.refused(FAC, "conflict", type="delphi.open_round", delphi_id=d, round=2)
    m.do(FAC, type="delphi.publish", delphi_id=d)
    m.refused(FAC, "conflict", type="delphi.publish", delphi_id=d)
    assert m.state.delphis[d].published


def test_answers_are_validated_against_the_survey() -> None:
    m = Meeting()
    d = survey(m)
    m.do(FAC, type="delphi.open_round", delphi_id=d, round=1)
    s1 = f"{d}.S1"
    m.refused(SOFIE, "invalid", type="delphi.respond", delphi_id=d, round=1, ratings={s1: 6})  # outside 1-5
    m.refused(SOFIE, "invalid", type="delphi.respond", delphi_id=d, round=1, ratings={s1: 0})
    m.refused(SOFIE, "invalid", type="delphi.respond", delphi_id=d, round=1, ratings={s1: 2.5})
    m.refused(SOFIE, "invalid", type="delphi.respond", delphi_id=d, round=1, ratings={})
    m.refused(SOFIE, "not_found", type="delphi.respond", delphi_id=d, round=1, ratings={"D1.S9": 3})
    m.refused(SOFIE, "not_found", type="delphi.respond", delphi_id=d, round=1, ratings={s1: 3}, comments={"x": "y"})
    m.refused(SOFIE, "conflict", type="delphi.respond", delphi_id=d, round=2, ratings={s1: 3})
    m.refused(SOFIE, "not_found", type="delphi.respond", delphi_id="D99", round=1, ratings={s1: 3})
    m.refused(FAC, "forbidden", type="delphi.respond", delphi_id=d, round=1, ratings={s1: 3})  # no party group
    m.refused(SEC, "forbidden", type="delphi.respond", delphi_id=d, round=1, ratings={s1: 3})
    m.refused(OBS, "forbidden", type="delphi.respond", delphi_id=d, round=1, ratings={s1: 3})


def test_round_closed_with_no_answers() -> None:
    m = Meeting()
    d = survey(m)
    m.do(FAC, type="delphi.open_round", delphi_id=d, round=1)
    [closed] = m.do(FAC, type="delphi.close_round", delphi_id=d, round=1)
    assert closed.feedback[f"{d}.S1"]["n"] == 0  # type: ignore[attr-defined]
    assert closed.feedback[f"{d}.S1"]["median"] is None  # type: ignore[attr-defined]
    m.do(FAC, type="delphi.open_round", delphi_id=d, round=2)
    [final] = m.do(FAC, type="delphi.close_round", delphi_id=d, round=2)
    assert final.results["members"] == {"round1": 0, "round2": 0, "both": 0}  # type: ignore[attr-defined]


def test_member_joining_mid_round_can_answer() -> None:
    m = Meeting()
    d = survey(m)
    m.do(FAC, type="delphi.open_round", delphi_id=d, round=1)
    m.do(SOFIE, type="delphi.respond", delphi_id=d, round=1, ratings={f"{d}.S1": 3})
    m.do(CLAIRE, type="presence.set", where="remote")  # arrives late
    m.do(CLAIRE, type="delphi.respond", delphi_id=d, round=1, ratings={f"{d}.S1": 5})
    assert set(m.state.delphis[d].answers[1]) == {SOFIE, CLAIRE}


def test_realtime_variant_has_one_round_with_results() -> None:
    m = Meeting()
    d = survey(m, realtime=True)
    m.do(FAC, type="delphi.open_round", delphi_id=d, round=1)
    m.do(SOFIE, type="delphi.respond", delphi_id=d, round=1, ratings={f"{d}.S1": 4})
    m.do(SOFIE, type="delphi.respond", delphi_id=d, round=1, ratings={f"{d}.S1": 2})  # revises any time
    [closed] = m.do(FAC, type="delphi.close_round", delphi_id=d, round=1)
    assert closed.results is not None  # type: ignore[attr-defined]
    assert closed.feedback[f"{d}.S1"]["median"] == 2  # type: ignore[attr-defined]
    m.refused(FAC, "conflict", type="delphi.open_round", delphi_id=d, round=2)
