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
from werkzeug.serving import WSGIRequestHandler, make_server

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
    counts = {}
    for outcome in ("passed", "failed", "error", "skipped"):
        nodeids = {report.nodeid
                   for report in terminalreporter.stats.get(outcome, [])
                   if getattr(report, "nodeid", "").startswith(
                       "tests/browser/")}
        counts[outcome] = len(nodeids)
    if any(counts.values()):
        terminalreporter.write_line(
            "browser tests: " + ", ".join(
                f"{count} {outcome}" for outcome, count in counts.items()))
    if missing_browser:
        terminalreporter.section("BROWSER TESTS DID NOT RUN", sep="!",
                                 red=True, bold=True)
        terminalreporter.write_line(missing_browser[0], red=True)


class SingleRequestHandler(WSGIRequestHandler):
    """Close each connection after one request.

    A kept-alive connection would go on being served by its thread after
    the server stops listening, so a stopped server would still respond.
    """

    protocol_version = "HTTP/1.0"


class LiveServer:
    """The app served on one loopback port, which can stop and restart."""

    def __init__(self, app, port=0):
        self.app = app
        self.outbox = Path(app.config["OUTBOX_DIR"])
        self.server = self.thread = None
        self.port = port
        self.start()
        self.url = f"http://{LOOPBACK}:{self.port}"

    def start(self):
        self.server = make_server(LOOPBACK, self.port, self.app,
                                  threaded=True,
                                  request_handler=SingleRequestHandler)
        self.port = self.server.server_port
        self.thread = threading.Thread(target=self.server.serve_forever,
                                       daemon=True)
        self.thread.start()

    def stop(self):
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=10)

    def query(self, function, *args):
        """Call function(*args) with the app's database open; return it."""
        with self.app.app_context():
            with database.connection_context():
                return function(*args)


@pytest.fixture
def live_server(tmp_path):
    """Serve a fresh app on a free loopback port in a background thread.

    The app uses its own SQLite file with tables and lookup rows. The
    returned LiveServer has url, app and outbox (the mail folder), stop()
    and start() to take it off and back on the same port, and query() to
    read or add rows through the app's database from the test's thread.
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
    server = LiveServer(app)
    yield server
    if server.thread.is_alive():
        server.stop()


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
def open_page(browser, console_errors, blocked_requests):
    """Return a function that opens a page in a new browser context.

    Each context reaches loopback only; keyword arguments go to
    browser.new_context, such as java_script_enabled=False.
    """
    contexts = []
    blocked = blocked_requests

    def only_loopback(route):
        url = route.request.url
        if urlsplit(url).hostname == LOOPBACK or url.startswith("data:"):
            route.continue_()
        else:
            blocked.append(url)
            route.abort()

    def open_page(**options):
        context = browser.new_context(**options)
        contexts.append(context)
        context.route("**/*", only_loopback)
        page = context.new_page()
        page.on("console", lambda message: message.type == "error"
                and console_errors.append(message.text))
        page.on("pageerror", lambda error: console_errors.append(str(error)))
        return page

    yield open_page
    for context in contexts:
        context.close()
    assert blocked == [], f"the page requested other hosts: {blocked}"


@pytest.fixture
def page(open_page):
    """Open a page in a new browser context that reaches loopback only."""
    return open_page()


BELEN_DOMAIN = "belen.k12.nm.us"


def create_belen():
    """Add PED, Belen's district and two schools, demo figures and users.

    The figures are the synthetic demo data of the two schools, as
    `flask aip setup --demo` makes them; with only these schools in the
    database that takes well under a second.
    """
    from aip.admin.demo import create_demo_figures
    from tests.conftest import create_organisation, create_user

    ped = create_organisation("state", "NEW MEXICO PUBLIC EDUCATION DEPARTMENT")
    belen = create_organisation("district", "BELEN CONSOLIDATED SCHOOLS",
                                nces_id="3500180", city="BELEN",
                                email_domains=BELEN_DOMAIN)
    high = create_organisation("school", "BELEN HIGH", belen,
                               nces_id="350018000140", lowest_grade="9",
                               highest_grade="12")
    create_organisation("school", "BELEN MIDDLE", belen,
                        nces_id="350018000141", lowest_grade="7",
                        highest_grade="8")
    create_demo_figures()
    return SimpleNamespace(
        ped=ped, district=belen, high=high,
        ped_user=create_user("ped@ped.nm.gov", ped, "ped"),
        district_user=create_user(f"district@{BELEN_DOMAIN}", belen,
                                  "district", first_name="Dolores",
                                  last_name="Chavez"),
        coordinator=create_user(f"kgarcia@{BELEN_DOMAIN}", high, "school",
                                first_name="Kristin", last_name="Garcia"),
        second_coordinator=create_user(f"lbaca@{BELEN_DOMAIN}", high,
                                       "school", first_name="Luis",
                                       last_name="Baca"))


@pytest.fixture
def belen(live_server):
    """The live server's Belen organisations, figures and users."""
    return live_server.query(create_belen)
