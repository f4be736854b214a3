"""Typed application keys (aiohttp AppKey): no module globals."""

from __future__ import annotations

import socketio
from aiohttp import web

from .config import Config
from .hub import Hub
from .metrics import Metrics
from .store.base import EventStore

CONFIG = web.AppKey("config", Config)
STORE = web.AppKey("store", EventStore)
HUB = web.AppKey("hub", Hub)
METRICS = web.AppKey("metrics", Metrics)
SIO = web.AppKey("sio", socketio.AsyncServer)
