"""Helpers for browser tests: accessibility, emailed codes, sign-in and
the plan editor's fields and saves."""

import email
import email.policy
import re
import time
from pathlib import Path

from axe_playwright_python.sync_playwright import Axe

# axe-core comes from the axe-playwright-python package on disk and is
# injected with page.evaluate, so no script is fetched from the network.
AXE = Axe()
BLOCKING_IMPACTS = {"serious", "critical"}
SIGNIN_CODE = re.compile(r"\b(\d{6})\b")


def assert_accessible(page):
    """Run axe-core on the page and fail on serious or critical violations."""
    results = AXE.run(page)
    blocking = [violation for violation in results.response["violations"]
                if violation["impact"] in BLOCKING_IMPACTS]
    report = "\n".join(
        f"{violation['id']} ({violation['impact']}): {violation['help']} "
        f"at {[node['target'] for node in violation['nodes']]}"
        for violation in blocking)
    assert not blocking, f"axe-core violations on {page.url}:\n{report}"


def read_outbox(folder, recipient=None):
    """Return the messages in an outbox folder, newest first."""
    messages = []
    for path in sorted(Path(folder).glob("*.eml"), reverse=True):
        message = email.message_from_bytes(path.read_bytes(),
                                           policy=email.policy.default)
        if recipient is None or message["To"] == recipient:
            messages.append(message)
    return messages


def newest_signin_code(server, recipient=None, timeout=5.0):
    """Return the six-digit code in the newest mail the server wrote.

    Mail is delivered as the request that queued it ends, so the code is
    normally there when the page has loaded; the wait covers a slow disk.
    """
    deadline = time.monotonic() + timeout
    while True:
        for message in read_outbox(server.outbox, recipient):
            match = SIGNIN_CODE.search(message.get_content())
            if match:
                return match.group(1)
        if time.monotonic() > deadline:
            raise AssertionError(
                f"no sign-in code mailed to {recipient or 'anyone'} in "
                f"{server.outbox} within {timeout} seconds")
        time.sleep(0.1)


def sign_in(page, server, email, password, check=None):
    """Sign in through the pages: password, then the emailed code.

    check, when given, is called with the page at each of the two steps.
    """
    page.goto(f"{server.url}/sign-in")
    if check:
        check(page)
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/sign-in/code")
    if check:
        check(page)
    code = newest_signin_code(server, email)
    page.get_by_label("Sign-in code").fill(code)
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url(lambda url: "/sign-in" not in url)


def open_plan(page, server):
    """Open the active school's plan from the home screen; return its id."""
    page.goto(server.url)
    page.get_by_role("link", name="Open my plan").click()
    page.wait_for_url("**/plans/*/contact")
    return int(page.url.split("/plans/")[1].split("/")[0])


def status_of(field):
    """Return the status element beside an autosaving field."""
    return field.page.locator(f"#{field.get_attribute('id')}-status")


def wait_saved(fields, timeout=10_000):
    """Wait until the status beside each field shows it was saved."""
    from playwright.sync_api import expect

    for field in fields:
        expect(status_of(field)).to_contain_text("Saved", timeout=timeout)


def fill_fields(scope, values, timeout=10_000):
    """Fill fields found by label within scope, then wait for the saves.

    values maps each label to its text; a label is matched exactly.
    """
    fields = []
    for label, value in values.items():
        field = scope.get_by_label(label, exact=True)
        field.fill(value)
        fields.append(field)
    wait_saved(fields, timeout)
    return fields


def open_tab(page, name):
    """Follow the tab strip's link to a tab and wait for its page."""
    tabs = page.get_by_role("navigation", name="Plan steps")
    tabs.get_by_role("link", name=name).click()
    page.wait_for_load_state()


def wait_until_stored(page, read, expected, timeout):
    """Poll read() until it returns expected, letting the page run.

    The page's routes run only while Playwright is called, so the wait
    is page.wait_for_timeout rather than time.sleep.
    """
    deadline = time.monotonic() + timeout
    while (found := read()) != expected:
        if time.monotonic() > deadline:
            raise AssertionError(f"stored {found}, expected {expected}")
        page.wait_for_timeout(100)


def wait_for_htmx(page):
    """Wait until htmx has no request running and has set up new content.

    htmx attaches its handlers to a swapped-in row when it settles, and
    removes the htmx-added class then; an event sent before is lost.
    """
    page.wait_for_function(
        "() => !document.querySelector("
        "'.htmx-request, .htmx-added, .htmx-settling')")


def add_row(page, button_name, scope=None):
    """Press an Add button and wait for htmx to set up the new row."""
    (scope or page).get_by_role("button", name=button_name).click()
    wait_for_htmx(page)
