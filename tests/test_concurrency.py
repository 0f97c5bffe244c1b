"""Twenty autosaves at once: no "database is locked" and no lost update.

Each thread opens its own connection through the shared database proxy
(Peewee keeps one connection per thread), so on SQLite every writer uses
the app's settings: WAL, a busy timeout and BEGIN IMMEDIATE. Each save
goes through the editor's own save_field, which on PostgreSQL reads the
row with FOR UPDATE, because under READ COMMITTED two read-then-write
saves of one row would otherwise lose one field.
"""

import threading

import pytest
from werkzeug.datastructures import MultiDict

from aip.db import database, is_sqlite
from aip.models import Plan, PlanContact, SchoolYear, TeamMember
from aip.plans.rows import get_kind
from aip.plans.saving import SAVED, save_field

WRITERS = 20
EDITS = 10
MEMBER_FIELDS = ("first_name", "last_name", "title", "email")
CONTACT_FIELDS = ("first_name", "last_name", "title", "email")
KIND_OF_MODEL = {PlanContact: get_kind("contact"),
                 TeamMember: get_kind("member")}


def autosave(model, row_id, field, value, base_version):
    """Save one field through the editor's save path; return the version."""
    kind = KIND_OF_MODEL[model]
    prefix = kind.prefix(row_id)
    formdata = MultiDict({f"{prefix}-{field}": value,
                          f"{prefix}-version": str(base_version)})
    plan = Plan.get_by_id(model.get_by_id(row_id).plan_id)
    result = save_field(plan, kind, str(row_id), field, formdata)
    assert result.outcome == SAVED, result
    return result.row.version


def edit_value(field, writer, edit):
    if field == "email":
        return f"writer{writer}.edit{edit}@belen.k12.nm.us"
    return f"{field} {writer}.{edit}"


def run_writers(jobs):
    """Run each (model, row_id, field, writer) job in its own thread.

    Each thread makes EDITS saves of its field, each from the version its
    previous save returned, as a browser tab would. Return the errors.
    """
    start = threading.Barrier(len(jobs))
    errors = []

    def write(model, row_id, field, writer):
        try:
            database.connect()
            if is_sqlite():
                check_sqlite_settings()
            start.wait(timeout=30)
            version = 1
            for edit in range(EDITS):
                value = edit_value(field, writer, edit)
                version = autosave(model, row_id, field, value, version)
        except Exception as error:  # collected and asserted below
            errors.append(f"writer {writer} on {field}: {error!r}")
        finally:
            database.close()

    threads = [threading.Thread(target=write, args=job) for job in jobs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads)
    return errors


def check_sqlite_settings():
    journal_mode = database.execute_sql("PRAGMA journal_mode").fetchone()[0]
    busy_timeout = database.execute_sql("PRAGMA busy_timeout").fetchone()[0]
    assert journal_mode == "wal"
    assert busy_timeout >= 1000


@pytest.fixture
def plan(orgs):
    year = SchoolYear.select().order_by(SchoolYear.id).first()
    plan = Plan.create(organisation=orgs["belen_high"], school_year=year)
    database.close()  # the writers' threads open their own connections
    yield plan
    database.connect(reuse_if_open=True)


def test_writers_on_distinct_rows(plan):
    with database.connection_context():
        members = [TeamMember.create(plan=plan, position=n)
                   for n in range(WRITERS)]

    errors = run_writers([(TeamMember, member.id, "title", writer)
                          for writer, member in enumerate(members)])

    assert errors == []
    with database.connection_context():
        for writer, member in enumerate(members):
            row = TeamMember.get_by_id(member.id)
            assert row.title == edit_value("title", writer, EDITS - 1)
            assert row.version == 1 + EDITS


def test_writers_on_fields_of_same_rows(plan):
    with database.connection_context():
        contact = PlanContact.create(plan=plan)
        members = [TeamMember.create(plan=plan) for _ in range(4)]
    jobs = [(PlanContact, contact.id, field) for field in CONTACT_FIELDS]
    jobs += [(TeamMember, member.id, field)
             for member in members
             for field in MEMBER_FIELDS]
    assert len(jobs) == WRITERS

    errors = run_writers([job + (writer,) for writer, job in enumerate(jobs)])

    assert errors == []
    with database.connection_context():
        for writer, (model, row_id, field) in enumerate(jobs):
            row = model.get_by_id(row_id)
            assert getattr(row, field) == edit_value(field, writer,
                                                     EDITS - 1)
            assert row.field_version(field) > 1
        fields_per_row = len(CONTACT_FIELDS)
        for model, row_id in [(PlanContact, contact.id)] + [
                (TeamMember, member.id) for member in members]:
            assert model.get_by_id(row_id).version == (
                1 + fields_per_row * EDITS)
