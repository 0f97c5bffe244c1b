"""Inboxes for approvers: registrations and submitted plans."""

from flask import Blueprint

bp = Blueprint("reviews", __name__, url_prefix="/inbox")

# TODO: placeholder view until the review inboxes are built.
@bp.get("/")
def inbox():
    return "inbox", 501


def init_app(app):
    app.register_blueprint(bp)
