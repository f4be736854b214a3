"""A live meeting as people see it: arguments, links, moderation and the floor on phones, tablet and projector."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.web.conftest import LAPTOP, PHONE, PROJECTOR, TABLET, Demo

pytestmark = pytest.mark.browser


def test_argument_and_link_reach_facilitator_and_projector(demo: Demo, open_page: Any) -> None:
    sofie = open_page(demo.councillor("Sofie Janssens"), LAPTOP)
    fac = open_page(demo.facilitator, TABLET)
    projector = open_page(demo.projector, PROJECTOR)
    # The token is taken out of the address bar at once (it must not show on a projector).
    assert "token" not in sofie.url and "token" not in projector.url

    text = "Een proefperiode van zes maanden geeft de handelaars tijd om hun leveringen aan te passen."
    sofie.get_by_label("Your argument").fill(text)
    sofie.get_by_label("Against").check()
    sofie.get_by_label("What does it speak to?").select_option("resource")
    sofie.get_by_role("button", name="Add the argument").click()
    expect(sofie.get_by_text("Add an argument: done")).to_be_visible()
    expect(sofie.get_by_label("Your argument")).to_have_value("")

    mine = sofie.locator("[data-testid=argument]", has_text=text)
    expect(mine).to_contain_text("Against")
    expect(sofie.get_by_role("heading", name=re.compile("Resources & feasibility"))).to_be_visible()

    on_tablet = fac.locator("[data-testid=argument]", has_text=text)
    expect(on_tablet).to_be_visible()
    expect(on_tablet).to_contain_text("Sofie Janssens")
    expect(projector.get_by_test_id("projector-latest")).to_contain_text(text[:60])

    # A causal link with a concept typed fresh shows up in the projector's map (its text alternative).
    sofie.get_by_role("tab", name="Causal links").click()
    sofie.get_by_label("Cause").fill("proefperiode")
    sofie.get_by_label("Effect").fill("livraisons")
    sofie.get_by_label("− decreases").check()
    expect(sofie.get_by_text("“proefperiode” decreases “livraisons” (moderate)")).to_be_visible()
    sofie.get_by_role("button", name="Add the link").click()
    expect(sofie.get_by_text("Add a causal link: done")).to_be_visible()
    expect(projector.get_by_test_id("map-text")).to_contain_text("proefperiode decreases livraisons")
    canvas = projector.get_by_test_id("map-canvas")
    expect(canvas).to_have_attribute("aria-label", re.compile(r"5 concepts and 4 links"))

    # Another councillor rates it; the count changes for everyone.
    luc = open_page(demo.councillor("Luc Peeters"), PHONE)
    card = luc.locator("[data-testid=argument]", has_text=text)
    card.get_by_role("button", name=re.compile("^Agree")).click()
    expect(card.get_by_role("button", name=re.compile("^Agree"))).to_have_attribute("aria-pressed", "true")
    sofie.get_by_role("tab", name=re.compile("^Arguments")).click()
    expect(mine).to_contain_text("1 agree · 0 pass · 0 disagree")  # her own: counts, no buttons
    expect(on_tablet).to_contain_text("1 agree · 0 pass · 0 disagree")  # the chair sees counts, does not rate


def test_floor_granted_participant_sees_countdown(demo: Demo, open_page: Any) -> None:
    mehdi = open_page(demo.councillor("Mehdi El Amrani"), PHONE)
    fac = open_page(demo.facilitator, TABLET)
    projector = open_page(demo.projector, PROJECTOR)

    mehdi.get_by_role("button", name="Ask to speak").click()
    expect(mehdi.get_by_test_id("my-position")).to_contain_text("You are number 1 of 1")

    row = fac.get_by_test_id("queue-row").filter(has_text="Mehdi El Amrani")
    expect(row).to_be_visible()
    expect(fac.get_by_test_id("why-next")).to_contain_text("has not spoken on this item yet")
    fac.get_by_role("button", name="Next speaker").click()

    expect(mehdi.get_by_test_id("my-turn")).to_have_text("You have the floor.")
    countdown = mehdi.get_by_test_id("countdown")
    expect(countdown).to_have_text(re.compile(r"^[12]:\d\d$"))  # a 2-minute limit on this item
    first = countdown.inner_text()
    expect(countdown).not_to_have_text(first, timeout=5_000)  # it counts down, rendered locally
    expect(projector.get_by_test_id("speaker-name")).to_contain_text("Mehdi El Amrani")
    expect(projector.get_by_test_id("countdown")).to_have_text(re.compile(r"^[12]:\d\d$"))

    # Pause freezes the clock everywhere.
    fac.get_by_role("button", name="Pause").click()
    expect(mehdi.get_by_text("paused")).to_be_visible()
    expect(mehdi.locator(".countdown.paused")).to_be_visible()
    fac.get_by_role("button", name="Resume").click()
    expect(mehdi.get_by_text("paused")).to_be_hidden()
    fac.get_by_role("button", name="End turn").click()
    expect(mehdi.get_by_test_id("speaker")).to_contain_text("Nobody has the floor.")


def test_moderation_hide_rename_merge(demo: Demo, open_page: Any) -> None:
    fac = open_page(demo.facilitator, TABLET)
    nathalie = open_page(demo.councillor("Nathalie Vermeulen"), PHONE)
    projector = open_page(demo.projector, PROJECTOR)
    luc_text = "Les commerçants de la rue craignent de perdre leurs livraisons du matin."

    card = fac.locator("[data-testid=argument]", has_text=luc_text)
    card.get_by_role("button", name="Hide").click()
    card.get_by_label("Reason for hiding").fill("Doublon van een eerder argument")
    card.get_by_role("button", name="Hide").click()
    expect(card).to_contain_text("Hidden by the facilitator — Doublon van een eerder argument")
    expect(nathalie.get_by_text("Hidden by the facilitator — Doublon van een eerder argument")).to_be_visible()
    expect(nathalie.get_by_text(luc_text)).to_have_count(0)  # members never receive a hidden text

    # A synonym typed by a member is merged into the existing concept; labels can be renamed.
    nathalie.get_by_role("tab", name="Causal links").click()
    nathalie.get_by_label("Cause").fill("Schoolstraat")
    nathalie.get_by_label("Effect").fill("sécurité des enfants")
    nathalie.get_by_role("button", name="Add the link").click()
    expect(projector.get_by_test_id("map-text")).to_contain_text("Schoolstraat increases sécurité des enfants")

    fac.get_by_role("tab", name="Map & concepts").click()
    fac.get_by_label("Merge", exact=True).select_option(label="Schoolstraat")
    fac.get_by_label("into").select_option(label="rue scolaire")
    fac.get_by_role("button", name="Merge", exact=True).click()
    expect(projector.get_by_test_id("map-text")).not_to_contain_text("Schoolstraat")
    expect(projector.get_by_test_id("map-text")).to_contain_text("rue scolaire increases sécurité des enfants")
    expect(nathalie.get_by_text("“rue scolaire” increases “sécurité des enfants” (moderate)")).to_be_visible()

    fac.get_by_label("Concept", exact=True).select_option(label="livraisons")
    fac.get_by_label("New name").fill("livraisons / leveringen")
    fac.get_by_role("button", name="Rename").click()
    expect(projector.get_by_test_id("map-text")).to_contain_text("rue scolaire decreases livraisons / leveringen")
