"""Autosave in a real browser: slow links, conflicts and a lost server."""

import time

import pytest
from playwright.sync_api import expect

from aip.models import PlanContact, TeamMember
from tests.browser.harness import (add_row, open_plan, sign_in, status_of,
                                   wait_saved, wait_until_stored)
from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser

SLOW_SECONDS = 2
# Time for saves that wait SLOW_SECONDS for each request, one after another.
SLOW_TIMEOUT = 60_000


def signed_in_plan(page, server, user):
    sign_in(page, server, user.email, PASSWORD)
    return open_plan(page, server)


def contact_of(server, plan_id):
    return server.query(lambda: PlanContact.get(PlanContact.plan == plan_id))


def test_slow_link_typing_loses_nothing(live_server, belen, page):
    plan_id = signed_in_plan(page, live_server, belen.coordinator)
    add_row(page, "Add team member")
    member = page.locator("#members fieldset").last

    def slow(route):
        time.sleep(SLOW_SECONDS)
        route.continue_()

    page.route(f"{live_server.url}/**", slow)
    contact = page.locator("#contact")
    typed = {
        contact.get_by_label("Title", exact=True): "Dean of students",
        contact.get_by_label("Phone"): "505-555-0110",
        member.get_by_label("First name"): "Sarah",
        member.get_by_label("Title"): "School nurse",
    }
    for field, text in typed.items():
        field.click()
        field.press_sequentially(text, delay=30)
    # Go back to a field whose save is still on its way, and add to it.
    title = contact.get_by_label("Title", exact=True)
    title.click()
    title.press("End")
    title.press_sequentially(" and attendance", delay=30)
    typed[title] = "Dean of students and attendance"

    def stored():
        row = contact_of(live_server, plan_id)
        person = live_server.query(
            lambda: TeamMember.get(TeamMember.plan == plan_id))
        return (row.title, row.phone, person.first_name, person.title)

    expected = ("Dean of students and attendance", "505-555-0110", "Sarah",
                "School nurse")
    wait_until_stored(page, stored, expected, SLOW_TIMEOUT / 1000)
    wait_saved(typed, timeout=SLOW_TIMEOUT)
    page.unroute(f"{live_server.url}/**")

    page.reload()
    member = page.locator("#members fieldset").last
    contact = page.locator("#contact")
    expect(contact.get_by_label("Title", exact=True)).to_have_value(expected[0])
    expect(contact.get_by_label("Phone")).to_have_value(expected[1])
    expect(member.get_by_label("First name")).to_have_value(expected[2])
    expect(member.get_by_label("Title")).to_have_value(expected[3])


def test_same_field_conflict_offers_choice(
        live_server, belen, open_page):
    mine, theirs = open_page(), open_page()
    plan_id = signed_in_plan(mine, live_server, belen.coordinator)
    signed_in_plan(theirs, live_server, belen.second_coordinator)

    their_title = theirs.locator("#contact").get_by_label("Title", exact=True)
    their_title.fill("Principal")
    wait_saved([their_title])
    my_title = mine.locator("#contact").get_by_label("Title", exact=True)
    my_title.fill("Counselor")

    conflict = status_of(my_title).locator(".conflict")
    expect(conflict).to_contain_text("Someone else changed this field")
    expect(conflict.get_by_role("button", name="Use theirs")).to_be_visible()
    assert contact_of(live_server, plan_id).title == "Principal"
    expect(my_title).to_have_value("Counselor")

    conflict.get_by_role("button", name="Keep mine").click()
    wait_saved([my_title])
    assert contact_of(live_server, plan_id).title == "Counselor"

    # Different fields of the same row merge without a question.
    their_phone = theirs.locator("#contact").get_by_label("Phone")
    their_phone.fill("505-555-0111")
    wait_saved([their_phone])
    my_email = mine.locator("#contact").get_by_label("Email")
    my_email.fill("kgarcia@belen.k12.nm.us")
    wait_saved([my_email])
    row = contact_of(live_server, plan_id)
    assert (row.title, row.phone, row.email) == (
        "Counselor", "505-555-0111", "kgarcia@belen.k12.nm.us")
    assert mine.locator(".conflict:has(button:text('Keep mine'))").count() == 0


def test_server_down_edit_saved_on_retry(
        live_server, belen, page):
    plan_id = signed_in_plan(page, live_server, belen.coordinator)
    title = page.locator("#contact").get_by_label("Title", exact=True)

    live_server.stop()
    title.fill("Assistant principal")
    expect(status_of(title)).to_contain_text(
        "Not saved: the server cannot be reached")
    expect(title).to_have_value("Assistant principal")

    live_server.start()
    # The retry sends the kept text; nobody types it again.
    wait_saved([title], timeout=30_000)
    assert contact_of(live_server, plan_id).title == "Assistant principal"


def test_offline_edit_saved_back_online(live_server, belen, page):
    plan_id = signed_in_plan(page, live_server, belen.coordinator)
    phone = page.locator("#contact").get_by_label("Phone")

    page.context.set_offline(True)
    phone.fill("505-555-0177")
    expect(status_of(phone)).to_contain_text("Not saved")
    expect(phone).to_have_value("505-555-0177")

    page.context.set_offline(False)
    wait_saved([phone], timeout=30_000)
    assert contact_of(live_server, plan_id).phone == "505-555-0177"
