"""The six-digit code emailed as the second sign-in step.

pyotp makes each code from a fresh random secret, and only an HMAC of the
code keyed with SECRET_KEY is stored, with its expiry, attempt count and
the time it was used.
"""

import hashlib
import hmac
import logging
from datetime import timedelta

import pyotp
from flask import current_app

from aip.accounts.events import queue_template_mail
from aip.accounts.throttle import record_failure
from aip.db import database
from aip.models import SignInCode, utcnow

logger = logging.getLogger(__name__)

INVALID = "Invalid code. Check the latest email and try again."
TOO_MANY = "Too many attempts. Request a new code."
EXPIRED = "This code has expired. Request a new code."
REPLACED = "This code has already been used or replaced. Request a new code."

# Resend limits: one code per interval, and a cap within the window.
RESEND_INTERVAL = timedelta(seconds=30)
RESEND_WINDOW = timedelta(minutes=15)
RESEND_MAX_CODES = 5


def code_hash(code):
    key = current_app.config["SECRET_KEY"].encode()
    return hmac.new(key, code.encode(), hashlib.sha256).hexdigest()


def issue_code(user):
    """Create a code for user, expire earlier ones and email it."""
    code = pyotp.HOTP(pyotp.random_base32()).at(0)
    now = utcnow()
    ttl = timedelta(seconds=current_app.config["SIGNIN_CODE_TTL_SECONDS"])
    with database.atomic():
        (SignInCode.update(expires_at=now)
         .where((SignInCode.user == user)
                & SignInCode.used_at.is_null()
                & (SignInCode.expires_at > now))
         .execute())
        row = SignInCode.create(user=user, code_hash=code_hash(code),
                                created_at=now, expires_at=now + ttl)
        queue_template_mail(user.email, "Your AIP sign-in code",
                            "signin_code.txt", user=user, code=code,
                            expires_at=row.expires_at)
    logger.info("sign-in code %s sent to user %s", row.id, user.id)
    return row


def latest_code(user):
    return (SignInCode.select()
            .where(SignInCode.user == user)
            .order_by(SignInCode.id.desc())
            .first())


def check_code(user, code):
    """Mark user's latest code used when it matches, else return an error.

    A wrong code adds an attempt and counts as a failed sign-in, and the
    code dies at SIGNIN_CODE_MAX_ATTEMPTS.
    """
    row = latest_code(user)
    now = utcnow()
    max_attempts = current_app.config["SIGNIN_CODE_MAX_ATTEMPTS"]
    if row is None or row.used_at is not None:
        return REPLACED
    if row.attempts >= max_attempts:
        return TOO_MANY
    if row.expires_at <= now:
        return EXPIRED
    if not hmac.compare_digest(row.code_hash, code_hash(code)):
        (SignInCode.update(attempts=SignInCode.attempts + 1)
         .where(SignInCode.id == row.id)
         .execute())
        record_failure(user.email)
        logger.info("wrong sign-in code %s for user %s", row.id, user.id)
        return TOO_MANY if row.attempts + 1 >= max_attempts else INVALID
    claimed = (SignInCode.update(used_at=now)
               .where((SignInCode.id == row.id)
                      & SignInCode.used_at.is_null())
               .execute())
    return None if claimed else REPLACED


def resend_wait(user):
    """Return a message when user requested codes too often, else None."""
    now = utcnow()
    recent = list(SignInCode.select(SignInCode.created_at)
                  .where((SignInCode.user == user)
                         & (SignInCode.created_at > now - RESEND_WINDOW))
                  .order_by(SignInCode.created_at.desc()))
    if recent and recent[0].created_at > now - RESEND_INTERVAL:
        seconds = (recent[0].created_at + RESEND_INTERVAL - now).seconds + 1
        return f"Wait {seconds} seconds before asking for another code."
    if len(recent) >= RESEND_MAX_CODES:
        oldest = recent[RESEND_MAX_CODES - 1].created_at
        minutes = (oldest + RESEND_WINDOW - now).seconds // 60 + 1
        return f"Too many codes requested. Try again in {minutes} minutes."
    return None
