"""Template filters and the page that shows every UI component."""

from datetime import timezone
from zoneinfo import ZoneInfo

from flask import Blueprint, abort, current_app, render_template

bp = Blueprint("ui", __name__)


def local_time(value, fmt="%b %-d, %Y %-I:%M %p"):
    """Format a stored UTC datetime in Mountain time."""
    if value is None:
        return ""
    zone = ZoneInfo(current_app.config["TIMEZONE"])
    return value.replace(tzinfo=timezone.utc).astimezone(zone).strftime(fmt)


def percent(value):
    return "" if value is None else f"{value:.1f}%"


@bp.get("/dev/components")
def components():
    """Render every shared UI component, for developers."""
    if not (current_app.debug or current_app.testing):
        abort(404)
    return render_template("ui/components.html")


def init_app(app):
    app.jinja_env.add_extension("jinja2.ext.do")
    app.jinja_env.filters["local_time"] = local_time
    app.jinja_env.filters["percent"] = percent
    app.register_blueprint(bp)
