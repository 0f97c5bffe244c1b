"""The print view and PDF of a plan."""

from flask import Blueprint

bp = Blueprint("reports", __name__, url_prefix="/plans")


def init_app(app):
    app.register_blueprint(bp)
