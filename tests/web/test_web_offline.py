"""The connection drops (the server is SIGKILLed) and comes back on the same port and database."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.web.conftest import LAPTOP, TABLET, Demo, Server, screenshot

pytestmark = pytest.mark.browser


def test_offline_banner_queue_and_recovery(server: Server, demo: Demo, open_page: Any) -> None:
    claire = open_page(demo.councillor("Claire Dubois"), LAPTOP)
    expect(claire.get_by_test_id("conn")).to_have_text("Connected")
    expect(claire.get_by_test_id("offline-banner")).to_have_count(0)

    server.kill()
    banner = claire.get_by_test_id("offline-banner")
    expect(banner).to_contain_text("You are offline.")
    expect(claire.get_by_test_id("conn")).to_have_text("Offline")

    # Actions taken offline wait in the outbox, visibly; one is cancelled and reported as not sent.
    claire.get_by_role("button", name="Ask to speak").click()
    expect(claire.get_by_text("Ask to speak: not sent yet")).to_be_visible()
    text = "Offline geschreven: de school zelf moet mee evalueren."
    claire.get_by_label("Your argument").fill(text)
    claire.get_by_role("button", name="Add the argument").click()
    claire.get_by_role("button", name="Remote").click()
    outbox = claire.get_by_test_id("outbox")
    expect(outbox).to_contain_text("Waiting to be sent (3)")
    outbox.get_by_role("listitem").filter(has_text="Presence").get_by_role("button", name="Do not send").click()
    expect(claire.get_by_text("Presence: not sent (cancelled)")).to_be_visible()
    expect(outbox).to_contain_text("Waiting to be sent (2)")
    screenshot(claire, "participant-offline")

    server.start()  # same port, same database
    expect(claire.get_by_test_id("conn")).to_have_text("Connected", timeout=20_000)
    expect(claire.get_by_test_id("offline-banner")).to_have_count(0)
    expect(claire.get_by_text("Ask to speak: sent after reconnecting")).to_be_visible()
    expect(claire.get_by_test_id("my-position")).to_contain_text("You are number 1 of 1")
    expect(claire.locator("[data-testid=argument]", has_text=text)).to_be_visible()
    expect(claire.get_by_label("Your argument")).to_have_value("")
    expect(claire.get_by_role("group", name="Where are you?").get_by_role("button", name="Remote")).to_have_attribute(
        "aria-pressed", "false"
    )

    # What was sent after recovery is in the record: a fresh facilitator tablet sees it.
    fac = open_page(demo.facilitator, TABLET)
    expect(fac.get_by_test_id("queue-row").filter(has_text="Claire Dubois")).to_be_visible()
    expect(fac.locator("[data-testid=argument]", has_text=text)).to_be_visible()

    # A reload keeps the session (the token is in session storage, no longer in the address bar).
    assert "token" not in claire.url
    claire.reload()
    expect(claire.get_by_test_id("my-position")).to_contain_text(re.compile(r"You are number 1"))
