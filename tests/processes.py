"""Real `edlib serve` processes for end-to-end tests: start, wait until healthy, SIGKILL."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import aiohttp

ADMIN = "process-admin-token"
EDLIB = str(Path(sys.executable).with_name("edlib"))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class ServerProcess:
    def __init__(self, db: Path | None = None, port: int | None = None, redis_url: str | None = None,
                 extra: list[str] | None = None) -> None:
        self.db, self.port, self.redis_url = db, port or free_port(), redis_url
        self.extra = extra or []
        self.proc: subprocess.Popen[bytes] | None = None
        self.log = Path(os.environ.get("TMPDIR", "/tmp")) / f"edlib-{self.port}.log"

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout: float = 20.0) -> ServerProcess:
        cmd = [EDLIB, "serve", "--port", str(self.port), "--admin-token", ADMIN, "--log-format", "text"]
        if self.db is not None:
            cmd += ["--db", str(self.db)]
        if self.redis_url is not None:
            cmd += ["--redis", self.redis_url]
        self.proc = subprocess.Popen(cmd + self.extra, stdout=open(self.log, "ab"), stderr=subprocess.STDOUT)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"edlib serve exited with {self.proc.returncode}: {self.log.read_text()[-2000:]}")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.2):
                    return self
            except OSError:
                time.sleep(0.05)
        raise RuntimeError(f"edlib serve did not listen in {timeout}s")

    def kill(self) -> None:
        """SIGKILL: no cleanup, no flush, as a power cut or the OOM killer would do."""
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGKILL)
            self.proc.wait(10)

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.kill()


async def create_meeting(url: str, spec: dict[str, Any]) -> dict[str, Any]:
    async with aiohttp.ClientSession() as http:
        resp = await http.post(f"{url}/api/meetings", json=spec, headers={"Authorization": f"Bearer {ADMIN}"})
        assert resp.status == 201, await resp.text()
        return await resp.json()  # type: ignore[no-any-return]
