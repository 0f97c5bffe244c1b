"""AIP: Attendance Improvement Plans for New Mexico schools and districts."""

import logging
import os

from flask import Flask
from flask_wtf.csrf import CSRFProtect
from htmx_flask import Htmx

from aip import auth, db, errors, mail, registry
from aip.config import Config, load_secret_key

csrf = CSRFProtect()
htmx = Htmx()


def create_app(test_config=None):
    """Create the app: defaults, then the environment, then test_config."""
    app = Flask(__name__, instance_relative_config=True)
    app.config.from_object(Config)
    if test_config is not None:
        app.config.from_mapping(test_config)
    os.makedirs(app.instance_path, exist_ok=True)
    _finish_config(app)
    _configure_logging(app)

    csrf.init_app(app)
    htmx.init_app(app)
    db.init_app(app)
    registry.init_app(app)
    auth.init_app(app)
    errors.init_app(app)
    mail.init_app(app)

    from aip import accounts, admin, home, plans, reports, reviews, ui
    for module in (accounts, home, plans, reviews, reports, admin, ui):
        module.init_app(app)
    return app


def _finish_config(app):
    config = app.config
    production = config["ENV_NAME"] == "production"
    if not config.get("SECRET_KEY"):
        if production:
            raise RuntimeError(
                "AIP_SECRET_KEY is missing: production needs one key shared "
                "by every app server.")
        config["SECRET_KEY"] = load_secret_key(app.instance_path)
    if not config.get("DATABASE_URL"):
        if production:
            raise RuntimeError(
                "AIP_DATABASE_URL is missing: production needs a PostgreSQL "
                "URL such as postgresql://aip@db.example/aip.")
        path = os.path.join(app.instance_path, "aip.sqlite3")
        config["DATABASE_URL"] = f"sqlite:///{path}"


def _configure_logging(app):
    # WeasyPrint reports each rendering step at INFO, which buries the
    # app's own lines.
    logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)
    if app.config["TESTING"] or logging.getLogger().handlers:
        return
    logging.basicConfig(
        level=logging.INFO,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
