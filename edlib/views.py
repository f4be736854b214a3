"""Derived views of a meeting, as JSON-ready dicts, each filtered for one viewer.

Clients render these; they never compute them. Views carry no individual Delphi
answer except the viewer's own.
"""

from __future__ import annotations

from typing import Any

from .floor import budgets, next_request, spoken_seconds
from .privacy import is_staff, iso, sees_content
from .state import Delphi, MeetingState, Participant
from .types import Role


def meeting_view(s: MeetingState) -> dict[str, Any]:
    return {
        "id": s.id, "title": s.title, "council": s.council, "kind": str(s.kind), "visibility": str(s.visibility),
        "phase": str(s.phase), "created_at": iso(s.created_at), "results_published": s.results_published,
        "current_item": s.current_item,
    }


def people_view(s: MeetingState) -> dict[str, Any]:
    return {
        "groups": [{"id": g.id, "name": g.name, "side": str(g.side), "seats": g.seats} for g in s.groups.values()],
        "participants": [
            {"id": p.id, "name": p.name, "role": str(p.role), "group": p.group, "side": str(p.side),
             "presence": str(s.presence[p.id]) if p.id in s.presence else None}
            for p in s.participants.values()
        ],
    }


def items_view(s: MeetingState) -> list[dict[str, Any]]:
    return [
        {"id": i.id, "title": i.title, "draft_decision": i.draft_decision, "documents": list(i.documents),
         "phase": str(i.phase), "locked": i.locked, "time_limit_s": i.time_limit_s}
        for i in s.items.values()
    ]


def arguments_view(s: MeetingState, viewer: Participant | None) -> list[dict[str, Any]]:
    """Arguments with rating counts and cross-group support (author and agreers, by group and side; bridge)."""
    from .cogmap.analysis import argument_support
    from .mapping import map_members

    backers = {a.id: [a.author, *(p for p, v in s.ratings.get(a.id, {}).items() if v == 1)]
               for a in s.arguments.values()}
    support = argument_support(backers, map_members(s))
    out = []
    for a in s.arguments.values():
        ratings = s.ratings.get(a.id, {})
        values = list(ratings.values())
        hidden_text = a.status == "hidden" and not is_staff(viewer)
        out.append({
            "id": a.id, "item_id": a.item_id, "author": a.author, "text": None if hidden_text else a.text,
            "stance": str(a.stance), "category": str(a.category), "reply_to": a.reply_to,
            "relation": str(a.relation) if a.relation else None, "status": a.status,
            "hidden_reason": a.hidden_reason, "created_at": iso(a.created_at), "seq": a.seq,
            "edited": bool(a.versions),
            "ratings": {"agree": values.count(1), "pass": values.count(0), "disagree": values.count(-1)},
            "my_rating": ratings.get(viewer.id) if viewer is not None else None,
            "support": support[a.id].as_dict(),
        })
    return out


def links_view(s: MeetingState) -> list[dict[str, Any]]:
    out = []
    for link in s.links.values():
        concepts = s.concepts[link.item_id]
        cause, effect = concepts.resolve(link.cause), concepts.resolve(link.effect)
        out.append({
            "id": link.id, "item_id": link.item_id, "author": link.author, "cause": cause, "effect": effect,
            "cause_label": concepts.labels.get(cause, cause), "effect_label": concepts.labels.get(effect, effect),
            "sign": link.sign, "strength": link.strength, "argument_id": link.argument_id, "active": link.active,
        })
    return out


def votes_view(s: MeetingState, viewer: Participant | None) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for (item_id, kind), ballots in s.votes.items():
        tally = {"yes": 0, "no": 0, "abstain": 0}
        for choice in ballots.values():
            tally[str(choice)] += 1
        entry = out.setdefault(item_id, {})
        entry[str(kind)] = tally
        if viewer is not None and viewer.id in ballots:
            entry.setdefault("mine", {})[str(kind)] = str(ballots[viewer.id])
    return out


def floor_view(s: MeetingState, connected: frozenset[str] = frozenset()) -> dict[str, Any]:
    """The list of speakers, the current turn (clients count down from `started_at`), and who is next and why."""
    f = s.floor
    nxt = next_request(s)
    cur = None
    if f.current is not None:
        t = f.current
        cur = {"participant_id": t.participant_id, "kind": str(t.kind), "item_id": t.item_id,
               "started_at": iso(t.started_at), "limit_s": t.limit_s, "paused_at": iso(t.paused_at),
               "paused_total_s": round(t.paused_total, 3)}
    spoken = spoken_seconds(f, s.current_item)
    return {
        "policy": str(f.policy), "time_limit_s": f.time_limit_s, "closed": f.closed, "current": cur,
        "queue": [
            {"participant_id": r.participant_id, "kind": str(r.kind), "about": r.about, "requested_at": iso(r.at),
             "added_by": r.added_by, "spoken_s": round(spoken.get(r.participant_id, 0.0), 1),
             "connected": r.participant_id in connected or r.added_by is not None}
            for r in f.queue
        ],
        "next": {"participant_id": nxt[0].participant_id, "reason": nxt[1]} if nxt else None,
        "budgets": budgets(s),
    }


def participation_view(s: MeetingState) -> dict[str, Any]:
    """Speaking time and activity per member, per group and side, and the Gini of speaking time."""
    from .participation import gini, presence_shares, shares

    members = [p for p in s.participants.values() if p.group is not None]
    item = s.current_item
    time_item = spoken_seconds(s.floor, item) if item else {}
    time_all = spoken_seconds(s.floor, None)
    turns: dict[str, int] = {}
    heard = {sp.participant_id for sp in s.floor.speeches if sp.item_id == item}
    if s.floor.current is not None and s.floor.current.item_id == item:
        heard.add(s.floor.current.participant_id)
    for sp in s.floor.speeches:
        turns[sp.participant_id] = turns.get(sp.participant_id, 0) + 1
    counts: dict[str, dict[str, int]] = {p.id: {"arguments": 0, "ratings": 0, "links": 0} for p in members}
    for a in s.arguments.values():
        if a.author in counts:
            counts[a.author]["arguments"] += 1
    for ratings in s.ratings.values():
        for pid in ratings:
            if pid in counts:
                counts[pid]["ratings"] += 1
    for link in s.links.values():
        if link.author in counts and link.active:
            counts[link.author]["links"] += 1
    rows: list[dict[str, Any]] = [
        {"participant_id": p.id, "group": p.group, "side": str(p.side),
         "presence": str(s.presence[p.id]) if p.id in s.presence else None,
         "speaking_s": round(time_all.get(p.id, 0.0), 1), "speaking_item_s": round(time_item.get(p.id, 0.0), 1),
         "turns": turns.get(p.id, 0), **counts[p.id]}
        for p in members
    ]
    split = shares(time_all, {p.id: (p.group or "", p.side) for p in members},
                   {g.id: g.seats for g in s.groups.values()}, {g.id: g.side for g in s.groups.values()})
    presence = presence_shares({p.id: time_all.get(p.id, 0.0) for p in members}, s.presence)
    for where, entry in presence.items():
        entry["members"] = sum(1 for r in rows if (r["presence"] or "unknown") == where)
    return {
        "item_id": item, "members": rows, "groups": split["groups"], "sides": split["sides"], "presence": presence,
        "gini": gini([r["speaking_s"] for r in rows]),
        "gini_item": gini([r["speaking_item_s"] for r in rows]) if item else None,
        "not_heard": [r["participant_id"] for r in rows if item and r["participant_id"] not in heard],
    }


def delphi_view(s: MeetingState, viewer: Participant | None) -> dict[str, Any]:
    """Surveys with their round state and published aggregates; individual answers only the viewer's own."""
    out = []
    for d in s.delphis.values():
        if viewer is not None and viewer.role is Role.OBSERVER and not d.published:
            continue
        out.append(_delphi_entry(s, d, viewer))
    return {"surveys": out}


def _delphi_entry(s: MeetingState, d: Delphi, viewer: Participant | None) -> dict[str, Any]:
    from .delphi.stats import outside_iqr

    answered = d.answers.get(d.round, {})
    entry: dict[str, Any] = {
        "id": d.id, "item_id": d.item_id, "dimension": str(d.dimension), "realtime": d.realtime,
        "scale": {"min": d.scale_min, "max": d.scale_max}, "consensus_rule": d.consensus,
        "statements": [{"id": st.id, "text": st.text, "argument_id": st.argument_id, "link_id": st.link_id}
                       for st in d.statements],
        "round": d.round, "open": d.open, "closed_rounds": list(d.closed_rounds), "answered": len(answered),
        "published": d.published,
        "feedback": {str(k): v for k, v in d.feedback.items()}, "results": d.results,
    }
    if d.realtime and d.open:
        from .delphi.stats import round_feedback
        from .delphi_commands import rule_of

        ids = [st.id for st in d.statements]
        entry["live"] = round_feedback(ids, d.scale_min, d.scale_max, answered, {}, rule_of(d))
    if viewer is not None and viewer.role is Role.FACILITATOR:
        eligible = [p.id for p in s.participants.values() if p.group is not None]
        entry["not_answered"] = [pid for pid in eligible if pid not in answered] if d.round else eligible
    if viewer is not None:
        entry["mine"] = {str(r): dict(a[viewer.id]) for r, a in d.answers.items() if viewer.id in a}
        first, feedback = entry["mine"].get("1", {}), d.feedback.get(1, {})
        entry["mine_outside_iqr"] = {sid: outside_iqr(r, feedback[sid]) for sid, r in first.items()
                                     if sid in feedback and feedback[sid].get("n")}
        entry["my_comments"] = {str(r): dict(c[viewer.id]) for r, c in d.comments.items() if viewer.id in c}
    return entry


def snapshot(s: MeetingState, viewer: Participant | None) -> dict[str, Any]:
    """Everything a client needs to render the meeting as of `s.seq`, for this viewer."""
    base: dict[str, Any] = {"seq": s.seq, "meeting": meeting_view(s), **people_view(s), "items": items_view(s)}
    if not sees_content(s, viewer):
        base["restricted"] = True
        if s.results_published:
            base["delphi"] = delphi_view(s, viewer)
            base["votes"] = votes_view(s, None)
        return base
    base.update({
        "arguments": arguments_view(s, viewer), "links": links_view(s), "votes": votes_view(s, viewer),
        "floor": floor_view(s), "delphi": delphi_view(s, viewer),
        "concepts": {item: {"labels": dict(c.labels), "merged": dict(c.merged)} for item, c in s.concepts.items()},
    })
    return base


def map_views(s: MeetingState) -> dict[str, Any]:
    """The live cognitive map of every item that has links, keyed by item id."""
    from .mapping import item_map_view

    return {item_id: item_map_view(s, item_id) for item_id in s.items if item_id in s.concepts}
