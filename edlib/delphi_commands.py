"""Delphi surveys run inside the session: create, open and close rounds, respond, publish.

Individual answers live only in `delphi.responded` events, which are private:
their author sees them; the facilitator sees only that they happened; nobody
else learns even that. Closing a round records the anonymous aggregate.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any, Literal

from .errors import Conflict, Forbidden, Invalid, NotFound
from .meeting import item_of, require_not_ended
from .registry import FACILITATOR, MEMBERS, Command, Ctx, Event, Recorded, command, event, evolves, handles
from .schema import Ident, LongText, Range, Size
from .state import Delphi, MeetingState, Statement
from .types import DelphiDimension


@dataclass(frozen=True)
class StatementSpec:
    text: LongText | None = None
    argument_id: Ident | None = None
    link_id: Ident | None = None


@dataclass(frozen=True)
class ScaleSpec:
    min: Literal[1] = 1
    max: Literal[5, 7, 9] = 5


@dataclass(frozen=True)
class RuleSpec:
    max_iqr: Annotated[float, Range(0, 8)] = 1.0
    min_agreement_pct: Annotated[float, Range(50, 100)] = 70.0


@command("delphi.create")
@dataclass(frozen=True)
class CreateDelphi(Command):
    item_id: Ident
    statements: Annotated[tuple[StatementSpec, ...], Size(60, 1)]
    scale: ScaleSpec = ScaleSpec()
    dimension: DelphiDimension = DelphiDimension.AGREEMENT
    realtime: bool = False
    consensus: RuleSpec = RuleSpec()


@event("delphi.created")
@dataclass(frozen=True)
class DelphiCreated(Event):
    delphi_id: str
    item_id: str
    statements: tuple[dict[str, Any], ...]
    scale_min: int
    scale_max: int
    dimension: str
    realtime: bool
    consensus: dict[str, float]


def delphi_of(s: MeetingState, delphi_id: str) -> Delphi:
    try:
        return s.delphis[delphi_id]
    except KeyError:
        raise NotFound(f"no Delphi survey '{delphi_id}'", field="delphi_id") from None


@handles(CreateDelphi, FACILITATOR)
def create_delphi(s: MeetingState, c: CreateDelphi, ctx: Ctx) -> list[Event]:
    """Create a Delphi questionnaire from free statements, arguments or links of the map."""
    require_not_ended(s)
    item_of(s, c.item_id)
    did = f"D{s.seq + 1}"
    out = []
    for n, st in enumerate(c.statements):
        field = f"statements[{n}]"
        given = [x for x in (st.text, st.argument_id, st.link_id) if x is not None]
        if len(given) != 1:
            raise Invalid("a statement has exactly one of text, argument_id, link_id", field=field)
        text = st.text
        if st.argument_id is not None:
            arg = s.arguments.get(st.argument_id)
            if arg is None or arg.item_id != c.item_id:
                raise NotFound(f"no argument '{st.argument_id}' on this item", field=f"{field}.argument_id")
            text = arg.text
        if st.link_id is not None:
            link = s.links.get(st.link_id)
            if link is None or link.item_id != c.item_id:
                raise NotFound(f"no link '{st.link_id}' on this item", field=f"{field}.link_id")
            labels = s.concepts[c.item_id].labels
            verb = "increases" if link.sign > 0 else "decreases"
            text = f"{labels.get(link.cause, link.cause)} {verb} {labels.get(link.effect, link.effect)}"
        out.append({"id": f"{did}.S{n + 1}", "text": text, "argument_id": st.argument_id, "link_id": st.link_id})
    return [
        DelphiCreated(
            delphi_id=did, item_id=c.item_id, statements=tuple(out), scale_min=c.scale.min, scale_max=c.scale.max,
            dimension=str(c.dimension), realtime=c.realtime,
            consensus={"max_iqr": c.consensus.max_iqr, "min_agreement_pct": c.consensus.min_agreement_pct},
        )
    ]


@evolves(DelphiCreated)
def _created(s: MeetingState, e: DelphiCreated, r: Recorded) -> None:
    s.delphis[e.delphi_id] = Delphi(
        e.delphi_id, e.item_id, [Statement(x["id"], x["text"], x["argument_id"], x["link_id"]) for x in e.statements],
        e.scale_min, e.scale_max, DelphiDimension(e.dimension), e.realtime, dict(e.consensus), r.at,
    )


@command("delphi.open_round")
@dataclass(frozen=True)
class OpenRound(Command):
    delphi_id: Ident
    round: Literal[1, 2]


@event("delphi.round_opened")
@dataclass(frozen=True)
class RoundOpened(Event):
    delphi_id: str
    round: int


@handles(OpenRound, FACILITATOR)
def open_round(s: MeetingState, c: OpenRound, ctx: Ctx) -> list[Event]:
    """Open round 1, or round 2 once round 1 is closed; answers stay private."""
    require_not_ended(s)
    d = delphi_of(s, c.delphi_id)
    if d.open:
        raise Conflict(f"round {d.round} is still open", field="round")
    if c.round in d.closed_rounds:
        raise Conflict(f"round {c.round} is already closed", field="round")
    if c.round == 2 and 1 not in d.closed_rounds:
        raise Conflict("round 2 opens after round 1 is closed", field="round")
    if c.round == 2 and d.realtime:
        raise Conflict("a real-time Delphi has a single, continuous round", field="round")
    return [RoundOpened(delphi_id=c.delphi_id, round=c.round)]


@evolves(RoundOpened)
def _opened(s: MeetingState, e: RoundOpened, r: Recorded) -> None:
    d = s.delphis[e.delphi_id]
    d.round, d.open = e.round, True
    d.answers.setdefault(e.round, {})
    d.comments.setdefault(e.round, {})


@command("delphi.respond")
@dataclass(frozen=True)
class Respond(Command):
    delphi_id: Ident
    round: Literal[1, 2]
    ratings: Annotated[dict[str, int], Size(60, 1)]
    comments: Annotated[dict[str, LongText], Size(60)] | None = None


@event("delphi.responded", private=True)
@dataclass(frozen=True)
class Responded(Event):
    delphi_id: str
    round: int
    ratings: dict[str, int]
    comments: dict[str, str]


@handles(Respond, MEMBERS)
def respond(s: MeetingState, c: Respond, ctx: Ctx) -> list[Event]:
    """Rate statements in the open round (answers can be changed until the round closes)."""
    d = delphi_of(s, c.delphi_id)
    if s.participants[ctx.actor or ""].group is None:
        raise Forbidden("only council members answer a Delphi survey")
    if not d.open or d.round != c.round:
        raise Conflict(f"round {c.round} of this survey is not open", field="round")
    ids = {st.id for st in d.statements}
    for sid, value in c.ratings.items():
        if sid not in ids:
            raise NotFound(f"no statement '{sid}' in this survey", field=f"ratings.{sid}")
        if not d.scale_min <= value <= d.scale_max:
            raise Invalid(f"ratings must be between {d.scale_min} and {d.scale_max}", field=f"ratings.{sid}")
    for sid in c.comments or {}:
        if sid not in ids:
            raise NotFound(f"no statement '{sid}' in this survey", field=f"comments.{sid}")
    return [Responded(delphi_id=c.delphi_id, round=c.round, ratings=dict(c.ratings), comments=dict(c.comments or {}))]


@evolves(Responded)
def _responded(s: MeetingState, e: Responded, r: Recorded) -> None:
    d = s.delphis[e.delphi_id]
    d.answers.setdefault(e.round, {}).setdefault(r.actor or "", {}).update(e.ratings)
    if e.comments:
        d.comments.setdefault(e.round, {}).setdefault(r.actor or "", {}).update(e.comments)


@command("delphi.close_round")
@dataclass(frozen=True)
class CloseRound(Command):
    delphi_id: Ident
    round: Literal[1, 2]


@event("delphi.round_closed")
@dataclass(frozen=True)
class RoundClosed(Event):
    delphi_id: str
    round: int
    feedback: dict[str, Any]  # anonymous aggregate per statement
    results: dict[str, Any] | None  # after round 2 (or a real-time Delphi's only round)


def rule_of(d: Delphi) -> Any:
    from .delphi.stats import ConsensusRule

    return ConsensusRule(max_iqr=d.consensus["max_iqr"], min_agreement_pct=d.consensus["min_agreement_pct"])


@handles(CloseRound, FACILITATOR)
def close_round(s: MeetingState, c: CloseRound, ctx: Ctx) -> list[Event]:
    """Close the round and publish its anonymous feedback (and, after round 2, the results)."""
    from .delphi.stats import round_feedback, round_results

    d = delphi_of(s, c.delphi_id)
    if not d.open or d.round != c.round:
        raise Conflict(f"round {c.round} of this survey is not open", field="round")
    ids = [st.id for st in d.statements]
    answers, comments = d.answers.get(c.round, {}), d.comments.get(c.round, {})
    feedback = round_feedback(ids, d.scale_min, d.scale_max, answers, comments, rule_of(d))
    results = None
    if c.round == 2 or d.realtime:
        first = d.answers.get(1, {}) if c.round == 2 else {}
        results = round_results(ids, d.scale_min, d.scale_max, first, answers, rule_of(d))
    return [RoundClosed(delphi_id=c.delphi_id, round=c.round, feedback=feedback, results=results)]


@evolves(RoundClosed)
def _closed(s: MeetingState, e: RoundClosed, r: Recorded) -> None:
    d = s.delphis[e.delphi_id]
    d.open = False
    d.closed_rounds.append(e.round)
    d.feedback[e.round] = dict(e.feedback)
    if e.results is not None:
        d.results = dict(e.results)


@command("delphi.publish")
@dataclass(frozen=True)
class Publish(Command):
    delphi_id: Ident


@event("delphi.published")
@dataclass(frozen=True)
class Published(Event):
    delphi_id: str


@handles(Publish, FACILITATOR)
def publish(s: MeetingState, c: Publish, ctx: Ctx) -> list[Event]:
    """Show a survey's results on the projector and to observers."""
    d = delphi_of(s, c.delphi_id)
    if not d.closed_rounds:
        raise Conflict("close a round before publishing")
    if d.published:
        raise Conflict("already published")
    return [Published(delphi_id=c.delphi_id)]


@evolves(Published)
def _published(s: MeetingState, e: Published, r: Recorded) -> None:
    s.delphis[e.delphi_id].published = True
