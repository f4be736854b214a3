"""Views as a member sees them: cross-group support of arguments, own Delphi answers marked against the IQR."""

from __future__ import annotations

from edlib.views import arguments_view, delphi_view, participation_view
from tests.support import CLAIRE, FAC, LUC, SOFIE, Meeting


def test_argument_support_and_bridges() -> None:
    m = Meeting()
    a = m.argument(SOFIE, "Veiliger")  # Sofie: g1, majority
    b = m.argument(CLAIRE, "Duur")  # Claire: g1, majority
    m.do(LUC, type="argument.rate", argument_id=a, value=1)  # Luc: g2, opposition, agrees
    m.do(LUC, type="argument.rate", argument_id=b, value=-1)  # disagreeing is not support
    view = {x["id"]: x for x in arguments_view(m.state, m.state.participants[SOFIE])}
    assert view[a]["support"] == {"groups": ["g1", "g2"], "sides": ["majority", "opposition"], "bridge": True}
    assert view[b]["support"] == {"groups": ["g1"], "sides": ["majority"], "bridge": False}
    assert view[a]["ratings"] == {"agree": 1, "pass": 0, "disagree": 0} and view[a]["my_rating"] is None


def test_own_round_one_answer_marked_outside_the_iqr() -> None:
    m = Meeting()
    [made] = m.do(FAC, type="delphi.create", item_id="i1", statements=[{"text": "s"}])
    d = made.delphi_id  # type: ignore[attr-defined]
    s1 = f"{d}.S1"
    m.do(FAC, type="delphi.open_round", delphi_id=d, round=1)
    for pid, r in ((SOFIE, 1), (LUC, 4), (CLAIRE, 5)):
        m.do(pid, type="delphi.respond", delphi_id=d, round=1, ratings={s1: r})
    m.do(FAC, type="delphi.close_round", delphi_id=d, round=1)
    # ratings 1, 4, 5: Q1 = 2.5, Q3 = 4.5 (type 7) -> 1 is outside, 4 inside
    [sofie] = delphi_view(m.state, m.state.participants[SOFIE])["surveys"]
    [luc] = delphi_view(m.state, m.state.participants[LUC])["surveys"]
    assert sofie["mine_outside_iqr"] == {s1: True} and luc["mine_outside_iqr"] == {s1: False}
    assert sofie["mine"] == {"1": {s1: 1}} and luc["mine"] == {"1": {s1: 4}}
    [fac] = delphi_view(m.state, m.state.participants[FAC])["surveys"]
    assert fac["mine"] == {} and fac["feedback"]["1"][s1]["q1"] == 2.5


def test_participation_shares_against_seats() -> None:
    m = Meeting()
    for pid, start, seconds in ((SOFIE, 0, 60), (LUC, 100, 20), (CLAIRE, 200, 20)):
        m.at(start).do(FAC, type="floor.grant", participant_id=pid)
        m.at(start + seconds).do(FAC, type="floor.end")
    m.do(LUC, type="presence.set", where="remote")
    view = participation_view(m.state)
    # g1 (6 seats of 10) spoke 80 of 100 s; g2 (4 seats) 20 s
    assert view["groups"]["g1"]["speaking_share"] == 0.8 and view["groups"]["g1"]["seat_share"] == 0.6
    assert view["sides"]["opposition"]["speaking_share"] == 0.2
    assert view["presence"]["remote"]["seconds"] == 20 and view["presence"]["remote"]["members"] == 1
    # Gini over the three members [20, 20, 60]: sum (2i-n-1) x_i = -2*20 + 0 + 2*60 = 80; / (3 * 100) = 0.2667
    assert round(view["gini"]["gini"], 4) == 0.2667 and round(view["gini"]["corrected"], 4) == 0.4
    assert view["not_heard"] == []
