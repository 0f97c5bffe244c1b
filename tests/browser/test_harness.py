"""The browser harness helpers that need no browser."""

import pytest

from aip.db import database
from aip.mail import deliver_queued, queue_mail
from tests.browser.harness import newest_signin_code


def send_code(live_server, recipient, code):
    with live_server.app.app_context(), database.connection_context():
        queue_mail(recipient, "Your AIP sign-in code",
                   f"Your sign-in code is {code}.")
        deliver_queued()


def test_newest_signin_code_per_recipient(live_server):
    send_code(live_server, "first@belen.k12.nm.us", "111111")
    send_code(live_server, "second@belen.k12.nm.us", "222222")
    send_code(live_server, "first@belen.k12.nm.us", "333333")

    assert newest_signin_code(live_server) == "333333"
    assert newest_signin_code(live_server, "second@belen.k12.nm.us") == (
        "222222")


def test_newest_signin_code_times_out(live_server):
    with pytest.raises(AssertionError, match="no sign-in code"):
        newest_signin_code(live_server, "nobody@belen.k12.nm.us",
                           timeout=0.2)
