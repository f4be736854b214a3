"""Speaking turns over real connections: the floor view, and the grace period of a remote member."""

from __future__ import annotations

from typing import Any

import aiohttp

from tests.conftest import ADMIN, Client, start_server, until
from tests.support import SPEC


async def setup(grace_s: float) -> tuple[Any, dict[str, str]]:
    srv = await start_server(grace_s=grace_s)
    async with aiohttp.ClientSession() as http:
        resp = await http.post(str(srv.make_url("/api/meetings")), json=SPEC,
                               headers={"Authorization": f"Bearer {ADMIN}"})
        created = await resp.json()
    return srv, {p["name"]: p["token"] for p in created["participants"]}


async def connect(srv: Any, token: str) -> Client:
    c = Client(str(srv.make_url("")).rstrip("/"), token)
    await c.connect()
    await c.join()
    return c


def queue_of(c: Client) -> list[str]:
    view = c.view("floor")
    return [q["participant_id"] for q in view["data"]["queue"]] if view else []


async def test_remote_member_keeps_place_within_grace_and_loses_it_after() -> None:
    srv, t = await setup(grace_s=0.6)
    made: list[Client] = []
    try:
        fac = await connect(srv, t["Anne Mertens"])
        made.append(fac)
        await fac.command(type="meeting.start")
        await fac.command(type="item.open", item_id="i1")
        sofie = await connect(srv, t["Sofie Janssens"])
        luc = await connect(srv, t["Luc Peeters"])
        made += [sofie, luc]
        await sofie.command(type="presence.set", where="remote")
        assert (await sofie.command(type="floor.request"))["ok"]
        assert (await luc.command(type="floor.request"))["ok"]
        await until(lambda: queue_of(fac) == ["p2", "p3"])
        # Sofie's connection drops and comes back within the grace period: same place
        await sofie.close()
        await until(lambda: not fac.view("floor")["data"]["queue"][0]["connected"])  # type: ignore[index]
        back = await connect(srv, t["Sofie Janssens"])
        made.append(back)
        await until(lambda: fac.view("floor")["data"]["queue"][0]["connected"])  # type: ignore[index]
        seq_before = (await fac.join())["seq"]
        # Luc leaves for good: after the grace period the server takes him off the list, and says why
        await luc.close()
        await until(lambda: queue_of(fac) == ["p2"], timeout=5)
        dropped = [e for e in fac.events if e["type"] == "floor.withdrawn"]
        assert dropped[-1]["data"] == {"participant_id": "p3", "by": None, "reason": "absent"}
        assert dropped[-1]["actor"] is None and dropped[-1]["seq"] == seq_before + 1
    finally:
        for c in made:
            await c.close()
        await srv.close()


async def test_grant_and_countdown_fields_reach_everyone(sitting: Any, clients: Any) -> None:
    _, t, fac = await sitting()
    await fac.command(type="floor.set_policy", policy="fifo", time_limit_s=90)
    sofie = await clients(t["Sofie Janssens"])
    await sofie.join()
    await sofie.command(type="floor.request")
    grant = await fac.command(type="floor.grant")
    assert grant["ok"]
    await until(lambda: (sofie.view("floor") or {}).get("seq") == grant["seq"])
    cur = sofie.view("floor")["data"]["current"]  # type: ignore[index]
    assert cur["participant_id"] == "p2" and cur["limit_s"] == 90 and cur["started_at"].endswith("Z")
    assert cur["paused_at"] is None and cur["paused_total_s"] == 0
    assert (await sofie.command(type="floor.grant"))["error"]["code"] == "forbidden"
    end = await fac.command(type="floor.end")
    await until(lambda: (fac.view("participation") or {}).get("seq") == end["seq"])
    part = fac.view("participation")["data"]  # type: ignore[index]
    assert part["not_heard"] == ["p3", "p4"]
    row = next(r for r in part["members"] if r["participant_id"] == "p2")
    assert row["turns"] == 1 and row["speaking_item_s"] >= 0
