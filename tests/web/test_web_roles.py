"""Correcting one's argument, asking to speak about an argument, a what-if scenario, a real-time questionnaire,
and handing over the facilitator role.

A module of its own: the hand-over changes who chairs the demo meeting, so it gets its own server."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.web.conftest import LAPTOP, PHONE, TABLET, Demo, assert_accessible

pytestmark = pytest.mark.browser


def test_edit_speak_about_scenario_realtime_and_hand_over(demo: Demo, open_page: Any) -> None:
    sofie = open_page(demo.councillor("Sofie Janssens"), LAPTOP)
    luc = open_page(demo.councillor("Luc Peeters"), PHONE)
    fac = open_page(demo.facilitator, TABLET)

    # Sofie adds an argument and corrects it within the grace period; everyone sees "(edited)".
    text = "De knip verlegt het verkeer naar de Stapelhuisstraat."
    sofie.get_by_label("Your argument").fill(text)
    sofie.get_by_role("button", name="Add the argument").click()
    mine = sofie.locator("[data-testid=argument]", has_text=text)
    expect(mine).to_be_visible()
    mine.get_by_role("button", name="Edit").click()
    corrected = "De knip verlegt het verkeer naar de Stapelhuisstraat en de Léopold I-straat."
    mine.get_by_label("Correct your argument").fill(corrected)
    mine.get_by_role("button", name="Save the correction").click()
    expect(sofie.get_by_text("Correct an argument: done")).to_be_visible()
    mine = sofie.locator("[data-testid=argument]", has_text=corrected)
    expect(mine.get_by_test_id("edited")).to_have_text("(edited)")
    on_tablet = fac.locator("[data-testid=argument]", has_text=corrected)
    expect(on_tablet.get_by_test_id("edited")).to_be_visible()
    expect(on_tablet.get_by_role("button", name="Edit")).to_have_count(0)  # not the chair's to correct
    # Others cannot edit it.
    theirs = luc.locator("[data-testid=argument]", has_text=corrected)
    expect(theirs.get_by_role("button", name="Edit")).to_have_count(0)

    # Luc asks to speak about that argument (keyboard); the chair's list shows what about.
    about = theirs.get_by_role("button", name="Speak about this")
    about.focus()
    luc.keyboard.press("Enter")
    expect(luc.get_by_test_id("my-position")).to_contain_text("You are number 1")
    expect(theirs.get_by_role("button", name="Speak about this")).to_have_count(0)  # already on the list
    row = fac.get_by_test_id("queue-row").filter(has_text="Luc Peeters")
    expect(row.get_by_test_id("queue-about")).to_contain_text("De knip verlegt het verkeer")

    # What if the school street were fixed at 0? The concepts that change most, with signed changes.
    fac.get_by_role("tab", name="Map & concepts").click()
    scenario = fac.get_by_test_id("scenario")
    school = scenario.get_by_role("checkbox", name="rue scolaire")
    school.focus()
    fac.keyboard.press("Space")
    expect(school).to_be_checked()
    expect(scenario.get_by_label("Value (0 to 1)")).to_have_value("1")  # the default
    scenario.get_by_label("Value (0 to 1)").fill("0")
    scenario.get_by_role("button", name="Compute the scenario").click()
    expect(scenario.get_by_test_id("scenario-result")).to_be_visible()
    rows = scenario.get_by_test_id("scenario-row")
    expect(rows.first).to_be_visible()
    assert 1 <= rows.count() <= 8
    assert set(rows.locator("th").all_inner_texts()) <= {"trafic motorisé", "sécurité des enfants", "livraisons"}
    assert all(re.search(r"[+−-]\d", cell) for cell in rows.locator("td").all_inner_texts())
    assert_accessible(fac, "facilitator, map & concepts with a scenario")

    # A real-time questionnaire: members see the group's answers so far as they answer.
    fac.get_by_role("tab", name=re.compile("^Questionnaire")).click()
    fac.get_by_label("Statements").fill("Deliveries can move outside school hours.")
    fac.get_by_role("button", name="Add the statements").click()
    fac.get_by_label(re.compile("^Real-time")).check()
    fac.get_by_role("button", name="Create the questionnaire").click()
    fac.get_by_test_id("survey-admin").get_by_role("button", name="Open round 1").click()
    sofie.get_by_role("tab", name=re.compile("^Questionnaire")).click()
    expect(sofie.get_by_test_id("delphi-live-hint")).to_be_visible()
    expect(sofie.get_by_test_id("delphi-live")).to_have_count(0)  # nobody has answered yet
    sofie.get_by_test_id("delphi-statement").get_by_role("radio", name=re.compile(r"^4\b")).check()
    sofie.get_by_role("button", name="Send my answers").click()
    live = sofie.get_by_test_id("delphi-live")
    expect(live).to_contain_text("The group so far")
    expect(live.get_by_test_id("statement-feedback")).to_contain_text("Answers1")
    luc.get_by_role("tab", name=re.compile("^Questionnaire")).click()
    expect(luc.get_by_test_id("delphi-live")).to_be_visible()  # before he answers too
    assert_accessible(sofie, "participant, real-time questionnaire")
    fac.get_by_role("tab", name="Agenda").click()

    # The chair hands the role over to Luc: choose, confirm; both screens switch.
    handover = fac.get_by_test_id("handover")
    pick = handover.get_by_label("New facilitator")
    luc_option = pick.locator("option", has_text="Luc Peeters").get_attribute("value")
    pick.select_option(luc_option)
    handover.get_by_role("button", name="Hand over…").click()
    expect(handover).to_contain_text("Hand the facilitator role to Luc Peeters?")
    box = handover.get_by_role("button", name="Yes, hand over").bounding_box()
    assert box and box["height"] >= 44 and box["width"] >= 44
    assert_accessible(fac, "facilitator, hand-over confirmation")
    handover.get_by_role("button", name="Yes, hand over").click()

    expect(luc.locator("[data-view=facilitator]")).to_be_visible()
    expect(fac.locator("[data-view=participant]")).to_be_visible()
    expect(luc.get_by_text("You are now the facilitator.")).to_be_visible()
    # The new chair can act: his own request on the list, about Sofie's argument.
    expect(luc.get_by_test_id("queue-about")).to_contain_text("De knip verlegt het verkeer")
