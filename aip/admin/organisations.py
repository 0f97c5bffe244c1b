"""Commands that load and correct districts, charters and schools."""

import logging
import re
from pathlib import Path

import click
from flask import current_app

from aip.admin import reference_data
from aip.admin.common import describe, find_organisation, with_database
from aip.admin.years import mountain_today
from aip.db import database
from aip.models import Organisation
from aip.models.organisations import CHARTER, DISTRICT, SCHOOL, STATE
from aip.reference import NCES_GRADE_CODES

logger = logging.getLogger(__name__)

DOMAIN = re.compile(
    r"(?=.{4,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}")
# Spellings an administrator may type for a grade, mapped to the NCES
# names the directory uses and organisations store.
GRADE_SPELLINGS = {
    **{name.lower(): name for name in NCES_GRADE_CODES},
    "pk": "Pre-K", "prek": "Pre-K", "k": "Kindergarten",
    "kf": "Kindergarten",
    **{f"{number:02d}": str(number) for number in range(1, 13)},
}


@click.command("load-reference")
@click.option("--leas", "leas_path", type=click.Path(exists=True,
              dir_okay=False, path_type=Path),
              help="CSV of LEAs in the NCES directory's columns "
                   "(default: the 2019-20 file shipped with AIP).")
@click.option("--schools", "schools_path", type=click.Path(exists=True,
              dir_okay=False, path_type=Path),
              help="CSV of schools in the NCES directory's columns "
                   "(default: the 2019-20 file shipped with AIP).")
@click.option("--include-state-agencies", is_flag=True,
              help="Also load the state-supported agencies (such as NM "
                   "SCHOOL FOR THE DEAF) and their schools, as districts.")
@with_database
def load_reference_command(leas_path, schools_path, include_state_agencies):
    """Load PED, districts, state charters and schools.

    Rows match existing organisations on NCES id, so running it again
    updates names, cities and grade spans and never duplicates. Bureau of
    Indian Education schools are federal and never loaded. State-supported
    agencies are skipped unless --include-state-agencies is given, because
    AIP's plans come from districts and state charters.
    """
    leas_path = leas_path or reference_data.shipped_file(
        reference_data.LEAS_FILE)
    schools_path = schools_path or reference_data.shipped_file(
        reference_data.SCHOOLS_FILE)
    try:
        report = reference_data.load_reference(
            leas_path, schools_path, include_state_agencies)
    except reference_data.InvalidFile as error:
        raise click.ClickException(str(error)) from error
    echo_report(report, leas_path, schools_path)
    if report.rejected:
        raise click.ClickException(
            f"{len(report.rejected)} rows were rejected. The valid rows "
            "are loaded: fix the rejected ones and run again.")


def echo_report(report, leas_path, schools_path):
    click.echo(f"Loaded {leas_path.name} and {schools_path.name}.")
    for kind in (STATE, DISTRICT, CHARTER, SCHOOL):
        counts = [f"{report.counts[(kind, outcome)]} {outcome}"
                  for outcome in ("created", "updated", "unchanged")]
        click.echo(f"  {kind}: {', '.join(counts)}")
    skipped = report.skipped
    if skipped:
        click.echo(
            f"Skipped {skipped['bie']} Bureau of Indian Education schools "
            f"(federal), {skipped['state agency']} state-supported "
            f"agencies and {skipped['school']} schools of those.")
    for filename, line, reason in report.rejected:
        click.echo(f"Rejected {filename} line {line}: {reason}.", err=True)


@click.command("add-district")
@click.argument("name")
@click.argument("nces_id")
@click.option("--city", default="", help="City of the district office.")
@click.option("--charter", is_flag=True,
              help="Add a state-chartered charter school (its own LEA) "
                   "instead of a district.")
@with_database
def add_district_command(name, nces_id, city, charter):
    """Add a district, or a state charter with --charter."""
    if not reference_data.LEA_ID.fullmatch(nces_id):
        raise click.ClickException(
            f"Invalid NCES LEA id {nces_id!r}: expected 7 digits starting "
            "with 35, such as 3500180.")
    _check_new(nces_id)
    org = Organisation.create(kind=CHARTER if charter else DISTRICT,
                              name=_name(name), nces_id=nces_id,
                              city=city.strip().upper())
    logger.info("organisation %s added: %s", org.id, org.kind)
    click.echo(f"Added {describe(org)}.")


@click.command("add-school")
@click.argument("lea")
@click.argument("name")
@click.argument("nces_id")
@click.option("--grades", required=True,
              help="Grade span, lowest to highest, such as K-5, 9-12 or "
                   "PK-8.")
@click.option("--city", default="",
              help="City of the school (default: the LEA's city).")
@with_database
def add_school_command(lea, name, nces_id, grades, city):
    """Add a school to a district or charter.

    LEA is the NCES id or database id of the district or charter.
    """
    parent = find_organisation(lea)
    if not parent.is_lea:
        raise click.ClickException(
            f"{describe(parent)} is not a district or charter: a school "
            "belongs to one.")
    if not reference_data.SCHOOL_ID.fullmatch(nces_id):
        raise click.ClickException(
            f"Invalid NCES school id {nces_id!r}: expected 12 digits "
            "starting with 35, such as 350018000140.")
    if parent.nces_id and not nces_id.startswith(parent.nces_id):
        raise click.ClickException(
            f"NCES school id {nces_id} does not start with the LEA's NCES "
            f"id {parent.nces_id}: check both.")
    lowest, highest = parse_grades(grades)
    _check_new(nces_id)
    org = Organisation.create(kind=SCHOOL, name=_name(name), parent=parent,
                              nces_id=nces_id, lowest_grade=lowest,
                              highest_grade=highest,
                              city=city.strip().upper() or parent.city)
    logger.info("organisation %s added: school of %s", org.id, parent.id)
    click.echo(f"Added {describe(org)}, grades {lowest} to {highest}, "
               f"to {parent.name}.")


def parse_grades(text):
    """Return the NCES names of a span such as "K-5"; raise when invalid."""
    match = re.fullmatch(r"\s*(.+?)\s*(?:-|to)\s*([^-\s]+)\s*", text)
    if match is None:
        parts = (text, text)
    else:
        parts = match.groups()
    names = [GRADE_SPELLINGS.get(part.lower()) for part in parts]
    if None in names:
        raise click.ClickException(
            f"Invalid grade span {text!r}: use two grades from PK, K and "
            "1 to 12, such as K-5 or 9-12.")
    low, high = names
    if reference_data.grade_position(low) > reference_data.grade_position(
            high):
        raise click.ClickException(
            f"Invalid grade span {text!r}: the lowest grade comes first.")
    return low, high


def _check_new(nces_id):
    existing = Organisation.get_or_none(Organisation.nces_id == nces_id)
    if existing is not None:
        raise click.ClickException(
            f"NCES id {nces_id} already belongs to {describe(existing)}. "
            "Use `flask aip rename` to change its name.")


def _name(name):
    name = " ".join(name.split())
    if not name:
        raise click.ClickException("Missing name: give the name in quotes.")
    return name


@click.command("rename")
@click.argument("organisation")
@click.argument("new_name")
@with_database
def rename_command(organisation, new_name):
    """Rename an organisation, given by NCES id or id.

    load-reference sets names back to the file's, so after a rename load
    only a file that has the new name.
    """
    org = find_organisation(organisation)
    old_name = org.name
    org.name = _name(new_name)
    org.save()
    logger.info("organisation %s renamed", org.id)
    click.echo(f"Renamed {old_name} to {org.name} (id {org.id}).")


@click.command("close")
@click.argument("organisation")
@click.option("--on", "closed_on", type=click.DateTime(["%Y-%m-%d"]),
              help="Date it closed, as YYYY-MM-DD (default: today).")
@with_database
def close_command(organisation, closed_on):
    """Close an organisation; its plans are kept.

    A closed organisation leaves the registration lists. Closing a
    district or charter closes its open schools too.
    """
    org = find_organisation(organisation)
    if org.kind == STATE:
        raise click.ClickException("PED cannot be closed.")
    if org.closed_on is not None:
        raise click.ClickException(
            f"{describe(org)} is already closed, since {org.closed_on}.")
    day = closed_on.date() if closed_on else mountain_today()
    with database.atomic():
        count = (Organisation.update(closed_on=day)
                 .where(((Organisation.id == org.id)
                         | (Organisation.parent == org.id))
                        & Organisation.closed_on.is_null())
                 .execute())
    logger.info("organisation %s closed with %s rows", org.id, count)
    click.echo(f"Closed {describe(org)} on {day}"
               + (f", with {count - 1} schools." if count > 1 else "."))


@click.command("reopen")
@click.argument("organisation")
@with_database
def reopen_command(organisation):
    """Reopen a closed organisation.

    Schools closed on the same day as their district reopen with it.
    """
    org = find_organisation(organisation)
    if org.closed_on is None:
        raise click.ClickException(f"{describe(org)} is not closed.")
    if org.parent_id and org.parent.closed_on is not None:
        raise click.ClickException(
            f"Its district {org.parent.name} is closed: reopen that first.")
    with database.atomic():
        count = (Organisation.update(closed_on=None)
                 .where((Organisation.id == org.id)
                        | ((Organisation.parent == org.id)
                           & (Organisation.closed_on == org.closed_on)))
                 .execute())
    logger.info("organisation %s reopened with %s rows", org.id, count)
    click.echo(f"Reopened {describe(org)}"
               + (f", with {count - 1} schools." if count > 1 else "."))


@click.command("set-domains")
@click.argument("organisation")
@click.argument("domains", nargs=-1)
@click.option("--clear", is_flag=True,
              help="Remove every domain, so any non-free-mail address may "
                   "register (unverified).")
@with_database
def set_domains_command(organisation, domains, clear):
    """Set the verified email domains of an LEA.

    Registrations from these domains are marked verified for approvers.
    """
    org = find_organisation(organisation)
    if org.kind == SCHOOL:
        district = org.parent.name if org.parent_id else "its district"
        raise click.ClickException(
            f"{org.name} is a school: set the domains on {district}.")
    if clear == bool(domains):
        raise click.ClickException(
            "Give one or more domains, such as belen.k12.nm.us, or --clear.")
    cleaned = [clean_domain(domain) for domain in domains]
    org.email_domains = " ".join(dict.fromkeys(cleaned))
    org.save()
    logger.info("organisation %s domains set: %s", org.id, org.email_domains)
    if clear:
        click.echo(f"Cleared the email domains of {org.name}.")
    else:
        click.echo(f"Email domains of {org.name}: {org.email_domains}")


def clean_domain(text):
    """Return text as a lower-case domain name; raise when invalid."""
    domain = text.strip().lower().lstrip("@").rstrip(".")
    if not DOMAIN.fullmatch(domain):
        raise click.ClickException(
            f"Invalid domain {text!r}: expected a name such as "
            "belen.k12.nm.us.")
    if domain in current_app.config["FREE_MAIL_DOMAINS"]:
        raise click.ClickException(
            f"{domain} is a free-mail provider: anyone can have an address "
            "there, so it cannot verify a registration.")
    return domain


COMMANDS = [load_reference_command, add_district_command, add_school_command,
            rename_command, close_command, reopen_command,
            set_domains_command]
