"""Schema commands: apply migrations and write new ones from the models.

Migrations live in ``migrations/`` beside the package and run through
peewee-migrate. Each one runs inside its own transaction, so a failed
migration leaves the schema as it was.
"""

import logging
import re
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext
from peewee import SqliteDatabase
from peewee_migrate import Router

from aip.admin.common import with_database
from aip.db import database
from aip.models import ALL_MODELS

logger = logging.getLogger(__name__)

HISTORY_TABLE = "migratehistory"

# peewee-migrate logs every CREATE TABLE at INFO. One line per migration,
# logged below, is enough for operators.
logging.getLogger("peewee_migrate").setLevel(logging.WARNING)


def migrations_folder():
    configured = current_app.config.get("MIGRATIONS_DIR")
    if configured:
        return Path(configured)
    return Path(current_app.root_path).parent / "migrations"


def make_router(db=None, folder=None):
    return Router(db or database.obj,
                  migrate_dir=folder or migrations_folder(),
                  migrate_table=HISTORY_TABLE)


def apply_migrations(db=None, folder=None, fake=False):
    """Apply the pending migrations and return their names.

    A database made by ``create-tables`` has the tables but no history.
    Migrating it would fail on the first CREATE TABLE, so this raises a
    ClickException that points to ``--fake`` instead.
    """
    db = db or database.obj
    router = make_router(db, folder)
    if not fake and not router.done and _has_app_tables(db):
        raise click.ClickException(
            "The database already has AIP tables but no migration history "
            "(it was made by create-tables). If its schema matches the "
            "models, record the migrations as applied with "
            "`flask aip migrate --fake`.")
    names = router.run(fake=fake)
    for name in names:
        logger.info("migration %s %s", name, "recorded" if fake else "applied")
    return names


def _has_app_tables(db):
    tables = set(db.get_tables())
    return any(model._meta.table_name in tables for model in ALL_MODELS)


def make_migration(name, folder=None, from_scratch=False):
    """Write a migration from the models' difference to the migrations.

    The difference is computed in an empty in-memory database, so no real
    database is read or changed. Returns the new file's path, or None when
    the migrations already match the models.
    """
    folder = Path(folder or migrations_folder())
    folder.mkdir(parents=True, exist_ok=True)
    if from_scratch:
        for path in folder.glob("[0-9][0-9][0-9]_*.py"):
            path.unlink()
    router = make_router(SqliteDatabase(":memory:"), folder)
    created = router.create(name, auto=list(ALL_MODELS))
    if created is None:
        return None
    path = folder / f"{created}.py"
    path.write_text(tidy_migration(path.read_text(), created))
    return path


def tidy_migration(source, name):
    """Make a generated migration importable and match the models' names.

    peewee-migrate writes DecimalField's rounding as a bare name. It also
    builds plain ``pw.Model`` classes, whose indexes would take the legacy
    table names, while the app's models use the new ones.
    """
    docstring = (f'"""Migration {name}, written by `flask aip '
                 'make-migration` from aip.models."""')
    source = re.sub(r'\A""".*?"""', docstring, source, count=1, flags=re.S)
    source = source.replace(
        "from contextlib import suppress\n\n", "")
    source = source.replace(
        "\n\nwith suppress(ImportError):\n"
        "    import playhouse.postgres_ext as pw_pext\n", "")
    if "ROUND_HALF_EVEN" in source:
        source = source.replace(
            "import peewee as pw\n",
            "from decimal import ROUND_HALF_EVEN\n\nimport peewee as pw\n", 1)
    source = source.replace(
        "        class Meta:\n",
        "        class Meta:\n            legacy_table_names = False\n")
    source = source.replace('"""Write your migrations here."""\n    \n',
                            '"""Apply this migration."""\n\n')
    source = source.replace('"""Write your rollback migrations here."""\n'
                            '    \n', '"""Undo this migration."""\n\n')
    return source.rstrip() + "\n"


@click.command("migrate")
@click.option("--fake", is_flag=True,
              help="Record pending migrations as applied without running "
                   "them (for a database made by create-tables).")
@with_database
def migrate_command(fake):
    """Apply the pending schema migrations."""
    names = apply_migrations(fake=fake)
    if not names:
        click.echo("The schema is up to date: no migration to apply.")
    for name in names:
        click.echo(f"{'Recorded' if fake else 'Applied'} migration {name}.")


@click.command("make-migration")
@click.argument("name")
@click.option("--from-scratch", is_flag=True,
              help="Delete every migration file first and write one "
                   "migration that creates the whole schema.")
@with_appcontext
def make_migration_command(name, from_scratch):
    """Write a migration from the changed models."""
    if not re.fullmatch(r"[a-z0-9_]+", name):
        raise click.ClickException(
            f"Invalid migration name {name!r}: use lower-case letters, "
            "digits and underscores, such as add_plan_notes.")
    path = make_migration(name, from_scratch=from_scratch)
    if path is None:
        click.echo("No changes: the migrations already match the models.")
        return
    click.echo(f"Wrote {path}. Read it, then apply it with "
               "`flask aip migrate`.")


@click.command("create-tables")
@with_database
def create_tables_command():
    """Create missing tables without migrations."""
    database.create_tables(ALL_MODELS)
    click.echo(f"Created or found {len(ALL_MODELS)} tables. "
               "Use `flask aip migrate` for a database you keep.")


COMMANDS = [migrate_command, make_migration_command, create_tables_command]
