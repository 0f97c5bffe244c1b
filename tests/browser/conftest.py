"""Browser fixtures: the app on a loopback port and Debian's Chromium.

Playwright drives the Chromium at /usr/bin/chromium (or AIP_CHROMIUM),
because `playwright install` cannot download a browser here. Every
request to a host other than 127.0.0.1 is aborted, so nothing leaves the
machine. Without Chromium the tests are skipped, unless
AIP_REQUIRE_BROWSER=1, as CI sets, makes a missing browser a failure.
"""

import os
import secrets
import threading
from pathlib import Path
from types import SimpleNamespace
from urllib.parse import urlsplit

import pytest
from werkzeug.serving import make_server

from aip import create_app
from aip.db import database
from aip.models import ALL_MODELS
from aip.reference import ensure_lookup_rows, ensure_school_years

CHROMIUM = os.environ.get("AIP_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update",
    "--disable-sync",
]
LOOPBACK = "127.0.0.1"
SCHOOL_START_YEAR = 2026
missing_browser = []


def pytest_collection_modifyitems(items):
    for item in items:
        if Path(item.fspath).parent == Path(__file__).parent:
            item.add_marker(pytest.mark.browser)


def pytest_terminal_summary(terminalreporter):
    if missing_browser:
        terminalreporter.section("BROWSER TESTS DID NOT RUN", sep="!",
                                 red=True, bold=True)
        terminalreporter.write_line(missing_browser[0], red=True)


@pytest.fixture
def live_server(tmp_path):
    """Serve a fresh app on a free loopback port in a background thread.

    The app uses its own SQLite file with tables and lookup rows. The
    returned namespace has url, app and outbox (the mail folder); tests
    add rows through the app's database from their own thread.
    """
    app = create_app({
        "TESTING": True,
        "SECRET_KEY": "browser-" + secrets.token_hex(8),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'aip.sqlite3'}",
        "OUTBOX_DIR": str(tmp_path / "outbox"),
    })
    with app.app_context():
        with database.connection_context():
            database.create_tables(ALL_MODELS)
            ensure_lookup_rows()
            ensure_school_years(SCHOOL_START_YEAR)
    server = make_server(LOOPBACK, 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield SimpleNamespace(url=f"http://{LOOPBACK}:{server.server_port}",
                          app=app, outbox=Path(app.config["OUTBOX_DIR"]))
    server.shutdown()
    server.server_close()
    thread.join(timeout=10)


def require_browser(reason):
    """Skip, or fail when AIP_REQUIRE_BROWSER=1, for a missing browser."""
    message = f"browser tests need Chromium: {reason}"
    if os.environ.get("AIP_REQUIRE_BROWSER") == "1":
        pytest.fail(message + " (AIP_REQUIRE_BROWSER=1)", pytrace=False)
    if not missing_browser:
        missing_browser.append(
            message + ". Install it with `apt-get install chromium` or set "
            "AIP_CHROMIUM to its path.")
    pytest.skip(message)


@pytest.fixture(scope="session")
def browser():
    """Launch headless Chromium once per session, with a fresh profile."""
    if not os.access(CHROMIUM, os.X_OK):
        require_browser(f"{CHROMIUM} is not an executable file")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError as error:
        require_browser(f"Playwright is not installed ({error})")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def console_errors():
    """The page's console errors and uncaught exceptions, as text."""
    return []


@pytest.fixture
def blocked_requests():
    """URLs the page tried to fetch from hosts other than 127.0.0.1.

    The page fixture fails the test if any are left at the end, so a
    test that provokes one on purpose clears the list.
    """
    return []


@pytest.fixture
def page(browser, console_errors, blocked_requests):
    """Open a page in a new browser context that reaches loopback only."""
    context = browser.new_context()
    blocked = blocked_requests

    def only_loopback(route):
        url = route.request.url
        if urlsplit(url).hostname == LOOPBACK or url.startswith("data:"):
            route.continue_()
        else:
            blocked.append(url)
            route.abort()

    context.route("**/*", only_loopback)
    page = context.new_page()
    page.on("console", lambda message: message.type == "error"
            and console_errors.append(message.text))
    page.on("pageerror", lambda error: console_errors.append(str(error)))
    yield page
    context.close()
    assert blocked == [], f"the page requested other hosts: {blocked}"
