"""Browser tests: the built web client in Debian's Chromium (Playwright, sync API) against real `edlib serve`.

- The client is built once per session if web/dist is missing or older than its sources (`npm ci` first when
  web/node_modules is missing). `make web` does the same.
- Each test module starts its own server process with the demo meeting (`--demo`) on a free port and a
  fresh SQLite file, and reads the printed join links.
- Never `playwright install`: Chromium comes from apt (/usr/bin/chromium); without it the tests are skipped.
"""

from __future__ import annotations

import asyncio
import json
import os
import re
import shutil
import subprocess
import tempfile
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from tests.processes import ServerProcess

ROOT = Path(__file__).resolve().parents[2]
WEB = ROOT / "web"
# Screenshots refresh docs/screenshots/ only when asked (EDLIB_SCREENSHOTS=1), so that an ordinary test run
# leaves the working tree clean; otherwise they go to a scratch folder.
SCRATCH = Path(tempfile.gettempdir()) / "edlib-screenshots"
SHOTS = ROOT / "docs" / "screenshots" if os.environ.get("EDLIB_SCREENSHOTS") else SCRATCH
CHROMIUM = os.environ.get("EDLIB_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

PHONE = {"width": 390, "height": 844}
TABLET = {"width": 1024, "height": 768}
LAPTOP = {"width": 1280, "height": 800}
PROJECTOR = {"width": 1920, "height": 1080}


# --- building the client ---------------------------------------------------------------------------


def _sources() -> list[Path]:
    files = [p for p in (WEB / "src").rglob("*") if p.is_file()]
    top = ("index.html", "vite.config.ts", "tsconfig.json", "package.json", "package-lock.json")
    return files + [WEB / n for n in top]


def _stale() -> bool:
    index = WEB / "dist" / "index.html"
    if not index.is_file():
        return True
    built = index.stat().st_mtime
    return any(p.is_file() and p.stat().st_mtime > built for p in _sources())


@pytest.fixture(scope="session")
def web_dist() -> Path:
    """web/dist, built if missing or stale."""
    if _stale():
        npm = shutil.which("npm")
        if npm is None:
            pytest.skip("npm is not installed and web/dist is missing or stale (run `make web`)")
        if not (WEB / "node_modules" / ".package-lock.json").is_file():
            subprocess.run([npm, "ci", "--no-audit", "--no-fund"], cwd=WEB, check=True, timeout=300)
        subprocess.run([npm, "run", "build"], cwd=WEB, check=True, timeout=300)
    return WEB / "dist"


# --- the server --------------------------------------------------------------------------------------


LINK = re.compile(r"^\s+(facilitator|councillor|secretary|observer|projector)\s+(.+?)\s+(http://\S+)\s*$")


@dataclass
class Demo:
    """The demo meeting's join links, by role (see server/demo.py)."""

    meeting_id: str = ""
    facilitator: str = ""
    councillors: list[tuple[str, str]] = field(default_factory=list)  # (name, link)
    secretary: str = ""
    observer: str = ""
    projector: str = ""

    def councillor(self, name: str) -> str:
        return next(url for n, url in self.councillors if n == name)

    @staticmethod
    def token(url: str) -> str:
        return url.split("#token=", 1)[1].split("&", 1)[0]

    @classmethod
    def parse(cls, text: str) -> Demo:
        """From what `edlib serve --demo` prints."""
        demo = cls()
        for line in text.splitlines():
            m = re.match(r"Demo meeting (\w+):", line)
            if m:
                demo.meeting_id = m.group(1)
            m = LINK.match(line)
            if not m:
                continue
            role, name, url = m.groups()
            if role == "councillor":
                demo.councillors.append((name, url))
            else:
                setattr(demo, role, url)
        assert demo.facilitator and demo.projector and len(demo.councillors) >= 3, text
        return demo


class Server(ServerProcess):
    """`edlib serve` on a fresh SQLite file; started once with the demo meeting, it can be SIGKILLed and started
    again on the same port and database (tests/processes.py)."""

    def __init__(self, tmp: Path) -> None:
        super().__init__(db=tmp / "edlib.db")
        self.demo = Demo()

    @property
    def url(self) -> str:
        return f"http://localhost:{self.port}"  # the host the join links name

    def start_demo(self) -> None:
        offset = self.log.stat().st_size if self.log.exists() else 0
        self.extra = ["--demo"]
        try:
            self.start(timeout=30)
        finally:
            self.extra = []  # a restart serves the same database; it creates no second demo
        self.demo = Demo.parse(self.log.read_bytes()[offset:].decode(errors="replace"))


@pytest.fixture(scope="module")
def server(web_dist: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """A server with the demo meeting, for one test module (built client first: the server finds web/dist at start)."""
    srv = Server(tmp_path_factory.mktemp("edlib"))
    srv.start_demo()
    yield srv
    srv.stop()


@pytest.fixture(scope="module")
def demo(server: Server) -> Demo:
    return server.demo


def send_commands(base_url: str, token: str, commands: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Run commands as a participant over a real Socket.IO connection (python-socketio), for test set-up."""
    import socketio

    async def run() -> list[dict[str, Any]]:
        client = socketio.AsyncClient(reconnection=False)
        await client.connect(base_url, auth={"token": token}, transports=["websocket"], wait_timeout=10)
        try:
            joined = await client.call("join", {}, timeout=10)
            assert joined["ok"], joined
            acks = []
            for cmd in commands:
                ack = await client.call("command", cmd, timeout=10)
                assert ack["ok"], (cmd, ack)
                acks.append(ack)
            return acks
        finally:
            await client.disconnect()

    # Playwright's sync API keeps an event loop running in this thread: run the client in its own thread.
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, run()).result(timeout=60)


# --- the browser -------------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def chromium() -> Iterator[Any]:
    if not Path(CHROMIUM).is_file():
        pytest.skip(f"Chromium not found at {CHROMIUM} (install Debian's `chromium`; never `playwright install`)")
    from playwright.sync_api import sync_playwright

    pw = sync_playwright().start()
    browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
    yield browser
    browser.close()
    pw.stop()


@pytest.fixture
def open_page(chromium: Any) -> Iterator[Callable[..., Any]]:
    """open_page(url, viewport=LAPTOP, locale="en-GB") -> a new tab, signed in with the link's token.

    Tabs of one test share a browser context per locale (cheaper than a context each); each tab still has its
    own session storage, which is where the client keeps its token, so every tab is its own participant.
    """
    from playwright.sync_api import expect

    expect.set_options(timeout=15_000)
    contexts: dict[str, Any] = {}
    errors: list[str] = []

    def open_(url: str, viewport: dict[str, int] = LAPTOP, locale: str = "en-GB") -> Any:
        if locale not in contexts:
            contexts[locale] = chromium.new_context(viewport=LAPTOP, locale=locale)
        page = contexts[locale].new_page()
        page.set_viewport_size(viewport)
        page.on("pageerror", lambda exc: errors.append(f"{url}: {exc}"))
        page.goto(url, wait_until="commit")
        # The app shows a view once its join is acknowledged.
        page.locator("[data-view]").first.wait_for(timeout=15_000)
        return page

    yield open_
    for ctx in contexts.values():
        ctx.close()
    assert not errors, f"uncaught errors in the page: {errors}"


AXE = WEB / "node_modules" / "axe-core" / "axe.min.js"


def axe_violations(page: Any) -> list[dict[str, Any]]:
    """Serious and critical axe-core violations (WCAG 2.1 A and AA rules) on the page as it is now."""
    if not AXE.is_file():
        pytest.skip("web/node_modules/axe-core is missing (run `npm ci` in web/)")
    if page.evaluate("typeof window.axe === 'undefined'"):
        page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        """async () => {
            const tags = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];
            const r = await axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']});
            return r.violations.map(v => ({
                id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.slice(0, 5).map(n => n.target.join(' ') + ' :: ' + n.failureSummary)}));
        }"""
    )
    return [v for v in result if v["impact"] in ("serious", "critical")]


def assert_accessible(page: Any, where: str) -> None:
    bad = axe_violations(page)
    assert not bad, f"{where}: serious/critical axe violations:\n" + json.dumps(bad, indent=1, ensure_ascii=False)


def screenshot(page: Any, name: str, full_page: bool = False) -> Path:
    SHOTS.mkdir(parents=True, exist_ok=True)
    path = SHOTS / f"{name}.png"
    hide = "document.querySelector('[data-testid=toasts]')?.style.setProperty('visibility', '{}')"
    page.evaluate(hide.replace("{}", "hidden"))  # transient notices would cover the view
    page.screenshot(path=str(path), full_page=full_page, animations="disabled")
    page.evaluate(hide.replace("{}", "visible"))
    return path
