"""Server configuration: command-line flags over environment variables over defaults."""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Config:
    host: str = "127.0.0.1"
    port: int = 8080
    db: str = "data/edlib.db"  # SQLite file: the embedded default
    redis_url: str | None = None  # when set: Redis event store and Socket.IO Redis manager (several processes)
    redis_prefix: str = "edlib:"
    admin_token: str = field(default_factory=lambda: secrets.token_urlsafe(24))
    public_url: str | None = None  # base of join links; defaults to http://host:port
    static_dir: str | None = None  # the built web client (web/dist); found automatically when None
    rate_per_s: float = 10.0  # commands per second and connection, sustained
    rate_burst: int = 30
    max_payload: int = 16_384  # bytes of one JSON command
    view_delay_s: float = 0.05  # views are coalesced over this window
    observer_view_interval_s: float = 5.0  # the public gallery's participation view, at most this often
    analysis_delay_s: float = 0.5  # map loops and potent options are recomputed at most this often, off the loop
    grace_s: float = 90.0  # a disconnected member keeps their place in the queue this long
    log_json: bool = True

    @property
    def base_url(self) -> str:
        if self.public_url:
            return self.public_url.rstrip("/")
        host = "localhost" if self.host in ("0.0.0.0", "127.0.0.1", "::") else self.host
        return f"http://{host}:{self.port}"


ENV = {
    "host": "EDLIB_HOST",
    "port": "EDLIB_PORT",
    "db": "EDLIB_DB",
    "redis_url": "EDLIB_REDIS_URL",
    "redis_prefix": "EDLIB_REDIS_PREFIX",
    "admin_token": "EDLIB_ADMIN_TOKEN",
    "public_url": "EDLIB_PUBLIC_URL",
    "static_dir": "EDLIB_STATIC_DIR",
}


def from_env(**overrides: object) -> Config:
    """Defaults, then EDLIB_* environment variables, then explicit overrides (flags); None means unset."""
    values: dict[str, object] = {}
    for name, var in ENV.items():
        if os.environ.get(var):
            values[name] = os.environ[var]
    values.update({k: v for k, v in overrides.items() if v is not None})
    if "port" in values:
        values["port"] = int(str(values["port"]))
    return Config(**values)  # type: ignore[arg-type]
