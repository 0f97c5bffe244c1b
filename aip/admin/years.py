"""The current school year, which starts on July 1 in Mountain time."""

import logging
from datetime import datetime
from zoneinfo import ZoneInfo

import click
from flask import current_app

from aip.admin.common import with_database
from aip.models import SchoolYear
from aip.reference import ensure_school_years, school_year_name

logger = logging.getLogger(__name__)

FIRST_MONTH = 7  # A school year runs from July 1 to June 30.


def mountain_today():
    zone = ZoneInfo(current_app.config["TIMEZONE"])
    return datetime.now(zone).date()


def school_start_year(day):
    """Return the first calendar year of the school year containing day."""
    return day.year if day.month >= FIRST_MONTH else day.year - 1


def parse_school_year(text):
    """Return the start year of a name such as 2026-27; raise when invalid."""
    text = text.strip()
    try:
        start = int(text[:4])
    except ValueError:
        start = None
    if start is None or text not in (school_year_name(start), str(start)):
        raise click.ClickException(
            f"Invalid school year {text!r}: expected a name such as "
            "2026-27.")
    return start


def current_school_year():
    return SchoolYear.get_or_none(SchoolYear.is_current == True)  # noqa: E712


def ensure_current_year():
    """Create the current school year from today if none is set yet."""
    year = current_school_year()
    if year is None:
        ensure_school_years(school_start_year(mountain_today()))
        year = current_school_year()
        logger.info("current school year set to %s", year.name)
    return year


@click.command("current-year")
@click.argument("year", required=False)
@with_database
def current_year_command(year):
    """Show or set the current school year.

    YEAR is a name such as 2026-27. Without it, the command shows the
    current year and the one today's date falls in (July 1 to June 30,
    Mountain time).
    """
    if year is None:
        current = current_school_year()
        today = school_year_name(school_start_year(mountain_today()))
        if current is None:
            click.echo(f"No current school year is set. By today's date it "
                       f"is {today}: set it with `flask aip current-year "
                       f"{today}`.")
        else:
            click.echo(f"The current school year is {current.name} "
                       f"(by today's date: {today}).")
        return
    start = parse_school_year(year)
    ensure_school_years(start)
    logger.info("current school year set to %s", school_year_name(start))
    click.echo(f"The current school year is now {school_year_name(start)}; "
               f"{school_year_name(start - 2)} and "
               f"{school_year_name(start - 1)} are kept for comparison.")


COMMANDS = [current_year_command]
