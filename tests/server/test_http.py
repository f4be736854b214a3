"""The REST edge: creating meetings, snapshots, exports, health and metrics."""

from __future__ import annotations

import copy
from typing import Any

import aiohttp
import pytest

from tests.conftest import ADMIN
from tests.support import SPEC


async def post(server: Any, body: Any, token: str | None = ADMIN, raw: bytes | None = None) -> aiohttp.ClientResponse:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    async with aiohttp.ClientSession() as http:
        if raw is not None:
            resp = await http.post(str(server.make_url("/api/meetings")), data=raw, headers=headers)
        else:
            resp = await http.post(str(server.make_url("/api/meetings")), json=body, headers=headers)
        await resp.read()
        return resp


async def get(server: Any, path: str, token: str | None = None) -> tuple[int, Any, str]:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    async with aiohttp.ClientSession() as http:
        resp = await http.get(str(server.make_url(path)), headers=headers)
        text = await resp.text()
        try:
            body = await resp.json(content_type=None)
        except ValueError:
            body = None
        return resp.status, body, text


async def test_create_answers_ids_tokens_and_links_in_order(server: Any) -> None:
    resp = await post(server, SPEC)
    assert resp.status == 201
    body = await resp.json()
    assert [i["item_id"] for i in body["items"]] == ["i1", "i2"]
    people = body["participants"]
    assert [p["name"] for p in people] == [p["name"] for p in SPEC["participants"]]
    assert [p["participant_id"] for p in people] == ["p1", "p2", "p3", "p4", "p5", "p6"]
    assert len({p["token"] for p in people}) == 6 and all(len(p["token"]) >= 32 for p in people)
    assert people[0]["join_url"].endswith(f"/m/{body['meeting_id']}#token={people[0]['token']}")
    assert "observer_url" not in body  # a closed meeting has no public gallery


@pytest.mark.parametrize("patch, field", [
    ({"title": ""}, "title"),
    ({"kind": "party"}, "kind"),
    ({"items": []}, "items"),
    ({"participants": [{"name": "X", "role": "king"}]}, "participants[0].role"),
    ({"groups": [{"id": "g1", "name": "A", "side": "middle"}]}, "groups[0].side"),
    ({"surprise": 1}, "surprise"),
])
async def test_bad_bodies_are_400_invalid_with_the_field(server: Any, patch: dict[str, Any], field: str) -> None:
    spec = {**copy.deepcopy(SPEC), **patch}
    resp = await post(server, spec)
    assert resp.status == 400
    err = (await resp.json())["error"]
    assert err["code"] == "invalid" and err["field"] == field and err["message"]


async def test_create_needs_the_admin_token_and_json(server: Any) -> None:
    assert (await post(server, SPEC, token=None)).status == 401
    assert (await post(server, SPEC, token="wrong")).status == 401
    resp = await post(server, None, raw=b"{not json")
    assert resp.status == 400 and (await resp.json())["error"]["code"] == "invalid"
    resp = await post(server, None, raw=b"[" * 2_000_000)
    assert resp.status == 413


async def test_snapshot_and_export_by_role(server: Any) -> None:
    body = await (await post(server, SPEC)).json()
    mid, tokens = body["meeting_id"], {p["role"]: p["token"] for p in body["participants"]}
    status, snap, _ = await get(server, f"/api/meetings/{mid}", tokens["councillor"])
    assert status == 200 and snap["meeting"]["id"] == mid and snap["seq"] == 1
    status, snap, _ = await get(server, f"/api/meetings/{mid}", tokens["observer"])
    assert status == 200 and snap["restricted"] is True and "arguments" not in snap
    status, _, _ = await get(server, f"/api/meetings/{mid}")
    assert status == 401
    status, _, _ = await get(server, f"/api/meetings/{mid}?token={tokens['councillor']}")
    assert status == 200
    status, _, _ = await get(server, "/api/meetings/other", tokens["councillor"])
    assert status == 401  # a token of another meeting opens nothing
    status, err, _ = await get(server, f"/api/meetings/{mid}/export?format=json", tokens["councillor"])
    assert status == 403 and err["error"]["code"] == "forbidden"
    for role in ("facilitator", "secretary"):
        status, data, _ = await get(server, f"/api/meetings/{mid}/export?format=json", tokens[role])
        assert status == 200 and data["meeting"] == mid
    status, err, _ = await get(server, f"/api/meetings/{mid}/export?format=pdf", tokens["secretary"])
    assert status == 400 and err["error"]["field"] == "format"


async def test_health_and_metrics(server: Any) -> None:
    status, body, _ = await get(server, "/healthz")
    assert status == 200 and body["ok"] is True and body["store"] == "ok"
    await post(server, SPEC)
    status, _, text = await get(server, "/metrics")
    assert status == 200
    assert "# TYPE edlib_commands_total counter" in text and "edlib_connections 0" in text
    assert "edlib_meetings_loaded 1" in text
