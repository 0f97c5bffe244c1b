"""The current school year: computed from the date, shown and set."""

import datetime

import pytest

from aip.admin.years import school_start_year
from aip.models import SchoolYear


@pytest.mark.parametrize("day, start", [
    (datetime.date(2026, 12, 4), 2026),
    (datetime.date(2026, 7, 1), 2026),
    (datetime.date(2026, 6, 30), 2025),
    (datetime.date(2027, 1, 1), 2026),
])
def test_school_start_year_begins_july_first(day, start):
    assert school_start_year(day) == start


def test_current_year_shows_year(runner):
    result = runner.invoke(args=["aip", "current-year"])

    assert result.exit_code == 0
    assert "The current school year is 2026-27" in result.output


def test_current_year_sets_year_and_previous(runner, db):
    result = runner.invoke(args=["aip", "current-year", "2027-28"])

    assert result.exit_code == 0, result.output
    assert SchoolYear.current().name == "2027-28"
    names = {year.name for year in SchoolYear.select()}
    assert {"2025-26", "2026-27", "2027-28"} <= names
    assert SchoolYear.select().where(SchoolYear.is_current == True).count() \
        == 1  # noqa: E712


@pytest.mark.parametrize("text", ["2026-28", "26-27", "next", "2026/27"])
def test_current_year_rejects_invalid_name(runner, db, text):
    result = runner.invoke(args=["aip", "current-year", text])

    assert result.exit_code == 1
    assert f"Invalid school year {text!r}" in result.output
    assert SchoolYear.current().name == "2026-27"


def test_current_year_without_any_year(runner, db):
    SchoolYear.delete().execute()

    result = runner.invoke(args=["aip", "current-year"])

    assert result.exit_code == 0
    assert "No current school year is set" in result.output
