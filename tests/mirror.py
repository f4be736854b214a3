"""What a client keeps of the live map: the full map from its join acknowledgement, then `map_patch` views."""

from __future__ import annotations

from typing import Any

from tests.conftest import Client


class MapMirror:
    """What a client keeps: the full map from the join acknowledgement, then `map_patch` views applied in order."""

    def __init__(self, client: Client, item_id: str) -> None:
        self.client, self.item_id = client, item_id
        self.map: dict[str, Any] | None = None
        self.resyncs = 0
        self.applied = 0

    def load(self, ack: dict[str, Any]) -> None:
        self.map = ack["views"]["map"]["data"].get(self.item_id)

    def apply_all(self) -> None:
        for v in self.client.views[self.applied:]:
            self.applied += 1
            if v["name"] != "map_patch" or self.item_id not in v["data"]:
                continue
            change = v["data"][self.item_id]
            if "full" in change:
                self.map = change["full"]
                continue
            patch = change["patch"]
            if self.map is None or self.map["version"] != patch["base"]:
                self.resyncs += 1  # a real client joins again here
                continue
            for part in ("nodes", "edges"):
                items = {x["id"]: x for x in self.map[part]}
                for x in patch[part]["upsert"]:
                    items[x["id"]] = x
                for gone in patch[part]["remove"]:
                    items.pop(gone, None)
                self.map[part] = sorted(items.values(), key=lambda x: x["id"])
            self.map.update(version=patch["version"], indices=patch["indices"], central=patch["central"],
                            analysis=patch["analysis"])
