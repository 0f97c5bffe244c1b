"""Helpers for browser tests: accessibility checks and emailed codes."""

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
