"""Limits on failed sign-ins, counted in the database.

Each failure adds a FailedAttempt row keyed "account:<email>" and
"address:<client address>", so every app server reads the same counts.
"""

import math
from datetime import timedelta

from flask import current_app, request

from aip.models import FailedAttempt, utcnow


def client_address():
    return (request.remote_addr or "unknown")[:64]


def account_key(email):
    return f"account:{email.strip().lower()[:254]}"


def address_key(prefix="address"):
    return f"{prefix}:{client_address()}"


def window():
    return timedelta(seconds=current_app.config["SIGNIN_FAILURE_WINDOW_SECONDS"])


def minutes_to_wait(limits):
    """Return the whole minutes until every (key, limit) is under its
    limit again, or 0 when none is reached."""
    now = utcnow()
    waits = []
    for key, limit in limits:
        recent = list(FailedAttempt.select(FailedAttempt.created_at)
                      .where((FailedAttempt.key == key)
                             & (FailedAttempt.created_at > now - window()))
                      .order_by(FailedAttempt.created_at.desc())
                      .limit(limit))
        if limit and len(recent) >= limit:
            waits.append(recent[-1].created_at + window() - now)
    if not waits:
        return 0
    return max(1, math.ceil(max(waits).total_seconds() / 60))


def signin_wait(email):
    """Return the minutes a sign-in for email must wait, or 0."""
    config = current_app.config
    return minutes_to_wait([
        (account_key(email), config["SIGNIN_MAX_FAILURES_PER_ACCOUNT"]),
        (address_key(), config["SIGNIN_MAX_FAILURES_PER_ADDRESS"]),
    ])


def record_failure(email=None):
    """Count a failed password or code against the address and account."""
    keys = [address_key()]
    if email:
        keys.append(account_key(email))
    FailedAttempt.insert_many([{"key": key} for key in keys]).execute()


def wait_message(minutes, what="failed attempts"):
    unit = "minute" if minutes == 1 else "minutes"
    return f"Too many {what}. Try again in {minutes} {unit}."
