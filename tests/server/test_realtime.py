"""The real-time loop over real Socket.IO connections to a real aiohttp server."""

from __future__ import annotations

from typing import Any

import pytest
import socketio

from tests.conftest import Client, until


def tokens(created: dict[str, Any]) -> dict[str, str]:
    return {p["name"]: p["token"] for p in created["participants"]}


async def opened(sitting: Any) -> tuple[dict[str, str], Client]:
    _, t, fac = await sitting()
    return t, fac


def argument(text: str, **extra: Any) -> dict[str, Any]:
    return {"type": "argument.add", "item_id": "i1", "text": text, "stance": "pro", "category": "effect", **extra}


async def test_two_councillors_see_each_others_arguments(sitting: Any, clients: Any) -> None:
    t, fac = await opened(sitting)
    sofie, luc = await clients(t["Sofie Janssens"]), await clients(t["Luc Peeters"])
    await sofie.join()
    await luc.join()
    ack = await sofie.command(**argument("Minder auto's aan de schoolpoort"))
    assert ack["ok"] and isinstance(ack["seq"], int)
    ack2 = await luc.command(**argument("Moins de livraisons le matin", stance="con", category="third_party"))
    assert ack2["ok"] and ack2["seq"] == ack["seq"] + 1
    for c in (sofie, luc, fac):
        await until(lambda c=c: {e["seq"] for e in c.events} >= {ack["seq"], ack2["seq"]})
        added = [e for e in c.events if e["type"] == "argument.added"]
        texts = [a["data"]["text"] for a in added]
        assert texts == ["Minder auto's aan de schoolpoort", "Moins de livraisons le matin"]
        assert added[0]["actor"] == "p2" and added[1]["actor"] == "p3"
        assert added[0]["at"].endswith("Z")
    # each client's stream has no gap and no duplicate
    for c in (sofie, luc):
        assert c.seqs() == list(range(c.seqs()[0], c.seqs()[-1] + 1))


async def test_late_joiner_gets_snapshot(sitting: Any, clients: Any) -> None:
    t, _fac = await opened(sitting)
    sofie = await clients(t["Sofie Janssens"])
    await sofie.join()
    await sofie.command(**argument("Eerste argument"))
    late = await clients(t["Claire Dubois"])
    ack = await late.join()
    assert ack["ok"] and ack["you"] == {"participant_id": "p4", "role": "councillor", "name": "Claire Dubois"}
    snap = ack["snapshot"]
    assert snap["seq"] == ack["seq"] == 4
    assert [a["text"] for a in snap["arguments"]] == ["Eerste argument"]
    assert snap["meeting"]["phase"] == "in_session" and snap["items"][0]["phase"] == "discussion"
    assert set(ack["views"]) == {"map", "floor", "participation", "delphi"}


async def test_reconnect_with_since_gets_exactly_the_missed_events(sitting: Any, clients: Any) -> None:
    t, fac = await opened(sitting)
    sofie = await clients(t["Sofie Janssens"])
    first = await sofie.join()
    await sofie.command(**argument("een"))
    await until(lambda: len(sofie.events) == 1)
    last_seen = sofie.seqs()[-1]
    await sofie.close()
    for n in range(3):
        assert (await fac.command(**argument(f"gemist {n}")))["ok"]
    back = await clients(t["Sofie Janssens"])
    ack = await back.join(since=last_seen)
    assert "snapshot" not in ack
    assert [e["seq"] for e in ack["events"]] == [last_seen + 1, last_seen + 2, last_seen + 3]
    assert [e["data"]["text"] for e in ack["events"]] == ["gemist 0", "gemist 1", "gemist 2"]
    assert ack["seq"] == last_seen + 3 and first["seq"] < last_seen
    assert (await back.join(since=ack["seq"]))["events"] == []


async def test_bad_token_is_refused_at_connect(server: Any) -> None:
    for auth in ({"token": "not-a-token"}, {}, None, {"token": 12}):
        sio = socketio.AsyncClient(reconnection=False)
        refusals: list[Any] = []
        sio.on("connect_error", refusals.append)
        with pytest.raises(socketio.exceptions.ConnectionError):
            await sio.connect(str(server.make_url("")), auth=auth, transports=["websocket"], wait_timeout=5)
        assert len(refusals) == 1
        assert refusals[0]["code"] == "unauthorized" and refusals[0]["data"]["code"] == "unauthorized"
        assert refusals[0]["message"]
        assert not sio.connected


async def test_observer_command_is_forbidden(sitting: Any, clients: Any) -> None:
    t, fac = await opened(sitting)
    press = await clients(t["Pers"])
    ack = await press.join()
    assert ack["ok"] and ack["snapshot"].get("restricted") is True  # a closed meeting shows observers nothing
    before = (await fac.join())["seq"]
    res = await press.command(**argument("Ik ben geen raadslid"))
    assert res == {"ok": False, "error": {"code": "forbidden", "message": res["error"]["message"]}}
    assert (await fac.join())["seq"] == before
    assert press.sio.connected


BAD: list[tuple[Any, str]] = [
    ({"type": "argument.add"}, "invalid"),
    ({"type": "argument.add", "item_id": "i1", "text": "x", "stance": "maybe", "category": "effect"}, "invalid"),
    ({"type": "argument.add", "item_id": "i1", "text": "   ", "stance": "pro", "category": "effect"}, "invalid"),
    ({"type": "argument.add", "item_id": "i1", "text": "x", "stance": "pro", "category": "effect", "evil": 1},
     "invalid"),
    ({"type": "argument.add", "item_id": "i1", "text": 42, "stance": "pro", "category": "effect"}, "invalid"),
    ({"type": "argument.add", "item_id": "i9", "text": "x", "stance": "pro", "category": "effect"}, "not_found"),
    ({"type": "argument.add", "item_id": "i1", "text": "x" * 2001, "stance": "pro", "category": "effect"}, "too_large"),
    ({"type": "argument.add", "item_id": "i1", "text": "x" * 20000, "stance": "pro", "category": "effect"},
     "too_large"),
    ({"type": "argument.rate", "argument_id": "A1", "value": 5}, "invalid"),
    ({"type": "argument.rate", "argument_id": "A1", "value": True}, "invalid"),
    ({"type": "no.such.command"}, "invalid"),
    ({"type": None}, "invalid"),
    ({}, "invalid"),
    ([1, 2, 3], "invalid"),
    ("argument.add", "invalid"),
    (None, "invalid"),
    ({"type": "floor.grant"}, "forbidden"),
    ({"type": "link.assert", "item_id": "i1", "cause": "a", "effect": "A ", "sign": 1}, "invalid"),
    ({"type": "link.assert", "item_id": "i1", "cause": "a", "effect": "b", "sign": 1, "strength": 4}, "invalid"),
]


async def test_bad_payloads_get_coded_errors_and_change_nothing(sitting: Any, clients: Any) -> None:
    t, _fac = await opened(sitting)
    sofie = await clients(t["Sofie Janssens"])
    before = await sofie.join()
    for payload, code in BAD:
        res = await sofie.sio.call("command", payload, timeout=5)
        assert res["ok"] is False, payload
        assert res["error"]["code"] == code, (payload, res)
        assert isinstance(res["error"]["message"], str) and res["error"]["message"]
    after = await sofie.join()
    assert after["seq"] == before["seq"]
    assert after["snapshot"]["arguments"] == []
    assert sofie.sio.connected
    assert (await sofie.command(**argument("nog steeds verbonden")))["ok"]


async def test_unknown_message_is_answered(sitting: Any, clients: Any) -> None:
    t, _ = await opened(sitting)
    sofie = await clients(t["Sofie Janssens"])
    res = await sofie.sio.call("hack", {"x": 1}, timeout=5)
    assert res["ok"] is False and res["error"]["code"] == "invalid"
    res = await sofie.sio.call("join", {"since": -1}, timeout=5)
    assert res["error"]["code"] == "invalid"


async def test_flood_is_rate_limited_without_losing_the_connection(sitting: Any, clients: Any) -> None:
    t, _ = await opened(sitting)
    sofie = await clients(t["Sofie Janssens"])
    await sofie.join()
    results = [await sofie.command(type="presence.set", where="room" if n % 2 else "remote") for n in range(120)]
    codes = {r["error"]["code"] for r in results if not r["ok"]}
    assert codes == {"rate_limited"}
    assert sum(r["ok"] for r in results) < 120
    assert sofie.sio.connected


async def test_resend_with_the_same_command_id_records_once(sitting: Any, clients: Any) -> None:
    t, _fac = await opened(sitting)
    sofie = await clients(t["Sofie Janssens"])
    await sofie.join()
    first = await sofie.command(cid="c-1", **argument("eenmaal"))
    again = await sofie.command(cid="c-1", **argument("eenmaal"))
    assert first["ok"] and again == first
    other = await sofie.command(cid="c-2", **argument("tweemaal"))
    assert other["seq"] == first["seq"] + 1
    # a command id is per participant: Luc's c-1 is another command
    luc = await clients(t["Luc Peeters"])
    await luc.join()
    assert (await luc.command(cid="c-1", **argument("van Luc")))["seq"] == other["seq"] + 1
    snap = (await sofie.join())["snapshot"]
    assert [a["text"] for a in snap["arguments"]] == ["eenmaal", "tweemaal", "van Luc"]
    bad = await sofie.command(cid="x" * 65, **argument("te lang id"))
    assert bad["error"]["code"] == "invalid" and bad["error"]["field"] == "cid"


async def test_room_display_sees_the_meeting_read_only(sitting: Any, clients: Any) -> None:
    created, t, fac = await sitting()  # a closed meeting: no public gallery, but the room's screen shows the map
    assert "observer_url" not in created and created["display_url"].endswith("&view=projector")
    token = created["display_url"].split("#token=")[1].split("&")[0]
    screen = await clients(token)
    ack = await screen.join()
    assert ack["you"]["role"] == "observer" and "restricted" not in ack["snapshot"]
    sofie = await clients(t["Sofie Janssens"])
    await sofie.join()
    added = await sofie.command(**argument("Zichtbaar op het scherm"))
    made = await fac.command(type="delphi.create", item_id="i1", statements=[{"text": "s"}])
    d = f"D{made['seq']}"
    await fac.command(type="delphi.open_round", delphi_id=d, round=1)
    answered = await sofie.command(type="delphi.respond", delphi_id=d, round=1, ratings={f"{d}.S1": 2})
    await until(lambda: answered["seq"] in screen.seqs())
    by_seq = {e["seq"]: e for e in screen.events}
    assert by_seq[added["seq"]]["data"]["text"] == "Zichtbaar op het scherm"
    assert by_seq[answered["seq"]]["data"] is None and by_seq[answered["seq"]]["actor"] is None
    assert screen.seqs() == list(range(screen.seqs()[0], answered["seq"] + 1))  # no gap
    res = await screen.command(type="floor.request")
    assert res["error"]["code"] == "forbidden"
