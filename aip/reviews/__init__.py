"""Inboxes for approvers: registrations and submitted plans."""

from flask import Blueprint

bp = Blueprint("reviews", __name__, url_prefix="/inbox")

from aip.reviews import plan_reviews, registrations  # noqa: E402,F401


def init_app(app):
    app.register_blueprint(bp)
