"""The whole journey of a new school coordinator, in a real browser.

Register, get approved by the district coordinator, sign in with the
emailed code, fill every tab of the plan, submit it and print it. Every
page on the way is checked with axe-core.
"""

import pypdf
import pytest
from playwright.sync_api import expect

from aip.models import Plan, RoleGrant, User
from aip.plans.submission import CERTIFICATION
from tests.browser.harness import (add_row, assert_accessible, fill_fields,
                                   open_plan, open_tab, read_outbox,
                                   sign_in, wait_saved)
from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser

NEW_EMAIL = "mmontoya@belen.k12.nm.us"
CONTACT = {"First name": "Maria", "Last name": "Montoya",
           "Title": "Dean of students", "Email": NEW_EMAIL,
           "Phone": "505-555-0199"}
MEMBER = {"First name": "Sarah", "Last name": "Kim", "Title": "School nurse",
          "Email": "skim@belen.k12.nm.us"}
GROUP_TARGETS = {"Target for All students (%)": "24.5",
                 "Target for Economically disadvantaged (%)": "27.0"}
GRADE_TARGETS = {"Target for Grade 9 (%)": "21.5",
                 "Target for Grade 12 (%)": "30.0"}
FINDING = "Ninth graders from the mesa lose the bus route in winter."
TIER_STEPS = {1: "Send attendance postcards home each month",
              2: "Meet weekly with students at risk",
              3: "Pair each chronically absent student with a mentor",
              4: "Coordinate home visits with the county social worker"}


def strategy_values(tier):
    return {"Strategy": f"Tier {tier} outreach plan",
            "Description": f"Tier {tier}: contact families early.",
            "Why this strategy: findings of the root cause analysis, data "
            "and key indicators": "Transport is the main barrier found.",
            "Performance measure": f"Tier {tier} students reached each month",
            "How the measure is collected": "Attendance office log",
            "How often it is collected": "Every 40 school days"}


def step_values(tier):
    return {"Action step": TIER_STEPS[tier],
            "Responsible party": "Attendance clerk",
            "Resources needed": "Postage and a phone line",
            "Timeline": "Start by October 15"}


def fill_plan(page):
    """Fill every tab of the plan, waiting for each field's save."""
    assert_accessible(page)
    fill_fields(page.locator("#contact"), CONTACT)
    add_row(page, "Add team member")
    fill_fields(page.locator("#members fieldset").last, MEMBER)
    assert_accessible(page)

    open_tab(page, "Subpopulation targets")
    fill_fields(page.locator("#group-targets"), GROUP_TARGETS)
    fill_fields(page.locator("#grade-targets"), GRADE_TARGETS)
    assert_accessible(page)

    open_tab(page, "Root cause analysis")
    add_row(page, "Add finding")
    finding = page.locator("#causes fieldset.row").last
    category = finding.get_by_label("Category", exact=True)
    category.select_option(label="Disengagement")
    evidence = finding.get_by_label("Data", exact=True)
    evidence.check()
    wait_saved([category, evidence])
    fill_fields(finding, {"Finding": FINDING})
    assert_accessible(page)

    open_tab(page, "Tiers of support")
    for tier in TIER_STEPS:
        section = page.locator(f"#tier-{tier}")
        add_row(page, f"Add Tier {tier} strategy", section)
        strategy = section.locator("fieldset.strategy").last
        fill_fields(strategy, strategy_values(tier))
        add_row(page, "Add action step", strategy)
        fill_fields(strategy.locator("fieldset.step").last, step_values(tier))
    assert_accessible(page)

    open_tab(page, "Progress updates")
    assert_accessible(page)


def expect_values(scope, values):
    for label, value in values.items():
        expect(scope.get_by_label(label, exact=True)).to_have_value(value)


def check_plan(page):
    """Check that every value fill_plan entered came back from the server."""
    open_tab(page, "Contact information")
    expect_values(page.locator("#contact"), CONTACT)
    expect_values(page.locator("#members fieldset").last, MEMBER)
    open_tab(page, "Subpopulation targets")
    expect_values(page.locator("#group-targets"), GROUP_TARGETS)
    expect_values(page.locator("#grade-targets"), GRADE_TARGETS)
    open_tab(page, "Root cause analysis")
    finding = page.locator("#causes fieldset.row").last
    expect(finding.get_by_label("Category", exact=True)).to_have_value("disengagement")
    expect(finding.get_by_label("Data", exact=True)).to_be_checked()
    expect_values(finding, {"Finding": FINDING})
    open_tab(page, "Tiers of support")
    for tier in TIER_STEPS:
        strategy = page.locator(f"#tier-{tier} fieldset.strategy")
        expect(strategy).to_have_count(1)
        expect_values(strategy, strategy_values(tier))
        expect_values(strategy.locator("fieldset.step"), step_values(tier))


def submit_and_print(page, plan_id):
    open_tab(page, "Final submission")
    expect(page.locator("#complete")).to_be_visible()
    assert_accessible(page)
    page.get_by_label(CERTIFICATION).check()
    page.get_by_role("button", name="Submit Plan").click()
    expect(page.get_by_text("This plan was submitted for review")).to_be_visible()
    assert_accessible(page)

    open_tab(page, "Print plan")
    assert_accessible(page)
    page.get_by_role("link", name="Print view").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("BELEN HIGH")
    assert_accessible(page)
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download full PDF report").click()
    path = download_info.value.path()
    reader = pypdf.PdfReader(path)
    text = " ".join(" ".join(pdf_page.extract_text().split())
                    for pdf_page in reader.pages)
    for expected in ("BELEN HIGH", FINDING, TIER_STEPS[3], "Dean of students"):
        assert expected in text


def fill_registration(page, email):
    page.get_by_label("First name").fill("Maria")
    page.get_by_label("Last name").fill("Montoya")
    page.get_by_label("Work email").fill(email)
    page.get_by_label("Phone number").fill("505-555-0199")
    page.get_by_label("School Absence Coordinator").check()
    page.get_by_label("District or state charter", exact=True).select_option(
        label="BELEN CONSOLIDATED SCHOOLS")
    page.get_by_label("School", exact=True).select_option(label="BELEN HIGH")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Confirm password").fill(PASSWORD)
    page.get_by_role("button", name="Register").click()


def test_register_approve_fill_submit_and_print(live_server, belen, page,
                                                console_errors):
    server = live_server
    page.goto(server.url)
    assert_accessible(page)
    page.get_by_role("link", name="Register").first.click()
    assert_accessible(page)

    fill_registration(page, "maria.montoya@gmail.com")
    email_field = page.get_by_label("Work email")
    expect(email_field).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#email-error")).to_contain_text(
        "Personal addresses such as gmail.com are not accepted")
    assert_accessible(page)

    # Every field but the passwords is kept: change the address only.
    email_field.fill(NEW_EMAIL)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Confirm password").fill(PASSWORD)
    page.get_by_role("button", name="Register").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("received")
    assert_accessible(page)
    grant = server.query(lambda: RoleGrant.get(
        RoleGrant.user == User.by_email(NEW_EMAIL)))
    assert grant.status == "pending"

    # The district coordinator approves the request in the inbox.
    sign_in(page, server, belen.district_user.email, PASSWORD,
            check=assert_accessible)
    assert_accessible(page)
    page.goto(f"{server.url}/roles")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    assert_accessible(page)
    page.goto(server.url)
    page.get_by_role("link", name="Inbox").click()
    assert_accessible(page)
    request = page.locator("article.registration", has_text=NEW_EMAIL)
    request.get_by_role("button", name="Approve").click()
    expect(request.locator(".decided")).to_contain_text("was approved")
    assert_accessible(page)
    assert read_outbox(server.outbox, NEW_EMAIL)[0]["Subject"] == (
        "Your AIP account is active")
    page.get_by_role("button", name="Sign out").click()
    assert_accessible(page)

    sign_in(page, server, NEW_EMAIL, PASSWORD)
    assert_accessible(page)
    plan_id = open_plan(page, server)
    fill_plan(page)
    page.reload()
    check_plan(page)
    submit_and_print(page, plan_id)
    assert server.query(lambda: Plan.get_by_id(plan_id).status) == "submitted"
    assert console_errors == []
