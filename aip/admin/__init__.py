"""Administrator commands run with `flask`."""

import click
from flask.cli import AppGroup

from aip.db import database
from aip.models import ALL_MODELS

aip_cli = AppGroup("aip", help="Administer AIP: schema, data and users.")


@aip_cli.command("create-tables")
def create_tables_command():
    """Create any missing tables from the models."""
    database.connect(reuse_if_open=True)
    database.create_tables(ALL_MODELS)
    click.echo(f"Created or found {len(ALL_MODELS)} tables.")


def init_app(app):
    app.cli.add_command(aip_cli)
