"""Sign in with email and password, then the emailed code, and sign out."""

import logging
from urllib.parse import urlsplit

from flask import flash, redirect, render_template, request, session, url_for
from flask_login import current_user

from aip.accounts import bp
from aip.accounts.codes import check_code, issue_code, resend_wait
from aip.accounts.events import record_event
from aip.accounts.forms import CodeForm, ResendCodeForm, SignInForm
from aip.accounts.throttle import record_failure, signin_wait, wait_message
from aip.auth import end_session, start_session
from aip.db import database
from aip.models import User
from aip.models.accounts import ACTIVE, PENDING, REJECTED
from aip.passwords import check_password

logger = logging.getLogger(__name__)

# Session key of a sign-in whose password was right but whose code is
# not entered yet: {"user": id, "next": path or None}.
PENDING_KEY = "pending_signin"


class SignInRejected(Exception):
    """A sign-in refused with a message for the field named field."""

    def __init__(self, message, field=None):
        super().__init__(message)
        self.message = message
        self.field = field


@bp.route("/sign-in", methods=["GET", "POST"])
def sign_in():
    if current_user.is_authenticated:
        return redirect(url_for("home.index"))
    form = SignInForm(next=request.args.get("next", ""))
    if not form.validate_on_submit():
        return render_template("accounts/sign_in.html", form=form)

    try:
        user = authenticate(form.email.data, form.password.data)
    except SignInRejected as error:
        return render_rejected(form, error)
    issue_code(user)
    session[PENDING_KEY] = {"user": user.id, "next": safe_next(form.next.data)}
    return redirect(url_for("accounts.verify_code"))


@bp.route("/sign-in/code", methods=["GET", "POST"])
def verify_code():
    user = pending_user()
    if user is None:
        flash("Sign in with your email and password first.", "info")
        return redirect(url_for("accounts.sign_in"))
    form = CodeForm()
    if form.validate_on_submit():
        error = code_error(user, form.code.data)
        if error is None:
            return finish_sign_in(user)
        form.code.errors.append(error)
    return render_template("accounts/verify_code.html", form=form,
                           user=user, resend_form=ResendCodeForm())


@bp.post("/sign-in/code/new")
def resend_code():
    user = pending_user()
    if user is None:
        return redirect(url_for("accounts.sign_in"))
    if ResendCodeForm().validate_on_submit():
        message = resend_wait(user)
        if message:
            flash(message, "error")
        else:
            issue_code(user)
            flash(f"We sent a new code to {user.email}.", "success")
    return redirect(url_for("accounts.verify_code"))


@bp.post("/sign-out")
def sign_out():
    if current_user.is_authenticated:
        record_event(current_user.user, "signout",
                     f"session:{current_user.session_row.id}")
    end_session()
    session.pop(PENDING_KEY, None)
    flash("You have signed out.", "info")
    return redirect(url_for("accounts.sign_in"))


def authenticate(email, password):
    """Return the user whose password this is, or raise SignInRejected."""
    minutes = signin_wait(email)
    if minutes:
        logger.warning("sign-in from %s rejected: throttled for %s minutes",
                       request.remote_addr, minutes)
        raise SignInRejected(wait_message(minutes))
    user = User.by_email(email)
    if user is None:
        record_failure()
        logger.info("sign-in from %s for an unknown email rejected",
                    request.remote_addr)
        raise SignInRejected("Account not found. Check the address, or "
                             "register a new account.", "email")
    if not check_password(user, password):
        record_failure(email)
        logger.info("wrong password for user %s", user.id)
        raise SignInRejected("Incorrect password.", "password")
    check_registration(user)
    return user


def check_registration(user):
    """Raise SignInRejected unless user has an active role."""
    statuses = {grant.status: grant for grant in user.grants}
    if ACTIVE in statuses:
        return
    if PENDING in statuses:
        raise SignInRejected(
            "Your registration is waiting for approval. We will email "
            "you when it has been decided.")
    if REJECTED in statuses:
        reason = statuses[REJECTED].decision_reason
        raise SignInRejected(f"Your registration was rejected: {reason}")
    raise SignInRejected("Your account has no active role. Ask your PED "
                         "Absence Coordinator for help.")


def render_rejected(form, error):
    if error.field:
        getattr(form, error.field).errors.append(error.message)
    else:
        form.form_errors.append(error.message)
    return render_template("accounts/sign_in.html", form=form)


def pending_user():
    pending = session.get(PENDING_KEY)
    if not isinstance(pending, dict):
        return None
    return User.get_or_none(User.id == pending.get("user"))


def code_error(user, code):
    minutes = signin_wait(user.email)
    if minutes:
        return wait_message(minutes)
    try:
        check_registration(user)
    except SignInRejected as error:
        return error.message
    return check_code(user, code)


def finish_sign_in(user):
    next_url = session.pop(PENDING_KEY, {}).get("next")
    with database.atomic():
        row = start_session(user)
        record_event(user, "signin", f"session:{row.id}")
    if user.active_grants().count() > 1:
        return redirect(url_for("home.landing", next=next_url))
    return redirect(next_url or url_for("home.index"))


def safe_next(value):
    """Return value when it is a path on this site, otherwise None."""
    if not value or len(value) > 2000 or not value.startswith("/"):
        return None
    if value.startswith("//") or "\\" in value:
        return None
    if any(ord(char) < 32 for char in value):
        return None
    parts = urlsplit(value)
    return None if parts.scheme or parts.netloc else value
