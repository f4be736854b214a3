"""Exports for the secretary and researchers: the map, arguments and ratings, the record."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from edlib.errors import Invalid
from edlib.state import MeetingState
from edlib.views import arguments_view, map_views


def render(s: MeetingState, fmt: str, what: str, item_id: str | None) -> tuple[str, str, str]:
    """(body, content type, file name) of an export."""
    if fmt == "json":
        body: dict[str, Any] = {"meeting": s.id, "map": map_views(s), "arguments": arguments_view(s, None)}
        return json.dumps(body, ensure_ascii=False, indent=1), "application/json", f"{s.id}.json"
    if fmt == "csv" and what == "arguments":
        out = io.StringIO()
        w = csv.writer(out)
        w.writerow(["argument_id", "item_id", "author", "stance", "category", "status", "agree", "pass", "disagree",
                    "text"])
        for a in arguments_view(s, None):
            r = a["ratings"]
            w.writerow([a["id"], a["item_id"], a["author"], a["stance"], a["category"], a["status"], r["agree"],
                        r["pass"], r["disagree"], a["text"]])
        return out.getvalue(), "text/csv", f"{s.id}-arguments.csv"
    raise Invalid(f"unknown export format '{fmt[:20]}'", field="format")
