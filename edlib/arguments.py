"""Arguments on a draft decision, their ratings, and the indicative and final votes."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Literal

from .errors import Conflict, Forbidden, Invalid, NotFound
from .meeting import item_of, require_not_ended
from .phases import ARGUMENTS_OPEN, FINAL_VOTE_OPEN, INDICATIVE_VOTE_OPEN
from .registry import FACILITATOR, MEMBERS, Command, Ctx, Event, Recorded, command, event, evolves, handles
from .schema import Ident, LongText, Text
from .state import Argument, Item, MeetingState
from .types import Category, Relation, Stance, VoteChoice, VoteKind

EDIT_GRACE_S = 120  # an argument may be corrected in place this long after it was added


def argument_of(s: MeetingState, argument_id: str) -> Argument:
    try:
        return s.arguments[argument_id]
    except KeyError:
        raise NotFound(f"no argument '{argument_id}'", field="argument_id") from None


def require_open_for_arguments(item: Item) -> None:
    if item.phase not in ARGUMENTS_OPEN:
        raise Conflict(f"item '{item.id}' takes no new arguments or links in its {item.phase} phase")
    if item.locked:
        raise Conflict(f"the facilitator has locked submissions on item '{item.id}'")


@command("argument.add")
@dataclass(frozen=True)
class AddArgument(Command):
    item_id: Ident
    text: LongText
    stance: Stance
    category: Category
    reply_to: Ident | None = None
    relation: Relation | None = None


@event("argument.added")
@dataclass(frozen=True)
class ArgumentAdded(Event):
    argument_id: str
    item_id: str
    text: str
    stance: str
    category: str
    reply_to: str | None
    relation: str | None


@handles(AddArgument, MEMBERS)
def add_argument(s: MeetingState, c: AddArgument, ctx: Ctx) -> list[Event]:
    """Add an argument on an item's draft decision, optionally supporting or attacking another."""
    require_not_ended(s)
    require_open_for_arguments(item_of(s, c.item_id))
    if (c.reply_to is None) != (c.relation is None):
        raise Invalid("reply_to and relation go together", field="relation" if c.reply_to else "reply_to")
    if c.reply_to is not None:
        target = argument_of(s, c.reply_to)
        if target.item_id != c.item_id:
            raise Invalid("a reply must be on the same item", field="reply_to")
        if target.status != "active":
            raise Conflict(f"argument '{c.reply_to}' is no longer active", field="reply_to")
    return [
        ArgumentAdded(
            argument_id=f"A{s.seq + 1}", item_id=c.item_id, text=c.text, stance=str(c.stance),
            category=str(c.category), reply_to=c.reply_to, relation=str(c.relation) if c.relation else None,
        )
    ]


@evolves(ArgumentAdded)
def _added(s: MeetingState, e: ArgumentAdded, r: Recorded) -> None:
    s.arguments[e.argument_id] = Argument(
        e.argument_id, e.item_id, r.actor or "", e.text, Stance(e.stance), Category(e.category),
        e.reply_to, Relation(e.relation) if e.relation else None, r.at, r.seq,
    )


@command("argument.edit")
@dataclass(frozen=True)
class EditArgument(Command):
    argument_id: Ident
    text: LongText


@event("argument.edited")
@dataclass(frozen=True)
class ArgumentEdited(Event):
    argument_id: str
    text: str


@handles(EditArgument, MEMBERS, own_only=True)
def edit_argument(s: MeetingState, c: EditArgument, ctx: Ctx) -> list[Event]:
    """Correct your own argument within two minutes (earlier versions stay in the record)."""
    arg = _own_active(s, c.argument_id, ctx)
    if ctx.now - arg.created_at > EDIT_GRACE_S:
        raise Conflict(f"an argument can be edited only within {EDIT_GRACE_S} s; add a new one instead")
    if arg.text == c.text:
        return []
    return [ArgumentEdited(argument_id=arg.id, text=c.text)]


@evolves(ArgumentEdited)
def _edited(s: MeetingState, e: ArgumentEdited, r: Recorded) -> None:
    arg = s.arguments[e.argument_id]
    arg.versions.append(arg.text)
    arg.text = e.text


def _own_active(s: MeetingState, argument_id: str, ctx: Ctx) -> Argument:
    arg = argument_of(s, argument_id)
    if arg.author != ctx.actor:
        raise Forbidden("only the author may do this", field="argument_id")
    if arg.status != "active":
        raise Conflict(f"argument '{argument_id}' is {arg.status}", field="argument_id")
    return arg


@command("argument.withdraw")
@dataclass(frozen=True)
class WithdrawArgument(Command):
    argument_id: Ident


@command("argument.hide")
@dataclass(frozen=True)
class HideArgument(Command):
    argument_id: Ident
    reason: Annotated[str, Text(300)]


@event("argument.withdrawn")
@dataclass(frozen=True)
class ArgumentWithdrawn(Event):
    argument_id: str


@event("argument.hidden")
@dataclass(frozen=True)
class ArgumentHidden(Event):
    argument_id: str
    reason: str


@handles(WithdrawArgument, MEMBERS, own_only=True)
def withdraw_argument(s: MeetingState, c: WithdrawArgument, ctx: Ctx) -> list[Event]:
    """Withdraw your own argument (it stays in the record, marked withdrawn)."""
    _own_active(s, c.argument_id, ctx)
    return [ArgumentWithdrawn(argument_id=c.argument_id)]


@handles(HideArgument, FACILITATOR)
def hide_argument(s: MeetingState, c: HideArgument, ctx: Ctx) -> list[Event]:
    """Hide an argument from the room, with a reason kept in the record."""
    arg = argument_of(s, c.argument_id)
    if arg.status != "active":
        raise Conflict(f"argument '{c.argument_id}' is {arg.status}", field="argument_id")
    return [ArgumentHidden(argument_id=c.argument_id, reason=c.reason)]


@evolves(ArgumentWithdrawn)
def _withdrawn(s: MeetingState, e: ArgumentWithdrawn, r: Recorded) -> None:
    s.arguments[e.argument_id].status = "withdrawn"


@evolves(ArgumentHidden)
def _hidden(s: MeetingState, e: ArgumentHidden, r: Recorded) -> None:
    arg = s.arguments[e.argument_id]
    arg.status, arg.hidden_reason = "hidden", e.reason


@command("argument.rate")
@dataclass(frozen=True)
class RateArgument(Command):
    argument_id: Ident
    value: Literal[1, 0, -1]


@event("argument.rated")
@dataclass(frozen=True)
class ArgumentRated(Event):
    argument_id: str
    value: int


@handles(RateArgument, MEMBERS)
def rate_argument(s: MeetingState, c: RateArgument, ctx: Ctx) -> list[Event]:
    """Agree (1), pass (0) or disagree (-1) with someone else's argument; a rating can be changed."""
    require_not_ended(s)
    arg = argument_of(s, c.argument_id)
    if arg.status != "active":
        raise Conflict(f"argument '{c.argument_id}' is {arg.status}", field="argument_id")
    if arg.author == ctx.actor:
        raise Conflict("you cannot rate your own argument", field="argument_id")
    if s.items[arg.item_id].phase.value == "closed":
        raise Conflict(f"item '{arg.item_id}' is closed")
    if s.ratings.get(c.argument_id, {}).get(ctx.actor or "") == c.value:
        return []
    return [ArgumentRated(argument_id=c.argument_id, value=c.value)]


@evolves(ArgumentRated)
def _rated(s: MeetingState, e: ArgumentRated, r: Recorded) -> None:
    s.ratings.setdefault(e.argument_id, {})[r.actor or ""] = e.value


@command("decision.vote")
@dataclass(frozen=True)
class Vote(Command):
    item_id: Ident
    choice: VoteChoice
    kind: VoteKind


@event("decision.voted")
@dataclass(frozen=True)
class Voted(Event):
    item_id: str
    choice: str
    kind: str


@handles(Vote, MEMBERS)
def vote(s: MeetingState, c: Vote, ctx: Ctx) -> list[Event]:
    """Vote on the draft decision: indicative before the discussion, final in the decision phase."""
    require_not_ended(s)
    item = item_of(s, c.item_id)
    if s.participants[ctx.actor or ""].group is None:
        raise Forbidden("only members of a party group vote")
    allowed = INDICATIVE_VOTE_OPEN if c.kind is VoteKind.INDICATIVE else FINAL_VOTE_OPEN
    if item.phase not in allowed:
        raise Conflict(f"no {c.kind} vote in the {item.phase} phase")
    if s.votes.get((c.item_id, c.kind), {}).get(ctx.actor or "") == c.choice:
        return []
    return [Voted(item_id=c.item_id, choice=str(c.choice), kind=str(c.kind))]


@evolves(Voted)
def _voted(s: MeetingState, e: Voted, r: Recorded) -> None:
    s.votes.setdefault((e.item_id, VoteKind(e.kind)), {})[r.actor or ""] = VoteChoice(e.choice)
