"""The learning report of an item, on a meeting computed by hand."""

from __future__ import annotations

from edlib.learning.report import learning_report
from tests.support import CLAIRE, FAC, LUC, SOFIE, Meeting


def scenario() -> Meeting:
    m = Meeting()
    for pid, choice in ((SOFIE, "yes"), (LUC, "yes"), (CLAIRE, "no")):
        m.do(pid, type="decision.vote", item_id="i1", choice=choice, kind="indicative")
    a_sofie = m.argument(SOFIE, "Veiliger")
    a_luc = m.argument(LUC, "Duurder")
    m.do(CLAIRE, type="argument.rate", argument_id=a_sofie, value=1)
    m.do(CLAIRE, type="argument.rate", argument_id=a_luc, value=1)
    m.do(SOFIE, type="argument.rate", argument_id=a_luc, value=1)
    m.do(LUC, type="argument.rate", argument_id=a_sofie, value=-1)
    # maps: early (first half of the link assertions) Sofie and Luc disagree; late Luc changes his mind
    m.do(SOFIE, type="link.assert", item_id="i1", cause="schoolstraat", effect="verkeer", sign=-1)
    [luc_link] = m.do(LUC, type="link.assert", item_id="i1", cause="schoolstraat", effect="verkeer", sign=1)
    m.do(LUC, type="link.retract", link_id=luc_link.link_id)  # type: ignore[attr-defined]
    m.do(LUC, type="link.assert", item_id="i1", cause="schoolstraat", effect="verkeer", sign=-1)
    [made] = m.do(FAC, type="delphi.create", item_id="i1", statements=[{"text": "Veiligheid gaat voor"}])
    d = made.delphi_id  # type: ignore[attr-defined]
    s1 = f"{d}.S1"
    m.do(FAC, type="delphi.open_round", delphi_id=d, round=1)
    for pid, r in ((SOFIE, 5), (LUC, 1), (CLAIRE, 3)):
        m.do(pid, type="delphi.respond", delphi_id=d, round=1, ratings={s1: r})
    m.do(FAC, type="delphi.close_round", delphi_id=d, round=1)
    m.do(FAC, type="delphi.open_round", delphi_id=d, round=2)
    for pid, r in ((SOFIE, 4), (LUC, 1), (CLAIRE, 3)):
        m.do(pid, type="delphi.respond", delphi_id=d, round=2, ratings={s1: r})
    m.do(FAC, type="delphi.close_round", delphi_id=d, round=2)
    m.do(FAC, type="item.set_phase", item_id="i1", phase="decision")
    for pid, choice in ((SOFIE, "no"), (LUC, "yes")):  # Claire casts no final vote
        m.do(pid, type="decision.vote", item_id="i1", choice=choice, kind="final")
    return m


def test_report_by_hand() -> None:
    report = learning_report(scenario().state, "i1", lambda pid: f"anon-{pid}")
    rows = {r["member"]: r for r in report["members"]}
    assert set(rows) == {"anon-p2", "anon-p3", "anon-p4"}  # pseudonyms only
    # preference change: Sofie yes -> no, Luc yes -> yes, Claire no final vote
    assert [rows[f"anon-{p}"]["preference_changed"] for p in (SOFIE, LUC, CLAIRE)] == [True, False, None]
    assert report["group"]["preference_changed_share"] == 0.5
    # listening: Claire (g1, majority) agrees with Sofie (g1) and Luc (g2, opposition): 1 of 2 across each line
    assert rows["anon-p4"]["n_agree"] == 2
    assert rows["anon-p4"]["other_group_share"] == 0.5 and rows["anon-p4"]["other_side_share"] == 0.5
    assert rows["anon-p2"]["other_group_share"] == 1.0  # Sofie agrees only with Luc
    assert rows["anon-p3"]["n_agree"] == 0 and rows["anon-p3"]["other_group_share"] is None  # a disagree only
    # Delphi: median1 = 3; Sofie 5 -> 4 converges; Luc and Claire do not move
    delphi = {r["member"]: r for r in report["delphi"]}
    assert delphi["anon-p2"]["delta"] == -1 and delphi["anon-p2"]["movement"] == "convergence"
    assert delphi["anon-p3"]["revised"] is False and delphi["anon-p4"]["revised"] is False
    assert report["group"]["revised_share"] == 1 / 3 and report["group"]["convergence_share"] == 1 / 3
    # maps: 3 assertions, early = up to the second (Sofie -1, Luc +1 on the same cell), late = both -1.
    # Early: the collective mean weight is 0, i.e. no link, so the collective map has no concepts:
    # pc = 0, pu1 = 2, pu2 = 0; numerator = 1 (one link on concepts only in the member's map);
    # denominator = 6*0 + 0 + 2^2 + 0 - (0 + 2 + 0) = 2 -> D = 1/2 for each member.
    assert rows["anon-p2"]["map_distance_early"] == 0.5 and rows["anon-p3"]["map_distance_early"] == 0.5
    # Late: both maps equal the collective map -> D = 0; change = -1/2 (converged)
    assert rows["anon-p2"]["map_distance_late"] == 0 and rows["anon-p3"]["map_distance_change"] == -0.5
    assert rows["anon-p4"]["map_distance_early"] is None  # Claire drew no map
    # pairwise early, Sofie vs Luc: pc = 2; numerator |(-1) - 1| = 2; denominator 6*4 - 6*2 = 12 -> 1/6; late 0
    assert report["group"]["mean_pairwise_map_distance"] == {"early": 1 / 6, "late": 0.0}
