"""A full Delphi round as people do it: the facilitator builds and runs it, three councillors answer on phones."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.web.conftest import PHONE, PROJECTOR, TABLET, Demo, assert_accessible, screenshot

pytestmark = pytest.mark.browser


def answer(page: Any, ratings: list[int], reason: str | None = None) -> None:
    page.get_by_role("tab", name=re.compile("^Questionnaire")).click()
    statements = page.get_by_test_id("delphi-statement")
    expect(statements).to_have_count(len(ratings))
    for i, value in enumerate(ratings):
        statements.nth(i).get_by_role("radio", name=re.compile(rf"^{value}\b")).check()
    if reason:
        statements.nth(0).get_by_text("Add a reason (optional)").click()
        statements.nth(0).get_by_label("Reason for statement 1").fill(reason)
    page.get_by_role("button", name="Send my answers").click()
    expect(page.get_by_test_id("delphi-answered")).to_be_visible()


def test_delphi_round_from_creation_to_feedback(demo: Demo, open_page: Any) -> None:
    fac = open_page(demo.facilitator, TABLET)
    projector = open_page(demo.projector, PROJECTOR)
    fac.get_by_role("tab", name=re.compile("^Questionnaire")).click()
    fac.get_by_label("Statements").fill(
        "A six-month trial is long enough to judge the school street.\nDeliveries can move outside school hours."
    )
    fac.get_by_role("button", name="Add the statements").click()
    fac.get_by_text("Add arguments as statements").click()  # one click per argument
    fac.get_by_role("button", name=re.compile("^Add as a statement: Les rues scolaires")).click()
    expect(fac.get_by_test_id("delphi-drafts").locator("li")).to_have_count(3)
    fac.get_by_role("button", name="Create the questionnaire").click()
    admin = fac.get_by_test_id("survey-admin")
    expect(admin.get_by_test_id("survey-status")).to_have_text("not started")
    admin.get_by_role("button", name="Open round 1").click()
    expect(admin.get_by_test_id("survey-status")).to_have_text("round 1 open")

    sofie = open_page(demo.councillor("Sofie Janssens"), PHONE)
    luc = open_page(demo.councillor("Luc Peeters"), PHONE)
    youssef = open_page(demo.councillor("Youssef Haddad"), PHONE)
    expect(sofie.get_by_role("tab", name=re.compile("^Questionnaire"))).to_contain_text("!")  # something to answer
    sofie.get_by_role("tab", name=re.compile("^Questionnaire")).click()
    assert_accessible(sofie, "Delphi form (phone)")
    answer(sofie, [5, 4, 4])
    answer(luc, [5, 4, 2])
    answer(youssef, [1, 3, 4], reason="Six months covers no winter: too short.")

    # The facilitator sees who has not answered, never what anyone answered.
    expect(admin.get_by_test_id("answered-count")).to_contain_text("3 answered")
    expect(admin.get_by_test_id("not-answered")).to_contain_text("Mehdi El Amrani")
    expect(admin.get_by_test_id("not-answered")).not_to_contain_text("Sofie Janssens")
    admin.get_by_role("button", name="Close round 1").click()

    for page in (sofie, luc, youssef):
        feedback = page.get_by_test_id("delphi-feedback")
        expect(feedback).to_be_visible()
        expect(feedback.get_by_test_id("statement-feedback")).to_have_count(3)
        expect(feedback.get_by_test_id("statement-feedback").first).to_contain_text("Median")
    # Youssef's 1 lies outside the group's middle half (IQR 3–5) on statement 1; Sofie's 5 inside.
    first = youssef.get_by_test_id("statement-feedback").first
    expect(first.get_by_test_id("outside-iqr")).to_contain_text("Your answer in round 1: 1")
    expect(sofie.get_by_test_id("statement-feedback").first.get_by_test_id("inside-iqr")).to_be_visible()
    first.get_by_text("Reasons given (1)").click()
    expect(first).to_contain_text("Six months covers no winter: too short.")
    screenshot(youssef, "participant-delphi-phone", full_page=True)
    assert_accessible(youssef, "Delphi feedback (phone)")
    assert_accessible(fac, "Delphi administration (tablet)")

    # Published: the projector shows the histograms.
    admin.get_by_role("button", name="Publish the results").click()
    results = projector.get_by_test_id("projector-results")
    expect(results).to_be_visible()
    expect(results.get_by_test_id("statement-feedback")).to_have_count(3)
    expect(results).to_contain_text("Deliveries can move outside school hours.")
    screenshot(projector, "projector-delphi-results")
    assert_accessible(projector, "projector with Delphi results")

    # Round 2: each member rates again with the feedback and their own round-1 answer in view.
    admin.get_by_role("button", name="Open round 2").click()
    form = youssef.get_by_test_id("delphi-form")
    expect(form).to_be_visible()
    expect(form.get_by_test_id("delphi-statement").first.get_by_test_id("outside-iqr")).to_be_visible()
