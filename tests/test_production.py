"""Two gunicorn servers on one PostgreSQL database share every session.

Runs only with AIP_TEST_DATABASE_URL, because production runs on
PostgreSQL. The servers get the production settings from the
environment, as `gunicorn wsgi:app` would in production.
"""

import http.client
import os
import secrets
import subprocess
import sys
import time
from http.cookies import SimpleCookie
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from aip.auth import hash_token
from aip.models import UserSession, utcnow

ROOT = Path(__file__).resolve().parent.parent
START_TIMEOUT = 60


@pytest.fixture
def production_url(postgres_url):
    if not postgres_url:
        pytest.skip("production test needs PostgreSQL: set "
                    "AIP_TEST_DATABASE_URL (CI's second run does)")
    return postgres_url


class AppServer:
    """A gunicorn process serving wsgi:app on a loopback port."""

    def __init__(self, port, env, log_path):
        self.port = port
        self.log_path = log_path
        self.log = open(log_path, "wb")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-w", "2",
             "-b", f"127.0.0.1:{port}", "wsgi:app"],
            cwd=ROOT, env=env, stdout=self.log, stderr=subprocess.STDOUT)

    def wait_ready(self):
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                break
            try:
                self.request("GET", "/static/aip.css")
                return
            except OSError:
                time.sleep(0.2)
        raise AssertionError(f"gunicorn on port {self.port} did not start:\n"
                             + self.log_path.read_text())

    def request(self, method, path, headers=None, body=None):
        connection = http.client.HTTPConnection("127.0.0.1", self.port,
                                                timeout=10)
        try:
            connection.request(method, path, body=body,
                               headers=headers or {})
            response = connection.getresponse()
            return response, response.read().decode()
        finally:
            connection.close()

    def stop(self):
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.log.close()


class Browser:
    """Cookies shared across servers, as behind one proxy host name."""

    def __init__(self):
        self.cookies = {}

    def request(self, server, method, path, headers=None, body=None):
        headers = dict(headers or {})
        if self.cookies:
            headers["Cookie"] = "; ".join(
                f"{name}={value}" for name, value in self.cookies.items())
        response, text = server.request(method, path, headers, body)
        for header in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                self.cookies[name] = morsel.value
        return response, text

    def is_signed_in(self, server):
        """Return whether the layout shows a signed-in user's sign-out form.

        An unknown path renders the error page in the full layout, which
        does not depend on any area's own pages.
        """
        response, text = self.request(server, "GET", "/no-such-page")
        assert response.status == 404
        soup = BeautifulSoup(text, "html.parser")
        return soup.find("form", action="/sign-out") is not None


@pytest.fixture
def servers(app, production_url, free_port, tmp_path):
    env = dict(os.environ,
               AIP_ENV="production",
               AIP_SECRET_KEY=app.config["SECRET_KEY"],
               AIP_DATABASE_URL=production_url)
    started = [AppServer(free_port(), env, tmp_path / f"gunicorn-{n}.log")
               for n in range(2)]
    try:
        for server in started:
            server.wait_ready()
        yield started
    finally:
        for server in started:
            server.stop()


def sign_in_cookie(app, user):
    """Start a session row and sign its cookie with the shared secret."""
    token = secrets.token_urlsafe(32)
    row = UserSession.create(token_hash=hash_token(token), user=user,
                             grant=user.active_grants().first())
    serializer = app.session_interface.get_signing_serializer(app)
    return row, serializer.dumps({"_user_id": token, "_fresh": True})


def test_session_shared_by_two_servers(app, users, servers):
    first, second = servers
    row, cookie = sign_in_cookie(app, users["belen_high"])
    browser = Browser()
    assert not browser.is_signed_in(first)

    browser.cookies[app.config["SESSION_COOKIE_NAME"]] = cookie

    assert browser.is_signed_in(first)
    assert browser.is_signed_in(second)

    (UserSession.update(revoked_at=utcnow())
     .where(UserSession.id == row.id)
     .execute())

    assert not browser.is_signed_in(first)
    assert not browser.is_signed_in(second)


def test_csrf_token_works_across_servers(app, users, servers):
    first, second = servers
    _, cookie = sign_in_cookie(app, users["belen_high"])
    browser = Browser()
    browser.cookies[app.config["SESSION_COOKIE_NAME"]] = cookie
    _, text = browser.request(first, "GET", "/no-such-page")
    field = BeautifulSoup(text, "html.parser").find(
        "input", attrs={"name": "csrf_token"})
    form = {"Content-Type": "application/x-www-form-urlencoded"}

    forged, _ = browser.request(second, "POST", "/sign-out", headers=form,
                                body="csrf_token=forged")
    genuine, _ = browser.request(second, "POST", "/sign-out", headers=form,
                                 body=f"csrf_token={field['value']}")

    assert forged.status == 400
    assert genuine.status != 400


@pytest.mark.parametrize("count, expected", [
    ("", "Flask"),
    ("1", "ProxyFix"),
])
def test_wsgi_trusts_configured_proxies(tmp_path, count, expected):
    env = dict(os.environ, AIP_ENV="production", AIP_SECRET_KEY="k" * 32,
               AIP_DATABASE_URL=f"sqlite:///{tmp_path / 'aip.sqlite3'}",
               AIP_PROXY_COUNT=count)
    script = ("import wsgi; print(type(getattr(wsgi.app.wsgi_app, "
              "'__self__', wsgi.app.wsgi_app)).__name__)")

    output = subprocess.run([sys.executable, "-c", script], cwd=ROOT,
                            env=env, capture_output=True, text=True,
                            check=True).stdout

    assert output.strip() == expected
