"""Registration, sign-in with an emailed code, passwords and roles."""

from flask import Blueprint

bp = Blueprint("accounts", __name__)

# TODO: placeholder views until the accounts area is built.
@bp.route("/sign-in", methods=["GET", "POST"])
def sign_in():
    return "sign in", 501

@bp.post("/sign-out")
def sign_out():
    return "sign out", 501

@bp.route("/password", methods=["GET", "POST"])
def change_password():
    return "password", 501


def init_app(app):
    app.register_blueprint(bp)
