"""A minimal Socket.IO v5 / Engine.IO v4 client over one aiohttp websocket (default namespace, JSON).

Load generators must cost less than the server they measure (design/recipes.md), so this speaks the
framing directly instead of running a full python-socketio client per connection:

    server -> client   0{"sid":...}             Engine.IO open
    client -> server   40{"token":"..."}        Socket.IO connect with auth
    server -> client   40{...} | 44{...}        connected | refused
    server -> client   2        client -> server   3     ping / pong
    client -> server   42<id>["join",{}]        an event with an ack id; the ack comes back as 43<id>[...]
    server -> client   42["event",{...}]        a pushed event (or "view")
"""

from __future__ import annotations

import json
import time
from typing import Any

import aiohttp


class Refused(Exception):
    pass


def ws_url(base: str) -> str:
    return base.replace("http://", "ws://", 1) + "/socket.io/?EIO=4&transport=websocket"


def ack_of(frame: str) -> tuple[int, Any] | None:
    """'43<id>[payload]' -> (id, payload), else None."""
    if not frame.startswith("43"):
        return None
    end = 2
    while end < len(frame) and frame[end].isdigit():
        end += 1
    if end == 2:
        return None
    args = json.loads(frame[end:])
    return int(frame[2:end]), (args[0] if args else None)


class Conn:
    def __init__(self, ws: aiohttp.ClientWebSocketResponse) -> None:
        self.ws = ws
        self.ids = 0

    @classmethod
    async def open(cls, session: aiohttp.ClientSession, base: str, token: str, timeout: float = 20.0) -> Conn:
        ws = await session.ws_connect(ws_url(base), max_msg_size=0, autoping=False,
                                      timeout=aiohttp.ClientWSTimeout(ws_receive=None, ws_close=2.0))
        try:
            first = await ws.receive(timeout=timeout)
            if first.type is not aiohttp.WSMsgType.TEXT or not first.data.startswith("0"):
                raise Refused(f"no Engine.IO open packet: {first.type} {str(first.data)[:80]}")
            await ws.send_str("40" + json.dumps({"token": token}))
            deadline = time.monotonic() + timeout
            for _ in range(100):
                msg = await ws.receive(timeout=max(0.01, deadline - time.monotonic()))
                if msg.type is not aiohttp.WSMsgType.TEXT:
                    raise Refused(f"closed during connect ({msg.type})")
                if msg.data == "2":
                    await ws.send_str("3")
                elif msg.data.startswith("40"):
                    return cls(ws)
                elif msg.data.startswith("44"):
                    raise Refused(msg.data[2:200])
            raise Refused("no connect answer")
        except BaseException:
            await ws.close()
            raise

    def frame(self, event: str, data: Any) -> tuple[int, str]:
        self.ids += 1
        return self.ids, f"42{self.ids}" + json.dumps([event, data], ensure_ascii=False)

    async def call(self, event: str, data: Any, timeout: float = 20.0) -> Any:
        """Emit with an ack and wait for it; only while no other task reads this connection."""
        aid, text = self.frame(event, data)
        await self.ws.send_str(text)
        deadline = time.monotonic() + timeout
        for _ in range(100_000):
            msg = await self.ws.receive(timeout=max(0.01, deadline - time.monotonic()))
            if msg.type is not aiohttp.WSMsgType.TEXT:
                raise Refused(f"closed while waiting for the {event} ack ({msg.type})")
            if msg.data == "2":
                await self.ws.send_str("3")
                continue
            ack = ack_of(msg.data)
            if ack is not None and ack[0] == aid:
                return ack[1]
        raise Refused(f"no {event} ack")

    async def close(self) -> None:
        try:
            await self.ws.send_str("41")
        except Exception:
            pass
        await self.ws.close()
