"""The plan editor with JavaScript off: plain forms and Save buttons."""

import pytest
from playwright.sync_api import expect

from aip.models import PlanContact, Target, TeamMember
from tests.browser.harness import open_plan, open_tab, sign_in
from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser


def save(page):
    # The first Save button is hidden for the Enter key; press the bar's.
    page.get_by_role("button", name="Save", exact=True).last.click()
    page.wait_for_load_state()


def test_no_script_plan_saves(live_server, belen, open_page):
    page = open_page(java_script_enabled=False)
    sign_in(page, live_server, belen.coordinator.email, PASSWORD)
    plan_id = open_plan(page, live_server)
    contact = page.locator("#contact")
    contact.get_by_label("Title", exact=True).fill("Dean of students")
    contact.get_by_label("Phone").fill("505-555-0123")
    page.get_by_role("button", name="Add team member").click()
    page.wait_for_load_state()
    member = page.locator("#members fieldset").last
    member.get_by_label("First name").fill("Sarah")
    member.get_by_label("Last name").fill("Kim")
    page.get_by_role("button", name="Add team member").click()
    page.wait_for_load_state()
    expect(page.locator("#members fieldset")).to_have_count(2)
    save(page)

    expect(page.get_by_text("Saved.", exact=True)).to_be_visible()
    row = live_server.query(
        lambda: PlanContact.get(PlanContact.plan == plan_id))
    assert (row.title, row.phone) == ("Dean of students", "505-555-0123")
    names = live_server.query(lambda: [
        (m.first_name, m.last_name) for m in
        TeamMember.select().where(TeamMember.plan == plan_id)
        .order_by(TeamMember.position)])
    assert names == [("Sarah", "Kim"), ("", "")]

    page.locator("#members fieldset").last.get_by_role(
        "button", name="Remove team member").click()
    page.wait_for_load_state()
    expect(page.locator("#members fieldset")).to_have_count(1)
    expect(page.locator("#members fieldset").get_by_label(
        "First name")).to_have_value("Sarah")


def test_no_script_errors_beside_fields(live_server, belen,
                                                      open_page):
    page = open_page(java_script_enabled=False)
    sign_in(page, live_server, belen.coordinator.email, PASSWORD)
    plan_id = open_plan(page, live_server)
    open_tab(page, "Subpopulation targets")
    everyone = page.get_by_label("Target for All students (%)")
    everyone.fill("lots")
    page.get_by_label("Target for Grade 9 (%)").fill("18.5")
    save(page)

    expect(everyone).to_have_attribute("aria-invalid", "true")
    expect(everyone).to_have_value("lots")
    error = page.locator(f"#{everyone.get_attribute('id')}-status "
                         ".error-message")
    expect(error).to_be_visible()
    rates = live_server.query(lambda: {
        target.grade.code if target.grade else target.group.code:
        target.target_rate for target in
        Target.select().where(Target.plan == plan_id)})
    assert "ALL" not in rates

    everyone.fill("26.5")
    save(page)
    expect(page.get_by_text("Saved.", exact=True)).to_be_visible()
    expect(page.get_by_label("Target for All students (%)")).to_have_value(
        "26.5")
