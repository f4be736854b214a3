"""No individual Delphi answer reaches anyone but its author, through any channel."""

from __future__ import annotations

import json
import logging
from typing import Any

import aiohttp
import pytest

from tests.conftest import Client, until
from tests.support import SPEC

CANARY = "CANARY-rationale-of-Sofie"


def strings(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


async def test_individual_answers_stay_with_their_author(
    make_meeting: Any, clients: Any, server: Any, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    spec = {**SPEC, "visibility": "public"}
    created = await make_meeting(spec)
    t = {p["name"]: p["token"] for p in created["participants"]}
    public_token = created["observer_url"].split("#token=")[1]
    names = ["Anne Mertens", "Sofie Janssens", "Luc Peeters", "Claire Dubois", "Thomas Leclercq", "Pers"]
    people: dict[str, Client] = {}
    for name in names:
        people[name] = await clients(t[name])
        await people[name].join()
    gallery = await clients(public_token)
    await gallery.join()
    fac, sofie, luc = people["Anne Mertens"], people["Sofie Janssens"], people["Luc Peeters"]
    await fac.command(type="meeting.start")
    await fac.command(type="item.open", item_id="i1")
    made = await fac.command(type="delphi.create", item_id="i1", statements=[{"text": "Veiliger"}, {"text": "Duur"}])
    d = f"D{made['seq']}"
    await fac.command(type="delphi.open_round", delphi_id=d, round=1)
    mine = {f"{d}.S1": 5, f"{d}.S2": 1}
    ack = await sofie.command(type="delphi.respond", delphi_id=d, round=1, ratings=mine,
                              comments={f"{d}.S1": CANARY})
    assert ack["ok"]
    await luc.command(type="delphi.respond", delphi_id=d, round=1, ratings={f"{d}.S1": 3, f"{d}.S2": 3})
    everyone = [*people.values(), gallery]
    await until(lambda: all(any(e["seq"] == ack["seq"] for e in c.events) for c in everyone))
    await until(lambda: all((c.view("delphi") or {}).get("seq", 0) >= ack["seq"] + 1 for c in people.values()))

    # 1. events: the author gets her answer; the facilitator learns only that she answered; others nothing
    for name, c in [*people.items(), ("gallery", gallery)]:
        [ev] = [e for e in c.events if e["seq"] == ack["seq"]]
        if c is sofie:
            assert ev["data"]["ratings"] == mine and ev["actor"] == "p2"
        else:
            assert ev["data"] is None and ev["withheld"] is True, name
            assert ev["actor"] == ("p2" if c is fac else None), name
    # 2. views: `mine` holds only the viewer's own answers; the facilitator sees who has not answered
    for name, c in people.items():
        view = c.view("delphi")
        assert view is not None, name
        if name == "Pers":  # an observer sees a survey only once it is published
            assert view["data"]["surveys"] == []
            continue
        [entry] = view["data"]["surveys"]
        assert entry["answered"] == 2
        expected = {"1": mine} if c is sofie else ({"1": {f"{d}.S1": 3, f"{d}.S2": 3}} if c is luc else {})
        assert entry["mine"] == expected, name
        if c is fac:
            assert entry["not_answered"] == ["p4"]
        else:
            assert "not_answered" not in entry
    # 3. before the round closes, the rationale text has reached Sofie only, on every channel
    for name, c in [*people.items(), ("gallery", gallery)]:
        seen = strings(c.events) + strings(c.views) + strings(await c.join()) + strings(await c.join(since=0))
        assert (CANARY in seen) == (c is sofie), name
    async with aiohttp.ClientSession() as http:
        for name in names:
            resp = await http.get(str(server.make_url(f"/api/meetings/{created['meeting_id']}")),
                                  headers={"Authorization": f"Bearer {t[name]}"})
            body = await resp.text()
            assert (CANARY in body) == (name == "Sofie Janssens"), name
        resp = await http.get(str(server.make_url(f"/api/meetings/{created['meeting_id']}/export?format=json")),
                              headers={"Authorization": f"Bearer {t['Anne Mertens']}"})
        assert resp.status == 200 and CANARY not in await resp.text()
    # 4. closing publishes the rationale without its author; the answers never appear with an id
    closed = await fac.command(type="delphi.close_round", delphi_id=d, round=1)
    await until(lambda: any(e["seq"] == closed["seq"] for e in luc.events))
    [ev] = [e for e in luc.events if e["seq"] == closed["seq"]]
    fb = ev["data"]["feedback"][f"{d}.S1"]
    assert fb["rationales"] == [CANARY] and fb["n"] == 2 and fb["median"] == 4.0
    assert "p2" not in strings(ev["data"])
    # 5. logs never carry an answer
    assert CANARY not in caplog.text
