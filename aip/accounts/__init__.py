"""Registration, sign-in with an emailed code, passwords and sign-out."""

from flask import Blueprint

bp = Blueprint("accounts", __name__)

from aip.accounts import recovery, registration, signin  # noqa: E402,F401


def init_app(app):
    app.register_blueprint(bp)
