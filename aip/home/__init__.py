"""The landing page (role choice), home screen and announcements."""

from flask import Blueprint

bp = Blueprint("home", __name__)

# TODO: placeholder views until the home area is built.
@bp.get("/")
def index():
    return "home", 501

@bp.route("/roles", methods=["GET", "POST"])
def landing():
    return "roles", 501


def init_app(app):
    app.register_blueprint(bp)
