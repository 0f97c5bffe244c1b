"""The one command that makes a database ready to use."""

import logging

import click

from aip.admin import demo
from aip.admin.common import SYNTHETIC_NOTE, with_database
from aip.admin.organisations import echo_report
from aip.admin.reference_data import (LEAS_FILE, SCHOOLS_FILE,
                                      load_reference, shipped_file)
from aip.admin.schema import apply_migrations
from aip.admin.years import ensure_current_year
from aip.models import AttendanceFigure, Organisation
from aip.reference import ensure_lookup_rows, ensure_school_years

logger = logging.getLogger(__name__)


@click.command("setup")
@click.option("--demo", "with_demo", is_flag=True,
              help="Also add synthetic attendance figures and the demo "
                   "accounts (refused in production).")
@with_database
def setup_command(with_demo):
    """Migrate and load what the app needs.

    Safe to rerun: it applies only pending migrations, loads reference
    data only into a database without organisations, and with --demo
    adds figures only when there are none and only missing accounts.
    """
    if with_demo:
        demo.reject_production()
    for name in apply_migrations():
        click.echo(f"Applied migration {name}.")
    ensure_lookup_rows()
    year = ensure_current_year()
    ensure_school_years(year.start_year)
    click.echo(f"Current school year: {year.name}.")
    if not Organisation.select().exists():
        leas, schools = shipped_file(LEAS_FILE), shipped_file(SCHOOLS_FILE)
        echo_report(load_reference(leas, schools), leas, schools)
    if with_demo:
        _set_up_demo()
    logger.info("setup finished%s", " with demo data" if with_demo else "")


def _set_up_demo():
    if not AttendanceFigure.select().exists():
        added = demo.create_demo_figures()
        click.echo(f"Added {added} rows of synthetic demo data.")
    click.echo(SYNTHETIC_NOTE)
    created = demo.create_demo_users()
    if created:
        click.echo(f"Created demo accounts: {', '.join(created)}.")
    demo.echo_demo_sign_ins()


COMMANDS = [setup_command]
