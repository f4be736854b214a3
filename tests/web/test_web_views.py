"""Every view at its device size: accessibility (axe-core), languages, keyboard use, and screenshots for the docs."""

from __future__ import annotations

import json
import re
import urllib.request
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.processes import ADMIN
from tests.web.conftest import (
    LAPTOP,
    PHONE,
    PROJECTOR,
    TABLET,
    Demo,
    Server,
    assert_accessible,
    screenshot,
    send_commands,
)

pytestmark = pytest.mark.browser

@pytest.fixture(scope="module")
def busy(server: Server, demo: Demo) -> Demo:
    """The demo meeting a few minutes later: a speaker, a queue, replies, ratings, a contested link, presence."""
    tok = {name: Demo.token(url) for name, url in demo.councillors}
    fac = Demo.token(demo.facilitator)
    url = server.url
    send_commands(url, tok["Pieter Van den Bossche"], [
        {"type": "presence.set", "where": "room"},
        {"type": "floor.request", "kind": "speak"},
        {"type": "link.assert", "item_id": "i1", "cause": "rue scolaire", "effect": "commerce local", "sign": 1},
        {"type": "argument.rate", "argument_id": "A5", "value": 1},
    ])
    send_commands(url, fac, [{"type": "floor.grant"}])
    send_commands(url, tok["Isabelle Lambert"], [
        {"type": "presence.set", "where": "remote"},
        {"type": "argument.add", "item_id": "i1", "stance": "con", "category": "resource", "reply_to": "A7",
         "relation": "attacks",
         "text": "Ces évaluations portent sur des rues sans commerces ; la rue Josaphat n'est pas comparable."},
        {"type": "link.assert", "item_id": "i1", "cause": "rue scolaire", "effect": "commerce local", "sign": -1,
         "strength": 2},
        {"type": "argument.rate", "argument_id": "A5", "value": 0},
        {"type": "decision.vote", "item_id": "i1", "choice": "no", "kind": "indicative"},
    ])
    send_commands(url, tok["Mehdi El Amrani"], [
        {"type": "presence.set", "where": "room"},
        {"type": "floor.request", "kind": "speak"},
        {"type": "link.assert", "item_id": "i1", "cause": "rue scolaire", "effect": "marche et vélo", "sign": 1,
         "strength": 3},
        {"type": "link.assert", "item_id": "i1", "cause": "marche et vélo", "effect": "sécurité des enfants",
         "sign": 1, "strength": 2},
        {"type": "argument.rate", "argument_id": "A6", "value": -1},
        {"type": "decision.vote", "item_id": "i1", "choice": "yes", "kind": "indicative"},
    ])
    send_commands(url, tok["Luc Peeters"], [
        {"type": "presence.set", "where": "room"},
        {"type": "floor.request", "kind": "reply"},
        {"type": "argument.rate", "argument_id": "A5", "value": 1},
    ])
    send_commands(url, tok["Amina Benali"], [{"type": "floor.request", "kind": "speak"}])
    return demo


def test_participant_phone_and_laptop(busy: Demo, open_page: Any) -> None:
    phone = open_page(busy.councillor("Sofie Janssens"), PHONE)
    expect(phone.get_by_test_id("speaker-name")).to_contain_text("Pieter Van den Bossche")
    expect(phone.get_by_test_id("countdown")).to_have_text(re.compile(r"^[0-2]:\d\d$"))
    expect(phone.locator("[data-testid=argument]")).to_have_count(4)
    screenshot(phone, "participant-phone")
    assert_accessible(phone, "participant (phone), arguments")
    for tab in ("Causal links", "Questionnaire", "Vote"):
        phone.get_by_role("tab", name=re.compile(f"^{tab}")).click()
        assert_accessible(phone, f"participant (phone), {tab}")
    phone.get_by_role("tab", name="Vote").click()
    expect(phone.get_by_test_id("tally-indicative")).to_contain_text("Yes 1 · No 1 · Abstain 0")

    laptop = open_page(busy.councillor("Luc Peeters"), LAPTOP)
    expect(laptop.get_by_test_id("my-position")).to_contain_text("reply")
    reply = laptop.locator("[data-testid=argument]", has_text="la rue Josaphat n'est pas comparable")
    expect(reply).to_contain_text("attacks")
    screenshot(laptop, "participant-laptop")
    assert_accessible(laptop, "participant (laptop)")


def test_facilitator_tablet(busy: Demo, open_page: Any) -> None:
    fac = open_page(busy.facilitator, TABLET)
    queue = fac.get_by_test_id("queue-row")
    expect(queue).to_have_count(3)
    # A reply to the current speaker goes first; the policy says why.
    expect(fac.get_by_test_id("why-next")).to_contain_text("Next: Luc Peeters")
    expect(fac.get_by_test_id("why-next")).to_contain_text("a reply to the current speaker")
    screenshot(fac, "facilitator-tablet")
    assert_accessible(fac, "facilitator, arguments")

    # Reorder with the accessible buttons (drag does the same on touch screens).
    expect(queue.nth(2)).to_contain_text("Amina Benali")
    fac.get_by_role("button", name="Move Amina Benali up").click()
    expect(queue.nth(1)).to_contain_text("Amina Benali")

    # Hand raised in the chamber, entered from the tablet.
    fac.get_by_label("Hand raised in the chamber").select_option(label="Nathalie Vermeulen (Centre Citoyen)")
    fac.get_by_role("button", name="Add to the list").click()
    expect(queue.filter(has_text="Nathalie Vermeulen")).to_contain_text("in the chamber")

    # Drag a row by its handle to the top of the list.
    expect(queue).to_have_count(4)
    handle = queue.nth(3).locator(".handle").bounding_box()
    top = queue.nth(0).bounding_box()
    assert handle and top
    fac.mouse.move(handle["x"] + handle["width"] / 2, handle["y"] + handle["height"] / 2)
    fac.mouse.down()
    fac.mouse.move(handle["x"] + handle["width"] / 2, top["y"] + 5, steps=8)
    fac.mouse.up()
    expect(queue.nth(0)).to_contain_text("Nathalie Vermeulen")

    # The policy and the speaking time are set from the tablet.
    fac.get_by_text(re.compile("^List settings:")).click()
    fac.get_by_label("Who speaks next").select_option(label="Alternate majority and opposition")
    expect(fac.get_by_text("List settings: done")).to_be_visible()
    expect(fac.get_by_text("List settings: Alternate majority and opposition")).to_be_visible()
    fac.get_by_label("Écologie & Ville").fill("5")
    fac.locator("form.budget-row", has=fac.get_by_label("Écologie & Ville")).get_by_role("button", name="Apply").click()
    expect(fac.get_by_test_id("budget-used")).to_contain_text("of 5 mins used")

    tabs = (("Map & concepts", None), ("Questionnaire", None),
            ("Participation", "facilitator-tablet-participation"), ("Agenda", "facilitator-tablet-agenda"))
    for tab, shot in tabs:
        fac.get_by_role("tab", name=re.compile(f"^{re.escape(tab)}")).click()
        if tab == "Participation":
            expect(fac.get_by_test_id("not-heard")).to_contain_text("Sofie Janssens")
        if shot:
            screenshot(fac, shot, full_page=tab == "Participation")
        assert_accessible(fac, f"facilitator, {tab}")


def test_projector(busy: Demo, open_page: Any) -> None:
    page = open_page(busy.projector, PROJECTOR)
    expect(page.get_by_test_id("speaker-name")).to_contain_text("Pieter Van den Bossche")
    canvas = page.get_by_test_id("map-canvas")
    expect(canvas).to_have_attribute("aria-label", re.compile(r"6 concepts and 6 links"))
    expect(page.get_by_test_id("map-text")).to_contain_text("marche et vélo increases sécurité des enfants")
    page.wait_for_function("() => document.querySelectorAll('[data-testid=map-canvas] canvas').length > 0")
    screenshot(page, "projector")
    assert_accessible(page, "projector")


def test_observer_public_and_closed(server: Server, busy: Demo, open_page: Any) -> None:
    page = open_page(busy.observer, LAPTOP)
    expect(page.locator("[data-testid=argument]")).to_have_count(4)
    expect(page.get_by_role("button", name="Ask to speak")).to_have_count(0)  # read-only
    expect(page.get_by_role("button", name=re.compile("^Agree"))).to_have_count(0)
    screenshot(page, "observer")
    assert_accessible(page, "observer (public meeting)")
    phone = open_page(busy.observer, PHONE)
    screenshot(phone, "observer-phone")

    # A closed meeting: its observers see a notice only.
    spec = {
        "title": "Commissie Financiën / Commission des Finances", "council": "Schaarbeek / Schaerbeek",
        "kind": "committee", "visibility": "closed",
        "groups": [{"id": "g1", "name": "Majorité", "side": "majority", "seats": 2}],
        "items": [{"title": "Budget 2027", "draft_decision": "…", "documents": []}],
        "participants": [{"name": "Anne Mertens", "role": "facilitator"},
                         {"name": "Sofie Janssens", "role": "councillor", "group": "g1"},
                         {"name": "Pers", "role": "observer"}],
    }
    req = urllib.request.Request(f"{server.url}/api/meetings", data=json.dumps(spec).encode(), method="POST",
                                 headers={"Authorization": f"Bearer {ADMIN}", "Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=10) as resp:
        created = json.load(resp)
    obs = next(p for p in created["participants"] if p["role"] == "observer")
    closed = open_page(f"{server.url}/m/{created['meeting_id']}#token={obs['token']}", LAPTOP)
    expect(closed.get_by_test_id("closed-notice")).to_contain_text("This meeting is closed to the public")
    expect(closed.locator("[data-testid=argument]")).to_have_count(0)
    screenshot(closed, "observer-closed")
    assert_accessible(closed, "observer (closed meeting)")

    # Once the facilitator publishes the results, the same page shows them (no reload).
    token = {p["role"]: p["token"] for p in created["participants"]}
    send_commands(server.url, token["councillor"], [
        {"type": "decision.vote", "item_id": created["items"][0]["item_id"], "choice": "yes", "kind": "indicative"}])
    send_commands(server.url, token["facilitator"], [{"type": "meeting.publish_results"}])
    expect(closed.get_by_test_id("closed-notice")).to_contain_text("has published its results")
    expect(closed.get_by_test_id("published-results")).to_contain_text("Indicative vote: Yes 1 · No 0 · Abstain 0")


def test_language_switch_and_keyboard(busy: Demo, open_page: Any) -> None:
    page = open_page(busy.councillor("Claire Dubois"), PHONE, locale="nl-BE")
    html = page.locator("html")
    expect(html).to_have_attribute("lang", "nl")  # from navigator.languages
    expect(page.get_by_role("button", name="Het woord vragen")).to_be_visible()
    expect(page.get_by_role("tab", name=re.compile("^Oorzakelijke verbanden"))).to_be_visible()

    page.get_by_role("button", name="Français").click()
    expect(html).to_have_attribute("lang", "fr")
    expect(page.get_by_role("button", name="Demander la parole")).to_be_visible()
    expect(page.get_by_role("tab", name=re.compile("^Liens de cause à effet"))).to_be_visible()
    expect(page.get_by_test_id("meeting-phase")).to_have_text("en séance")

    page.get_by_role("button", name="English").click()
    expect(html).to_have_attribute("lang", "en")
    expect(page.get_by_role("button", name="Ask to speak")).to_be_visible()
    expect(page.get_by_test_id("meeting-phase")).to_have_text("in session")
    page.reload()  # the choice is remembered on this device
    # A fresh page load connects and joins from scratch; on a loaded 2-core machine that has taken >15 s once.
    expect(page.get_by_role("button", name="Ask to speak")).to_be_visible(timeout=40_000)

    # Keyboard: arrow keys move between tabs; Enter on a focused button acts.
    page.get_by_role("tab", name=re.compile("^Arguments")).focus()
    page.keyboard.press("ArrowRight")
    expect(page.get_by_role("tab", name="Causal links")).to_be_focused()
    expect(page.get_by_role("tab", name="Causal links")).to_have_attribute("aria-selected", "true")
    page.get_by_role("button", name="Ask to speak").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_test_id("my-position")).to_be_visible()


def test_screenshots_exist() -> None:
    """The committed screenshots (refresh them with EDLIB_SCREENSHOTS=1 pytest tests/web)."""
    shots = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
    for name in ("participant-phone", "participant-laptop", "facilitator-tablet", "projector", "observer",
                 "participant-delphi-phone", "projector-delphi-results", "observer-closed"):
        assert (shots / f"{name}.png").is_file(), name


def test_links_without_a_valid_token(server: Server, open_page: Any) -> None:
    page = open_page(f"{server.url}/", PHONE)
    expect(page.get_by_test_id("landing")).to_contain_text("Open your personal link")
    page = open_page(f"{server.url}/m/unknown#token=not-a-real-token", PHONE)
    expect(page.get_by_test_id("refused")).to_contain_text("This link does not give access")
    assert "token" not in page.url
    assert_accessible(page, "refused link")
