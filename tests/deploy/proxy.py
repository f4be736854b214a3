"""Run the shipped deploy/nginx/edlib.conf with Debian's nginx as a plain process, for tests.

The file is used as it ships; only what must differ on a test machine is swapped, each swap checked to
apply exactly as often as expected (so that an edit of the shipped file that the test no longer covers
fails loudly): the upstream ports, the listen ports (loopback, IPv4 only), the certificate (a
self-signed one made here) and the log and ACME paths (under the test's directory).
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import time
from pathlib import Path

import pytest

from tests.processes import free_port

SHIPPED = Path(__file__).resolve().parents[2] / "deploy" / "nginx" / "edlib.conf"
NGINX = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)


def _swap(text: str, pattern: str, repl: str, count: int) -> str:
    new, n = re.subn(pattern, repl, text, flags=re.MULTILINE)
    assert n == count, f"{SHIPPED.name}: expected {count} match(es) of {pattern!r}, found {n}"
    return new


def render(upstreams: list[int], http_port: int, https_port: int, prefix: Path, cert: Path, key: Path,
           sticky: bool = True) -> str:
    text = SHIPPED.read_text()
    servers = "".join(f"    server 127.0.0.1:{p} max_fails=1 fail_timeout=5s;\n" for p in upstreams)
    text = _swap(text, r"^    server 127\.0\.0\.1:\d+ .*;\n", "", 3)
    text = _swap(text, r"^(    keepalive \d+;)$", servers.rstrip("\n") + "\n\\1", 1)
    if not sticky:  # the control experiment: round robin
        text = _swap(text, r"^    hash \$remote_addr consistent;$", "", 1)
    text = _swap(text, r"^    listen 80;$", f"    listen 127.0.0.1:{http_port};", 1)
    text = _swap(text, r"^    listen 443 ssl;$", f"    listen 127.0.0.1:{https_port} ssl;", 1)
    text = _swap(text, r"^    listen \[::\]:(80|443)( ssl)?;\n", "", 2)
    text = _swap(text, r"^(    ssl_certificate) +\S+;$", f"\\1 {cert};", 1)
    text = _swap(text, r"^(    ssl_certificate_key) +\S+;$", f"\\1 {key};", 1)
    text = _swap(text, r"/var/log/nginx/", f"{prefix}/logs/", 3)
    return _swap(text, r"/var/www/letsencrypt", f"{prefix}/acme", 2)


def self_signed(directory: Path) -> tuple[Path, Path]:
    if shutil.which("openssl") is None:
        pytest.skip("openssl is not installed (needed to make a test certificate)")
    cert, key = directory / "cert.pem", directory / "key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=localhost",
                    "-keyout", str(key), "-out", str(cert)], check=True, capture_output=True, timeout=30)
    return cert, key


class Nginx:
    """nginx -c CONF -p PREFIX -g 'daemon off;' with the rendered edlib.conf included in a minimal main file."""

    def __init__(self, directory: Path, upstreams: list[int], sticky: bool = True) -> None:
        if NGINX is None:
            pytest.skip("nginx is not installed (`make services` installs Debian's nginx)")
        self.dir = directory
        self.http_port, self.https_port = free_port(), free_port()
        for sub in ("logs", "acme", "tmp"):
            (directory / sub).mkdir(parents=True, exist_ok=True)
        cert, key = self_signed(directory)
        (directory / "edlib.conf").write_text(
            render(upstreams, self.http_port, self.https_port, directory, cert, key, sticky))
        user = "user root;\n" if os.geteuid() == 0 else ""  # workers must reach the test's private temp dir
        temp = "".join(f"    {kind}_temp_path {directory}/tmp/{kind};\n"
                       for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
        self.conf = directory / "nginx.conf"
        self.conf.write_text(
            f"{user}worker_processes 1;\npid {directory}/nginx.pid;\nerror_log {directory}/logs/error.log info;\n"
            f"events {{ worker_connections 1024; }}\n"
            f"http {{\n{temp}    access_log {directory}/logs/access.log;\n    include {directory}/edlib.conf;\n}}\n")
        self.proc: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"https://127.0.0.1:{self.https_port}"

    def start(self, timeout: float = 10.0) -> Nginx:
        check = subprocess.run([str(NGINX), "-t", "-c", str(self.conf), "-p", str(self.dir)],
                               capture_output=True, text=True, timeout=30)
        assert check.returncode == 0, check.stderr
        self.proc = subprocess.Popen([str(NGINX), "-c", str(self.conf), "-p", str(self.dir), "-g", "daemon off;"],
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"nginx exited with {self.proc.returncode}: {self.error_log()[-2000:]}")
            try:
                with socket.create_connection(("127.0.0.1", self.https_port), timeout=0.2):
                    return self
            except OSError:
                time.sleep(0.05)
        raise RuntimeError(f"nginx did not listen in {timeout}s")

    def error_log(self) -> str:
        path = self.dir / "logs" / "error.log"
        return path.read_text(errors="replace") if path.exists() else ""

    def access_log(self) -> str:
        path = self.dir / "logs" / "edlib.access.log"
        return path.read_text(errors="replace") if path.exists() else ""

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()  # SIGTERM: fast shutdown
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(10)
