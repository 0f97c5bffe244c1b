"""The print view and PDF of a plan."""

from flask import Blueprint

bp = Blueprint("reports", __name__, url_prefix="/plans")


# TODO: placeholder views until the print view and PDF are built.
@bp.get("/<int:plan_id>/print")
def print_view(plan_id):
    return "print", 501


@bp.get("/<int:plan_id>/plan.pdf")
def pdf(plan_id):
    return "pdf", 501


def init_app(app):
    app.register_blueprint(bp)
