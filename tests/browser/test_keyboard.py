"""The plan editor with the keyboard alone: no mouse clicks."""

import pytest
from playwright.sync_api import expect

from aip.models import PlanContact, Strategy
from tests.browser.harness import (open_plan, sign_in, wait_for_htmx,
                                   wait_saved,
                                   wait_until_stored)
from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser

MAX_PRESSES = 80


def focused(page):
    """Return the id and text of the focused element.

    The text is that of a link or button only, since the whole page's
    body has every label's text.
    """
    return page.evaluate(
        "[document.activeElement.id, ['A', 'BUTTON'].includes("
        "document.activeElement.tagName) ? "
        "document.activeElement.textContent : '']")


def tab_to(page, matches, key="Tab"):
    """Press key until the focused element matches; fail if it never does."""
    for _ in range(MAX_PRESSES):
        page.keyboard.press(key)
        if matches(*focused(page)):
            return
    raise AssertionError(f"{key} never reached the element; at {focused(page)}")


def test_keyboard_contact_and_strategy(live_server, belen, page):
    sign_in(page, live_server, belen.coordinator.email, PASSWORD)
    plan_id = open_plan(page, live_server)
    contact_id = live_server.query(
        lambda: PlanContact.get(PlanContact.plan == plan_id).id)
    values = {"first_name": "Kristin", "last_name": "Garcia",
              "title": "Assistant principal",
              "email": "kgarcia@belen.k12.nm.us", "phone": "505-555-0142"}

    tab_to(page, lambda id, text: id == f"contact-{contact_id}-first_name")
    for name, value in values.items():
        if name != "first_name":
            tab_to(page, lambda id, text, name=name:
                   id == f"contact-{contact_id}-{name}")
        page.keyboard.press("Control+A")
        page.keyboard.type(value)
    # Back to the title with Shift+Tab, to add to it.
    tab_to(page, lambda id, text: id == f"contact-{contact_id}-title",
           key="Shift+Tab")
    page.keyboard.press("End")
    page.keyboard.type(" for attendance")
    values["title"] += " for attendance"
    fields = [page.locator(f"#contact-{contact_id}-{name}") for name in values]
    wait_until_stored(page, lambda: {
        name: getattr(live_server.query(PlanContact.get_by_id, contact_id),
                      name) for name in values}, values, timeout=10)
    wait_saved(fields)

    tab_to(page, lambda id, text: "Tiers of support" in text,
           key="Shift+Tab")
    page.keyboard.press("Enter")
    page.wait_for_url("**/tiers")
    tab_to(page, lambda id, text: text.strip() == "Add Tier 1 strategy")
    page.keyboard.press("Enter")
    strategy = page.locator("#tier-1 fieldset.strategy")
    expect(strategy).to_have_count(1)
    wait_for_htmx(page)
    # The new strategy sits above the button: go back up into it.
    name_id = strategy.get_by_label("Strategy", exact=True).get_attribute("id")
    tab_to(page, lambda id, text: id == name_id, key="Shift+Tab")
    page.keyboard.type("Attendance postcards")
    page.keyboard.press("Tab")
    page.keyboard.type("Mail a postcard home each month.")
    wait_until_stored(page, lambda: live_server.query(lambda: [
        (s.tier, s.name, s.description)
        for s in Strategy.select().where(Strategy.plan == plan_id)]),
        [(1, "Attendance postcards", "Mail a postcard home each month.")],
        timeout=10)
