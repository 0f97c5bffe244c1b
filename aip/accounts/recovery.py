"""Change an expired or known password, and reset a forgotten one."""

import hashlib
import logging

from flask import (current_app, flash, redirect, render_template, request,
                   url_for)
from flask_login import current_user, login_required
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from aip.accounts import bp
from aip.accounts.events import queue_template_mail, record_event
from aip.accounts.forms import (ChangePasswordForm, ForgotPasswordForm,
                                NewPasswordForm)
from aip.accounts.throttle import (address_key, minutes_to_wait,
                                   record_failure, signin_wait,
                                   wait_message)
from aip.auth import password_expired, revoke_sessions
from aip.db import database
from aip.models import FailedAttempt, User
from aip.passwords import check_password, record_password, reuse_error, rules_for

logger = logging.getLogger(__name__)

RESET_SALT = "password-reset"
# Reset requests allowed per client address within
# SIGNIN_FAILURE_WINDOW_SECONDS, unless PASSWORD_RESET_MAX_PER_ADDRESS is set.
RESET_MAX_PER_ADDRESS = 5
RESET_SENT = ("If that address has an account, we sent a link to reset "
              "the password. The link works for {minutes} minutes.")


@bp.route("/password", methods=["GET", "POST"])
@login_required
def change_password():
    user = current_user.user
    form = ChangePasswordForm()
    if form.validate_on_submit() and change_allowed(user, form):
        with database.atomic():
            record_password(user, form.new_password.data)
            revoke_sessions(user, keep=current_user.session_row)
            record_event(user, "password.changed", f"user:{user.id}")
        flash("Your password has been changed.", "success")
        return redirect(url_for("home.index"))
    return render_template("accounts/change_password.html", form=form,
                           expired=password_expired(user),
                           rules=rules_for(form.new_password.data))


@bp.route("/forgot-password", methods=["GET", "POST"])
def forgot_password():
    form = ForgotPasswordForm()
    if not form.validate_on_submit():
        return render_template("accounts/forgot_password.html", form=form)

    minutes = reset_wait()
    if minutes:
        logger.warning("password reset from %s rejected: throttled",
                       request.remote_addr)
        form.email.errors.append(wait_message(minutes, "reset requests"))
        return render_template("accounts/forgot_password.html", form=form)
    FailedAttempt.create(key=address_key("reset"))
    user = User.by_email(form.email.data)
    if user is not None:
        send_reset_link(user)
    ttl = current_app.config["PASSWORD_RESET_TTL_SECONDS"]
    flash(RESET_SENT.format(minutes=ttl // 60), "info")
    return redirect(url_for("accounts.forgot_password"))


# NOTE: the token is part of the path, so a server's access log records
# it. The link works once and expires after PASSWORD_RESET_TTL_SECONDS.
@bp.route("/reset-password/<token>", methods=["GET", "POST"])
def reset_password(token):
    user, problem = load_reset_token(token)
    if user is None:
        logger.info("password reset link rejected: %s", problem)
        return render_template("accounts/reset_invalid.html",
                               problem=problem), 400
    form = NewPasswordForm()
    if form.validate_on_submit() and reset_allowed(user, form):
        with database.atomic():
            record_password(user, form.new_password.data)
            revoke_sessions(user)
            record_event(None, "password.reset", f"user:{user.id}")
        flash("Your password has been reset. Sign in with it now.", "success")
        return redirect(url_for("accounts.sign_in"))
    return render_template("accounts/reset_password.html", form=form,
                           token=token,
                           rules=rules_for(form.new_password.data))


def change_allowed(user, form):
    """Check the current password and reuse, with errors on the form."""
    minutes = signin_wait(user.email)
    if minutes:
        form.current_password.errors.append(wait_message(minutes))
        return False
    if not check_password(user, form.current_password.data):
        record_failure(user.email)
        logger.info("password change for user %s rejected: wrong current "
                    "password", user.id)
        form.current_password.errors.append("Incorrect password.")
        return False
    return reset_allowed(user, form)


def reset_allowed(user, form):
    error = reuse_error(user, form.new_password.data)
    if error:
        form.new_password.errors.append(error)
    return error is None


def reset_wait():
    limit = current_app.config.get("PASSWORD_RESET_MAX_PER_ADDRESS",
                                   RESET_MAX_PER_ADDRESS)
    return minutes_to_wait([(address_key("reset"), limit)])


def serializer():
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"],
                                  salt=RESET_SALT)


def password_fingerprint(user):
    """Return a digest of the password hash: a new password voids links."""
    return hashlib.sha256(user.password_hash.encode()).hexdigest()[:32]


def reset_token(user):
    return serializer().dumps({"user": user.id,
                               "password": password_fingerprint(user)})


def load_reset_token(token):
    """Return (user, None) for a live token, else (None, problem)."""
    ttl = current_app.config["PASSWORD_RESET_TTL_SECONDS"]
    try:
        payload = serializer().loads(token, max_age=ttl)
    except SignatureExpired:
        return None, "expired"
    except BadSignature:
        return None, "invalid"
    if not isinstance(payload, dict) or not isinstance(payload.get("user"), int):
        return None, "invalid"
    user = User.get_or_none(User.id == payload["user"])
    if user is None or payload.get("password") != password_fingerprint(user):
        return None, "used"
    return user, None


def send_reset_link(user):
    link = url_for("accounts.reset_password", token=reset_token(user),
                   _external=True)
    ttl = current_app.config["PASSWORD_RESET_TTL_SECONDS"]
    with database.atomic():
        queue_template_mail(user.email, "Reset your AIP password",
                            "password_reset.txt", user=user, link=link,
                            minutes=ttl // 60)
        record_event(None, "password.reset_requested", f"user:{user.id}",
                     f"address:{request.remote_addr}")
