"""The baseline: a bare python-socketio broadcast server on the same stack as edlib, with no domain.

aiohttp + python-socketio AsyncServer with edlib's Socket.IO settings (server/app.py) and uvloop when
installed (as `edlib serve` does). A client connects with any non-empty `auth.token`, sends `join` (acked,
enters the one room) and `command`s; each command is acked only after its one `event`
`{seq, type, at, actor, data}` has been emitted to the room, as edlib's hub publishes before acking.

    python bench/fanout/bare_server.py --port 8090
"""

from __future__ import annotations

import argparse
import time
from datetime import UTC, datetime
from typing import Any

import socketio
from aiohttp import web

ROOM = "room"


def create_app() -> web.Application:
    app = web.Application(client_max_size=1_100_000)
    sio = socketio.AsyncServer(async_mode="aiohttp", cors_allowed_origins=[], max_http_buffer_size=1_000_000,
                               ping_interval=10, ping_timeout=20)
    sio.attach(app)
    seq = 0

    async def connect(sid: str, environ: dict[str, Any], auth: Any = None) -> None:
        token = auth.get("token") if isinstance(auth, dict) else None
        if not isinstance(token, str) or not token:
            raise socketio.exceptions.ConnectionRefusedError({"code": "unauthorized", "message": "token required"})

    async def join(sid: str, data: Any = None) -> dict[str, Any]:
        await sio.enter_room(sid, ROOM)
        return {"ok": True, "seq": seq}

    async def command(sid: str, data: Any = None) -> dict[str, Any]:
        nonlocal seq
        if not isinstance(data, dict) or not isinstance(data.get("type"), str):
            return {"ok": False, "error": {"code": "invalid", "message": "a command is an object with a type"}}
        seq += 1
        mine = seq  # handlers run concurrently: another command may take the next seq during the emit
        at = datetime.fromtimestamp(time.time(), UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")
        await sio.emit("event", {"seq": mine, "type": data["type"], "at": at, "actor": sid, "data": data}, to=ROOM)
        return {"ok": True, "seq": mine}

    sio.on("connect", connect)
    sio.on("join", join)
    sio.on("command", command)

    async def healthz(request: web.Request) -> web.Response:
        return web.json_response({"ok": True})

    app.router.add_get("/healthz", healthz)
    return app


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8090)
    args = p.parse_args()
    try:
        import uvloop

        uvloop.install()
    except ImportError:
        pass
    print(f"bare socket.io server on http://{args.host}:{args.port}", flush=True)
    web.run_app(create_app(), host=args.host, port=args.port, print=None, access_log=None)


if __name__ == "__main__":
    main()
