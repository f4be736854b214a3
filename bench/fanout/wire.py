"""A minimal Engine.IO v4 / Socket.IO v5 client over aiohttp websockets (default namespace, JSON only).

Just enough of the framing for load generation (design/recipes.md, "Load generators"):

    server -> client   0{"sid":...,"pingInterval":...}   Engine.IO open
    client -> server   40{"token":"..."}                 Socket.IO connect with auth
    server -> client   40{"sid":...}  or  44{...}        connected / refused (connect_error)
    server -> client   2          client -> server   3   Engine.IO ping / pong
    client -> server   42<id>["join",{}]                 event with an ack id
    server -> client   43<id>[{...}]                     the ack
    server -> client   42["event",{...}]                 a broadcast event (or "view", ...)

A full python-socketio client per connection costs more CPU than the server's own work; this costs
one aiohttp websocket and a few string tests per message.
"""

from __future__ import annotations

import json
import time
from typing import Any

import aiohttp

MAX_SETUP_MESSAGES = 10_000  # bound on messages read while waiting for one ack during setup
MAX_MSG = 64 * 1024 * 1024  # a join ack carries the whole snapshot


class Refused(Exception):
    """The server refused the Socket.IO connect (44 packet) or broke the framing."""


def ws_url(base: str) -> str:
    ws = base.replace("http://", "ws://", 1).replace("https://", "wss://", 1)
    return ws + "/socket.io/?EIO=4&transport=websocket"


def parse_ack(s: str) -> tuple[int, Any] | None:
    """'43<id>[payload, ...]' -> (id, payload); None if `s` is not an ack."""
    if not s.startswith("43"):
        return None
    i = 2
    while i < len(s) and s[i].isdigit():
        i += 1
    if i == 2:
        return None
    args = json.loads(s[i:])
    return int(s[2:i]), (args[0] if args else None)


class SioWs:
    """One Socket.IO connection over one websocket."""

    def __init__(self, ws: aiohttp.ClientWebSocketResponse) -> None:
        self.ws = ws
        self.next_id = 0

    @classmethod
    async def connect(cls, session: aiohttp.ClientSession, base: str, token: str,
                      timeout: float = 15.0) -> SioWs:
        ws = await session.ws_connect(ws_url(base), max_msg_size=MAX_MSG, autoping=True,
                                      timeout=aiohttp.ClientWSTimeout(ws_receive=None, ws_close=2.0))
        try:
            deadline = time.monotonic() + timeout
            first = await ws.receive(timeout=timeout)
            if first.type is not aiohttp.WSMsgType.TEXT or not first.data.startswith("0"):
                raise Refused(f"expected an Engine.IO open packet, got {first.type} {str(first.data)[:80]}")
            await ws.send_str("40" + json.dumps({"token": token}))
            for _ in range(100):
                msg = await ws.receive(timeout=max(0.01, deadline - time.monotonic()))
                if msg.type is not aiohttp.WSMsgType.TEXT:
                    raise Refused(f"connection closed during connect ({msg.type})")
                if msg.data == "2":
                    await ws.send_str("3")
                elif msg.data.startswith("40"):
                    return cls(ws)
                elif msg.data.startswith("44"):
                    raise Refused(f"connect refused: {msg.data[2:200]}")
            raise Refused("no Socket.IO connect answer")
        except BaseException:
            await ws.close()
            raise

    def frame(self, event: str, data: Any) -> tuple[int, str]:
        """An event frame with a fresh ack id: (id, '42<id>[event, data]')."""
        self.next_id += 1
        return self.next_id, f"42{self.next_id}" + json.dumps([event, data], ensure_ascii=False)

    async def request(self, event: str, data: Any, timeout: float = 15.0) -> Any:
        """Emit with an ack and wait for it, answering pings and skipping anything else.

        Only for setup, while no other task reads this websocket."""
        aid, text = self.frame(event, data)
        await self.ws.send_str(text)
        deadline = time.monotonic() + timeout
        for _ in range(MAX_SETUP_MESSAGES):
            msg = await self.ws.receive(timeout=max(0.01, deadline - time.monotonic()))
            if msg.type is not aiohttp.WSMsgType.TEXT:
                raise Refused(f"connection closed while waiting for the '{event}' ack ({msg.type})")
            if msg.data == "2":
                await self.ws.send_str("3")
                continue
            ack = parse_ack(msg.data)
            if ack is not None and ack[0] == aid:
                return ack[1]
        raise Refused(f"no ack for '{event}'")

    async def close(self) -> None:
        try:
            await self.ws.send_str("41")
        except Exception:
            pass
        await self.ws.close()
