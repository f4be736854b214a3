"""Exports for the secretary and researchers: the map, arguments and ratings, Delphi results, learning, the record.

    ?what=map&format=graphml|json|csv     the collective map of an item (csv: the FCMapper / Mental Modeler matrix)
    ?what=arguments&format=csv|json       arguments with their rating counts
    ?what=ratings&format=csv              every rating: argument, author and rater under pseudonyms, value
    ?what=delphi&format=json|csv          published feedback and results of the item's surveys (aggregates only)
    ?what=learning&format=json|csv        the learning report of a closed item, under pseudonyms (csv: per member)
    ?what=learning-delphi&format=csv      its Delphi rows: per member and statement, r1, r2, revision, movement
    ?what=record&format=json              the whole event log as the facilitator sees it (private events withheld)
    ?what=all&format=json                 (the default for json) the meeting, every item's map with its analyses,
                                          arguments, Delphi aggregates
Without `what`, json exports `all` and graphml / csv export the map.

Research exports name members by pseudonyms: HMAC-SHA256 of the person id under a secret kept with the data, so
the same councillor has the same pseudonym in every meeting of one installation, and names never leave.
"""

from __future__ import annotations

import csv
import hashlib
import hmac
import io
import json
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from edlib.errors import Conflict, Invalid
from edlib.learning.report import learning_report
from edlib.phases import ItemPhase
from edlib.privacy import envelope
from edlib.registry import Recorded
from edlib.state import MeetingState, Participant
from edlib.views import arguments_view

Body = tuple[str, str, str]  # text, content type, file name


def pseudonymiser(key: str, s: MeetingState) -> Callable[[str], str]:
    """participant id -> stable pseudonym of the person (the same across meetings of this installation)."""

    def name(pid: str) -> str:
        person = s.participants[pid].person_id
        return "r-" + hmac.new(key.encode(), person.encode(), hashlib.sha256).hexdigest()[:16]

    return name


def _csv(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow(["" if v is None else v for v in row])
    return out.getvalue()


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, indent=1)


def _item(s: MeetingState, item_id: str | None) -> str:
    item = item_id or s.current_item or next(iter(s.items))
    if item not in s.items:
        raise Invalid(f"no agenda item '{item[:20]}'", field="item_id")
    return item


def render(s: MeetingState, log: Sequence[Recorded], viewer: Participant, key: str, fmt: str, what: str,
           item_id: str | None) -> Body:
    """(body, content type, file name) of an export, or Invalid / Conflict."""
    renderers: dict[tuple[str, str], Callable[[], Body]] = {
        ("map", "json"): lambda: _map(s, _item(s, item_id), "json"),
        ("map", "graphml"): lambda: _map(s, _item(s, item_id), "graphml"),
        ("map", "csv"): lambda: _map(s, _item(s, item_id), "csv"),
        ("arguments", "csv"): lambda: _arguments_csv(s),
        ("arguments", "json"): lambda: (_json(arguments_view(s, viewer)), "application/json", f"{s.id}-arguments.json"),
        ("ratings", "csv"): lambda: _ratings_csv(s, key),
        ("delphi", "json"): lambda: (_json(_delphi(s)), "application/json", f"{s.id}-delphi.json"),
        ("delphi", "csv"): lambda: _delphi_csv(s),
        ("learning", "json"): lambda: _learning(s, _item(s, item_id), key, "json"),
        ("learning", "csv"): lambda: _learning(s, _item(s, item_id), key, "csv"),
        ("learning-delphi", "csv"): lambda: _learning(s, _item(s, item_id), key, "delphi-csv"),
        ("all", "json"): lambda: (_json(_bundle(s, viewer)), "application/json", f"{s.id}.json"),
        ("record", "json"): lambda: (_json([envelope(s, r, viewer) for r in log]), "application/json",
                                     f"{s.id}-record.json"),
    }
    if what not in {w for w, _ in renderers}:
        raise Invalid(f"unknown export '{what[:20]}' (map, arguments, delphi, learning, record)", field="what")
    if (what, fmt) not in renderers:
        formats = ", ".join(f for w, f in renderers if w == what)
        raise Invalid(f"'{what}' exports as {formats}", field="format")
    return renderers[(what, fmt)]()


def _bundle(s: MeetingState, viewer: Participant) -> dict[str, Any]:
    from edlib.cogmap.view import full_map_view
    from edlib.mapping import collective_map, map_labels, map_members
    from edlib.views import meeting_view, people_view

    maps = {i: full_map_view(collective_map(s, i), map_labels(s, i), map_members(s)) for i in s.items}
    return {"meeting": s.id, "info": meeting_view(s), **people_view(s), "maps": maps,
            "arguments": arguments_view(s, viewer), "delphi": _delphi(s)}


def _map(s: MeetingState, item_id: str, fmt: str) -> Body:
    from edlib.cogmap.export import to_adjacency_csv, to_graphml, to_json
    from edlib.mapping import collective_map, map_labels, map_members

    cmap, labels, members = collective_map(s, item_id), map_labels(s, item_id), map_members(s)
    if fmt == "graphml":
        return to_graphml(cmap, labels, members), "application/graphml+xml", f"{s.id}-{item_id}-map.graphml"
    if fmt == "csv":
        return to_adjacency_csv(cmap, labels), "text/csv", f"{s.id}-{item_id}-map.csv"
    return to_json(cmap, labels, members), "application/json", f"{s.id}-{item_id}-map.json"


def _arguments_csv(s: MeetingState) -> Body:
    rows = []
    for a in arguments_view(s, None):
        r = a["ratings"]
        rows.append([a["id"], a["item_id"], a["author"], a["stance"], a["category"], a["reply_to"], a["relation"],
                     a["status"], a["created_at"], r["agree"], r["pass"], r["disagree"], a["text"]])
    header = ["argument_id", "item_id", "author", "stance", "category", "reply_to", "relation", "status",
              "created_at", "agree", "pass", "disagree", "text"]
    return _csv(header, rows), "text/csv", f"{s.id}-arguments.csv"


def _ratings_csv(s: MeetingState, key: str) -> Body:
    name = pseudonymiser(key, s)
    rows = [[a.id, a.item_id, name(a.author), a.stance, a.category, name(rater), value]
            for a in s.arguments.values() for rater, value in sorted(s.ratings.get(a.id, {}).items())]
    header = ["argument_id", "item_id", "author", "stance", "category", "rater", "value"]
    return _csv(header, rows), "text/csv", f"{s.id}-ratings.csv"


def _delphi(s: MeetingState) -> list[dict[str, Any]]:
    return [
        {"delphi_id": d.id, "item_id": d.item_id, "dimension": str(d.dimension),
         "scale": {"min": d.scale_min, "max": d.scale_max}, "consensus_rule": d.consensus,
         "statements": [{"id": st.id, "text": st.text} for st in d.statements],
         "feedback": {str(k): v for k, v in d.feedback.items()}, "results": d.results}
        for d in s.delphis.values()
    ]


def _delphi_csv(s: MeetingState) -> Body:
    keys = ["n", "median", "q1", "q3", "iqr", "mean", "sd", "cv", "agree_pct", "disagree_pct", "consensus",
            "ipr", "ipras", "disagreement"]
    rows = []
    for d in s.delphis.values():
        texts = {st.id: st.text for st in d.statements}
        for rnd, feedback in sorted(d.feedback.items()):
            for sid, stats in feedback.items():
                rows.append([d.id, d.item_id, rnd, sid, *(stats.get(k) for k in keys), texts.get(sid)])  # type: ignore[attr-defined]
    return _csv(["delphi_id", "item_id", "round", "statement_id", *keys, "text"], rows), "text/csv", \
        f"{s.id}-delphi.csv"


def _learning(s: MeetingState, item_id: str, key: str, fmt: str) -> Body:
    if s.items[item_id].phase is not ItemPhase.CLOSED:
        raise Conflict(f"the learning report of item '{item_id}' is available once the item is closed")
    report = learning_report(s, item_id, pseudonymiser(key, s))
    if fmt == "json":
        return _json(report), "application/json", f"{s.id}-{item_id}-learning.json"
    if fmt == "delphi-csv":
        header = ["delphi", "member", "statement", "r1", "r2", "median1", "delta", "revised", "movement", "reinforced"]
        rows = [[r[h] for h in header] for r in report["delphi"]]
        return _csv(header, rows), "text/csv", f"{s.id}-{item_id}-learning-delphi.csv"
    header = ["member", "preference_changed", "n_agree", "other_group_share", "n_sided", "other_side_share",
              "map_distance_early", "map_distance_late", "map_distance_change"]
    rows = [[r[h] for h in header] for r in report["members"]]
    return _csv(header, rows), "text/csv", f"{s.id}-{item_id}-learning.csv"
