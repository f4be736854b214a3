"""Arguments, ratings and votes."""

from __future__ import annotations

from edlib.arguments import EDIT_GRACE_S, ArgumentAdded
from edlib.types import VoteChoice, VoteKind
from tests.support import CLAIRE, FAC, LUC, OBS, SEC, SOFIE, Meeting


def test_add_argument_records_author_and_derived_id() -> None:
    m = Meeting()
    [ev] = m.do(SOFIE, type="argument.add", item_id="i1", text="  Veiliger voor kinderen ", stance="pro",
                category="effect")
    assert isinstance(ev, ArgumentAdded)
    assert ev.argument_id == f"A{m.state.seq}" and ev.text == "Veiliger voor kinderen"
    arg = m.state.arguments[ev.argument_id]
    assert arg.author == SOFIE and arg.stance == "pro" and arg.category == "effect" and arg.status == "active"


def test_reply_needs_relation_and_same_item() -> None:
    m = Meeting()
    a = m.argument(SOFIE)
    m.refused(LUC, "invalid", type="argument.add", item_id="i1", text="x", stance="con", category="value", reply_to=a)
    m.refused(LUC, "not_found", type="argument.add", item_id="i1", text="x", stance="con", category="value",
              reply_to="A999", relation="attacks")
    m.do(FAC, type="item.open", item_id="i2")
    m.refused(LUC, "invalid", type="argument.add", item_id="i2", text="x", stance="con", category="value",
              reply_to=a, relation="attacks")
    b = m.argument(LUC, "Dat klopt niet", reply_to=a, relation="attacks")
    assert m.state.arguments[b].reply_to == a and m.state.arguments[b].relation == "attacks"


def test_edit_within_grace_keeps_versions() -> None:
    m = Meeting()
    a = m.argument(SOFIE, "eerst")
    m.at(EDIT_GRACE_S - 1).do(SOFIE, type="argument.edit", argument_id=a, text="daarna")
    assert m.state.arguments[a].text == "daarna" and m.state.arguments[a].versions == ["eerst"]
    m.refused(LUC, "forbidden", type="argument.edit", argument_id=a, text="mijn versie")
    m.at(EDIT_GRACE_S + 1).refused(SOFIE, "conflict", type="argument.edit", argument_id=a, text="te laat")


def test_withdraw_own_and_hide_by_facilitator() -> None:
    m = Meeting()
    a, b = m.argument(SOFIE), m.argument(LUC)
    m.refused(LUC, "forbidden", type="argument.withdraw", argument_id=a)
    m.do(SOFIE, type="argument.withdraw", argument_id=a)
    assert m.state.arguments[a].status == "withdrawn"
    m.refused(SOFIE, "conflict", type="argument.withdraw", argument_id=a)
    m.refused(SOFIE, "forbidden", type="argument.hide", argument_id=b, reason="x")
    m.do(FAC, type="argument.hide", argument_id=b, reason="Persoonlijke aanval")
    assert m.state.arguments[b].status == "hidden" and m.state.arguments[b].hidden_reason == "Persoonlijke aanval"
    m.refused(CLAIRE, "conflict", type="argument.rate", argument_id=b, value=1)


def test_ratings_are_changeable_but_not_on_own_argument() -> None:
    m = Meeting()
    a = m.argument(SOFIE)
    m.refused(SOFIE, "conflict", type="argument.rate", argument_id=a, value=1)
    m.do(LUC, type="argument.rate", argument_id=a, value=-1)
    m.do(LUC, type="argument.rate", argument_id=a, value=1)
    assert m.do(LUC, type="argument.rate", argument_id=a, value=1) == []
    m.do(CLAIRE, type="argument.rate", argument_id=a, value=0)
    assert m.state.ratings[a] == {LUC: 1, CLAIRE: 0}
    m.refused(SEC, "forbidden", type="argument.rate", argument_id=a, value=1)
    m.refused(OBS, "forbidden", type="argument.rate", argument_id=a, value=1)


def test_indicative_then_final_vote_by_phase() -> None:
    m = Meeting()
    m.do(SOFIE, type="decision.vote", item_id="i1", choice="yes", kind="indicative")
    m.refused(SOFIE, "conflict", type="decision.vote", item_id="i1", choice="no", kind="final")
    m.do(FAC, type="item.set_phase", item_id="i1", phase="decision")
    m.refused(SOFIE, "conflict", type="decision.vote", item_id="i1", choice="no", kind="indicative")
    m.do(SOFIE, type="decision.vote", item_id="i1", choice="no", kind="final")
    m.refused(FAC, "forbidden", type="decision.vote", item_id="i1", choice="no", kind="final")  # no party group
    assert m.state.votes[("i1", VoteKind.INDICATIVE)] == {SOFIE: VoteChoice.YES}
    assert m.state.votes[("i1", VoteKind.FINAL)] == {SOFIE: VoteChoice.NO}


def test_arguments_closed_in_decision_phase() -> None:
    m = Meeting()
    m.do(FAC, type="item.set_phase", item_id="i1", phase="decision")
    m.refused(SOFIE, "conflict", type="argument.add", item_id="i1", text="x", stance="pro", category="value")
