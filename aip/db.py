"""The Peewee database, chosen by URL and opened per request."""

import logging

from peewee import DatabaseProxy, SqliteDatabase
from playhouse.db_url import connect

logger = logging.getLogger(__name__)

database = DatabaseProxy()

# WAL lets readers work during a write, and the busy timeout makes a writer
# wait for the lock instead of failing with "database is locked".
SQLITE_PRAGMAS = {
    "journal_mode": "wal",
    "busy_timeout": 10000,
    "foreign_keys": 1,
    "synchronous": "normal",
}


def open_database(url):
    """Return a Peewee database for a URL such as sqlite:///path.db.

    SQLite transactions start with BEGIN IMMEDIATE, so a save that reads
    before it writes holds the write lock from its first statement.
    """
    if url.startswith("sqlite"):
        return connect(url, pragmas=SQLITE_PRAGMAS, lock_type="IMMEDIATE")
    return connect(url)


def init_app(app):
    """Bind the database proxy and open a connection around each request."""
    db = open_database(app.config["DATABASE_URL"])
    database.initialize(db)
    app.extensions["database"] = db

    @app.before_request
    def _connect():
        database.connect(reuse_if_open=True)

    @app.teardown_appcontext
    def _close(exc):
        if not database.is_closed():
            database.close()


def is_sqlite():
    return isinstance(database.obj, SqliteDatabase)


def for_update(query):
    """Return query locking its rows until the transaction ends.

    PostgreSQL needs SELECT ... FOR UPDATE, so that two read-then-write
    saves of one row run one after the other instead of the later one
    overwriting the earlier. SQLite has no FOR UPDATE (Peewee 4 raises
    ValueError for it); there BEGIN IMMEDIATE already serialises writers.
    """
    return query if is_sqlite() else query.for_update()
