"""Sessions checked against the database, and the active role's scope.

The signed cookie carries only a random token. Its hash names a
UserSession row, so sign-out or a password change on one app server
revokes the session on all of them.
"""

import hashlib
import secrets
from datetime import timedelta
from functools import wraps

from flask import abort, current_app, g, redirect, request, url_for
from flask_login import (LoginManager, current_user, login_user,
                         logout_user)

from aip.models import RoleGrant, User, UserSession, utcnow
from aip.models.accounts import ACTIVE

login_manager = LoginManager()
login_manager.login_view = "accounts.sign_in"
login_manager.login_message = "Please sign in to continue."
login_manager.login_message_category = "info"
login_manager.session_protection = None  # the database row is the guard

# Seen-at times are written at most this often, to keep reads cheap.
LAST_SEEN_RESOLUTION = timedelta(minutes=5)

# Endpoints a user whose password has expired may still reach.
PASSWORD_CHANGE_ENDPOINTS = {
    "accounts.change_password", "accounts.sign_out", "static",
}


def hash_token(token):
    return hashlib.sha256(token.encode()).hexdigest()


class SignedInUser:
    """The Flask-Login user: a User plus the session row it came through."""

    is_authenticated = True
    is_active = True
    is_anonymous = False

    def __init__(self, user, session_row, token):
        self.user = user
        self.session_row = session_row
        self._token = token

    def get_id(self):
        return self._token

    def __getattr__(self, name):
        return getattr(self.user, name)


@login_manager.user_loader
def load_user(token):
    row = (UserSession.select(UserSession, User)
           .join(User)
           .where((UserSession.token_hash == hash_token(token))
                  & UserSession.revoked_at.is_null())
           .first())
    if row is None:
        return None
    max_age = timedelta(hours=current_app.config["SESSION_MAX_AGE_HOURS"])
    now = utcnow()
    if now - row.created_at > max_age:
        return None
    if now - row.last_seen_at > LAST_SEEN_RESOLUTION:
        (UserSession.update(last_seen_at=now)
         .where(UserSession.id == row.id)
         .execute())
    return SignedInUser(row.user, row, token)


def start_session(user):
    """Sign a user in with a new session row and choose a lone role."""
    token = secrets.token_urlsafe(32)
    grants = list(user.active_grants())
    row = UserSession.create(
        token_hash=hash_token(token), user=user,
        grant=grants[0] if len(grants) == 1 else None,
        client_address=(request.remote_addr or "")[:64])
    login_user(SignedInUser(user, row, token))
    return row


def end_session():
    if current_user.is_authenticated:
        (UserSession.update(revoked_at=utcnow())
         .where(UserSession.id == current_user.session_row.id)
         .execute())
    logout_user()


def revoke_sessions(user, keep=None):
    """Revoke every session of a user, except keep (a UserSession)."""
    query = UserSession.update(revoked_at=utcnow()).where(
        (UserSession.user == user) & UserSession.revoked_at.is_null())
    if keep is not None:
        query = query.where(UserSession.id != keep.id)
    return query.execute()


def current_grant():
    """Return the active RoleGrant of the signed-in user, or None."""
    if not current_user.is_authenticated:
        return None
    if "grant" not in g:
        grant = None
        grant_id = current_user.session_row.grant_id
        if grant_id is not None:
            grant = (RoleGrant.select()
                     .where((RoleGrant.id == grant_id)
                            & (RoleGrant.user == current_user.user.id)
                            & (RoleGrant.status == ACTIVE))
                     .first())
        g.grant = grant
    return g.grant


def choose_grant(grant):
    """Make grant (one of the user's active grants) the active role."""
    (UserSession.update(grant=grant)
     .where(UserSession.id == current_user.session_row.id)
     .execute())
    current_user.session_row.grant = grant
    g.grant = grant


def plan_or_404(query, plan_id):
    """Return the plan with plan_id from a role-scoped query, or abort 404.

    A plan outside the active role's scope gets 404, never 403, so an
    id in a URL reveals nothing about another school.
    """
    from aip.models import Plan

    plan = query.where(Plan.id == plan_id).first()
    if plan is None:
        abort(404)
    return plan


def role_required(*roles):
    """Require a signed-in user whose active role is one of roles.

    A user with no active role is sent to choose one; a user whose active
    role is not allowed here gets 403.
    """
    def decorator(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            if not current_user.is_authenticated:
                return login_manager.unauthorized()
            grant = current_grant()
            if grant is None:
                return redirect(url_for("home.landing", next=request.path))
            if roles and grant.role not in roles:
                abort(403)
            return view(*args, **kwargs)
        return wrapped
    return decorator


def password_expired(user):
    max_age = current_app.config["PASSWORD_MAX_AGE_DAYS"]
    if user.must_change_password:
        return True
    if not max_age:
        return False
    return utcnow() - user.password_changed_at > timedelta(days=max_age)


def init_app(app):
    login_manager.init_app(app)

    @app.before_request
    def _require_current_password():
        if (current_user.is_authenticated
                and request.endpoint not in PASSWORD_CHANGE_ENDPOINTS
                and password_expired(current_user.user)):
            return redirect(url_for("accounts.change_password"))

    @app.context_processor
    def _inject_grant():
        return {"current_grant": current_grant()}
