"""The console script: `edlib demo` creates a meeting whose printed links work."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

from edlib_server.auth import digest
from edlib_server.hub import Hub
from edlib_server.store.sqlite import SQLiteStore
from tests.processes import EDLIB

pytestmark = pytest.mark.slow


async def test_demo_prints_working_links(tmp_path: Path) -> None:
    db = tmp_path / "demo.db"
    out = subprocess.run([EDLIB, "demo", "--db", str(db), "--public-url", "https://council.example"],
                         capture_output=True, text=True, timeout=60, check=True).stdout
    links = re.findall(r"https://council\.example/m/(\w+)#token=([\w-]+)", out)
    assert len(links) == 13  # facilitator, 9 councillors, secretary, public gallery, projector
    meeting_id = links[0][0]
    store = SQLiteStore(str(db))
    try:
        for mid, token in links:
            assert mid == meeting_id
            found = await store.find_token(digest(token))
            assert found is not None and found[0] == meeting_id
        agg = await Hub(store).get(meeting_id)
        assert agg is not None
        s = agg.state
        assert len([p for p in s.participants.values() if p.role == "councillor"]) == 9
        assert {g.side for g in s.groups.values()} == {"majority", "opposition"}
        assert s.phase == "in_session" and s.current_item == "i1"
        assert len(s.arguments) >= 3 and len(s.links) >= 3  # a discussion already under way
    finally:
        await store.close()
