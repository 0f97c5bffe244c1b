"""The print view: every section, marks and scope."""

import re

import pytest
from bs4 import BeautifulSoup

from aip.models import Plan, SchoolYear, Strategy, utcnow
from aip.models.plans import APPROVED, SUBMITTED
from tests.conftest import create_user


def print_page(client, plan, **params):
    response = client.get(f"/plans/{plan.id}/print", query_string=params)
    return response, BeautifulSoup(response.data, "html.parser")


def test_print_view_shows_every_section(client, auth, users, filled_plan):
    auth.login(users["belen_high"])

    response, page = print_page(client, filled_plan)

    assert response.status_code == 200
    assert page.h1.get_text() == ("Attendance Improvement Plan — BELEN HIGH, "
                                  "BELEN CONSOLIDATED SCHOOLS, 2026-27")
    for section in ("contact", "targets", "root-causes", "tiers",
                    "progress"):
        assert page.find(id=f"section-{section}") is not None, section
    contact = page.find(id="section-contact").get_text()
    assert "Kristin Garcia" in contact
    assert "505-555-0142" in contact
    tiers = page.find(id="section-tiers").get_text()
    assert "Tier 3 strategy 2" in tiers
    assert "Coordinate with local clinics, step 3" in tiers
    assert "Attendance office log" in tiers
    causes = page.find(id="section-root-causes").get_text()
    assert "Students lack transport in winter." in causes
    assert "Attendance data, Surveys" in causes
    assert "Home visits helped" in page.find(id="section-progress").get_text()


def test_print_view_target_tables(client, auth, users, filled_plan):
    auth.login(users["belen_high"])

    _, page = print_page(client, filled_plan)

    rows = {row.th.get_text(): [td.get_text() for td in row.find_all("td")]
            for row in page.find(id="table-a").tbody.find_all("tr")}
    # All students: enrollment 400, 2024-25 34.0%, 2025-26 32.0%, target
    # 25.0%, change 25.0 - 32.0 points.
    assert rows["All students"] == ["400", "34.0%", "32.0%", "25.0%",
                                    "-7.0 pts"]
    grades = [row.th.get_text()
              for row in page.find(id="table-b").tbody.find_all("tr")]
    assert grades == ["Grade 9", "Grade 10", "Grade 11", "Grade 12"]


def test_print_view_chart_matches_table(client, auth, users, filled_plan):
    auth.login(users["belen_high"])

    _, page = print_page(client, filled_plan)

    svg = page.find("svg")
    assert svg.title.get_text().startswith("Chronic-absence rate")
    description = svg.desc.get_text()
    assert "All students: 2024-25 34.0%, 2025-26 32.0%, Target 25.0%" in (
        description)
    # Two history bars and one target bar for each of four groups.
    assert len(svg.find_all("rect", height="8")) == 12
    assert page.find("script") is None


def test_print_view_marks_draft_and_mountain_time(client, auth, users,
                                                  filled_plan):
    auth.login(users["belen_high"])

    _, page = print_page(client, filled_plan)

    assert page.find(class_="draft-mark").get_text() == "DRAFT"
    meta = page.find(class_="report-meta").get_text()
    assert re.search(r"Printed \w+ \d+, \d{4} \d+:\d\d [AP]M M[SD]T", meta)


def test_approved_plan_has_no_draft_mark(client, auth, users, filled_plan):
    Plan.update(status=APPROVED, approved_at=utcnow()).execute()
    auth.login(users["belen_high"])

    response, page = print_page(client, filled_plan)

    assert page.find(class_="draft-mark") is None
    assert "DRAFT" not in response.get_data(as_text=True)


def test_synthetic_figures_are_labelled(client, auth, users, filled_plan):
    auth.login(users["belen_high"])

    _, page = print_page(client, filled_plan)

    label = page.find(id="section-targets").find(class_="synthetic")
    assert "Synthetic demo data" in label.get_text()


def test_empty_plan_says_not_yet_entered(client, auth, users, orgs):
    plan = Plan.create(organisation=orgs["belen_high"],
                       school_year=SchoolYear.current())
    auth.login(users["belen_high"])

    _, page = print_page(client, plan)

    for section in ("contact", "root-causes", "tiers", "progress"):
        text = page.find(id=f"section-{section}").get_text()
        assert "Not yet entered" in text, section
    assert page.find(class_="synthetic") is None


def test_entered_markup_is_shown_as_text(client, auth, users, filled_plan):
    Strategy.update(name='<img src="http://127.0.0.1:9/x">').execute()
    auth.login(users["belen_high"])

    response, page = print_page(client, filled_plan)

    assert page.find("img") is None
    assert '<img src="http://127.0.0.1:9/x">' in page.find(
        id="section-tiers").get_text()


def test_custom_report_form_lists_sections(client, auth, users, filled_plan):
    auth.login(users["belen_high"])

    _, page = print_page(client, filled_plan)

    form = page.find("form", class_="custom-report")
    assert form["method"] == "get"
    assert form["action"] == f"/plans/{filled_plan.id}/plan.pdf"
    values = [box["value"] for box in form.find_all("input",
                                                    type="checkbox")]
    assert values == ["contact", "targets", "root_causes", "tiers",
                      "progress"]


@pytest.mark.parametrize("params, message", [
    ({"report": "custom"}, "Choose at least one section"),
    ({"sections": "budget"}, "Unknown section: budget"),
])
@pytest.mark.parametrize("path", ["print", "plan.pdf"])
def test_bad_sections_get_a_message(client, auth, users, filled_plan,
                                    params, message, path):
    auth.login(users["belen_high"])

    response = client.get(f"/plans/{filled_plan.id}/{path}",
                          query_string=params)

    assert response.status_code == 400
    page = BeautifulSoup(response.data, "html.parser")
    assert message in page.find(id="sections-error").get_text()


@pytest.mark.parametrize("path", ["print", "plan.pdf"])
def test_other_district_gets_404(client, auth, users, orgs, filled_plan,
                                 path):
    outsider = create_user("district@llschools.net", orgs["los_lunas"],
                           "district")
    auth.login(outsider)

    response = client.get(f"/plans/{filled_plan.id}/{path}")

    assert response.status_code == 404


@pytest.mark.parametrize("reader, status", [
    ("belen_high", 200),
    ("belen_district", 200),
    ("ped", 200),
    ("belen_middle", 404),
    ("los_lunas_high", 404),
])
def test_print_view_scope(client, auth, users, filled_plan, reader, status):
    Plan.update(status=SUBMITTED).execute()
    auth.login(users[reader])

    response = client.get(f"/plans/{filled_plan.id}/print")

    assert response.status_code == status


def test_print_view_needs_sign_in(client, filled_plan):
    response = client.get(f"/plans/{filled_plan.id}/print")

    assert response.status_code == 302
