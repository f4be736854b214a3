"""Causal links and concept labels."""

from __future__ import annotations

from edlib.links import concept_key
from tests.support import CLAIRE, FAC, LUC, SOFIE, Meeting


def link(m: Meeting, actor: str, cause: str, effect: str, sign: int = 1, **extra: object) -> str:
    [ev] = m.do(actor, type="link.assert", item_id="i1", cause=cause, effect=effect, sign=sign, **extra)
    return ev.link_id  # type: ignore[attr-defined, no-any-return]


def test_concept_keys_fold_case_and_space() -> None:
    assert concept_key("  School\tStraat  ") == concept_key("school straat") == "school straat"
    assert concept_key("Rue SCOLAIRE") == "rue scolaire"


def test_assert_link_normalises_and_keeps_first_label() -> None:
    m = Meeting()
    lid = link(m, SOFIE, "Schoolstraat", "Verkeer", -1, strength=3)
    link(m, LUC, "schoolstraat ", "VERKEER", 1)
    s = m.state
    assert s.links[lid].cause == "schoolstraat" and s.links[lid].strength == 3 and s.links[lid].sign == -1
    assert s.concepts["i1"].labels == {"schoolstraat": "Schoolstraat", "verkeer": "Verkeer"}


def test_bad_links_are_refused() -> None:
    m = Meeting()
    m.refused(SOFIE, "invalid", type="link.assert", item_id="i1", cause="Verkeer", effect=" verkeer", sign=1)
    m.refused(SOFIE, "invalid", type="link.assert", item_id="i1", cause="a", effect="b", sign=0)
    m.refused(SOFIE, "invalid", type="link.assert", item_id="i1", cause="a", effect="b", sign=1, strength=0)
    m.refused(SOFIE, "invalid", type="link.assert", item_id="i1", cause="a", effect="b", sign=1, strength=4)
    m.refused(SOFIE, "not_found", type="link.assert", item_id="i7", cause="a", effect="b", sign=1)
    m.refused(SOFIE, "not_found", type="link.assert", item_id="i1", cause="a", effect="b", sign=1, argument_id="A77")
    m.refused(SOFIE, "too_large", type="link.assert", item_id="i1", cause="a" * 121, effect="b", sign=1)
    link(m, SOFIE, "a", "b")
    m.refused(SOFIE, "conflict", type="link.assert", item_id="i1", cause="A", effect="B", sign=-1)
    m.do(FAC, type="item.close", item_id="i1")
    m.refused(LUC, "conflict", type="link.assert", item_id="i1", cause="a", effect="b", sign=1)


def test_retract_own_link_only() -> None:
    m = Meeting()
    lid = link(m, SOFIE, "a", "b")
    m.refused(LUC, "forbidden", type="link.retract", link_id=lid)
    m.do(SOFIE, type="link.retract", link_id=lid)
    assert not m.state.links[lid].active
    m.refused(SOFIE, "conflict", type="link.retract", link_id=lid)
    link(m, SOFIE, "a", "b")  # may assert again once retracted


def test_merge_routes_links_and_refuses_self_merge() -> None:
    m = Meeting()
    link(m, SOFIE, "auto's", "ongevallen")
    link(m, LUC, "wagens", "ongevallen")
    m.refused(SOFIE, "forbidden", type="concept.merge", item_id="i1", into="auto's", **{"from": "wagens"})
    m.refused(FAC, "not_found", type="concept.merge", item_id="i1", into="auto's", **{"from": "fietsen"})
    m.refused(FAC, "invalid", type="concept.merge", item_id="i1", into="auto's", **{"from": "Auto's"})
    m.do(FAC, type="concept.merge", item_id="i1", into="auto's", **{"from": "wagens"})
    assert m.state.concepts["i1"].resolve("wagens") == "auto's"
    # Claire's link on the merged synonym lands on the surviving concept
    lid = link(m, CLAIRE, "Wagens", "ongevallen")
    assert m.state.links[lid].cause == "auto's"
    # a merged-away name resolves to the surviving concept, so merging it again is a self-merge
    m.refused(FAC, "invalid", type="concept.merge", item_id="i1", into="wagens", **{"from": "auto's"})


def test_rename_changes_label_not_key() -> None:
    m = Meeting()
    link(m, SOFIE, "auto", "lucht")
    m.do(FAC, type="concept.rename", item_id="i1", concept="LUCHT", label="Luchtkwaliteit")
    assert m.state.concepts["i1"].labels["lucht"] == "Luchtkwaliteit"
    lid = link(m, LUC, "lucht", "gezondheid")
    assert m.state.links[lid].cause == "lucht"
