"""The developer components page in a real browser."""

import pytest

from tests.browser.harness import assert_accessible

pytestmark = pytest.mark.browser


def test_components_page_in_browser(live_server, page, console_errors):
    response = page.goto(f"{live_server.url}/dev/components")

    assert response.status == 200
    assert page.locator("h1").inner_text() == "Components"
    assert page.evaluate("typeof window.htmx") == "object"
    assert page.evaluate("window.htmx.version") == "2.0.11"
    assert console_errors == []
    assert_accessible(page)


def test_other_hosts_are_blocked(page, blocked_requests):
    # about:blank has no Content-Security-Policy, so only the route can
    # stop the fetch; 127.0.0.2 keeps any leak on loopback.
    page.set_content("<p>Blank</p>")

    status = page.evaluate(
        "fetch('http://127.0.0.2:9/').then(() => 'fetched', () => 'blocked')")

    assert status == "blocked"
    assert blocked_requests == ["http://127.0.0.2:9/"]
    blocked_requests.clear()


def test_assert_accessible_reports_violations(page):
    page.set_content('<html><body><input type="text"></body></html>')

    with pytest.raises(AssertionError, match="label"):
        assert_accessible(page)
