"""The aiohttp application factory: store, hub, Socket.IO edge, REST, static web client."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from pathlib import Path

import socketio
from aiohttp import web

from . import http
from .config import Config
from .hub import Hub
from .keys import CONFIG, HUB, METRICS, SIO, STORE
from .metrics import Metrics
from .sockets import SocketEdge
from .store.base import EventStore

log = logging.getLogger("edlib.app")


def open_store(config: Config) -> EventStore:
    if config.redis_url:
        from .store.redis import RedisStore

        return RedisStore(config.redis_url, prefix=config.redis_prefix)
    from .store.sqlite import SQLiteStore

    Path(config.db).parent.mkdir(parents=True, exist_ok=True)
    return SQLiteStore(config.db)


def static_root(config: Config) -> Path | None:
    """The built web client: EDLIB_STATIC_DIR, else web/dist beside the sources, else the packaged copy."""
    candidates = [Path(config.static_dir)] if config.static_dir else []
    candidates += [Path(__file__).resolve().parent.parent / "web" / "dist", Path(__file__).parent / "static"]
    return next((c for c in candidates if (c / "index.html").is_file()), None)


def create_app(config: Config, store: EventStore | None = None) -> web.Application:
    app = web.Application(client_max_size=1_100_000)
    app[CONFIG] = config
    app[METRICS] = Metrics()
    manager = None
    if config.redis_url:
        manager = socketio.AsyncRedisManager(config.redis_url, channel=f"{config.redis_prefix}socketio")
    sio = socketio.AsyncServer(
        async_mode="aiohttp", client_manager=manager, cors_allowed_origins=[],
        max_http_buffer_size=1_000_000, ping_interval=10, ping_timeout=20,
    )
    sio.attach(app)
    app[SIO] = sio

    async def lifecycle(app: web.Application) -> AsyncIterator[None]:
        app[STORE] = store if store is not None else open_store(config)
        app[HUB] = Hub(app[STORE])
        SocketEdge(sio, app[HUB], config, app[METRICS])
        log.info("ready", extra={"store": type(app[STORE]).__name__, "url": config.base_url})
        yield
        await app[STORE].close()

    app.cleanup_ctx.append(lifecycle)
    http.routes(app)
    root = static_root(config)

    async def index(request: web.Request) -> web.StreamResponse:
        if root is None:
            return web.Response(text="edlib is running; the web client is not built (run `make web`).",
                                content_type="text/plain")
        return web.FileResponse(root / "index.html", headers={"Cache-Control": "no-cache"})

    app.router.add_get("/", index)
    app.router.add_get("/m/{meeting_id}", index)
    if root is not None and (root / "assets").is_dir():
        app.router.add_static("/assets", root / "assets")
    return app
