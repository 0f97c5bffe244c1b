"""Helpers shared by the administrator commands."""

import functools

import click
from flask.cli import with_appcontext

from aip.db import database
from aip.models import Organisation

SYNTHETIC_NOTE = "These figures are synthetic demo data, not PED's."


def with_database(command):
    """Run a command in the app context with the database connected."""
    @with_appcontext
    @functools.wraps(command)
    def wrapped(*args, **kwargs):
        database.connect(reuse_if_open=True)
        try:
            return command(*args, **kwargs)
        finally:
            database.close()
    return wrapped


def find_organisation(value):
    """Return the organisation whose NCES id, or else database id, is value.

    NCES ids have 7 digits (LEA) or 12 (school), far above the database
    ids in practice. The NCES id is tried first all the same.
    """
    value = value.strip()
    organisation = Organisation.get_or_none(Organisation.nces_id == value)
    if organisation is None and value.isdigit():
        organisation = Organisation.get_or_none(Organisation.id == int(value))
    if organisation is None:
        raise click.ClickException(
            f"No organisation has NCES id or id {value!r}. "
            "Find it with the NCES directory or the organisation list.")
    return organisation


def describe(organisation):
    nces = f"NCES {organisation.nces_id}" if organisation.nces_id else "no NCES id"
    return f"{organisation.name} ({organisation.kind}, {nces}, id {organisation.id})"
