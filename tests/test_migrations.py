"""Migrations build the same schema as the models, on both databases."""

import os
import uuid
from urllib.parse import urlsplit, urlunsplit

import psycopg2
import pytest
from peewee import DatabaseError, PostgresqlDatabase, SqliteDatabase

from aip.admin.schema import (HISTORY_TABLE, apply_migrations,
                              make_migration, migrations_folder)
from aip.db import database
from aip.models import ALL_MODELS

SERVER_URL = os.environ.get("AIP_TEST_DATABASE_URL")
ENGINES = [
    "sqlite",
    pytest.param("postgresql", marks=pytest.mark.skipif(
        not SERVER_URL, reason="AIP_TEST_DATABASE_URL is not set")),
]

POSTGRES_COLUMNS = """
    SELECT column_name, data_type, character_maximum_length,
           numeric_precision, numeric_scale, is_nullable
    FROM information_schema.columns
    WHERE table_schema = 'public' AND table_name = %s
"""
POSTGRES_FOREIGN_KEYS = """
    SELECT kcu.column_name, ccu.table_name, ccu.column_name, rc.delete_rule
    FROM information_schema.referential_constraints rc
    JOIN information_schema.key_column_usage kcu
      ON kcu.constraint_name = rc.constraint_name
    JOIN information_schema.constraint_column_usage ccu
      ON ccu.constraint_name = rc.constraint_name
    WHERE kcu.table_schema = 'public' AND kcu.table_name = %s
"""


def describe_schema(db):
    """Return every table's columns, indexes and foreign keys, sorted."""
    schema = {}
    for table in db.get_tables():
        if table == HISTORY_TABLE:
            continue
        indexes = sorted((index.name, tuple(index.columns), index.unique)
                         for index in db.get_indexes(table))
        schema[table] = {
            "columns": sorted(_columns(db, table)),
            "indexes": indexes,
            "foreign_keys": sorted(_foreign_keys(db, table)),
        }
    return schema


def _columns(db, table):
    if isinstance(db, SqliteDatabase):
        rows = db.execute_sql(f'PRAGMA table_info("{table}")').fetchall()
        return [(name, kind, not notnull, bool(pk))
                for _, name, kind, notnull, _, pk in rows]
    return db.execute_sql(POSTGRES_COLUMNS, (table,)).fetchall()


def _foreign_keys(db, table):
    if isinstance(db, SqliteDatabase):
        rows = db.execute_sql(
            f'PRAGMA foreign_key_list("{table}")').fetchall()
        return [(row[3], row[2], row[4], row[6]) for row in rows]
    return db.execute_sql(POSTGRES_FOREIGN_KEYS, (table,)).fetchall()


@pytest.fixture
def make_database(tmp_path):
    """Return a factory of empty databases of one engine; drop them after."""
    created = []

    def make(engine):
        name = f"aip_migrations_{uuid.uuid4().hex[:10]}"
        if engine == "sqlite":
            db = SqliteDatabase(str(tmp_path / f"{name}.sqlite3"))
        else:
            _server(f'CREATE DATABASE "{name}"')
            parts = urlsplit(SERVER_URL)
            db = PostgresqlDatabase(name, host=parts.hostname,
                                    port=parts.port or 5432,
                                    user=parts.username,
                                    password=parts.password)
        created.append((engine, name, db))
        return db

    yield make
    for engine, name, db in created:
        db.close()
        if engine == "postgresql":
            _server(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _server(sql):
    connection = psycopg2.connect(SERVER_URL)
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute(sql)
    connection.close()


@pytest.fixture
def folder(app):
    with app.app_context():
        return migrations_folder()


@pytest.mark.parametrize("engine", ENGINES)
def test_migrated_schema_equals_models(make_database, folder, engine):
    migrated = make_database(engine)
    modelled = make_database(engine)

    names = apply_migrations(migrated, folder)
    database.initialize(modelled)
    modelled.create_tables(ALL_MODELS)

    assert names
    expected = describe_schema(modelled)
    actual = describe_schema(migrated)
    assert sorted(actual) == sorted(expected)
    for table in expected:
        assert actual[table] == expected[table], table


@pytest.mark.parametrize("engine", ENGINES)
def test_migrating_twice_is_noop(make_database, folder, engine):
    db = make_database(engine)

    apply_migrations(db, folder)
    schema = describe_schema(db)
    again = apply_migrations(db, folder)

    assert again == []
    assert describe_schema(db) == schema


def test_committed_migrations_match_models(app, tmp_path):
    with app.app_context():
        path = make_migration("drift", folder=_copy(migrations_folder(),
                                                    tmp_path / "copy"))

    assert path is None, (
        "The models changed without a migration: run "
        "`flask aip make-migration NAME` and commit the file.")


def _copy(source, target):
    target.mkdir()
    for path in source.glob("*.py"):
        (target / path.name).write_text(path.read_text())
    return target


def test_migrate_command_applies_then_reports_up_to_date(empty_app):
    runner = empty_app.test_cli_runner()

    first = runner.invoke(args=["aip", "migrate"])
    second = runner.invoke(args=["aip", "migrate"])

    assert first.exit_code == 0, first.output
    assert "Applied migration 001_initial." in first.output
    assert second.exit_code == 0, second.output
    assert "no migration to apply" in second.output


def test_migrate_rejects_database_from_create_tables(empty_app):
    runner = empty_app.test_cli_runner()
    runner.invoke(args=["aip", "create-tables"])

    result = runner.invoke(args=["aip", "migrate"])
    faked = runner.invoke(args=["aip", "migrate", "--fake"])
    after = runner.invoke(args=["aip", "migrate"])

    assert result.exit_code == 1
    assert "flask aip migrate --fake" in result.output
    assert faked.exit_code == 0, faked.output
    assert "Recorded migration 001_initial." in faked.output
    assert "no migration to apply" in after.output


def test_make_migration_writes_importable_file(app, tmp_path):
    app.config["MIGRATIONS_DIR"] = str(tmp_path / "migrations")
    runner = app.test_cli_runner()

    result = runner.invoke(args=["aip", "make-migration", "initial"])
    unchanged = runner.invoke(args=["aip", "make-migration", "again"])

    path = tmp_path / "migrations" / "001_initial.py"
    assert result.exit_code == 0, result.output
    assert str(path) in result.output
    source = path.read_text()
    compile(source, str(path), "exec")
    assert source.count("@migrator.create_model") == len(ALL_MODELS)
    assert source.count("legacy_table_names = False") == len(ALL_MODELS)
    assert unchanged.exit_code == 0
    assert "No changes" in unchanged.output


def test_make_migration_rejects_bad_name(runner):
    result = runner.invoke(args=["aip", "make-migration", "Add Notes"])

    assert result.exit_code == 1
    assert "Invalid migration name 'Add Notes'" in result.output


FAILING_MIGRATION = '''
import peewee as pw


def migrate(migrator, database, *, fake=False):
    @migrator.create_model
    class Half(pw.Model):
        id = pw.AutoField()

        class Meta:
            table_name = "half"

    migrator.sql("SELECT no_such_column FROM half")
'''


@pytest.mark.parametrize("engine", ENGINES)
def test_failed_migration_leaves_no_trace(make_database, tmp_path, engine):
    db = make_database(engine)
    folder = tmp_path / "failing"
    folder.mkdir()
    (folder / "001_failing.py").write_text(FAILING_MIGRATION)

    with pytest.raises(DatabaseError, match="no_such_column"):
        apply_migrations(db, folder)

    assert "half" not in db.get_tables()
    history = db.execute_sql(f"SELECT COUNT(*) FROM {HISTORY_TABLE}")
    assert history.fetchone()[0] == 0


@pytest.fixture
def organisation_notes():
    """Add a notes field to Organisation for one test, as a developer would."""
    from peewee import TextField

    from aip.models import Organisation

    Organisation._meta.add_field("notes", TextField(default=""))
    yield
    Organisation._meta.remove_field("notes")


@pytest.mark.parametrize("engine", ENGINES)
def test_make_migration_follows_model_change(app, make_database, tmp_path,
                                             organisation_notes, engine):
    with app.app_context():
        folder = _copy(migrations_folder(), tmp_path / "copy")
        path = make_migration("add_notes", folder=folder)
    migrated = make_database(engine)
    modelled = make_database(engine)

    apply_migrations(migrated, folder)
    database.initialize(modelled)
    modelled.create_tables(ALL_MODELS)

    assert path.name == "002_add_notes.py"
    assert "notes=pw.TextField(default='')" in path.read_text()
    assert describe_schema(migrated) == describe_schema(modelled)
