"""An acknowledged event survives SIGKILL of the server: real processes, a real SQLite file."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import Client
from tests.processes import ServerProcess, create_meeting
from tests.support import SPEC

pytestmark = pytest.mark.slow


async def test_acknowledged_events_survive_kill_9(tmp_path: Path) -> None:
    db = tmp_path / "edlib.db"
    server = ServerProcess(db).start()
    clients: list[Client] = []
    try:
        created = await create_meeting(server.url, SPEC)
        tokens = {p["name"]: p["token"] for p in created["participants"]}
        fac = Client(server.url, tokens["Anne Mertens"])
        await fac.connect()
        clients.append(fac)
        await fac.join()
        await fac.command(type="meeting.start")
        await fac.command(type="item.open", item_id="i1")
        writers = []
        for name in ("Sofie Janssens", "Luc Peeters", "Claire Dubois"):
            c = Client(server.url, tokens[name])
            await c.connect()
            await c.join()
            clients.append(c)
            writers.append(c)
        acked: dict[int, str] = {}

        async def write(c: Client, who: str) -> None:
            for n in range(200):
                text = f"{who} {n}"
                try:
                    ack = await c.command(type="argument.add", item_id="i1", text=text, stance="pro", category="effect")
                except Exception:
                    return  # the server died under us: this one was never acknowledged
                if ack.get("ok"):
                    acked[ack["seq"]] = text
                await asyncio.sleep(0.005)

        tasks = [asyncio.create_task(write(c, f"w{i}")) for i, c in enumerate(writers)]
        while len(acked) < 60:  # kill in the middle of a stream of writes
            await asyncio.sleep(0.01)
        server.kill()
        await asyncio.gather(*tasks)
        for c in clients:
            await c.close()
        assert len(acked) >= 60

        server = ServerProcess(db, port=server.port).start()
        again = Client(server.url, tokens["Thomas Leclercq"])
        await again.connect()
        clients.append(again)
        ack = await again.join(since=0)
        recorded = {e["seq"]: e for e in ack["events"]}
        assert [e["seq"] for e in ack["events"]] == list(range(1, ack["seq"] + 1))  # no gap
        for seq, text in acked.items():
            assert recorded[seq]["type"] == "argument.added"
            assert recorded[seq]["data"]["text"] == text
        snap: dict[str, Any] = (await again.join())["snapshot"]
        assert {a["text"] for a in snap["arguments"]} >= set(acked.values())
        # the restarted server takes new commands on the same log
        sofie = Client(server.url, tokens["Sofie Janssens"])
        await sofie.connect()
        clients.append(sofie)
        await sofie.join()
        res = await sofie.command(type="argument.add", item_id="i1", text="na de herstart", stance="pro",
                                  category="effect")
        assert res["ok"] and res["seq"] == ack["seq"] + 1
    finally:
        for c in clients:
            await c.close()
        server.kill()
