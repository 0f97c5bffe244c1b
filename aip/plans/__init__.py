"""The plan editor: one tab per step, each saving itself."""

from flask import Blueprint

bp = Blueprint("plans", __name__, url_prefix="/plans")

from aip.plans import autosave, filters, views  # noqa: E402,F401


def init_app(app):
    app.register_blueprint(bp)
