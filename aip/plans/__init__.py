"""The plan editor: one tab per step, each saving itself."""

from flask import Blueprint

bp = Blueprint("plans", __name__, url_prefix="/plans")

# TODO: placeholder view until the plan editor is built.
@bp.get("/current")
def current():
    return "plan", 501


def init_app(app):
    app.register_blueprint(bp)
