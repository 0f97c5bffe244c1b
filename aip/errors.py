"""Error pages, security headers and the Vary header htmx needs."""

import logging

from flask import render_template, request
from flask_wtf.csrf import CSRFError

logger = logging.getLogger(__name__)

# The app serves its own scripts and styles only: no CDN, no inline script.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; "
    "img-src 'self' data:; object-src 'none'; base-uri 'self'; "
    "form-action 'self'; frame-ancestors 'none'"
)

MESSAGES = {
    400: ("Bad request", "The request could not be understood."),
    403: ("Not allowed", "Your current role cannot open this page."),
    404: ("Not found", "There is no such page, or it is not yours to see."),
    405: ("Not allowed", "This page does not accept that kind of request."),
    413: ("Too large", "The request was larger than this site accepts."),
    500: ("Something went wrong",
          "The server failed to finish the request. Nothing you saved "
          "before is lost; try again in a moment."),
}


def render_error(status, message=None):
    title, text = MESSAGES.get(status, MESSAGES[500])
    template = "_error.html" if request.headers.get("HX-Request") else "error.html"
    return render_template(template, status=status, title=title,
                           text=message or text), status


def init_app(app):
    for status in (400, 403, 404, 405, 413):
        app.register_error_handler(
            status, lambda error, status=status: render_error(status))

    @app.errorhandler(CSRFError)
    def _csrf_error(error):
        logger.warning("CSRF check failed on %s: %s", request.path,
                       error.description)
        return render_error(
            400, "Your session's security token is missing or out of date. "
            "Reload the page and try again; text you typed is still in "
            "the page.")

    @app.errorhandler(500)
    def _server_error(error):
        logger.error("request to %s failed", request.path)
        return render_error(500)

    @app.after_request
    def _headers(response):
        response.headers.setdefault("Content-Security-Policy",
                                    CONTENT_SECURITY_POLICY)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.vary.add("HX-Request")
        if request.endpoint != "static":
            response.headers.setdefault("Cache-Control", "no-store")
        return response
