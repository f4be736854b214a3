"""Causal links between concepts, and the facilitator's care of concept labels (merge, rename)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Literal

from . import mapping
from .arguments import argument_of, require_open_for_arguments
from .errors import Conflict, Forbidden, Invalid, NotFound
from .meeting import item_of, require_not_ended
from .registry import FACILITATOR, MEMBERS, Command, Ctx, Event, Recorded, command, event, evolves, handles
from .schema import Ident, Label, Range
from .state import Concepts, Link, MeetingState


def concept_key(label: str) -> str:
    """Normalise a concept label: white space folded, case folded ("School  Street" == "school street")."""
    return " ".join(label.split()).casefold()


def concepts_of(s: MeetingState, item_id: str) -> Concepts:
    return s.concepts.setdefault(item_id, Concepts())


@command("link.assert")
@dataclass(frozen=True)
class AssertLink(Command):
    item_id: Ident
    cause: Label
    effect: Label
    sign: Literal[1, -1]
    strength: Annotated[int, Range(1, 3)] = 1
    argument_id: Ident | None = None


@event("link.asserted")
@dataclass(frozen=True)
class LinkAsserted(Event):
    link_id: str
    item_id: str
    cause: str  # concept key after merges
    effect: str
    cause_label: str
    effect_label: str
    sign: int
    strength: int
    argument_id: str | None


@handles(AssertLink, MEMBERS)
def assert_link(s: MeetingState, c: AssertLink, ctx: Ctx) -> list[Event]:
    """Assert that one concept causes (sign 1) or reduces (sign -1) another, with strength 1-3."""
    require_not_ended(s)
    require_open_for_arguments(item_of(s, c.item_id))
    concepts = s.concepts.get(c.item_id, Concepts())
    cause, effect = concepts.resolve(concept_key(c.cause)), concepts.resolve(concept_key(c.effect))
    if cause == effect:
        raise Invalid("a concept cannot cause itself", field="effect")
    if c.argument_id is not None and argument_of(s, c.argument_id).item_id != c.item_id:
        raise Invalid("the cited argument belongs to another item", field="argument_id")
    for link in s.links.values():
        if (link.active and link.author == ctx.actor and link.item_id == c.item_id
                and concepts.resolve(link.cause) == cause and concepts.resolve(link.effect) == effect):
            raise Conflict(f"you already asserted this link ({link.id}); retract it first", field="cause")
    return [
        LinkAsserted(
            link_id=f"L{s.seq + 1}", item_id=c.item_id, cause=cause, effect=effect,
            cause_label=concepts.labels.get(cause, c.cause), effect_label=concepts.labels.get(effect, c.effect),
            sign=c.sign, strength=c.strength, argument_id=c.argument_id,
        )
    ]


@evolves(LinkAsserted)
def _asserted(s: MeetingState, e: LinkAsserted, r: Recorded) -> None:
    concepts = concepts_of(s, e.item_id)
    concepts.labels.setdefault(e.cause, e.cause_label)
    concepts.labels.setdefault(e.effect, e.effect_label)
    link = s.links[e.link_id] = Link(e.link_id, e.item_id, r.actor or "", e.cause, e.effect, e.sign, e.strength,
                                     e.argument_id, r.seq, r.at)
    mapping.on_asserted(s, link)


@command("link.retract")
@dataclass(frozen=True)
class RetractLink(Command):
    link_id: Ident


@event("link.retracted")
@dataclass(frozen=True)
class LinkRetracted(Event):
    link_id: str


@handles(RetractLink, MEMBERS, own_only=True)
def retract_link(s: MeetingState, c: RetractLink, ctx: Ctx) -> list[Event]:
    """Retract a link you asserted."""
    link = s.links.get(c.link_id)
    if link is None:
        raise NotFound(f"no link '{c.link_id}'", field="link_id")
    if link.author != ctx.actor:
        raise Forbidden("only the author may retract a link", field="link_id")
    if not link.active:
        raise Conflict(f"link '{c.link_id}' is already retracted", field="link_id")
    return [LinkRetracted(link_id=c.link_id)]


@evolves(LinkRetracted)
def _retracted(s: MeetingState, e: LinkRetracted, r: Recorded) -> None:
    s.links[e.link_id].active = False
    s.links[e.link_id].retracted_seq = r.seq
    mapping.on_retracted(s, s.links[e.link_id])


def _existing(s: MeetingState, item_id: str, label: str, field: str) -> str:
    concepts = s.concepts.get(item_id, Concepts())
    key = concepts.resolve(concept_key(label))
    if key not in concepts.labels or key in concepts.merged:
        raise NotFound(f"no concept '{label}' on item '{item_id}'", field=field)
    return key


@command("concept.merge")
@dataclass(frozen=True)
class MergeConcepts(Command):
    item_id: Ident
    into: Label
    from_: Label


@event("concept.merged")
@dataclass(frozen=True)
class ConceptsMerged(Event):
    item_id: str
    into: str
    from_: str


@handles(MergeConcepts, FACILITATOR)
def merge_concepts(s: MeetingState, c: MergeConcepts, ctx: Ctx) -> list[Event]:
    """Merge a synonym into another concept; links follow, links that become self-links drop out."""
    item_of(s, c.item_id)
    into, from_ = _existing(s, c.item_id, c.into, "into"), _existing(s, c.item_id, c.from_, "from")
    if into == from_:
        raise Invalid("a concept cannot be merged into itself", field="from")
    return [ConceptsMerged(item_id=c.item_id, into=into, from_=from_)]


@evolves(ConceptsMerged)
def _merged(s: MeetingState, e: ConceptsMerged, r: Recorded) -> None:
    concepts_of(s, e.item_id).merged[e.from_] = e.into
    mapping.rebuild(s, e.item_id)


@command("concept.rename")
@dataclass(frozen=True)
class RenameConcept(Command):
    item_id: Ident
    concept: Label
    label: Label


@event("concept.renamed")
@dataclass(frozen=True)
class ConceptRenamed(Event):
    item_id: str
    concept: str
    label: str


@handles(RenameConcept, FACILITATOR)
def rename_concept(s: MeetingState, c: RenameConcept, ctx: Ctx) -> list[Event]:
    """Change how a concept is displayed (its key, and so its links, stay)."""
    item_of(s, c.item_id)
    key = _existing(s, c.item_id, c.concept, "concept")
    return [ConceptRenamed(item_id=c.item_id, concept=key, label=c.label)]


@evolves(ConceptRenamed)
def _renamed(s: MeetingState, e: ConceptRenamed, r: Recorded) -> None:
    concepts_of(s, e.item_id).labels[e.concept] = e.label
