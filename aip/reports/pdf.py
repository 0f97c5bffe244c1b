"""PDF rendering with WeasyPrint, locked to static files, and its cache."""

import hashlib
import logging
import mimetypes
import os
import tempfile
from pathlib import Path
from urllib.parse import unquote, urlsplit

from flask import current_app, url_for
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse
from werkzeug.security import safe_join

logger = logging.getLogger(__name__)

# WeasyPrint resolves relative URLs against this origin, which the
# fetcher maps to the static folder on disk. The .invalid top-level
# domain never resolves, so no request could reach a real host.
BASE_URL = "https://aip.invalid/"

# Bump when print.html changes what a cached PDF shows. The key covers
# the rendered body and the print stylesheet by their content.
TEMPLATE_VERSION = "1"
STYLESHEET = "print.css"


class FetchRejected(ValueError):
    """A URL that the PDF renderer may not load."""


class StaticFetcher(URLFetcher):
    """Load the app's static files from disk and data: URLs, and no others.

    Any other URL raises FetchRejected. WeasyPrint catches the FetchRejected error, logs a warning and renders
    the document without that resource.
    """

    def __init__(self, static_folder, static_url):
        super().__init__(allowed_protocols={"data"}, allow_redirects=False)
        self.static_folder = static_folder
        self.static_url = static_url

    def fetch(self, url, headers=None):
        if url.startswith("data:"):
            return super().fetch(url, headers)
        if not url.startswith(self.static_url):
            raise FetchRejected(
                f"rejected URL in a PDF: {url[:200]} (only the app's static "
                "files and data: URLs load)")
        relative = unquote(urlsplit(url).path[len(urlsplit(
            self.static_url).path):])
        path = safe_join(self.static_folder, relative)
        if path is None or not os.path.isfile(path):
            raise FetchRejected(f"static file not found: {relative[:200]}")
        mimetype = mimetypes.guess_type(path)[0] or "application/octet-stream"
        return URLFetcherResponse(url, Path(path).read_bytes(),
                                  {"Content-Type": mimetype})


def static_fetcher():
    """Return a StaticFetcher for the current app; needs a request context."""
    static_url = BASE_URL + url_for("static", filename="").lstrip("/")
    return StaticFetcher(current_app.static_folder, static_url)


def write_pdf(html):
    """Render a page of HTML to PDF bytes."""
    return HTML(string=html, base_url=BASE_URL,
                url_fetcher=static_fetcher()).write_pdf()


def cache_folder():
    configured = current_app.config.get("PDF_CACHE_DIR")
    return Path(configured or Path(current_app.instance_path) / "pdf-cache")


def cache_key(plan, sections, body):
    """Hash what a PDF shows: plan state, sections, templates and body.

    The body is the rendered plan without the printed-at time, so the
    key changes with any edit, including new attendance figures.
    """
    digest = hashlib.sha256()
    stylesheet = Path(current_app.static_folder, STYLESHEET).read_bytes()
    for part in (TEMPLATE_VERSION, stylesheet, plan.id, plan.status,
                 plan.updated_at, ",".join(sections), body):
        digest.update(str(part).encode())
        digest.update(b"\0")
    return digest.hexdigest()


def cached_pdf(plan, sections, body, render_page):
    """Return the PDF for a rendered body, from the cache when it is there.

    render_page() returns the whole page and is called only on a miss.
    The file is written under a temporary name and renamed, so another
    app server sharing the folder never reads half a file.
    """
    folder = cache_folder()
    path = folder / f"plan-{plan.id}-{cache_key(plan, sections, body)}.pdf"
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        pass
    else:
        logger.info("plan %s PDF served from cache", plan.id)
        return data

    data = write_pdf(render_page())
    folder.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=folder, suffix=".tmp")
    with os.fdopen(handle, "wb") as file:
        file.write(data)
    os.replace(temporary, path)
    logger.info("plan %s PDF rendered, %s bytes", plan.id, len(data))
    # TODO: prune old cache files, because each edit leaves a PDF behind.
    return data
