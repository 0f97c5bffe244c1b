"""Commands that fill a development database with demo figures and users."""

import logging

import click
from flask import current_app

from aip import demo
from aip.admin.common import SYNTHETIC_NOTE, find_organisation, with_database
from aip.admin.users import create_account
from aip.passwords import policy_errors
from aip.admin.years import ensure_current_year
from aip.db import database
from aip.models import AttendanceFigure, Organisation, User
from aip.models.accounts import ROLE_NAMES
from aip.models.organisations import SCHOOL
from aip.reference import ensure_school_years
from aip.registry import get_registry

logger = logging.getLogger(__name__)

BATCH_SIZE = 400
BELEN_NCES_ID = "3500180"
BELEN_HIGH_NCES_ID = "350018000140"
# A demo password that meets the default policy. The demo commands print
# it, so they reject a production database.
DEMO_PASSWORD = "Demo-Attend-2026!"
DEMO_USERS = (
    ("ped.coordinator@ped.nm.gov", "Patricia", "Romero", "ped", None),
    ("district.coordinator@belen.k12.nm.us", "Daniel", "Chavez", "district",
     BELEN_NCES_ID),
    ("school.coordinator@belen.k12.nm.us", "Kristin", "Garcia", "school",
     BELEN_HIGH_NCES_ID),
)
DEMO_DOMAINS = {BELEN_NCES_ID: "belen.k12.nm.us"}


def reject_production():
    if current_app.config["ENV_NAME"] == "production":
        raise click.ClickException(
            "Refusing to add demo data to a production database "
            "(AIP_ENV=production): demo passwords are public.")


def demo_years():
    """Return (SchoolYear, period) for the current year and two before."""
    current = ensure_current_year()
    ensure_school_years(current.start_year)
    years = [(year, demo.PAST_PERIOD) for year in current.previous(2)]
    return sorted(years, key=lambda pair: pair[0].start_year) + [
        (current, demo.CURRENT_PERIOD)]


def create_demo_figures(replace=False):
    """Generate the missing synthetic figures; return the rows added.

    An organisation that already has figures for a year keeps them,
    whatever their source, unless replace deletes the synthetic ones.
    """
    years = demo_years()
    year_ids = [year.id for year, _ in years]
    schools = list(Organisation.open()
                   .where((Organisation.kind == SCHOOL)
                          & Organisation.parent.is_null(False))
                   .order_by(Organisation.id))
    added = 0
    with database.atomic():
        if replace:
            (AttendanceFigure.delete()
             .where((AttendanceFigure.source == demo.SOURCE)
                    & AttendanceFigure.school_year.in_(year_ids))
             .execute())
        existing = set(
            AttendanceFigure.select(AttendanceFigure.organisation,
                                    AttendanceFigure.school_year)
            .where(AttendanceFigure.school_year.in_(year_ids))
            .distinct()
            .tuples())
        batch = []
        for row in demo.generate(schools, years, get_registry().tiers):
            if (row["organisation"], row["school_year"]) in existing:
                continue
            batch.append(row)
            if len(batch) == BATCH_SIZE:
                added += _insert(batch)
        added += _insert(batch)
    logger.info("demo figures added: %s rows", added)
    return added


def _insert(batch):
    """Insert a batch of figure dicts with one multi-row statement.

    XXX: the SQL is built here because Peewee's insert_many spends most
    of its time building a node per value, which made the demo data take
    about four times as long on SQLite.
    """
    if not batch:
        return 0
    fields = [AttendanceFigure._meta.fields[name] for name in batch[0]]
    columns = ", ".join(f'"{field.column_name}"' for field in fields)
    row_marks = "(" + ", ".join([database.obj.param] * len(fields)) + ")"
    sql = (f'INSERT INTO "{AttendanceFigure._meta.table_name}" ({columns}) '
           f"VALUES {', '.join([row_marks] * len(batch))}")
    names = list(batch[0])
    params = [row[name] for row in batch for name in names]
    database.execute_sql(sql, params)
    count = len(batch)
    batch.clear()
    return count


def create_demo_users():
    """Create the missing demo accounts; return the emails created."""
    errors = policy_errors(DEMO_PASSWORD)
    if errors:
        raise click.ClickException(
            "The demo password does not meet this password policy. "
            + " ".join(errors))
    created = []
    with database.atomic():
        for nces_id, domain in DEMO_DOMAINS.items():
            lea = Organisation.get_or_none(Organisation.nces_id == nces_id)
            if lea is not None and domain not in lea.allowed_domains:
                lea.email_domains = " ".join([*lea.allowed_domains, domain])
                lea.save()
        for email, first, last, role, nces_id in DEMO_USERS:
            if User.by_email(email) is not None:
                continue
            organisation = (find_organisation(nces_id) if nces_id
                            else Organisation.ped())
            create_account(email, first, last, role, organisation,
                           DEMO_PASSWORD)
            created.append(email)
    return created


def echo_demo_sign_ins():
    click.echo("Demo sign-ins. After the password, sign-in asks for a "
               "six-digit code sent by email.")
    for email, _, _, role, _ in DEMO_USERS:
        click.echo(f"  {email:38} {DEMO_PASSWORD}  {ROLE_NAMES[role]}")
    if current_app.config.get("SMTP_HOST"):
        click.echo(f"Codes are sent through {current_app.config['SMTP_HOST']}.")
    else:
        from aip.mail import outbox_folder
        click.echo(f"With no AIP_SMTP_HOST, mail is written to "
                   f"{outbox_folder()}.")
        click.echo("To print the newest messages, with the code, run: "
                   ".venv/bin/flask --app aip mail outbox")


@click.command("demo-data")
@click.option("--replace", is_flag=True,
              help="Delete the synthetic figures of the demo years and "
                   "generate them again (after adding or closing schools).")
@with_database
def demo_data_command(replace):
    """Generate synthetic attendance figures.

    Every open school and LEA gets figures for the current school year
    (80-day period) and the two before (end of year), unless it has
    figures for that year already.
    """
    reject_production()
    added = create_demo_figures(replace)
    if added:
        click.echo(f"Added {added} rows of synthetic demo data for the "
                   "current school year and the two before.")
    else:
        click.echo("Every open school and LEA already has figures: "
                   "nothing added.")
    click.echo(SYNTHETIC_NOTE)


@click.command("seed-demo-users")
@with_database
def seed_demo_users_command():
    """Create the demo coordinator accounts."""
    reject_production()
    created = create_demo_users()
    click.echo(f"Created {len(created)} demo accounts."
               if created else "The demo accounts exist already.")
    echo_demo_sign_ins()


COMMANDS = [demo_data_command, seed_demo_users_command]
