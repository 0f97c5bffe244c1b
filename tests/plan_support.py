"""Helpers shared by the plan editor's tests."""

import json
from decimal import Decimal

import pytest
from bs4 import BeautifulSoup
from flask import g

from aip.models import (AttendanceFigure, Plan, SchoolYear, StudentGroup)

TABS = ("contact", "targets", "root-causes", "tiers", "progress", "submit",
        "print-plan")
HX = {"HX-Request": "true"}


def soup(response):
    return BeautifulSoup(response.get_data(as_text=True), "html.parser")


def csrf_token(client, plan):
    """Return the CSRF token of the session, read from a page's <body>.

    The db fixture keeps one app context open, so Flask's g outlives a
    request and would hand a second client the first client's token.
    """
    g.pop("csrf_token", None)
    g.pop("grant", None)
    page = soup(client.get(f"/plans/{plan.id}/progress"))
    return json.loads(page.body["hx-headers"])["X-CSRFToken"]


def create_plan(organisation):
    return Plan.create(organisation=organisation,
                       school_year=SchoolYear.current())


def add_figures(school):
    """Give a school synthetic "All students" figures for three years."""
    everyone = StudentGroup.get(code="ALL")
    current = SchoolYear.current()
    older, last = reversed(current.previous(2))
    for year, rate in ((older, "31.0"), (last, "28.5"), (current, "27.0")):
        AttendanceFigure.create(
            organisation=school, school_year=year, group=everyone,
            enrollment=640, chronic_absence_rate=Decimal(rate),
            source="synthetic")


class Editor:
    """A signed-in client that posts to the editor with its CSRF token."""

    def __init__(self, client, plan):
        self.client = client
        self.plan = plan
        self.token = csrf_token(client, plan)

    def url(self, *parts):
        return "/".join([f"/plans/{self.plan.id}", *map(str, parts)])

    def post(self, path, data=None, htmx=True):
        headers = {"X-CSRFToken": self.token, **(HX if htmx else {})}
        return self.client.post(path, data=data or {}, headers=headers)

    def save(self, kind, key, field, value, version, force=False):
        """Post one field as autosave does."""
        prefix = f"{kind}-{key}"
        data = {f"{prefix}-{field}": value, f"{prefix}-version": version}
        if value is None:
            data.pop(f"{prefix}-{field}")
        if force:
            data["force"] = "1"
        return self.post(self.url("rows", kind, key, field), data)

    def add(self, kind, parent=None, htmx=True):
        query = f"?parent={parent}" if parent is not None else ""
        return self.post(self.url("rows", kind) + query, htmx=htmx)

    def remove(self, kind, key, htmx=True):
        return self.post(self.url("rows", kind, key, "remove"), htmx=htmx)

    def tab(self, tab, htmx=False):
        return self.client.get(self.url(tab), headers=HX if htmx else {})

    def submit_tab(self, tab, data):
        """Post a whole tab as the Save button does with JavaScript off."""
        return self.post(self.url(tab),
                         {"csrf_token": self.token, **data}, htmx=False)


@pytest.fixture
def plan(orgs):
    """Belen High's draft plan, with synthetic "All students" figures."""
    add_figures(orgs["belen_high"])
    return create_plan(orgs["belen_high"])


@pytest.fixture
def editor(client, auth, users, plan):
    """Belen High's coordinator, signed in, editing its plan."""
    auth.login(users["belen_high"])
    return Editor(client, plan)
